/* Screen mux over the simulated 128 x 64 screen: every client in its own
 * window. A client draws only inside its window, in window coordinates;
 * a frame or a write reaching outside is refused and changes no pixel;
 * a buffer comes back to its own client only; the board's capability
 * and non-overlapping windows; flushes served round robin, a flooding
 * client delaying nobody more than N-1 turns; nobody can power off or
 * dim another's window; a hung screen and a departing client hurt only
 * their own client; every refusal counted. Time moves only with
 * sim_advance(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/screen_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_screen.h"

#define MS 1000000ull
#define TIMEOUT_US 20000u
#define N 8
#define LOG_MAX 256

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_screen panel;
static struct screen_mux mux;
static struct client_entry *slots[N + 1];
static uint32_t rr_bits[RR_WORDS(N + 1)];

/* Eight windows of 32 x 32: two rows of four. */
static struct screen_window windows[N];

static struct user {
    struct screen_client c;
    uint8_t pixels[32 * 32 / 2];
    unsigned done;
    vmux_err_t status;
    const uint8_t *back;        /* the buffer done() handed back */
    bool again;                 /* queue the next write from the callback */
} users[N];

static bool in_request;
static unsigned order[LOG_MAX];
static unsigned order_count;

static unsigned user_index(struct screen_client *c)
{
    return (unsigned)(container_of(c, struct user, c) - users);
}

static void done(struct screen_client *c, const uint8_t *buf, size_t len, vmux_err_t status)
{
    assert_false(in_request);
    unsigned i = user_index(c);
    struct user *u = &users[i];
    (void)len;
    u->done++;
    u->status = status;
    u->back = buf;
    if (order_count < LOG_MAX)
        order[order_count++] = i;
    if (u->again)
        assert_int_equal(screen_mux_write(c, u->pixels, sizeof u->pixels, false), VMUX_SUCCESS);
}

static const struct screen_client_ops user_ops = { done };

static void run(void)
{
    sim_advance(50 * MS);
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    assert_int_equal(sim_screen_init(&panel), VMUX_SUCCESS);
    assert_int_equal(screen_mux_init(&mux, &panel.hil, slots, rr_bits, N + 1, &watchdog.hil,
                                     TIMEOUT_US),
                     VMUX_SUCCESS);
    memset(users, 0, sizeof users);
    order_count = 0;
    for (unsigned i = 0; i < N; i++) {
        windows[i] = (struct screen_window){ "w", { (uint16_t)(32 * (i % 4)),
                                                    (uint16_t)(32 * (i / 4)), 32, 32 }, NULL };
        assert_int_equal(screen_mux_attach(&mux, &users[i].c, client_process(i + 1, 1),
                                           test_board_cap_screen_window(), &windows[i], &user_ops),
                         VMUX_SUCCESS);
        memset(users[i].pixels, 0x11 * (int)(i + 1), sizeof users[i].pixels);
        assert_int_equal(screen_mux_set_power(&users[i].c, true), VMUX_SUCCESS);
    }
    run();
    for (unsigned i = 0; i < N; i++)
        assert_int_equal(users[i].status, VMUX_SUCCESS);
    assert_true(panel.powered);
    for (unsigned i = 0; i < N; i++) {
        users[i].done = 0;
        memset(users[i].pixels, 0x11 * (int)(i + 1), sizeof users[i].pixels);
    }
    order_count = 0;
    return 0;
}

static vmux_err_t write_all(unsigned i)
{
    in_request = true;
    vmux_err_t err = screen_mux_write(&users[i].c, users[i].pixels, sizeof users[i].pixels, false);
    in_request = false;
    return err;
}

static uint8_t snapshot[SIM_SCREEN_HEIGHT][SIM_SCREEN_WIDTH];

static void take_snapshot(void)
{
    for (unsigned y = 0; y < SIM_SCREEN_HEIGHT; y++)
        for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++)
            snapshot[y][x] = (uint8_t)sim_screen_pixel(&panel, x, y);
}

static bool unchanged_outside(const struct hil_screen_rect *r)
{
    for (unsigned y = 0; y < SIM_SCREEN_HEIGHT; y++)
        for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++) {
            bool inside = r && x >= r->x && x < r->x + r->width && y >= r->y &&
                          y < (unsigned)r->y + r->height;
            if (!inside && sim_screen_pixel(&panel, x, y) != snapshot[y][x])
                return false;
        }
    return true;
}

/* ------------------------------------------------------------ confidentiality */

/* Each client fills its whole window with its own grey (i + 1): each
 * window shows its client's and only its client's pixels. */
static void confidentiality_screen_each_window_shows_its_own_clients_pixels_only(void **state)
{
    (void)state;
    for (unsigned i = 0; i < N; i++)
        assert_int_equal(write_all(i), VMUX_SUCCESS);
    run();
    for (unsigned y = 0; y < SIM_SCREEN_HEIGHT; y++)
        for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++)
            assert_int_equal(sim_screen_pixel(&panel, x, y), 1 + x / 32 + 4 * (y / 32));
    for (unsigned i = 0; i < N; i++) {
        assert_int_equal(users[i].done, 1);
        assert_ptr_equal(users[i].back, users[i].pixels); /* its own buffer, back to it */
    }
    assert_int_equal(mux.counters.pixels, SIM_SCREEN_WIDTH * SIM_SCREEN_HEIGHT);
}

/* Window coordinates: client 5's (0, 0) is the screen's (32, 32). */
static void confidentiality_screen_frame_in_window_coordinates(void **state)
{
    (void)state;
    take_snapshot();
    struct user *u = &users[5];
    assert_int_equal(screen_mux_set_frame(&u->c, 3, 2, 4, 1), VMUX_SUCCESS);
    const uint8_t px[2] = { 0x12, 0x34 };
    assert_int_equal(screen_mux_write(&u->c, px, 2, false), VMUX_SUCCESS);
    run();
    for (unsigned k = 0; k < 4; k++)
        assert_int_equal(sim_screen_pixel(&panel, 32 + 3 + k, 32 + 2), k + 1);
    struct hil_screen_rect r = { 35, 34, 4, 1 };
    assert_true(unchanged_outside(&r));
}

/* A frame reaching outside the window, anywhere, is INVALID, counted,
 * and changes nothing: the frame kept, no pixel on the screen. */
static void confidentiality_screen_frame_outside_window_invalid_changes_nothing(void **state)
{
    (void)state;
    struct user *u = &users[1];
    assert_int_equal(screen_mux_set_frame(&u->c, 4, 4, 8, 8), VMUX_SUCCESS);
    take_snapshot();
    static const unsigned bad[][4] = {
        { 32, 0, 1, 1 }, { 0, 32, 1, 1 }, { 31, 0, 2, 1 }, { 0, 31, 1, 2 }, { 0, 0, 33, 1 },
        { 0, 0, 1, 33 }, { 0, 0, 0, 1 },  { 0, 0, 1, 0 },  { 65535, 0, 2, 1 },
        { 0, 0, 65536 + 1, 1 },
    };
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++)
        assert_int_equal(screen_mux_set_frame(&u->c, bad[k][0], bad[k][1], bad[k][2], bad[k][3]),
                         VMUX_INVALID);
    assert_int_equal(mux.counters.outside, sizeof bad / sizeof bad[0]);
    assert_int_equal(u->c.frame.x, 4);
    assert_int_equal(u->c.frame.width, 8);
    run();
    assert_true(unchanged_outside(NULL));
    /* and the next write goes to the frame kept, inside the window */
    assert_int_equal(screen_mux_fill(&u->c, 9), VMUX_SUCCESS);
    run();
    struct hil_screen_rect r = { 32 + 4, 4, 8, 8 };
    assert_true(unchanged_outside(&r));
    assert_int_equal(sim_screen_pixel(&panel, 36, 4), 9);
}

/* A write with more pixels than the frame has left is SIZE and changes
 * nothing; a continued write picks up where the last one ended and
 * cannot run past the frame either. */
static void confidentiality_screen_write_past_its_frame_refused(void **state)
{
    (void)state;
    struct user *u = &users[2];
    take_snapshot();
    assert_int_equal(screen_mux_set_frame(&u->c, 0, 0, 4, 2), VMUX_SUCCESS); /* 8 pixels */
    uint8_t px[5] = { 0x11, 0x22, 0x33, 0x44, 0x55 };
    assert_int_equal(screen_mux_write(&u->c, px, 5, false), VMUX_SIZE);
    assert_int_equal(screen_mux_write(&u->c, px, 0, false), VMUX_SIZE);
    run();
    assert_true(unchanged_outside(NULL));
    assert_int_equal(screen_mux_write(&u->c, px, 2, false), VMUX_SUCCESS);
    run();
    assert_int_equal(screen_mux_write(&u->c, px + 2, 3, true), VMUX_SIZE);
    assert_int_equal(screen_mux_write(&u->c, px + 2, 2, true), VMUX_SUCCESS);
    run();
    assert_int_equal(screen_mux_write(&u->c, px, 1, true), VMUX_SIZE); /* the frame is full */
    assert_int_equal(mux.counters.size, 4);
    struct hil_screen_rect r = { 64, 0, 4, 2 };
    assert_true(unchanged_outside(&r));
    assert_int_equal(sim_screen_pixel(&panel, 64, 0), 1);
    assert_int_equal(sim_screen_pixel(&panel, 67, 0), 2);
    assert_int_equal(sim_screen_pixel(&panel, 64, 1), 3);
    assert_int_equal(sim_screen_pixel(&panel, 67, 1), 4);
}

/* Only the board's capability attaches, and only a window of the
 * screen that no other client's overlaps. */
static void confidentiality_screen_windows_given_by_the_board_alone_never_overlap(void **state)
{
    (void)state;
    struct screen_client extra;
    memset(&extra, 0, sizeof extra);
    screen_mux_detach(&users[7].c);
    assert_int_equal(screen_mux_attach(&mux, &extra, client_process(20, 1), NULL, &windows[7],
                                       &user_ops),
                     VMUX_RESERVE);
    const struct screen_window over = { "over", { 20, 20, 20, 20 }, NULL };
    const struct screen_window beyond = { "beyond", { 100, 40, 29, 8 }, NULL };
    assert_int_equal(screen_mux_attach(&mux, &extra, client_process(20, 1),
                                       test_board_cap_screen_window(), &over, &user_ops),
                     VMUX_INVALID);
    assert_int_equal(screen_mux_attach(&mux, &extra, client_process(20, 1),
                                       test_board_cap_screen_window(), &beyond, &user_ops),
                     VMUX_INVALID);
    assert_int_equal(mux.counters.overlap, 2);
    /* the free window, and a second client of one window: the board's choice */
    assert_int_equal(screen_mux_attach(&mux, &extra, client_process(20, 1),
                                       test_board_cap_screen_window(), &windows[7], &user_ops),
                     VMUX_SUCCESS);
    assert_int_equal(screen_mux_attach(&mux, &users[7].c, client_process(21, 1),
                                       test_board_cap_screen_window(), &windows[7], &user_ops),
                     VMUX_SUCCESS);
}

/* ------------------------------------------------------------ availability */

/* Every client re-queues from its callback: the turns rotate through all
 * of them, one rectangle each. */
static void availability_screen_flushes_served_round_robin_one_rectangle_per_turn(void **s)
{
    (void)s;
    for (unsigned i = 0; i < N; i++) {
        users[i].again = true;
        assert_int_equal(write_all(i), VMUX_SUCCESS);
    }
    run();
    assert_true(order_count >= 3 * N);
    for (unsigned k = N; k < order_count; k++)
        assert_int_equal(order[k], order[k - N]);
    for (unsigned k = 0; k < N; k++)
        for (unsigned j = 0; j < k; j++)
            assert_int_not_equal(order[k], order[j]);
}

/* Client 0 floods (a new write from each callback): every other client's
 * one write is served within N-1 of its turns. */
static void availability_screen_flooding_client_delays_others_at_most_n_minus_1_turns(void **s)
{
    (void)s;
    users[0].again = true;
    assert_int_equal(write_all(0), VMUX_SUCCESS);
    sim_advance(5 * MS);
    assert_true(users[0].done > 4);
    unsigned before = order_count;
    for (unsigned i = 1; i < N; i++)
        assert_int_equal(write_all(i), VMUX_SUCCESS);
    run();
    for (unsigned i = 1; i < N; i++) {
        assert_int_equal(users[i].done, 1);
        unsigned at = before;
        while (order[at] != i)
            at++;
        assert_true(at - before < N); /* within N turns of its request */
    }
    for (unsigned x = 32; x < SIM_SCREEN_WIDTH; x++)
        assert_int_equal(sim_screen_pixel(&panel, x, 0), 1 + x / 32);
}

/* Power and brightness are each client's: the panel stays on while any
 * client wants it, at the brightest asked. */
static void availability_screen_no_client_powers_off_or_dims_another(void **state)
{
    (void)state;
    assert_int_equal(screen_mux_set_brightness(&users[0].c, 1000), VMUX_SUCCESS);
    for (unsigned i = 1; i < N; i++)
        assert_int_equal(screen_mux_set_power(&users[i].c, false), VMUX_SUCCESS);
    run();
    assert_true(panel.powered);
    assert_int_equal(panel.brightness, 1000);
    assert_int_equal(screen_mux_write(&users[1].c, users[1].pixels, 1, false), VMUX_OFF);
    assert_int_equal(mux.counters.off, 1);
    assert_int_equal(write_all(0), VMUX_SUCCESS);
    run();
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    assert_int_equal(sim_screen_pixel(&panel, 0, 0), 1);
    assert_int_equal(screen_mux_set_power(&users[0].c, false), VMUX_SUCCESS);
    run();
    assert_false(panel.powered); /* nobody wants it now */
}

/* A screen that never completes: the watchdog ends the request with FAIL
 * for its client alone, and the next clients are served. */
static void availability_screen_hung_request_fails_its_client_only(void **state)
{
    (void)state;
    panel.hang = true;
    assert_int_equal(write_all(3), VMUX_SUCCESS);
    sim_advance(1 * MS);
    panel.hang = false;
    assert_int_equal(write_all(4), VMUX_SUCCESS);
    run();
    assert_int_equal(users[3].status, VMUX_FAIL);
    assert_int_equal(users[4].status, VMUX_SUCCESS);
    assert_int_equal(mux.bus.counters.timeouts, 1);
    assert_int_equal(panel.counters.aborts, 1);
    assert_int_equal(sim_screen_pixel(&panel, 96, 0), 0);  /* 3's never landed */
    assert_int_equal(sim_screen_pixel(&panel, 0, 32), 5);
}

/* A client detached with its write on the screen: aborted, no callback,
 * the buffer let go; the others go on. */
static void availability_screen_departing_client_hurts_nobody_else(void **state)
{
    (void)state;
    assert_int_equal(write_all(2), VMUX_SUCCESS);
    assert_int_equal(write_all(6), VMUX_SUCCESS);
    kernel_loop_once(); /* 2's write starts */
    assert_true(panel.busy);
    screen_mux_detach(&users[2].c);
    assert_false(panel.busy);
    run();
    assert_int_equal(users[2].done, 0);
    assert_int_equal(users[6].done, 1);
    assert_int_equal(users[6].status, VMUX_SUCCESS);
    assert_int_equal(mux.bus.counters.ops.n[TALLY_DEPARTED], 1);
    assert_int_equal(screen_mux_write(&users[2].c, users[2].pixels, 1, false), VMUX_OFF);
}

/* ------------------------------------------------------------ refusals */

static void refusals_screen_counted_busy_bad_grey_and_not_attached(void **state)
{
    (void)state;
    assert_int_equal(write_all(0), VMUX_SUCCESS);
    assert_int_equal(write_all(0), VMUX_BUSY);
    assert_int_equal(screen_mux_fill(&users[0].c, 1), VMUX_BUSY);
    assert_int_equal(screen_mux_set_frame(&users[0].c, 0, 0, 1, 1), VMUX_BUSY);
    assert_int_equal(mux.counters.busy, 3);
    assert_int_equal(screen_mux_fill(&users[1].c, 16), VMUX_INVALID);
    assert_int_equal(screen_mux_write(&users[1].c, NULL, 1, false), VMUX_INVALID);
    assert_int_equal(mux.counters.invalid, 2);
    run();
    unsigned w, h;
    screen_mux_size(&users[1].c, &w, &h);
    assert_int_equal(w, 32);
    assert_int_equal(h, 32);
    screen_mux_detach(&users[1].c);
    screen_mux_size(&users[1].c, &w, &h);
    assert_int_equal(w, 0);
    assert_int_equal(screen_mux_set_frame(&users[1].c, 0, 0, 1, 1), VMUX_OFF);
    assert_int_equal(screen_mux_set_power(&users[1].c, true), VMUX_OFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(confidentiality_screen_each_window_shows_its_own_clients_pixels_only,
                               setup),
        cmocka_unit_test_setup(confidentiality_screen_frame_in_window_coordinates, setup),
        cmocka_unit_test_setup(confidentiality_screen_frame_outside_window_invalid_changes_nothing,
                               setup),
        cmocka_unit_test_setup(confidentiality_screen_write_past_its_frame_refused, setup),
        cmocka_unit_test_setup(
            confidentiality_screen_windows_given_by_the_board_alone_never_overlap, setup),
        cmocka_unit_test_setup(
            availability_screen_flushes_served_round_robin_one_rectangle_per_turn, setup),
        cmocka_unit_test_setup(
            availability_screen_flooding_client_delays_others_at_most_n_minus_1_turns, setup),
        cmocka_unit_test_setup(availability_screen_no_client_powers_off_or_dims_another, setup),
        cmocka_unit_test_setup(availability_screen_hung_request_fails_its_client_only, setup),
        cmocka_unit_test_setup(availability_screen_departing_client_hurts_nobody_else, setup),
        cmocka_unit_test_setup(refusals_screen_counted_busy_bad_grey_and_not_attached, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
