/* The SD card driver in SPI mode (capsules/sd_spi.h) over the SPI mux
 * and the simulated bus, with a simulated card (chips/sim/sim_sd.h) on
 * its chip select: set-up of a standard and a high-capacity card (byte
 * and block addresses), reads and writes land on the card's blocks and
 * nowhere else, erase leaves 0xff, a card that refuses a write or does
 * not answer gives FAIL (counted) and is set up again next time,
 * refusals, abort. Time moves only with sim_advance(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/sd_spi.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_sd.h"
#include "chips/sim/sim_spi.h"

#define MS 1000000ull
#define BLOCKS 16u

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_gpio lines;            /* pin 0 the card's select (low) */
static struct sim_spi bus;
static struct sim_sd card;
static uint8_t medium[BLOCKS * HIL_BLOCK_SIZE];
static struct spi_mux mux;
static struct client_entry *slots[2];
static uint32_t rr_bits[RR_WORDS(2)];
static const struct spi_chip chip = { "sd", { &lines.hil, 0, 0 }, { NULL, 0, 0 }, NULL };
static struct sd_spi sd;
static struct hil_block_client client;
static unsigned dones;
static uint32_t done_block;
static const uint8_t *back;
static vmux_err_t last;

static void read_done(struct hil_block_client *self, uint32_t block, uint8_t *buf,
                      vmux_err_t st)
{
    (void)self;
    dones++, done_block = block, back = buf, last = st;
}

static void write_done(struct hil_block_client *self, uint32_t block, const uint8_t *buf,
                       vmux_err_t st)
{
    (void)self;
    dones++, done_block = block, back = buf, last = st;
}

static void erase_done(struct hil_block_client *self, uint32_t block, vmux_err_t st)
{
    (void)self;
    dones++, done_block = block, back = NULL, last = st;
}

static void run(void)
{
    sim_advance(200 * MS);
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    assert_int_equal(sim_gpio_init(&lines, 1), VMUX_SUCCESS);
    assert_int_equal(sim_spi_init(&bus), VMUX_SUCCESS);
    for (unsigned i = 0; i < sizeof medium; i++)
        medium[i] = (uint8_t)(i * 7u + i / HIL_BLOCK_SIZE);
    sim_sd_attach(&bus, &card, medium, BLOCKS, &lines, 0);
    card.idle_rounds = 3;
    card.busy_bytes = 5;
    assert_int_equal(spi_mux_init(&mux, &bus.hil, slots, rr_bits, 2, &watchdog.hil, 1000000),
                     VMUX_SUCCESS);
    spi_mux_park(&chip, 1);
    assert_int_equal(sd_spi_init(&sd, &mux, client_register_kernel("sd"),
                                 test_board_cap_bus_device(), &chip, BLOCKS, 10000000),
                     VMUX_SUCCESS);
    client = (struct hil_block_client){ read_done, write_done, erase_done };
    hil_block_set_client(&sd.hil, &client);
    dones = 0;
    return 0;
}

static void read_block(uint32_t block, uint8_t *buf)
{
    unsigned before = dones;
    assert_int_equal(hil_block_read(&sd.hil, block, buf), VMUX_SUCCESS);
    assert_int_equal(dones, before); /* never from inside the request */
    run();
    assert_int_equal(dones, before + 1);
    assert_int_equal(done_block, block);
    assert_ptr_equal(back, buf);
}

static void write_block(uint32_t block, const uint8_t *buf)
{
    unsigned before = dones;
    assert_int_equal(hil_block_write(&sd.hil, block, buf), VMUX_SUCCESS);
    run();
    assert_int_equal(dones, before + 1);
    assert_int_equal(done_block, block);
    assert_ptr_equal(back, buf);
}

/* Reads and writes land on the named block and nowhere else. */
static void round_trip(void)
{
    uint8_t before[sizeof medium], buf[HIL_BLOCK_SIZE], data[HIL_BLOCK_SIZE];
    memcpy(before, medium, sizeof medium);
    read_block(5, buf);
    assert_int_equal(last, VMUX_SUCCESS);
    assert_memory_equal(buf, &medium[5 * HIL_BLOCK_SIZE], HIL_BLOCK_SIZE);
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(0xa5u ^ i);
    write_block(BLOCKS - 1, data);
    assert_int_equal(last, VMUX_SUCCESS);
    assert_memory_equal(&medium[(BLOCKS - 1) * HIL_BLOCK_SIZE], data, HIL_BLOCK_SIZE);
    assert_memory_equal(medium, before, (BLOCKS - 1) * HIL_BLOCK_SIZE);
    read_block(BLOCKS - 1, buf);
    assert_memory_equal(buf, data, HIL_BLOCK_SIZE);
    assert_int_equal(sd.counters.setups, 1);
    assert_int_equal(sd.counters.reads, 2);
    assert_int_equal(sd.counters.writes, 1);
    assert_int_equal(bus.counters.conflicts, 0);
}

static void sd_spi_standard_card_byte_addresses(void **state)
{
    (void)state;
    round_trip();
    assert_false(sd.block_addressed);
    assert_true(sd.v2);
    assert_int_equal(sd.dev.rate_hz, 10000000); /* fast once set up */
}

static void sd_spi_high_capacity_card_block_addresses(void **state)
{
    (void)state;
    card.hc = true;
    round_trip();
    assert_true(sd.block_addressed);
}

static void sd_spi_version_1_card(void **state)
{
    (void)state;
    card.v1 = true;
    round_trip();
    assert_false(sd.v2);
    assert_false(sd.block_addressed);
}

static void sd_spi_erase_leaves_ff(void **state)
{
    (void)state;
    assert_int_equal(hil_block_erase(&sd.hil, 2), VMUX_SUCCESS);
    run();
    assert_int_equal(dones, 1);
    assert_int_equal(last, VMUX_SUCCESS);
    assert_int_equal(done_block, 2);
    for (unsigned i = 0; i < HIL_BLOCK_SIZE; i++)
        assert_int_equal(medium[2 * HIL_BLOCK_SIZE + i], HIL_BLOCK_ERASED);
    assert_int_not_equal(medium[3 * HIL_BLOCK_SIZE], HIL_BLOCK_ERASED);
    assert_int_equal(sd.counters.erases, 1);
}

/* A write the card rejects is FAIL, the block unchanged; the next
 * operation sets the card up again and succeeds. */
static void sd_spi_rejected_write_fails_and_recovers(void **state)
{
    (void)state;
    uint8_t data[HIL_BLOCK_SIZE], old[HIL_BLOCK_SIZE];
    memset(data, 0x11, sizeof data);
    memcpy(old, &medium[4 * HIL_BLOCK_SIZE], sizeof old);
    card.reject_writes = true;
    write_block(4, data);
    assert_int_equal(last, VMUX_FAIL);
    assert_int_equal(sd.counters.card_errors, 1);
    assert_memory_equal(&medium[4 * HIL_BLOCK_SIZE], old, sizeof old);
    assert_false(sd.ready);
    card.reject_writes = false;
    write_block(4, data);
    assert_int_equal(last, VMUX_SUCCESS);
    assert_memory_equal(&medium[4 * HIL_BLOCK_SIZE], data, sizeof data);
    assert_int_equal(sd.counters.setups, 2);
}

/* No card: FAIL after the poll limit, counted, not a hang. */
static void sd_spi_no_card_fails(void **state)
{
    (void)state;
    uint8_t buf[HIL_BLOCK_SIZE];
    card.mute = true;
    read_block(0, buf);
    assert_int_equal(last, VMUX_FAIL);
    assert_int_equal(sd.counters.no_answer, 1);
    assert_int_equal(sd.counters.setups, 0);
}

static void sd_spi_refusals(void **state)
{
    (void)state;
    uint8_t buf[HIL_BLOCK_SIZE];
    assert_int_equal(hil_block_count(&sd.hil), BLOCKS);
    assert_int_equal(hil_block_read(&sd.hil, BLOCKS, buf), VMUX_INVALID);
    assert_int_equal(hil_block_read(&sd.hil, 0, NULL), VMUX_INVALID);
    assert_int_equal(hil_block_write(&sd.hil, 0, NULL), VMUX_INVALID);
    assert_int_equal(hil_block_erase(&sd.hil, BLOCKS), VMUX_INVALID);
    assert_int_equal(hil_block_read(&sd.hil, 0, buf), VMUX_SUCCESS);
    assert_int_equal(hil_block_read(&sd.hil, 1, buf), VMUX_BUSY);
    run();
    assert_int_equal(dones, 1);
    hil_block_set_client(&sd.hil, NULL);
    assert_int_equal(hil_block_read(&sd.hil, 0, buf), VMUX_OFF);
}

/* abort: no done, the buffer untouched after it, the next read works. */
static void sd_spi_abort_means_no_done(void **state)
{
    (void)state;
    uint8_t buf[HIL_BLOCK_SIZE];
    read_block(1, buf);
    memset(buf, 0x5a, sizeof buf);
    assert_int_equal(hil_block_read(&sd.hil, 3, buf), VMUX_SUCCESS);
    sim_advance(MS / 10); /* somewhere in the command */
    hil_block_abort(&sd.hil);
    run();
    assert_int_equal(dones, 1);
    assert_int_equal(sd.counters.aborts, 1);
    read_block(3, buf);
    assert_int_equal(last, VMUX_SUCCESS);
    assert_memory_equal(buf, &medium[3 * HIL_BLOCK_SIZE], HIL_BLOCK_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sd_spi_standard_card_byte_addresses, setup),
        cmocka_unit_test_setup(sd_spi_high_capacity_card_block_addresses, setup),
        cmocka_unit_test_setup(sd_spi_version_1_card, setup),
        cmocka_unit_test_setup(sd_spi_erase_leaves_ff, setup),
        cmocka_unit_test_setup(sd_spi_rejected_write_fails_and_recovers, setup),
        cmocka_unit_test_setup(sd_spi_no_card_fails, setup),
        cmocka_unit_test_setup(sd_spi_refusals, setup),
        cmocka_unit_test_setup(sd_spi_abort_means_no_done, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
