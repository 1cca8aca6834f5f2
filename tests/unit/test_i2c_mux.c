/* I2C mux over a simulated bus with the QEMU board's devices (a TMP105 at
 * 0x48, an AT24C EEPROM at 0x50, a DS1338 clock at 0x68). Each client
 * gets its own device's answers in its own buffer; saturating clients are
 * served round robin; a missing or refusing device answers NOACK to its
 * client alone; a device stretching forever and a stuck bus are timed
 * out, the bus cleared, and only that client fails; a departing client's
 * transaction is given up; the capability; bad arguments. Time moves
 * only with sim_advance(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/i2c_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_at24c.h"
#include "chips/sim/sim_ds1338.h"
#include "chips/sim/sim_i2c.h"
#include "chips/sim/sim_tmp105.h"

#define MS 1000000ull
#define TIMEOUT_US 20000u
#define N 8
#define LOG_MAX 512
#define EPOCH 1767225600 /* 2026-01-01 00:00:00 UTC, a Thursday */

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_i2c bus;
static struct sim_tmp105 thermometer;
static struct sim_at24c eeprom;
static uint8_t eeprom_mem[4096];
static struct sim_ds1338 rtc;
static struct i2c_mux mux;
static struct client_entry *slots[N];
static uint32_t rr_bits[RR_WORDS(N)];

static struct user {
    struct i2c_device dev;
    uint8_t buf[16];
    unsigned done;
    vmux_err_t status;
    size_t read_len;
    bool again;
} users[N];

static bool in_request;
static unsigned order[LOG_MAX];
static unsigned order_count;

static void done(struct i2c_device *d, uint8_t *buf, size_t read_len, vmux_err_t status)
{
    assert_false(in_request);
    struct user *u = container_of(d, struct user, dev);
    assert_ptr_equal(buf, u->buf);
    u->done++;
    u->status = status;
    u->read_len = read_len;
    if (order_count < LOG_MAX)
        order[order_count++] = (unsigned)(u - users);
    if (u->again) {
        u->buf[0] = 0;
        assert_int_equal(i2c_mux_transfer(d, u->buf, 1, 2), VMUX_SUCCESS);
    }
}

static const struct i2c_device_ops user_ops = { done };

/* Users 0-2 on the thermometer, EEPROM and clock, 3 on an empty
 * address, the rest on the thermometer too. */
static const uint8_t addresses[N] = { 0x48, 0x50, 0x68, 0x22, 0x48, 0x48, 0x48, 0x48 };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    assert_int_equal(sim_i2c_init(&bus), VMUX_SUCCESS);
    sim_tmp105_attach(&bus, &thermometer, 0x48);
    assert_true(sim_at24c_attach(&bus, &eeprom, 0x50, eeprom_mem, sizeof eeprom_mem, NULL));
    sim_ds1338_attach(&bus, &rtc, 0x68, EPOCH);
    assert_int_equal(i2c_mux_init(&mux, &bus.hil, slots, rr_bits, N, &watchdog.hil, TIMEOUT_US),
                     VMUX_SUCCESS);
    memset(users, 0, sizeof users);
    order_count = 0;
    for (unsigned i = 0; i < N; i++)
        assert_int_equal(i2c_mux_attach(&mux, &users[i].dev, client_process(i + 1, 1),
                                        test_board_cap_bus_device(), addresses[i], &user_ops),
                         VMUX_SUCCESS);
    return 0;
}

static vmux_err_t transfer(unsigned i, size_t write_len, size_t read_len)
{
    in_request = true;
    vmux_err_t err = i2c_mux_transfer(&users[i].dev, users[i].buf, write_len, read_len);
    in_request = false;
    return err;
}

/* Register 0 of the thermometer, two bytes. */
static vmux_err_t read_temperature(unsigned i)
{
    users[i].buf[0] = 0;
    return transfer(i, 1, 2);
}

/* ------------------------------------------------------------ confidentiality */

static void confidentiality_i2c_each_client_gets_its_own_devices_answer(void **state)
{
    (void)state;
    sim_tmp105_set(&thermometer, 21500);
    static const uint8_t record[] = { 0x00, 0x10, 'v', 'm', 'u', 'x' };
    memcpy(users[1].buf, record, sizeof record);
    assert_int_equal(read_temperature(0), VMUX_SUCCESS);
    assert_int_equal(transfer(1, sizeof record, 0), VMUX_SUCCESS);
    users[2].buf[0] = 0;
    assert_int_equal(transfer(2, 1, 7), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    assert_int_equal(users[0].buf[0], 21);   /* 21.5: 9 bits at reset */
    assert_int_equal(users[0].buf[1], 0x80);
    assert_int_equal(users[1].status, VMUX_SUCCESS);
    assert_memory_equal(&eeprom_mem[0x10], "vmux", 4);
    assert_int_equal(users[2].status, VMUX_SUCCESS);
    static const uint8_t midnight[7] = { 0x00, 0x00, 0x00, 5, 0x01, 0x01, 0x26 };
    assert_memory_equal(users[2].buf, midnight, 7); /* BCD, Thursday (5) */
    /* the EEPROM's bytes, read back by their client */
    users[1].buf[0] = 0x00;
    users[1].buf[1] = 0x10;
    assert_int_equal(transfer(1, 2, 4), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_memory_equal(users[1].buf, "vmux", 4);
    assert_int_equal(users[1].read_len, 4);
    assert_int_equal(mux.bus.counters.ops.n[TALLY_DELIVERED], 4);
}

/* ------------------------------------------------------------ availability */

static void availability_i2c_saturating_devices_each_served_within_n_minus_1_turns(void **s)
{
    (void)s;
    for (unsigned i = 0; i < N; i++) {
        if (i == 3)
            continue; /* nobody there */
        users[i].again = true;
        assert_int_equal(read_temperature(i), VMUX_SUCCESS);
    }
    sim_advance(50 * MS);
    const unsigned n = N - 1;
    assert_true(order_count > 4 * n);
    for (unsigned k = n; k < order_count; k++)
        assert_int_equal(order[k], order[k - n]);
    for (unsigned k = 0; k < n; k++)
        for (unsigned j = 0; j < k; j++)
            assert_int_not_equal(order[k], order[j]);
}

static void availability_i2c_missing_or_refusing_device_nacks_only_its_client(void **state)
{
    (void)state;
    assert_int_equal(transfer(3, 1, 1), VMUX_SUCCESS); /* 0x22: nobody */
    assert_int_equal(read_temperature(0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[3].status, VMUX_NOACK);
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    struct sim_fault nack = { .kind = SIM_FAULT_ERROR, .count = 1 };
    sim_i2c_device_fault(&eeprom.dev, &nack); /* busy writing: no ACK */
    users[1].buf[0] = users[1].buf[1] = 0;
    assert_int_equal(transfer(1, 2, 1), VMUX_SUCCESS);
    assert_int_equal(read_temperature(0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[1].status, VMUX_NOACK);
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    assert_int_equal(users[0].done, 2);
    assert_int_equal(mux.bus.counters.timeouts, 0);
}

/* The clock stretches SCL forever: its client alone fails at the
 * timeout, the bus is cleared, and the next transaction goes through. */
static void availability_i2c_device_stretching_forever_times_out_and_bus_recovers(void **s)
{
    (void)s;
    struct sim_fault stretch = { .kind = SIM_FAULT_NEVER, .count = 1 };
    sim_i2c_device_fault(&rtc.dev, &stretch);
    users[2].buf[0] = 0;
    assert_int_equal(transfer(2, 1, 7), VMUX_SUCCESS);
    assert_int_equal(read_temperature(0), VMUX_SUCCESS);
    assert_int_equal(transfer(1, 2, 1), VMUX_SUCCESS);
    sim_advance(TIMEOUT_US * 1000ull / 2);
    assert_int_equal(users[2].done, 0);
    sim_advance(TIMEOUT_US * 1000ull);
    assert_int_equal(users[2].done, 1);
    assert_int_equal(users[2].status, VMUX_FAIL);
    assert_int_equal(bus.counters.resets, 1);
    assert_int_equal(mux.bus.counters.timeouts, 1);
    sim_advance(10 * MS);
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    assert_int_equal(users[1].status, VMUX_SUCCESS);
    users[2].buf[0] = 0;
    assert_int_equal(transfer(2, 1, 7), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[2].status, VMUX_SUCCESS);
}

/* The bus itself sticks (SDA held low), then a byte comes back
 * corrupted, then the controller completes twice: each reaches only the
 * client whose transaction it was. */
static void availability_i2c_stuck_bus_corrupt_byte_and_double_completion_stay_with_their_client(
    void **state)
{
    (void)state;
    struct sim_fault stuck = { .kind = SIM_FAULT_NEVER, .count = 1 };
    sim_i2c_inject_fault(&bus, &stuck);
    assert_int_equal(read_temperature(4), VMUX_SUCCESS);
    assert_int_equal(read_temperature(5), VMUX_SUCCESS);
    sim_advance(2 * TIMEOUT_US * 1000ull);
    assert_int_equal(users[4].status, VMUX_FAIL);
    sim_advance(10 * MS);
    assert_int_equal(users[5].status, VMUX_SUCCESS);
    sim_tmp105_set(&thermometer, 20000);
    struct sim_fault corrupt = { .kind = SIM_FAULT_CORRUPT, .count = 1 };
    sim_i2c_device_fault(&thermometer.dev, &corrupt);
    assert_int_equal(read_temperature(4), VMUX_SUCCESS);
    assert_int_equal(read_temperature(5), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[4].buf[0], 21); /* 20 with bit 0 flipped */
    assert_int_equal(users[5].buf[0], 20);
    struct sim_fault twice = { .kind = SIM_FAULT_TWICE, .count = 1 };
    sim_i2c_inject_fault(&bus, &twice);
    assert_int_equal(read_temperature(4), VMUX_SUCCESS);
    assert_int_equal(read_temperature(5), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[4].done, 3);
    assert_int_equal(users[5].done, 3);
    assert_int_equal(mux.bus.counters.spurious, 1);
}

/* ------------------------------------------------------------ departure */

static void departure_i2c_transaction_in_flight_given_up_and_buffer_untouched(void **state)
{
    (void)state;
    memset(users[2].buf, 0xaa, sizeof users[2].buf);
    users[2].buf[0] = 0;
    assert_int_equal(transfer(2, 1, 7), VMUX_SUCCESS);
    sim_settle(); /* 2's transaction starts */
    assert_int_equal(read_temperature(0), VMUX_SUCCESS);
    i2c_mux_detach(&users[2].dev);
    sim_advance(10 * MS);
    assert_int_equal(users[2].done, 0);
    for (unsigned b = 1; b < sizeof users[2].buf; b++)
        assert_int_equal(users[2].buf[b], 0xaa);
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    assert_int_equal(bus.counters.resets, 1);
    assert_int_equal(mux.bus.counters.ops.n[TALLY_DEPARTED], 1);
    assert_int_equal(tally_in_flight(&mux.bus.counters.ops), 0);
}

/* ------------------------------------------------------------ requests */

static void capability_i2c_attach_refused_without_the_boards_capability(void **state)
{
    (void)state;
    static struct i2c_device other;
    assert_int_equal(i2c_mux_attach(&mux, &other, client_process(9, 1), NULL, 0x50, &user_ops),
                     VMUX_RESERVE);
    assert_int_equal(i2c_mux_transfer(&other, users[0].buf, 1, 0), VMUX_OFF);
}

static void requests_i2c_bad_arguments_refused(void **state)
{
    (void)state;
    struct i2c_device *d = &users[0].dev;
    static struct i2c_device other;
    assert_int_equal(i2c_mux_attach(&mux, &other, client_process(9, 1),
                                    test_board_cap_bus_device(), 0x80, &user_ops),
                     VMUX_INVALID);
    assert_int_equal(i2c_mux_transfer(d, NULL, 1, 0), VMUX_INVALID);
    assert_int_equal(i2c_mux_transfer(d, users[0].buf, 0, 0), VMUX_SIZE);
    assert_int_equal(i2c_mux_transfer(d, users[0].buf, 70000, 0), VMUX_SIZE);
    assert_int_equal(read_temperature(0), VMUX_SUCCESS);
    assert_int_equal(read_temperature(0), VMUX_BUSY);
    sim_advance(10 * MS);
    assert_int_equal(users[0].done, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(confidentiality_i2c_each_client_gets_its_own_devices_answer, setup),
        cmocka_unit_test_setup(
            availability_i2c_saturating_devices_each_served_within_n_minus_1_turns, setup),
        cmocka_unit_test_setup(availability_i2c_missing_or_refusing_device_nacks_only_its_client,
                               setup),
        cmocka_unit_test_setup(
            availability_i2c_device_stretching_forever_times_out_and_bus_recovers, setup),
        cmocka_unit_test_setup(
            availability_i2c_stuck_bus_corrupt_byte_and_double_completion_stay_with_their_client,
            setup),
        cmocka_unit_test_setup(departure_i2c_transaction_in_flight_given_up_and_buffer_untouched,
                               setup),
        cmocka_unit_test_setup(capability_i2c_attach_refused_without_the_boards_capability, setup),
        cmocka_unit_test_setup(requests_i2c_bad_arguments_refused, setup),
    };
    return cmocka_run_group_tests_name("i2c_mux", tests, NULL, NULL);
}
