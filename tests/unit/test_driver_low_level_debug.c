/* Low-level debug driver 0x8 through scripted processes, writing into a
 * sink the test controls (how much room it has, what it was given):
 * every command, Tock's text with the process's name, split phase, a
 * flooding process losing only its own lines (counted, reported in
 * order), round robin between processes, waiting for room rather than
 * losing lines, and what a process's end does with its queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/drivers/low_level_debug_driver.h"
#include "chips/sim/sim.h"
#include "kernel/deferred.h"
#include "kernel/fmt.h"
#include "tests/unit/test_driver_common.h"

#define LLD LOW_LEVEL_DEBUG_DRIVER_NUM

static struct low_level_debug_driver drv;
static struct harness_process hp[2];

/* The sink: room the test sets, lines it keeps. */
static size_t room_left;
static char lines[64][LOW_LEVEL_DEBUG_LINE_MAX];
static unsigned line_count;

static size_t sink_room(struct low_level_debug_sink *self)
{
    (void)self;
    return room_left;
}

static void sink_write(struct low_level_debug_sink *self, const char *fmt, va_list ap)
{
    (void)self;
    char line[2 * LOW_LEVEL_DEBUG_LINE_MAX];
    size_t len = (size_t)vmux_vsnprintf(line, sizeof line, fmt, ap);
    assert_true(len < LOW_LEVEL_DEBUG_LINE_MAX);
    assert_true(len <= room_left);
    assert_int_equal(line[len - 1], '\n');
    room_left -= len;
    if (line_count < 64)
        memcpy(lines[line_count++], line, len + 1);
}

static struct low_level_debug_sink sink = { sink_room, sink_write };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    room_left = 1u << 20;
    line_count = 0;
    assert_int_equal(low_level_debug_driver_init(&drv, &sink), VMUX_SUCCESS);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    assert_non_null(harness_spawn(&hp[0], "alpha", RESTART_NEVER));
    assert_non_null(harness_spawn(&hp[1], "beta", RESTART_NEVER));
    return 0;
}

static struct syscall_return lld(unsigned i, uint32_t cmd, syscall_reg_t a, syscall_reg_t b)
{
    return td_command(&hp[i], LLD, cmd, a, b);
}

static void expect_line(unsigned k, const char *text)
{
    assert_true(k < line_count);
    assert_string_equal(lines[k], text);
}

/* ------------------------------------------------------------ format */

static void lld_commands_print_tocks_text_with_the_process_name(void **state)
{
    (void)state;
    td_assert_success(lld(0, 0, 0, 0)); /* exists */
    td_assert_failure(lld(0, 4, 1, 2), VMUX_NOSUPPORT);
    td_assert_failure(lld(0, 0xffffffffu, 1, 2), VMUX_NOSUPPORT);
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_ALERT, 1, 0));
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, 0x2a, 0x77));
    td_assert_success(lld(1, LOW_LEVEL_DEBUG_CMD_PRINT2, 0xdeadbeef, 0));
    assert_int_equal(line_count, 0); /* split phase: written from the loop */
    sim_settle();
    assert_int_equal(line_count, 3);
    /* round robin: beta's line between alpha's two */
    expect_line(0, "LowLevelDebug: App alpha alert code 0x1\n");
    expect_line(1, "LowLevelDebug: App beta prints 0xdeadbeef 0x0\n");
    expect_line(2, "LowLevelDebug: App alpha prints 0x2a\n");
    assert_int_equal(drv.counters.entries.n[TALLY_DELIVERED], 3);
    /* numbers as wide as the registers (64 bits on the host board) */
    syscall_reg_t wide = (syscall_reg_t)UINTPTR_MAX;
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, wide, 0));
    sim_settle();
    char want[LOW_LEVEL_DEBUG_LINE_MAX];
    snprintf(want, sizeof want, "LowLevelDebug: App alpha prints 0x%lx\n", (unsigned long)wide);
    expect_line(3, want);
    /* no upcalls, no allows */
    struct syscall_return r = harness_call(&hp[0], SYSCALL_SUBSCRIBE, LLD, 0, 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE_2U32);
    assert_int_equal(r.r[1], VMUX_INVALID);
    r = harness_call(&hp[0], SYSCALL_ALLOW_RO, LLD, 0, 0, 0);
    assert_int_equal(r.r[1], VMUX_INVALID);
}

/* ------------------------------------------------------------ floods */

/* Alpha floods; beta prints two numbers. Beta loses nothing and waits
 * at most one of alpha's lines per line of its own; alpha loses what did
 * not fit its queue, and one line says how many, after the ones it kept. */
static void availability_lld_flood_loses_only_the_flooders_lines(void **state)
{
    (void)state;
    room_left = 0; /* the channel is busy: nothing goes out yet */
    for (unsigned k = 0; k < 100; k++)
        td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, k, 0));
    td_assert_success(lld(1, LOW_LEVEL_DEBUG_CMD_PRINT1, 1000, 0));
    td_assert_success(lld(1, LOW_LEVEL_DEBUG_CMD_PRINT1, 1001, 0));
    sim_settle();
    assert_int_equal(line_count, 0);
    assert_int_equal(drv.counters.entries.n[TALLY_REFUSED], 100 - LOW_LEVEL_DEBUG_QUEUE);
    /* the channel drains, a line's room at a time */
    for (unsigned turn = 0; turn < 20; turn++) {
        room_left = LOW_LEVEL_DEBUG_LINE_MAX;
        low_level_debug_driver_sink_ready(&drv);
        sim_settle();
    }
    assert_int_equal(line_count, LOW_LEVEL_DEBUG_QUEUE + 1 + 2);
    expect_line(0, "LowLevelDebug: App alpha prints 0x0\n");
    expect_line(1, "LowLevelDebug: App beta prints 0x3e8\n");
    expect_line(2, "LowLevelDebug: App alpha prints 0x1\n");
    expect_line(3, "LowLevelDebug: App beta prints 0x3e9\n");
    expect_line(4, "LowLevelDebug: App alpha prints 0x2\n");
    expect_line(5, "LowLevelDebug: App alpha prints 0x3\n");
    expect_line(6, "LowLevelDebug: Dropped 0x60 entries for app alpha\n");
    /* after the report, alpha's lines are queued again */
    room_left = 1u << 20;
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, 7, 0));
    sim_settle();
    expect_line(7, "LowLevelDebug: App alpha prints 0x7\n");
    assert_int_equal(drv.counters.entries.n[TALLY_DELIVERED], 7);
    assert_int_equal(drv.counters.drop_reports, 1);
    /* conservation: 103 entries asked for, each written or dropped */
    assert_int_equal(drv.counters.entries.n[TALLY_TAKEN], 103);
    assert_int_equal(tally_in_flight(&drv.counters.entries), 0);
}

/* Once an entry is lost, the ones after it are lost too until the
 * report is out: the lines read in the order things happened. */
static void lld_drops_are_reported_in_order(void **state)
{
    (void)state;
    room_left = 0;
    for (unsigned k = 0; k < LOW_LEVEL_DEBUG_QUEUE + 1; k++)
        td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, k, 0));
    room_left = LOW_LEVEL_DEBUG_LINE_MAX; /* one line out: the queue has room again */
    sim_settle();
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, 0x99, 0)); /* after the loss: lost */
    room_left = 1u << 20;
    sim_settle();
    assert_int_equal(line_count, LOW_LEVEL_DEBUG_QUEUE + 1);
    expect_line(LOW_LEVEL_DEBUG_QUEUE, "LowLevelDebug: Dropped 0x2 entries for app alpha\n");
    assert_int_equal(drv.counters.entries.n[TALLY_REFUSED], 2);
}

/* A line never goes to a sink without room for the longest line. */
static void lld_waits_for_room_rather_than_losing_lines(void **state)
{
    (void)state;
    room_left = LOW_LEVEL_DEBUG_LINE_MAX - 1;
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_PRINT1, 5, 0));
    sim_settle();
    assert_int_equal(line_count, 0);
    room_left = LOW_LEVEL_DEBUG_LINE_MAX;
    low_level_debug_driver_sink_ready(&drv);
    sim_settle();
    expect_line(0, "LowLevelDebug: App alpha prints 0x5\n");
    assert_int_equal(drv.counters.entries.n[TALLY_REFUSED], 0);
}

/* ------------------------------------------------------------ ends */

/* A process that prints and then dies: its lines still go out when
 * there is room; those that cannot are counted. */
static void lifecycle_lld_lines_of_an_ended_process(void **state)
{
    (void)state;
    room_left = 0;
    td_assert_success(lld(0, LOW_LEVEL_DEBUG_CMD_ALERT, 1, 0));
    td_assert_success(lld(1, LOW_LEVEL_DEBUG_CMD_PRINT1, 9, 0));
    td_assert_success(lld(1, LOW_LEVEL_DEBUG_CMD_PRINT1, 10, 0));
    room_left = LOW_LEVEL_DEBUG_LINE_MAX;
    process_end(hp[0].process, true, -1);
    expect_line(0, "LowLevelDebug: App alpha alert code 0x1\n");
    room_left = 0;
    process_end(hp[1].process, true, -1);
    assert_int_equal(line_count, 1);
    assert_int_equal(drv.counters.entries.n[TALLY_DEPARTED], 2);
    assert_int_equal(tally_in_flight(&drv.counters.entries), 0);
    /* the grants are gone: nothing more is written */
    room_left = 1u << 20;
    low_level_debug_driver_sink_ready(&drv);
    sim_settle();
    assert_int_equal(line_count, 1);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(lld_commands_print_tocks_text_with_the_process_name),
        T(availability_lld_flood_loses_only_the_flooders_lines),
        T(lld_drops_are_reported_in_order),
        T(lld_waits_for_room_rather_than_losing_lines),
        T(lifecycle_lld_lines_of_an_ended_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
