/* The bus syscall drivers through scripted processes over the simulated
 * buses: I2C master 0x20003, SPI controller 0x20001, temperature
 * 0x60000. Who may reach which address and chip (the board's table, by
 * process name; RESERVE and its counter otherwise, even for an empty
 * address); Tock's commands, allows and upcall formats; a chip shared by
 * two processes as two clients with their own settings; long transfers
 * as one held transaction; holds cut by the watchdog; the grant's
 * buffers wiped after each use; a process ended in the middle of a
 * transfer (the bus reset, no upcall, the others go on); simultaneous
 * temperature requests sharing one reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/drivers/i2c_driver.h"
#include "capsules/drivers/spi_driver.h"
#include "capsules/drivers/temperature_driver.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_at24c.h"
#include "chips/sim/sim_ds1338.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_i2c.h"
#include "chips/sim/sim_spi.h"
#include "chips/sim/sim_tmp105.h"
#include "tests/unit/test_driver_common.h"

#define I2C I2C_DRIVER_NUM
#define SPI SPI_DRIVER_NUM
#define TEMP TEMPERATURE_DRIVER_NUM
#define MS 1000000ull
#define TIMEOUT_US 20000u
#define BUF 0u          /* the allow's offset in a process's RAM */
#define READ 256u       /* a second one */

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm spi_watchdog, i2c_watchdog;
static struct sim_gpio selects;
static struct sim_spi spi_bus;
static struct sim_spi_shift sd, oled;
static struct sim_i2c i2c_bus;
static struct sim_tmp105 sensor;
static struct sim_at24c eeprom;
static uint8_t eeprom_cells[4096];
static struct sim_ds1338 rtc;
static struct client_entry *spi_slots[8], *i2c_slots[8];
static uint32_t spi_rr[RR_WORDS(8)], i2c_rr[RR_WORDS(8)];
static struct spi_mux spi_mux;
static struct i2c_mux i2c_mux;
static struct tmp105 thermometer;
static struct spi_driver spi_drv;
static struct i2c_driver i2c_drv;
static struct temperature_driver temp_drv;

enum { ALPHA, BETA, GAMMA, NPROC };
static struct harness_process hp[NPROC];
static const char *const names[NPROC] = { "alpha", "beta", "gamma" };

/* alpha: the SD card and the OLED; beta: the OLED too; gamma: nothing.
 * The EEPROM is alpha's; the sensor and the clock the kernel's. */
static const struct spi_chip chips[] = {
    { "sd", { &selects.hil, 0, 0 }, { NULL, 0, 0 }, "alpha" },
    { "oled", { &selects.hil, 1, 0 }, { &selects.hil, 2, 1 }, "alpha beta" },
    { "flash", { &selects.hil, 3, 0 }, { NULL, 0, 0 }, NULL },
};
static const struct i2c_chip devices[] = {
    { "tmp105", 0x48, NULL },
    { "eeprom", 0x50, "alpha" },
    { "rtc", 0x68, NULL },
    { "ghost", 0x22, "alpha" },   /* given to alpha, but nobody is there */
};

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&spi_watchdog, &alarms);
    virtual_alarm_init(&i2c_watchdog, &alarms);
    assert_int_equal(sim_gpio_init(&selects, 4), VMUX_SUCCESS);
    assert_int_equal(sim_spi_init(&spi_bus), VMUX_SUCCESS);
    sim_spi_shift_attach(&spi_bus, &sd, 0x01, &selects, 0, false, NULL, 0);
    sim_spi_shift_attach(&spi_bus, &oled, 0x02, &selects, 1, false, &selects, 2);
    assert_int_equal(sim_i2c_init(&i2c_bus), VMUX_SUCCESS);
    sim_tmp105_attach(&i2c_bus, &sensor, 0x48);
    assert_true(sim_at24c_attach(&i2c_bus, &eeprom, 0x50, eeprom_cells, sizeof eeprom_cells,
                                 NULL));
    sim_ds1338_attach(&i2c_bus, &rtc, 0x68, 0);
    assert_int_equal(spi_mux_init(&spi_mux, &spi_bus.hil, spi_slots, spi_rr, 8, &spi_watchdog.hil,
                                  TIMEOUT_US), VMUX_SUCCESS);
    assert_int_equal(i2c_mux_init(&i2c_mux, &i2c_bus.hil, i2c_slots, i2c_rr, 8, &i2c_watchdog.hil,
                                  TIMEOUT_US), VMUX_SUCCESS);
    assert_int_equal(tmp105_init(&thermometer, &i2c_mux, client_register_kernel("tmp105"),
                                 test_board_cap_bus_device(), 0x48), VMUX_SUCCESS);
    spi_driver_init(&spi_drv, &spi_mux, test_board_cap_bus_device(), chips, 3);
    i2c_driver_init(&i2c_drv, &i2c_mux, test_board_cap_bus_device(), devices, 4);
    temperature_driver_init(&temp_drv, &thermometer);
    harness_reset();
    assert_int_equal(process_register_driver(&spi_drv.driver), VMUX_SUCCESS);
    assert_int_equal(process_register_driver(&i2c_drv.driver), VMUX_SUCCESS);
    assert_int_equal(process_register_driver(&temp_drv.driver), VMUX_SUCCESS);
    for (unsigned i = 0; i < NPROC; i++) {
        assert_non_null(harness_spawn(&hp[i], names[i], RESTART_NEVER));
        td_subscribe(&hp[i], I2C, 0);
        td_subscribe(&hp[i], SPI, 0);
        td_subscribe(&hp[i], TEMP, 0);
    }
    return 0;
}

static struct syscall_return i2c(unsigned i, uint32_t cmd, syscall_reg_t a, syscall_reg_t b)
{
    return td_command(&hp[i], I2C, cmd, a, b);
}

static struct syscall_return spi(unsigned i, uint32_t cmd, syscall_reg_t a)
{
    return td_command(&hp[i], SPI, cmd, a, 0);
}

/* Does len bytes of pattern appear anywhere in process i's RAM? */
static bool ram_holds(unsigned i, const uint8_t *pattern, size_t len)
{
    for (size_t at = 0; at + len <= HARNESS_RAM; at++)
        if (memcmp(&hp[i].ram[at], pattern, len) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------ I2C */

/* Another process's address, the kernel's, and an empty one all answer
 * RESERVE: a process cannot even learn whether a device is there. */
static void ownership_i2c_process_reaches_only_the_addresses_given_to_it(void **state)
{
    (void)state;
    td_allow(&hp[BETA], false, I2C, 1, BUF, 16);
    td_assert_failure(i2c(BETA, I2C_CMD_READ, 0x50, 4), VMUX_RESERVE);     /* alpha's */
    td_assert_failure(i2c(BETA, I2C_CMD_READ, 0x48, 2), VMUX_RESERVE);     /* the kernel's */
    td_assert_failure(i2c(BETA, I2C_CMD_WRITE, 0x23, 1), VMUX_RESERVE);    /* nobody's */
    td_assert_failure(i2c(BETA, I2C_CMD_WRITE_READ, 0x50 | 2u << 8, 4), VMUX_RESERVE);
    td_allow(&hp[ALPHA], false, I2C, 1, BUF, 16);
    td_assert_failure(i2c(ALPHA, I2C_CMD_READ, 0x68, 7), VMUX_RESERVE);
    td_assert_failure(i2c(ALPHA, I2C_CMD_READ, 0x80, 1), VMUX_INVALID);
    assert_int_equal(i2c_drv.refused, 5);
    sim_advance(10 * MS);
    assert_int_equal(td_pending(&hp[BETA]), 0);
    assert_int_equal(eeprom.dev.transactions + sensor.dev.transactions, 0);
    /* alpha's own address, with nobody there: the bus's answer, NOACK */
    td_assert_success(i2c(ALPHA, I2C_CMD_READ, 0x22, 1));
    sim_advance(10 * MS);
    td_expect_upcall(&hp[ALPHA], I2C, 0, VMUX_NOACK, 0, 0);
}

/* alpha writes and reads back its record with Tock's commands; the
 * upcall is (status, 0, 0); the kernel's copy is wiped after each. */
static void confidentiality_i2c_record_round_trip_and_kernel_buffer_wiped(void **state)
{
    (void)state;
    static const uint8_t record[] = { 0x01, 0x00, 0xc0, 0xff, 0xee, 0x42, 0x5a, 0xa5 };
    memcpy(&hp[ALPHA].ram[BUF], record, sizeof record);
    td_allow(&hp[ALPHA], false, I2C, 1, BUF, 16);
    td_assert_success(i2c(ALPHA, I2C_CMD_WRITE, 0x50, sizeof record));
    td_assert_failure(i2c(ALPHA, I2C_CMD_WRITE, 0x50, 2), VMUX_BUSY);
    sim_advance(10 * MS);
    td_expect_upcall(&hp[ALPHA], I2C, 0, 0, 0, 0);
    assert_memory_equal(&eeprom_cells[0x100], record + 2, 6);
    memset(&hp[ALPHA].ram[BUF], 0, 16); /* the process forgets it */
    assert_false(ram_holds(ALPHA, record + 2, 6));
    hp[ALPHA].ram[BUF] = 0x01;
    hp[ALPHA].ram[BUF + 1] = 0x00;
    td_assert_success(i2c(ALPHA, I2C_CMD_WRITE_READ, 0x50 | 2u << 8, 6));
    sim_advance(10 * MS);
    td_expect_upcall(&hp[ALPHA], I2C, 0, 0, 0, 0);
    assert_memory_equal(&hp[ALPHA].ram[BUF], record + 2, 6);
    memset(&hp[ALPHA].ram[BUF], 0, 16);
    assert_false(ram_holds(ALPHA, record + 2, 6)); /* not in the grant either */
    /* sizes: 0, beyond the kernel's buffer, beyond the allow */
    td_assert_failure(i2c(ALPHA, I2C_CMD_READ, 0x50, 0), VMUX_SIZE);
    td_assert_failure(i2c(ALPHA, I2C_CMD_READ, 0x50, I2C_DRIVER_BUF + 1), VMUX_SIZE);
    td_assert_failure(i2c(ALPHA, I2C_CMD_READ, 0x50, 17), VMUX_SIZE);
    td_assert_failure(i2c(ALPHA, 4, 0x50, 1), VMUX_NOSUPPORT);
}

/* alpha ends while its transaction is on the bus (the EEPROM stretching
 * its clock): the bus is cleared, no upcall is left, beta... the kernel's
 * sensor reading goes on. */
static void departure_i2c_process_ended_mid_transaction_others_go_on(void **state)
{
    (void)state;
    struct sim_fault stretch = { .kind = SIM_FAULT_LATE, .delay_ns = 5 * MS, .count = 1 };
    sim_i2c_device_fault(&eeprom.dev, &stretch);
    memset(&hp[ALPHA].ram[BUF], 0x77, 16);
    td_allow(&hp[ALPHA], false, I2C, 1, BUF, 16);
    hp[ALPHA].ram[BUF] = hp[ALPHA].ram[BUF + 1] = 0;
    td_assert_success(i2c(ALPHA, I2C_CMD_WRITE_READ, 0x50 | 2u << 8, 8));
    sim_settle(); /* on the bus */
    td_assert_success(td_command(&hp[BETA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    process_end(hp[ALPHA].process, false, 0);
    assert_int_equal(i2c_bus.counters.resets, 1);
    sim_advance(20 * MS);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    for (unsigned b = 2; b < 16; b++)
        assert_int_equal(hp[ALPHA].ram[BUF + b], 0x77);
    td_expect_upcall(&hp[BETA], TEMP, 0, 0, 0, 0); /* 0.00 C, SUCCESS */
    assert_int_equal(i2c_mux.bus.counters.ops.n[TALLY_DEPARTED], 1);
}

/* ------------------------------------------------------------ SPI */

/* A process starts on the first chip given to it; it may select only
 * those; one given none is refused every command. */
static void ownership_spi_process_reaches_only_the_chips_given_to_it(void **state)
{
    (void)state;
    td_assert_u32(spi(ALPHA, SPI_CMD_SELECTED, 0), 0);     /* the SD card */
    td_assert_u32(spi(BETA, SPI_CMD_SELECTED, 0), 1);      /* the OLED */
    td_assert_failure(spi(BETA, SPI_CMD_SELECT, 0), VMUX_RESERVE);
    td_assert_failure(spi(BETA, SPI_CMD_SELECT, 2), VMUX_RESERVE); /* the kernel's */
    td_assert_failure(spi(BETA, SPI_CMD_SELECT, 3), VMUX_INVALID);
    td_assert_failure(spi(GAMMA, SPI_CMD_SELECTED, 0), VMUX_RESERVE);
    td_assert_failure(spi(GAMMA, SPI_CMD_TRANSFER, 1), VMUX_RESERVE);
    td_assert_failure(spi(GAMMA, SPI_CMD_SET_RATE, 1000), VMUX_RESERVE);
    assert_int_equal(spi_drv.refused, 5);
    td_assert_success(spi(ALPHA, SPI_CMD_SELECT, 1));
    td_assert_u32(spi(ALPHA, SPI_CMD_SELECTED, 0), 1);
    td_assert_failure(spi(ALPHA, SPI_CMD_BYTE, 0x55), VMUX_NOSUPPORT);
    td_assert_failure(spi(ALPHA, 13, 0), VMUX_NOSUPPORT);
    assert_int_equal(sd.dev.bytes + oled.dev.bytes, 0);
}

/* alpha and beta share the OLED as two clients: each speaks in its own
 * settings, gets only its own bytes back, and its kernel copy is
 * wiped; the upcall is (length, status, 0). */
static void confidentiality_spi_shared_chip_two_clients_own_bytes_and_settings(void **state)
{
    (void)state;
    td_assert_success(spi(ALPHA, SPI_CMD_SELECT, 1));
    td_assert_success(spi(ALPHA, SPI_CMD_SET_RATE, 400000));
    td_assert_success(spi(ALPHA, SPI_CMD_SET_PHASE, 1));
    td_assert_success(spi(BETA, SPI_CMD_SET_POLARITY, 1));
    td_assert_u32(spi(ALPHA, SPI_CMD_RATE, 0), 400000);
    td_assert_u32(spi(ALPHA, SPI_CMD_PHASE, 0), 1);
    td_assert_u32(spi(ALPHA, SPI_CMD_POLARITY, 0), 0);
    td_assert_u32(spi(BETA, SPI_CMD_POLARITY, 0), 1);
    td_assert_failure(spi(BETA, SPI_CMD_SET_RATE, 0), VMUX_INVALID);
    for (unsigned i = ALPHA; i <= BETA; i++) {
        td_fill(&hp[i], BUF, (uint8_t)(0xa0 + i), 8);
        td_fill(&hp[i], READ, 0, 8);
        td_allow(&hp[i], true, SPI, 0, BUF, 8);
        td_allow(&hp[i], false, SPI, 0, READ, 8);
        td_assert_success(spi(i, SPI_CMD_TRANSFER, 8));
    }
    td_assert_failure(spi(ALPHA, SPI_CMD_TRANSFER, 8), VMUX_BUSY);
    td_assert_failure(spi(ALPHA, SPI_CMD_SELECT, 0), VMUX_BUSY);
    sim_advance(10 * MS);
    for (unsigned i = ALPHA; i <= BETA; i++) {
        td_expect_upcall(&hp[i], SPI, 0, 8, 0, 0);
        assert_int_equal(hp[i].ram[READ], 0x02); /* the OLED's first byte, fresh each select */
        assert_true(td_all(&hp[i].ram[READ + 1], (uint8_t)(0xa0 + i), 7));
        memset(&hp[i].ram[BUF], 0, 8);
        memset(&hp[i].ram[READ], 0, 8);
        uint8_t tag[4] = { (uint8_t)(0xa0 + i), (uint8_t)(0xa0 + i), (uint8_t)(0xa0 + i),
                           (uint8_t)(0xa0 + i) };
        assert_false(ram_holds(i, tag, 4));
    }
    assert_int_equal(oled.dev.selects, 2);
    assert_int_equal(spi_bus.counters.conflicts, 0);
    /* the device saw beta last, in beta's settings */
    assert_int_equal(oled.dev.mode, HIL_SPI_MODE_2);
    assert_int_equal(oled.dev.rate_hz, SPI_MUX_DEFAULT_RATE_HZ);
    /* a length beyond the allows: INVALID, as Tock */
    td_assert_failure(spi(ALPHA, SPI_CMD_TRANSFER, 9), VMUX_INVALID);
    td_assert_failure(spi(ALPHA, SPI_CMD_TRANSFER, 0), VMUX_INVALID);
}

/* A transfer longer than the kernel's chunk is one held transaction:
 * one select for all of it, the bytes in order. */
static void availability_spi_long_transfer_is_one_held_transaction(void **state)
{
    (void)state;
    const size_t len = 3 * SPI_DRIVER_CHUNK + 5;
    for (size_t b = 0; b < len; b++)
        hp[ALPHA].ram[BUF + b] = (uint8_t)b;
    td_allow(&hp[ALPHA], true, SPI, 0, BUF, len);
    td_allow(&hp[ALPHA], false, SPI, 0, READ, len);
    td_assert_success(spi(ALPHA, SPI_CMD_TRANSFER, len));
    td_fill(&hp[BETA], BUF, 0xbb, 4);
    td_allow(&hp[BETA], true, SPI, 0, BUF, 4);
    td_assert_success(spi(BETA, SPI_CMD_TRANSFER, 4)); /* the OLED: waits its turn */
    sim_advance(20 * MS);
    td_expect_upcall(&hp[ALPHA], SPI, 0, (uint32_t)len, 0, 0);
    td_expect_upcall(&hp[BETA], SPI, 0, 4, 0, 0);
    assert_int_equal(sd.dev.selects, 1);
    assert_int_equal(sd.dev.bytes, len);
    assert_int_equal(hp[ALPHA].ram[READ], 0x01);
    for (size_t b = 1; b < len; b++)
        assert_int_equal(hp[ALPHA].ram[READ + b], (uint8_t)(b - 1));
    assert_int_equal(spi_mux.bus.counters.turns, 2);
}

/* Commands 11 and 12 (libtock-c's hold_low and release_low): the select
 * stays asserted across transfers until the release; a hold the process
 * does not follow in time is cut, and its next transfer answers CANCEL. */
static void availability_spi_hold_is_kept_then_released_or_cut(void **state)
{
    (void)state;
    td_fill(&hp[ALPHA], BUF, 0x11, 4);
    td_allow(&hp[ALPHA], true, SPI, 0, BUF, 4);
    td_assert_success(spi(ALPHA, SPI_CMD_HOLD, 0));
    td_assert_success(spi(ALPHA, SPI_CMD_TRANSFER, 4));
    sim_advance(1 * MS);
    td_expect_upcall(&hp[ALPHA], SPI, 0, 4, 0, 0);
    assert_false(sim_gpio_level(&selects, 0)); /* still selected */
    td_assert_success(spi(ALPHA, SPI_CMD_TRANSFER, 4));
    sim_advance(1 * MS);
    td_expect_upcall(&hp[ALPHA], SPI, 0, 4, 0, 0);
    assert_int_equal(sd.dev.selects, 1);
    td_assert_success(spi(ALPHA, SPI_CMD_RELEASE, 0));
    assert_true(sim_gpio_level(&selects, 0));
    /* held, then silence: the watchdog takes the bus back */
    td_assert_success(spi(ALPHA, SPI_CMD_HOLD, 0));
    td_assert_success(spi(ALPHA, SPI_CMD_TRANSFER, 4));
    sim_advance(2 * TIMEOUT_US * 1000ull);
    td_expect_upcall(&hp[ALPHA], SPI, 0, 4, 0, 0);
    assert_true(sim_gpio_level(&selects, 0));
    assert_int_equal(spi_mux.bus.counters.cut, 1);
    td_assert_failure(spi(ALPHA, SPI_CMD_TRANSFER, 4), VMUX_CANCEL);
}

/* A process ends with its transfer on the bus: aborted, its select
 * released, nothing written into its RAM afterwards, and the other
 * process's transfer goes on. */
static void departure_spi_process_ended_mid_transfer_others_go_on(void **state)
{
    (void)state;
    td_assert_success(spi(ALPHA, SPI_CMD_SET_RATE, 1000)); /* 8 ms a byte */
    td_fill(&hp[ALPHA], BUF, 0x33, 8);
    td_fill(&hp[ALPHA], READ, 0x44, 8);
    td_allow(&hp[ALPHA], true, SPI, 0, BUF, 8);
    td_allow(&hp[ALPHA], false, SPI, 0, READ, 8);
    td_assert_success(spi(ALPHA, SPI_CMD_TRANSFER, 8));
    td_fill(&hp[BETA], BUF, 0x55, 4);
    td_allow(&hp[BETA], true, SPI, 0, BUF, 4);
    td_assert_success(spi(BETA, SPI_CMD_TRANSFER, 4));
    sim_advance(1 * MS);
    assert_false(sim_gpio_level(&selects, 0));
    process_end(hp[ALPHA].process, false, 0);
    assert_true(sim_gpio_level(&selects, 0));
    sim_advance(100 * MS);
    assert_true(td_all(&hp[ALPHA].ram[READ], 0x44, 8));
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    td_expect_upcall(&hp[BETA], SPI, 0, 4, 0, 0);
    assert_int_equal(spi_bus.counters.aborts, 1);
    assert_int_equal(spi_bus.counters.conflicts, 0);
}

/* ------------------------------------------------------------ temperature */

/* Two processes ask together: one reading for both, the same value, in
 * hundredths of a degree; a failed reading reaches both as (0, error). */
static void sharing_temperature_simultaneous_requests_take_one_reading(void **state)
{
    (void)state;
    sim_tmp105_set(&sensor, 23250);
    td_assert_success(td_command(&hp[ALPHA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    td_assert_success(td_command(&hp[BETA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    td_assert_success(td_command(&hp[BETA], TEMP, TEMPERATURE_CMD_READ, 0, 0)); /* still one */
    sim_advance(10 * MS);
    td_expect_upcall(&hp[ALPHA], TEMP, 0, 2325, 0, 0);
    td_expect_upcall(&hp[BETA], TEMP, 0, 2325, 0, 0);
    assert_int_equal(td_pending(&hp[BETA]), 0);
    assert_int_equal(thermometer.readings, 1);
    assert_int_equal(thermometer.shared, 1);
    sim_tmp105_set(&sensor, -5500);
    td_assert_success(td_command(&hp[GAMMA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    sim_advance(10 * MS);
    td_expect_upcall(&hp[GAMMA], TEMP, 0, (uint32_t)-550, 0, 0);
    struct sim_fault gone = { .kind = SIM_FAULT_ERROR, .count = 2 };
    sim_i2c_device_fault(&sensor.dev, &gone);
    td_assert_success(td_command(&hp[ALPHA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    td_assert_success(td_command(&hp[GAMMA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    sim_advance(10 * MS);
    td_expect_upcall(&hp[ALPHA], TEMP, 0, 0, VMUX_NOACK, 0);
    td_expect_upcall(&hp[GAMMA], TEMP, 0, 0, VMUX_NOACK, 0);
    assert_int_equal(thermometer.errors, 1);
    td_assert_failure(td_command(&hp[ALPHA], TEMP, 2, 0, 0), VMUX_NOSUPPORT);
}

/* A process that ends while it waits gets nothing; the other does. */
static void departure_temperature_request_dropped_with_its_process(void **state)
{
    (void)state;
    td_assert_success(td_command(&hp[ALPHA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    td_assert_success(td_command(&hp[BETA], TEMP, TEMPERATURE_CMD_READ, 0, 0));
    process_end(hp[ALPHA].process, false, 0);
    sim_advance(10 * MS);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    td_expect_upcall(&hp[BETA], TEMP, 0, 0, 0, 0);
    assert_int_equal(thermometer.shared, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ownership_i2c_process_reaches_only_the_addresses_given_to_it,
                               setup),
        cmocka_unit_test_setup(confidentiality_i2c_record_round_trip_and_kernel_buffer_wiped,
                               setup),
        cmocka_unit_test_setup(departure_i2c_process_ended_mid_transaction_others_go_on, setup),
        cmocka_unit_test_setup(ownership_spi_process_reaches_only_the_chips_given_to_it, setup),
        cmocka_unit_test_setup(
            confidentiality_spi_shared_chip_two_clients_own_bytes_and_settings, setup),
        cmocka_unit_test_setup(availability_spi_long_transfer_is_one_held_transaction, setup),
        cmocka_unit_test_setup(availability_spi_hold_is_kept_then_released_or_cut, setup),
        cmocka_unit_test_setup(departure_spi_process_ended_mid_transfer_others_go_on, setup),
        cmocka_unit_test_setup(sharing_temperature_simultaneous_requests_take_one_reading, setup),
        cmocka_unit_test_setup(departure_temperature_request_dropped_with_its_process, setup),
    };
    return cmocka_run_group_tests_name("driver_buses", tests, NULL, NULL);
}
