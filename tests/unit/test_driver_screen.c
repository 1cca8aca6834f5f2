/* The screen syscall driver 0x90001 through scripted processes over the
 * simulated screen: a process without a window has no screen (NODEVICE,
 * counted); a process sees its window as its screen (resolution, frames
 * in window coordinates) with Tock's commands, allow and upcall; a
 * process writing outside its window leaves every other window
 * unchanged; a long write is served a chunk per turn, so a flooding
 * process does not hold up the others; the grant's buffer is wiped; a
 * process ended in the middle of a write leaves no upcall and the
 * others go on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/drivers/screen_driver.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_screen.h"
#include "tests/unit/test_driver_common.h"

#define SCREEN SCREEN_DRIVER_NUM
#define MS 1000000ull
#define TIMEOUT_US 20000u
#define BUF 0u

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_screen panel;
static struct client_entry *slots[8];
static uint32_t rr_bits[RR_WORDS(8)];
static struct screen_mux mux;
static struct screen_driver drv;

enum { ALPHA, BETA, GAMMA, NPROC };
static struct harness_process hp[NPROC];
static const char *const names[NPROC] = { "alpha", "beta", "gamma" };

/* alpha the left half below the strip, beta the right; gamma nothing. */
static const struct screen_window windows[] = {
    { "status", { 0, 0, 128, 8 }, NULL },
    { "alpha", { 0, 8, 64, 56 }, "alpha" },
    { "beta", { 64, 8, 64, 56 }, "beta" },
};

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    assert_int_equal(sim_screen_init(&panel), VMUX_SUCCESS);
    assert_int_equal(screen_mux_init(&mux, &panel.hil, slots, rr_bits, 8, &watchdog.hil,
                                     TIMEOUT_US), VMUX_SUCCESS);
    screen_driver_init(&drv, &mux, test_board_cap_screen_window(), windows, 3);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    for (unsigned i = 0; i < NPROC; i++) {
        assert_non_null(harness_spawn(&hp[i], names[i], RESTART_NEVER));
        td_subscribe(&hp[i], SCREEN, 0);
    }
    return 0;
}

static struct syscall_return cmd(unsigned i, uint32_t c, syscall_reg_t a, syscall_reg_t b)
{
    return td_command(&hp[i], SCREEN, c, a, b);
}

/* Power the process's window on and take the upcall. */
static void power_on(unsigned i)
{
    td_assert_success(cmd(i, SCREEN_CMD_POWER, 1, 0));
    sim_advance(1 * MS);
    td_expect_upcall(&hp[i], SCREEN, 0, 0, 0, 0);
}

static uint8_t snapshot[SIM_SCREEN_HEIGHT][SIM_SCREEN_WIDTH];

static void take_snapshot(void)
{
    for (unsigned y = 0; y < SIM_SCREEN_HEIGHT; y++)
        for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++)
            snapshot[y][x] = (uint8_t)sim_screen_pixel(&panel, x, y);
}

/* Every pixel outside window w as in the snapshot. */
static bool others_unchanged(const struct screen_window *w)
{
    const struct hil_screen_rect *r = &w->rect;
    for (unsigned y = 0; y < SIM_SCREEN_HEIGHT; y++)
        for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++) {
            bool inside = x >= r->x && x < r->x + r->width && y >= r->y &&
                          y < (unsigned)r->y + r->height;
            if (!inside && sim_screen_pixel(&panel, x, y) != snapshot[y][x])
                return false;
        }
    return true;
}

static bool ram_holds(unsigned i, const uint8_t *pattern, size_t len)
{
    for (size_t at = 0; at + len <= HARNESS_RAM; at++)
        if (memcmp(&hp[i].ram[at], pattern, len) == 0)
            return true;
    return false;
}

/* gamma has no window: no screen (command 0 says only that the board
 * has the driver). */
static void confidentiality_screen_process_without_window_gets_nodevice(void **state)
{
    (void)state;
    td_assert_success(cmd(GAMMA, 0, 0, 0));
    td_assert_failure(cmd(GAMMA, SCREEN_CMD_RESOLUTION, 0, 0), VMUX_NODEVICE);
    td_assert_failure(cmd(GAMMA, SCREEN_CMD_POWER, 1, 0), VMUX_NODEVICE);
    td_assert_failure(cmd(GAMMA, SCREEN_CMD_FILL, 0, 0), VMUX_NODEVICE);
    td_assert_failure(cmd(GAMMA, SCREEN_CMD_PIXEL_FORMAT, 0, 0), VMUX_NODEVICE);
    assert_int_equal(drv.nodevice, 4);
    td_assert_success(cmd(ALPHA, 0, 0, 0));
    sim_advance(1 * MS);
    assert_int_equal(td_pending(&hp[GAMMA]), 0);
    assert_int_equal(panel.counters.requests, 0);
}

/* Tock's commands, restricted to the window: the resolution is alpha's
 * window's, the frame in window coordinates, the upcall (status, 0, 0). */
static void tock_screen_commands_in_window_coordinates(void **state)
{
    (void)state;
    struct syscall_return r = cmd(ALPHA, SCREEN_CMD_RESOLUTION, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
    assert_int_equal(r.r[1], 64);
    assert_int_equal(r.r[2], 56);
    td_assert_u32(cmd(ALPHA, SCREEN_CMD_PIXEL_FORMAT, 0, 0), HIL_SCREEN_GREY4);
    td_assert_u32(cmd(ALPHA, SCREEN_CMD_SETUP, 0, 0), 0);
    td_assert_u32(cmd(ALPHA, SCREEN_CMD_ROTATION, 0, 0), 0);
    td_assert_failure(cmd(ALPHA, 4, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(cmd(ALPHA, 24, 10, 10), VMUX_NOSUPPORT);
    hp[ALPHA].ram[BUF] = 0xab;
    td_allow(&hp[ALPHA], true, SCREEN, 0, BUF, 1);
    td_assert_failure(cmd(ALPHA, SCREEN_CMD_WRITE, 1, 0), VMUX_OFF); /* not powered yet */
    power_on(ALPHA);
    td_assert_success(cmd(ALPHA, SCREEN_CMD_SET_FRAME, 10u << 16 | 20u, 2u << 16 | 1u));
    td_expect_upcall(&hp[ALPHA], SCREEN, 0, 0, 0, 0);
    td_assert_success(cmd(ALPHA, SCREEN_CMD_WRITE, 1, 0));
    td_assert_failure(cmd(ALPHA, SCREEN_CMD_WRITE, 1, 0), VMUX_BUSY);
    sim_advance(1 * MS);
    td_expect_upcall(&hp[ALPHA], SCREEN, 0, 0, 0, 0);
    assert_int_equal(sim_screen_pixel(&panel, 10, 28), 0xa);
    assert_int_equal(sim_screen_pixel(&panel, 11, 28), 0xb);
    /* fill: the frame with the allow's first pixel */
    hp[ALPHA].ram[BUF] = 0x70;
    td_assert_success(cmd(ALPHA, SCREEN_CMD_FILL, 0, 0));
    sim_advance(1 * MS);
    td_expect_upcall(&hp[ALPHA], SCREEN, 0, 0, 0, 0);
    assert_int_equal(sim_screen_pixel(&panel, 10, 28), 7);
    assert_int_equal(sim_screen_pixel(&panel, 11, 28), 7);
    td_allow(&hp[ALPHA], true, SCREEN, 0, BUF, 0);
    td_assert_failure(cmd(ALPHA, SCREEN_CMD_WRITE, 1, 0), VMUX_NOMEM);
    td_assert_failure(cmd(ALPHA, SCREEN_CMD_FILL, 0, 0), VMUX_NOMEM);
}

/* alpha tries every way out of its window: frames past each edge,
 * writes past its frame. Each is refused at once, and beta's window and
 * the strip keep every pixel. */
static void confidentiality_screen_process_writing_outside_its_window_leaves_others_unchanged(
    void **state)
{
    (void)state;
    power_on(ALPHA);
    power_on(BETA);
    td_fill(&hp[BETA], BUF, 0x55, 64);
    td_allow(&hp[BETA], true, SCREEN, 0, BUF, 64);
    td_assert_success(cmd(BETA, SCREEN_CMD_WRITE, 64, 0));
    sim_advance(1 * MS);
    td_expect_upcall(&hp[BETA], SCREEN, 0, 0, 0, 0);
    take_snapshot();
    td_fill(&hp[ALPHA], BUF, 0xff, 512);
    td_allow(&hp[ALPHA], true, SCREEN, 0, BUF, 512);
    static const uint32_t frames[][2] = {
        { 64u << 16 | 0, 1u << 16 | 1 },   /* x at beta's */
        { 60u << 16 | 0, 8u << 16 | 1 },   /* reaching into beta's */
        { 0, 1u << 16 | 57 },              /* below the window */
        { 0xffffu << 16 | 0, 2u << 16 | 1 },
        { 0, 0 },
    };
    for (unsigned k = 0; k < sizeof frames / sizeof frames[0]; k++)
        td_assert_failure(cmd(ALPHA, SCREEN_CMD_SET_FRAME, frames[k][0], frames[k][1]),
                          VMUX_INVALID);
    td_assert_success(cmd(ALPHA, SCREEN_CMD_SET_FRAME, 62u << 16 | 54u, 2u << 16 | 2u));
    td_expect_upcall(&hp[ALPHA], SCREEN, 0, 0, 0, 0);
    td_assert_failure(cmd(ALPHA, SCREEN_CMD_WRITE, 3, 0), VMUX_SIZE); /* 6 pixels in 4 */
    td_assert_failure(cmd(ALPHA, SCREEN_CMD_WRITE, 512, 0), VMUX_SIZE);
    assert_int_equal(drv.size, 2);
    sim_advance(5 * MS);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    assert_int_equal(mux.counters.outside, 5);
    assert_true(others_unchanged(&windows[1]));
    td_assert_success(cmd(ALPHA, SCREEN_CMD_WRITE, 2, 0)); /* its corner, to the edge */
    sim_advance(1 * MS);
    td_expect_upcall(&hp[ALPHA], SCREEN, 0, 0, 0, 0);
    assert_true(others_unchanged(&windows[1]));
    assert_int_equal(sim_screen_pixel(&panel, 63, 63), 15);
    assert_int_equal(sim_screen_pixel(&panel, 64, 8), 5);
}

/* alpha's long write goes a chunk per turn: beta's write, asked for
 * after it, ends long before it. The grant's copy is wiped. */
static void availability_screen_long_write_does_not_hold_up_the_others(void **state)
{
    (void)state;
    power_on(ALPHA);
    power_on(BETA);
    td_fill(&hp[ALPHA], BUF, 0x99, 1024);
    td_allow(&hp[ALPHA], true, SCREEN, 0, BUF, 1024);
    td_fill(&hp[BETA], BUF, 0x33, 8);
    td_allow(&hp[BETA], true, SCREEN, 0, BUF, 8);
    td_assert_success(cmd(ALPHA, SCREEN_CMD_WRITE, 1024, 0));
    sim_advance(100000); /* its first chunks */
    td_assert_success(cmd(BETA, SCREEN_CMD_WRITE, 8, 0));
    uint64_t start = sim_now_ns();
    while (td_pending(&hp[BETA]) == 0)
        sim_advance(10000);
    assert_true(sim_now_ns() - start < 3u * SCREEN_DRIVER_CHUNK * SIM_SCREEN_NS_PER_BYTE);
    assert_int_equal(td_pending(&hp[ALPHA]), 0); /* still writing */
    td_expect_upcall(&hp[BETA], SCREEN, 0, 0, 0, 0);
    sim_advance(10 * MS);
    td_expect_upcall(&hp[ALPHA], SCREEN, 0, 0, 0, 0);
    assert_int_equal(sim_screen_pixel(&panel, 0, 8), 9);
    assert_int_equal(sim_screen_pixel(&panel, 63, 8 + 31), 9);   /* 2048 pixels: 32 rows */
    assert_int_equal(sim_screen_pixel(&panel, 0, 8 + 32), 0);
    assert_int_equal(sim_screen_pixel(&panel, 64 + 15, 8), 3);
    td_fill(&hp[ALPHA], BUF, 0, 1024);
    static const uint8_t pattern[8] = { 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99 };
    assert_false(ram_holds(ALPHA, pattern, sizeof pattern)); /* not in the grant */
}

/* alpha ends in the middle of a long write: the screen's request is
 * aborted, no upcall is left, beta's write goes on. */
static void departure_screen_process_ended_mid_write_others_go_on(void **state)
{
    (void)state;
    power_on(ALPHA);
    power_on(BETA);
    td_allow(&hp[ALPHA], true, SCREEN, 0, BUF, 1024);
    td_allow(&hp[BETA], true, SCREEN, 0, BUF, 8);
    td_assert_success(cmd(ALPHA, SCREEN_CMD_WRITE, 1024, 0));
    td_assert_success(cmd(BETA, SCREEN_CMD_WRITE, 8, 0));
    sim_settle();
    process_end(hp[ALPHA].process, false, 0);
    sim_advance(20 * MS);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    td_expect_upcall(&hp[BETA], SCREEN, 0, 0, 0, 0);
    assert_int_equal(mux.bus.counters.timeouts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(confidentiality_screen_process_without_window_gets_nodevice,
                               setup),
        cmocka_unit_test_setup(tock_screen_commands_in_window_coordinates, setup),
        cmocka_unit_test_setup(
            confidentiality_screen_process_writing_outside_its_window_leaves_others_unchanged,
            setup),
        cmocka_unit_test_setup(availability_screen_long_write_does_not_hold_up_the_others, setup),
        cmocka_unit_test_setup(departure_screen_process_ended_mid_write_others_go_on, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
