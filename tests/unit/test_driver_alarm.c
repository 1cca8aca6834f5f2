/* Alarm driver 0x0 through scripted processes: every command and its
 * return variant, the fired upcall's arguments, replacement and stop,
 * long intervals, independent alarms per process, and what a process's
 * end leaves in the alarm mux. A 1 MHz simulated alarm on virtual time:
 * one tick is one microsecond. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/drivers/alarm_driver.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "tests/unit/test_driver_common.h"

#define US 1000ull
#define HEAP 4

static struct sim_alarm hw;
static struct alarm_mux mux;
static struct virtual_alarm *heap[HEAP];
static struct alarm_driver drv;
static struct harness_process hp[2];

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw, 0), VMUX_SUCCESS);
    alarm_mux_init(&mux, &hw.hil, heap, HEAP);
    alarm_driver_init(&drv, &mux);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    assert_non_null(harness_spawn(&hp[0], "alpha", RESTART_NEVER));
    assert_non_null(harness_spawn(&hp[1], "beta", RESTART_NEVER));
    td_subscribe(&hp[0], ALARM_DRIVER_NUM, ALARM_UPCALL_FIRED);
    td_subscribe(&hp[1], ALARM_DRIVER_NUM, ALARM_UPCALL_FIRED);
    return 0;
}

static struct syscall_return alarm(unsigned i, uint32_t cmd, syscall_reg_t a, syscall_reg_t b)
{
    return td_command(&hp[i], ALARM_DRIVER_NUM, cmd, a, b);
}

static void expect_fired(unsigned i, uint32_t now, uint32_t expiration)
{
    td_expect_upcall(&hp[i], ALARM_DRIVER_NUM, ALARM_UPCALL_FIRED, now, expiration, 0);
}

/* ------------------------------------------------------------ commands */

static void alarm_frequency_and_counter_are_the_hardware_ones(void **state)
{
    (void)state;
    td_assert_success(alarm(0, 0, 0, 0));
    td_assert_u32(alarm(0, ALARM_CMD_FREQUENCY, 0, 0), SIM_ALARM_DEFAULT_HZ);
    td_assert_u32(alarm(0, ALARM_CMD_NOW, 0, 0), 0);
    sim_advance(1234 * US);
    td_assert_u32(alarm(0, ALARM_CMD_NOW, 0, 0), 1234);
    td_assert_u32(alarm(1, ALARM_CMD_NOW, 0, 0), 1234);
}

static void alarm_set_relative_fires_once_with_now_and_expiration(void **state)
{
    (void)state;
    sim_advance(100 * US);
    td_assert_u32(alarm(0, ALARM_CMD_SET_RELATIVE, 1000, 0), 1100);
    sim_advance(999 * US);
    assert_int_equal(td_pending(&hp[0]), 0); /* never early */
    sim_advance(1 * US);
    expect_fired(0, 1100, 1100);
    sim_advance(5000 * US);
    assert_int_equal(td_pending(&hp[0]), 0); /* once */
    assert_int_equal(alarm_mux_armed_count(&mux), 0);
}

static void alarm_set_absolute_counts_from_the_reference(void **state)
{
    (void)state;
    sim_advance(500 * US);
    td_assert_u32(alarm(0, ALARM_CMD_SET_ABSOLUTE, 200, 1000), 1200);
    sim_advance(699 * US);
    assert_int_equal(td_pending(&hp[0]), 0);
    sim_advance(1 * US);
    expect_fired(0, 1200, 1200);
    /* a deadline already past fires at once */
    td_assert_u32(alarm(0, ALARM_CMD_SET_ABSOLUTE, 0, 100), 100);
    sim_advance(0);
    expect_fired(0, 1200, 100);
}

static void alarm_stop_cancels_and_answers_already_when_none_is_set(void **state)
{
    (void)state;
    td_assert_failure(alarm(0, ALARM_CMD_STOP, 0, 0), VMUX_ALREADY);
    alarm(0, ALARM_CMD_SET_RELATIVE, 1000, 0);
    td_assert_success(alarm(0, ALARM_CMD_STOP, 0, 0));
    assert_int_equal(alarm_mux_armed_count(&mux), 0);
    sim_advance(2000 * US);
    assert_int_equal(td_pending(&hp[0]), 0);
    td_assert_failure(alarm(0, ALARM_CMD_STOP, 0, 0), VMUX_ALREADY);
    /* after it fired, nothing is set any more */
    alarm(0, ALARM_CMD_SET_RELATIVE, 10, 0);
    sim_advance(10 * US);
    assert_int_equal(td_pending(&hp[0]), 1);
    td_assert_failure(alarm(0, ALARM_CMD_STOP, 0, 0), VMUX_ALREADY);
}

static void alarm_set_replaces_the_pending_alarm(void **state)
{
    (void)state;
    alarm(0, ALARM_CMD_SET_RELATIVE, 1000, 0);
    td_assert_u32(alarm(0, ALARM_CMD_SET_RELATIVE, 3000, 0), 3000);
    assert_int_equal(alarm_mux_armed_count(&mux), 1);
    sim_advance(2999 * US);
    assert_int_equal(td_pending(&hp[0]), 0);
    sim_advance(1 * US);
    expect_fired(0, 3000, 3000);
    assert_int_equal(td_pending(&hp[0]), 0);
}

static void alarm_dt_beyond_half_the_counter_is_served_whole(void **state)
{
    (void)state;
    uint32_t dt = 0xc0000000u; /* more than ALARM_DT_MAX ticks */
    td_assert_u32(alarm(0, ALARM_CMD_SET_RELATIVE, dt, 0), dt);
    sim_advance((uint64_t)ALARM_DT_MAX * US);
    assert_int_equal(td_pending(&hp[0]), 0);
    sim_advance((uint64_t)(dt - ALARM_DT_MAX - 1) * US);
    assert_int_equal(td_pending(&hp[0]), 0);
    sim_advance(1 * US);
    expect_fired(0, dt, dt);
}

static void alarm_old_set_and_unknown_commands_are_nosupport(void **state)
{
    (void)state;
    td_assert_failure(alarm(0, 4, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(alarm(0, 7, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(alarm(0, 0x1000, 0, 0), VMUX_NOSUPPORT);
}

static void alarm_set_fails_with_nomem_when_the_mux_heap_is_full(void **state)
{
    (void)state;
    static struct virtual_alarm kernel_alarms[HEAP];
    for (unsigned i = 0; i < HEAP; i++) {
        virtual_alarm_init(&kernel_alarms[i], &mux);
        assert_int_equal(hil_alarm_set(&kernel_alarms[i].hil, 0, 100000), VMUX_SUCCESS);
    }
    td_assert_failure(alarm(0, ALARM_CMD_SET_RELATIVE, 10, 0), VMUX_NOMEM);
    td_assert_failure(alarm(0, ALARM_CMD_STOP, 0, 0), VMUX_ALREADY); /* nothing was set */
    hil_alarm_disarm(&kernel_alarms[0].hil);
    td_assert_u32(alarm(0, ALARM_CMD_SET_RELATIVE, 10, 0), 10);
    for (unsigned i = 1; i < HEAP; i++)
        hil_alarm_disarm(&kernel_alarms[i].hil);
}

/* ------------------------------------------------------------ isolation */

static void alarm_each_process_has_its_own_alarm(void **state)
{
    (void)state;
    alarm(0, ALARM_CMD_SET_RELATIVE, 1000, 0);
    alarm(1, ALARM_CMD_SET_RELATIVE, 2000, 0);
    assert_int_equal(alarm_mux_armed_count(&mux), 2);
    td_assert_success(alarm(1, ALARM_CMD_STOP, 0, 0)); /* stops only beta's */
    alarm(1, ALARM_CMD_SET_RELATIVE, 2000, 0);
    sim_advance(1000 * US);
    assert_int_equal(td_pending(&hp[1]), 0);
    expect_fired(0, 1000, 1000);
    sim_advance(1000 * US);
    expect_fired(1, 2000, 2000);
    assert_int_equal(td_pending(&hp[0]), 0);
}

static void lifecycle_process_end_releases_mux_resources(void **state)
{
    (void)state;
    alarm(0, ALARM_CMD_SET_RELATIVE, 1000, 0);
    alarm(1, ALARM_CMD_SET_RELATIVE, 2000, 0);
    td_end_long_life(&hp[0], true);
    assert_int_equal(alarm_mux_armed_count(&mux), 1); /* alpha's is disarmed */
    hp[0].upcall_count = 0;
    /* a new life of alpha inherits nothing */
    assert_int_equal(process_start(test_board_cap_process_management(), hp[0].process),
                     VMUX_SUCCESS);
    assert_int_equal(hp[0].process->state, PROCESS_READY); /* a new life, at once */
    td_subscribe(&hp[0], ALARM_DRIVER_NUM, ALARM_UPCALL_FIRED);
    td_assert_failure(alarm(0, ALARM_CMD_STOP, 0, 0), VMUX_ALREADY);
    sim_advance(3000 * US);
    assert_int_equal(hp[0].upcall_count, 0);
    assert_int_equal(td_pending(&hp[0]), 0);
    expect_fired(1, 2000, 2000);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(alarm_frequency_and_counter_are_the_hardware_ones),
        T(alarm_set_relative_fires_once_with_now_and_expiration),
        T(alarm_set_absolute_counts_from_the_reference),
        T(alarm_stop_cancels_and_answers_already_when_none_is_set),
        T(alarm_set_replaces_the_pending_alarm),
        T(alarm_dt_beyond_half_the_counter_is_served_whole),
        T(alarm_old_set_and_unknown_commands_are_nosupport),
        T(alarm_set_fails_with_nomem_when_the_mux_heap_is_full),
        T(alarm_each_process_has_its_own_alarm),
        T(lifecycle_process_end_releases_mux_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
