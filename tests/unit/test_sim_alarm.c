/* Simulated alarm: counter from the sim clock, exact deadlines across the
 * 32-bit wrap, never early, never missed, disarm and re-set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"

#define NS_PER_S 1000000000ull
#define WRAP_TICKS (1ull << 32)

/* Test-side reference conversions, written differently from the driver's
 * (128-bit products) so that the two check each other. */
static uint64_t ns_of_tick(uint64_t ticks, uint32_t hz)
{
    unsigned __int128 scaled = (unsigned __int128)ticks * NS_PER_S;
    return (uint64_t)((scaled + hz - 1) / hz);
}

static uint64_t tick_of_ns(uint64_t ns, uint32_t hz)
{
    return (uint64_t)((unsigned __int128)ns * hz / NS_PER_S);
}

/* The alarm under test and a client that checks each fire. */
static struct sim_alarm alarm;
static struct hil_alarm *hil = &alarm.hil;

static struct {
    struct hil_alarm_client client;
    unsigned fires;
    unsigned early;         /* fires with the deadline not yet passed */
    uint32_t reference;     /* the deadline the test expects */
    uint32_t dt;
    uint64_t fired_at_ns;
} watch;

static void on_fired(struct hil_alarm_client *self)
{
    (void)self;
    watch.fires++;
    watch.fired_at_ns = sim_now_ns();
    if (!alarm_expired(hil_alarm_now(hil), watch.reference, watch.dt))
        watch.early++;
}

static void start(uint32_t hz, uint64_t start_ns)
{
    test_board_reset(start_ns);
    assert_int_equal(sim_alarm_init(&alarm, hz), VMUX_SUCCESS);
    watch.client.fired = on_fired;
    watch.fires = 0;
    watch.early = 0;
    hil_alarm_set_client(hil, &watch.client);
}

static vmux_err_t set(uint32_t reference, uint32_t dt)
{
    watch.reference = reference;
    watch.dt = dt;
    return hil_alarm_set(hil, reference, dt);
}

/* Advance the virtual clock to the absolute time at_ns. */
static void advance_to(uint64_t at_ns)
{
    uint64_t now = sim_now_ns();
    assert_true(at_ns >= now);
    sim_advance(at_ns - now);
}

static void default_frequency_is_one_megahertz(void **state)
{
    (void)state;
    start(0, 0);
    assert_int_equal(hil_alarm_frequency_hz(hil), SIM_ALARM_DEFAULT_HZ);
    assert_int_equal(SIM_ALARM_DEFAULT_HZ, 1000000);
    assert_int_equal(hil_alarm_now(hil), 0);
    sim_advance(NS_PER_S);
    assert_int_equal(hil_alarm_now(hil), 1000000);
    sim_advance(999);
    assert_int_equal(hil_alarm_now(hil), 1000000);
    sim_advance(1);
    assert_int_equal(hil_alarm_now(hil), 1000001);
}

static void frequency_is_configurable(void **state)
{
    (void)state;
    start(32768, 0);
    assert_int_equal(hil_alarm_frequency_hz(hil), 32768);
    sim_advance(NS_PER_S);
    assert_int_equal(hil_alarm_now(hil), 32768);
    /* One tick of 32768 Hz is 30517.578125 ns: tick 1 begins at 30518. */
    start(32768, 0);
    sim_advance(30517);
    assert_int_equal(hil_alarm_now(hil), 0);
    sim_advance(1);
    assert_int_equal(hil_alarm_now(hil), 1);

    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&alarm, SIM_ALARM_MAX_HZ + 1), VMUX_INVALID);
}

/* The counter is ticks since sim time 0, so a start near 2^32 ticks wraps. */
static void counter_follows_clock_and_wraps(void **state)
{
    (void)state;
    start(0, (WRAP_TICKS - 1000) * 1000);
    assert_int_equal(hil_alarm_now(hil), 0xffffffffu - 999);
    sim_advance(999 * 1000);
    assert_int_equal(hil_alarm_now(hil), 0xffffffffu);
    sim_advance(1000);
    assert_int_equal(hil_alarm_now(hil), 0);
    sim_advance(5 * 1000 + 999);
    assert_int_equal(hil_alarm_now(hil), 5);

    start(32768, ns_of_tick(WRAP_TICKS - 3, 32768));
    assert_int_equal(hil_alarm_now(hil), 0xfffffffdu);
    advance_to(ns_of_tick(WRAP_TICKS + 2, 32768) - 1);
    assert_int_equal(hil_alarm_now(hil), 1);
    sim_advance(1);
    assert_int_equal(hil_alarm_now(hil), 2);
}

/* Fires at the first nanosecond of tick reference + dt: not one tick (or
 * one nanosecond) before, and not after. */
static void fires_exactly_at_deadline(void **state)
{
    (void)state;
    start(0, 123456789);
    uint32_t now = hil_alarm_now(hil);
    assert_int_equal(set(now, 500), VMUX_SUCCESS);
    assert_true(hil_alarm_is_armed(hil));
    uint64_t deadline_ns = ns_of_tick(tick_of_ns(123456789, 1000000) + 500, 1000000);

    advance_to(deadline_ns - 1000);          /* one tick before */
    assert_int_equal(hil_alarm_now(hil), now + 499);
    assert_int_equal(watch.fires, 0);
    advance_to(deadline_ns - 1);             /* one nanosecond before */
    assert_int_equal(watch.fires, 0);
    assert_true(hil_alarm_is_armed(hil));
    sim_advance(1);
    assert_int_equal(watch.fires, 1);
    assert_int_equal(watch.fired_at_ns, deadline_ns);
    assert_int_equal(watch.early, 0);
    assert_false(hil_alarm_is_armed(hil));

    /* Exactly once. */
    sim_advance(10 * NS_PER_S);
    assert_int_equal(watch.fires, 1);
    assert_int_equal(alarm.counters.sets, 1);
    assert_int_equal(alarm.counters.fires, 1);
}

/* The deadline is reference + dt, not now + dt. */
static void deadline_counts_from_reference(void **state)
{
    (void)state;
    start(32768, 5 * NS_PER_S);
    uint32_t now = hil_alarm_now(hil);
    assert_int_equal(set(now - 100, 300), VMUX_SUCCESS);
    uint64_t deadline_ns = ns_of_tick(tick_of_ns(5 * NS_PER_S, 32768) + 200, 32768);
    advance_to(deadline_ns - 1);
    assert_int_equal(watch.fires, 0);
    assert_int_equal(hil_alarm_now(hil), now + 199);
    sim_advance(1);
    assert_int_equal(watch.fires, 1);
    assert_int_equal(watch.early, 0);
}

/* A zero or passed deadline fires from the loop at the current time: not
 * inside set(), and not one wrap later. */
static void zero_and_past_deadlines_fire_asap(void **state)
{
    (void)state;
    start(0, 7 * NS_PER_S);
    uint64_t t0 = sim_now_ns();
    uint32_t now = hil_alarm_now(hil);

    assert_int_equal(set(now, 0), VMUX_SUCCESS);
    assert_int_equal(watch.fires, 0);        /* never from inside set() */
    sim_settle();
    assert_int_equal(watch.fires, 1);
    assert_int_equal(watch.fired_at_ns, t0);

    assert_int_equal(set(now - 1000, 10), VMUX_SUCCESS);
    assert_int_equal(watch.fires, 1);
    sim_settle();
    assert_int_equal(watch.fires, 2);

    /* Exactly now: reference + dt == now has passed. */
    assert_int_equal(set(now - ALARM_DT_MAX, ALARM_DT_MAX), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(watch.fires, 3);
    assert_int_equal(sim_now_ns(), t0);
    assert_int_equal(watch.early, 0);
}

static void deadline_across_wrap(void **state)
{
    (void)state;
    uint32_t hzs[] = { 1000000, 32768 };
    for (unsigned i = 0; i < 2; i++) {
        uint32_t hz = hzs[i];
        uint64_t start_ns = ns_of_tick(WRAP_TICKS - 10, hz);
        start(hz, start_ns);
        uint32_t now = hil_alarm_now(hil);
        assert_int_equal(now, 0xfffffff6u);
        assert_int_equal(set(now, 25), VMUX_SUCCESS);    /* lands on 15 */
        uint64_t deadline_ns = ns_of_tick(WRAP_TICKS + 15, hz);
        advance_to(deadline_ns - 1);
        assert_int_equal(hil_alarm_now(hil), 14);
        assert_int_equal(watch.fires, 0);
        sim_advance(1);
        assert_int_equal(watch.fires, 1);
        assert_int_equal(hil_alarm_now(hil), 15);
        assert_int_equal(watch.early, 0);
    }
}

/* The longest dt is almost half a wrap; it must not be taken as passed. */
static void longest_dt_waits_the_full_span(void **state)
{
    (void)state;
    start(0, (WRAP_TICKS - 5) * 1000);
    uint32_t now = hil_alarm_now(hil);
    assert_int_equal(set(now, ALARM_DT_MAX), VMUX_SUCCESS);
    uint64_t deadline_ns = (WRAP_TICKS - 5 + ALARM_DT_MAX) * 1000;
    advance_to(deadline_ns - 1);
    assert_int_equal(watch.fires, 0);
    sim_advance(1);
    assert_int_equal(watch.fires, 1);
    assert_int_equal(watch.early, 0);
}

static void disarm_prevents_firing(void **state)
{
    (void)state;
    start(0, 0);
    assert_int_equal(hil_alarm_disarm(hil), VMUX_ALREADY);
    assert_int_equal(set(hil_alarm_now(hil), 100), VMUX_SUCCESS);
    sim_advance(50 * 1000);
    assert_int_equal(hil_alarm_disarm(hil), VMUX_SUCCESS);
    assert_false(hil_alarm_is_armed(hil));
    assert_int_equal(hil_alarm_disarm(hil), VMUX_ALREADY);
    sim_advance(NS_PER_S);
    assert_int_equal(watch.fires, 0);

    /* A passed deadline is not yet delivered when set() returns: disarm
     * still cancels it. */
    assert_int_equal(set(hil_alarm_now(hil), 0), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_disarm(hil), VMUX_SUCCESS);
    sim_settle();
    sim_advance(NS_PER_S);
    assert_int_equal(watch.fires, 0);
    assert_int_equal(alarm.counters.fires, 0);
}

/* The compare event has happened (the "interrupt" ran: sim_run_due without
 * the kernel loop) but its bottom half has not: a disarm() or a set() in
 * that window must still win. */
static void disarm_or_reset_after_interrupt_before_loop(void **state)
{
    (void)state;
    start(0, 0);
    uint32_t now = hil_alarm_now(hil);
    assert_int_equal(set(now, 0), VMUX_SUCCESS);
    assert_int_equal(sim_run_due(), 1);
    assert_int_equal(hil_alarm_disarm(hil), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(watch.fires, 0);

    assert_int_equal(set(now, 0), VMUX_SUCCESS);
    assert_int_equal(sim_run_due(), 1);
    assert_int_equal(set(now, 40), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(watch.fires, 0);          /* the old fire is void */
    advance_to(40 * 1000 - 1);
    assert_int_equal(watch.fires, 0);
    sim_advance(1);
    assert_int_equal(watch.fires, 1);
    assert_int_equal(watch.early, 0);
}

/* Disarming stops the simulated compare: nothing stays scheduled. */
static void disarm_leaves_no_event(void **state)
{
    (void)state;
    start(0, 0);
    uint64_t at;
    assert_int_equal(set(hil_alarm_now(hil), 1000), VMUX_SUCCESS);
    assert_true(sim_next_event(&at));
    assert_int_equal(at, 1000 * 1000);
    assert_int_equal(hil_alarm_disarm(hil), VMUX_SUCCESS);
    assert_false(sim_next_event(&at));
}

static void reset_replaces_deadline(void **state)
{
    (void)state;
    start(0, 0);
    uint32_t now = hil_alarm_now(hil);
    assert_int_equal(set(now, 100), VMUX_SUCCESS);
    assert_int_equal(set(now, 300), VMUX_SUCCESS);      /* later */
    advance_to(300 * 1000 - 1);
    assert_int_equal(watch.fires, 0);
    sim_advance(1);
    assert_int_equal(watch.fires, 1);
    assert_int_equal(watch.early, 0);

    now = hil_alarm_now(hil);
    assert_int_equal(set(now, 1000), VMUX_SUCCESS);
    assert_int_equal(set(now, 10), VMUX_SUCCESS);       /* earlier */
    sim_advance(10 * 1000);
    assert_int_equal(watch.fires, 2);
    sim_advance(NS_PER_S);
    assert_int_equal(watch.fires, 2);                   /* the old one is gone */

    /* A passed deadline replaced by a future one before the loop ran. */
    now = hil_alarm_now(hil);
    assert_int_equal(set(now, 0), VMUX_SUCCESS);
    assert_int_equal(set(now, 20), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(watch.fires, 2);
    sim_advance(20 * 1000);
    assert_int_equal(watch.fires, 3);
    assert_int_equal(watch.early, 0);
    assert_int_equal(alarm.counters.sets, 6);
    assert_int_equal(alarm.counters.fires, 3);
}

static void dt_above_half_range_is_invalid(void **state)
{
    (void)state;
    start(0, 0);
    assert_int_equal(set(0, ALARM_DT_MAX + 1), VMUX_INVALID);
    assert_int_equal(set(0, 0xffffffffu), VMUX_INVALID);
    assert_false(hil_alarm_is_armed(hil));
    assert_int_equal(alarm.counters.sets, 0);
    sim_advance(NS_PER_S);
    assert_int_equal(watch.fires, 0);

    /* An invalid set() leaves an armed alarm as it was. */
    assert_int_equal(set(hil_alarm_now(hil), 10), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_set(hil, 0, ALARM_DT_MAX + 1), VMUX_INVALID);
    assert_true(hil_alarm_is_armed(hil));
    sim_advance(10 * 1000);
    assert_int_equal(watch.fires, 1);
}

/* Property: random references (now, past, far past) and dts (zero, small,
 * huge), several frequencies, starting near the wrap; every schedule fires
 * once, at the first nanosecond of its deadline tick, or at once if passed.
 * Some are disarmed or replaced on the way. */
static uint32_t rng;
static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t random_span(void)
{
    switch (next_random() % 4) {
    case 0: return 0;
    case 1: return next_random() % 64;
    case 2: return next_random() % 100000;
    default: return next_random() & ALARM_DT_MAX;
    }
}

static void random_schedules_never_early_never_missed(void **state)
{
    (void)state;
    uint32_t hzs[] = { 1000000, 32768, 1000000000, 3000000 };
    rng = 0x2545f491u;
    for (unsigned f = 0; f < 4; f++) {
        uint32_t hz = hzs[f];
        start(hz, ns_of_tick(WRAP_TICKS - 1000, hz));
        unsigned expected_fires = 0;
        for (int round = 0; round < 1500; round++) {
            uint64_t now_ticks = tick_of_ns(sim_now_ns(), hz);
            uint32_t now = (uint32_t)now_ticks;
            assert_int_equal(hil_alarm_now(hil), now);
            uint32_t reference = now - random_span();
            uint32_t dt = random_span();
            assert_int_equal(set(reference, dt), VMUX_SUCCESS);
            assert_int_equal(watch.fires, expected_fires);

            if (alarm_expired(now, reference, dt)) {
                uint64_t t = sim_now_ns();
                sim_settle();
                assert_int_equal(watch.fires, ++expected_fires);
                assert_int_equal(watch.fired_at_ns, t);
                continue;
            }
            uint32_t ahead = reference + dt - now;
            uint64_t deadline_ns = ns_of_tick(now_ticks + ahead, hz);
            uint32_t action = next_random() % 8;
            if (action == 0) {                      /* disarm half way */
                advance_to(sim_now_ns() + (deadline_ns - sim_now_ns()) / 2);
                if (sim_now_ns() < deadline_ns) {
                    assert_int_equal(hil_alarm_disarm(hil), VMUX_SUCCESS);
                    advance_to(deadline_ns + NS_PER_S);
                    assert_int_equal(watch.fires, expected_fires);
                    continue;
                }
            }
            advance_to(deadline_ns - 1);
            assert_int_equal(watch.fires, expected_fires);
            assert_true(hil_alarm_is_armed(hil));
            assert_false(alarm_expired(hil_alarm_now(hil), reference, dt));
            sim_advance(1);
            assert_int_equal(watch.fires, ++expected_fires);
            assert_int_equal(watch.fired_at_ns, deadline_ns);
            assert_false(hil_alarm_is_armed(hil));
        }
        assert_int_equal(watch.early, 0);
        assert_int_equal(alarm.counters.fires, expected_fires);
        assert_true(expected_fires > 1000);
        /* The clock went round the counter at least once. */
        assert_true(tick_of_ns(sim_now_ns(), hz) > WRAP_TICKS);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_frequency_is_one_megahertz),
        cmocka_unit_test(frequency_is_configurable),
        cmocka_unit_test(counter_follows_clock_and_wraps),
        cmocka_unit_test(fires_exactly_at_deadline),
        cmocka_unit_test(deadline_counts_from_reference),
        cmocka_unit_test(zero_and_past_deadlines_fire_asap),
        cmocka_unit_test(deadline_across_wrap),
        cmocka_unit_test(longest_dt_waits_the_full_span),
        cmocka_unit_test(disarm_prevents_firing),
        cmocka_unit_test(disarm_or_reset_after_interrupt_before_loop),
        cmocka_unit_test(disarm_leaves_no_event),
        cmocka_unit_test(reset_replaces_deadline),
        cmocka_unit_test(dt_above_half_range_is_invalid),
        cmocka_unit_test(random_schedules_never_early_never_missed),
    };
    return cmocka_run_group_tests_name("sim_alarm", tests, NULL, NULL);
}
