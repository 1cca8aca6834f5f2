/* Alarm mux: ordering, cancel, wrap-around, capacity, and a property test
 * of random schedules against a reference model: never early, never
 * missed. The hardware alarm is a fake whose counter the test moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "kernel/deferred.h"

/* ------------------------------------------------------------ fake hardware */

static struct fake_alarm {
    struct hil_alarm hil;
    uint32_t now;
    uint32_t reference, dt;
    bool armed;
    struct deferred_call irq;
} hw;

static uint32_t fake_now(struct hil_alarm *a) { (void)a; return hw.now; }
static uint32_t fake_frequency(struct hil_alarm *a) { (void)a; return 1000000; }
static vmux_err_t fake_set(struct hil_alarm *a, uint32_t reference, uint32_t dt)
{
    (void)a;
    if (dt > ALARM_DT_MAX)
        return VMUX_INVALID;
    hw.reference = reference;
    hw.dt = dt;
    hw.armed = true;
    return VMUX_SUCCESS;
}
static vmux_err_t fake_disarm(struct hil_alarm *a)
{
    (void)a;
    if (!hw.armed)
        return VMUX_ALREADY;
    hw.armed = false;
    return VMUX_SUCCESS;
}
static bool fake_is_armed(struct hil_alarm *a) { (void)a; return hw.armed; }
static const struct hil_alarm_ops fake_ops = {
    fake_now, fake_frequency, fake_set, fake_disarm, fake_is_armed,
};

static void fake_bottom_half(struct deferred_call *dc)
{
    (void)dc;
    hw.hil.client->fired(hw.hil.client);
}

/* Raise the interrupt if the compare matched; run the loop. */
static void service(void)
{
    for (int guard = 0; guard < 1000; guard++) {
        if (hw.armed && alarm_expired(hw.now, hw.reference, hw.dt)) {
            hw.armed = false;
            deferred_call_raise(&hw.irq);
        }
        if (kernel_loop_once() == 0)
            return;
    }
    fail_msg("interrupt storm");
}

/* Move time forward, stopping at every hardware deadline on the way. */
static void advance(uint32_t ticks)
{
    while (ticks > 0) {
        uint32_t step = ticks;
        if (hw.armed) {
            uint32_t left = hw.dt - (uint32_t)(hw.now - hw.reference);
            if (alarm_expired(hw.now, hw.reference, hw.dt))
                left = 0;
            if (left < step)
                step = left;
        }
        hw.now += step;
        ticks -= step;
        service();
    }
    service();
}

/* ------------------------------------------------------------ clients */

#define CLIENTS 64

static struct alarm_mux mux;
static struct virtual_alarm *heap[CLIENTS];
static struct probe {
    struct virtual_alarm va;
    struct hil_alarm_client client;
    uint32_t fired_at[8];
    unsigned fired;
    /* reference model */
    bool expect_armed;
    uint64_t expect_deadline; /* in extended fake time */
} probes[CLIENTS];
static uint64_t time64; /* extended fake time, kept by the test */

static void probe_fired(struct hil_alarm_client *self)
{
    struct probe *p = container_of(self, struct probe, client);
    if (p->fired < 8)
        p->fired_at[p->fired] = hw.now;
    p->fired++;
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    memset(&hw, 0, sizeof hw);
    hw.hil.ops = &fake_ops;
    hw.now = 0xfffff000u; /* just before a wrap */
    deferred_call_register(&hw.irq, fake_bottom_half);
    alarm_mux_init(&mux, &hw.hil, heap, CLIENTS);
    memset(probes, 0, sizeof probes);
    for (unsigned i = 0; i < CLIENTS; i++) {
        virtual_alarm_init(&probes[i].va, &mux);
        probes[i].client.fired = probe_fired;
        hil_alarm_set_client(&probes[i].va.hil, &probes[i].client);
    }
    time64 = hw.now;
    return 0;
}

static struct hil_alarm *va(unsigned i) { return &probes[i].va.hil; }

static void fires_in_deadline_order_across_the_wrap(void **state)
{
    (void)state;
    uint32_t t0 = hw.now;
    assert_int_equal(hil_alarm_set(va(0), t0, 0x3000), VMUX_SUCCESS); /* after wrap */
    assert_int_equal(hil_alarm_set(va(1), t0, 0x0800), VMUX_SUCCESS); /* before wrap */
    assert_int_equal(hil_alarm_set(va(2), t0, 0x1800), VMUX_SUCCESS); /* just after */
    assert_int_equal(alarm_mux_armed_count(&mux), 3);
    advance(0x07ff);
    assert_int_equal(probes[1].fired, 0); /* not one tick early */
    advance(1);
    assert_int_equal(probes[1].fired, 1);
    assert_int_equal(probes[1].fired_at[0], t0 + 0x800);
    advance(0x1000);
    assert_int_equal(probes[2].fired, 1);
    assert_int_equal(probes[0].fired, 0);
    advance(0x1800);
    assert_int_equal(probes[0].fired, 1);
    assert_int_equal(probes[0].fired_at[0], (uint32_t)(t0 + 0x3000));
    assert_false(hw.armed);
    assert_int_equal(alarm_mux_armed_count(&mux), 0);
}

static void zero_and_past_deadlines_fire_at_once(void **state)
{
    (void)state;
    uint32_t t0 = hw.now;
    assert_int_equal(hil_alarm_set(va(0), t0, 0), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_set(va(1), t0 - 500, 100), VMUX_SUCCESS);
    assert_int_equal(probes[0].fired, 0); /* never from inside set() */
    service();
    assert_int_equal(probes[0].fired, 1);
    assert_int_equal(probes[1].fired, 1);
    assert_int_equal(probes[1].fired_at[0], t0); /* not one wrap later */
}

static void cancel_and_reset(void **state)
{
    (void)state;
    uint32_t t0 = hw.now;
    hil_alarm_set(va(0), t0, 100);
    hil_alarm_set(va(1), t0, 200);
    assert_int_equal(hil_alarm_disarm(va(0)), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_disarm(va(0)), VMUX_ALREADY);
    assert_false(hil_alarm_is_armed(va(0)));
    hil_alarm_set(va(1), t0, 50); /* re-set replaces */
    advance(60);
    assert_int_equal(probes[1].fired, 1);
    advance(1000);
    assert_int_equal(probes[0].fired, 0);
    assert_int_equal(probes[1].fired, 1);
    assert_int_equal(hil_alarm_set(va(2), t0, ALARM_DT_MAX + 1u), VMUX_INVALID);
}

static void full_heap_is_nomem(void **state)
{
    (void)state;
    struct virtual_alarm *small_heap[2];
    struct alarm_mux small;
    alarm_mux_init(&small, &hw.hil, small_heap, 2);
    struct virtual_alarm a[3];
    for (int i = 0; i < 3; i++)
        virtual_alarm_init(&a[i], &small);
    assert_int_equal(hil_alarm_set(&a[0].hil, hw.now, 10), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_set(&a[1].hil, hw.now, 10), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_set(&a[2].hil, hw.now, 10), VMUX_NOMEM);
    assert_int_equal(hil_alarm_set(&a[1].hil, hw.now, 20), VMUX_SUCCESS); /* re-set fits */
    assert_int_equal(small.counters.heap_full, 1);
}

/* Cancel is lazy: the hardware stays armed for the cancelled deadline,
 * its interrupt fires nothing (counted as spurious) and re-arms for the
 * next live alarm; a re-set of a later deadline does not reprogram the
 * hardware at all. Nothing fires early or twice. */
static void lazy_cancel_costs_one_spurious_interrupt(void **state)
{
    (void)state;
    uint32_t t0 = hw.now;
    hil_alarm_set(va(1), t0, 5000);
    hil_alarm_set(va(2), t0, 6000);
    hil_alarm_set(va(0), t0, 100);
    assert_int_equal(hw.reference + hw.dt, t0 + 100);
    assert_int_equal(hil_alarm_disarm(va(0)), VMUX_SUCCESS);
    assert_int_equal(alarm_mux_armed_count(&mux), 2);
    assert_int_equal(hw.reference + hw.dt, t0 + 100); /* not reprogrammed */
    advance(200);
    assert_int_equal(mux.counters.spurious, 1);
    assert_int_equal(probes[0].fired, 0);
    assert_int_equal(hw.reference + hw.dt, t0 + 5000); /* the next live one */
    /* a re-set to a later deadline than the hardware's: no reprogramming */
    hil_alarm_set(va(3), t0, 5500);
    assert_int_equal(hw.reference + hw.dt, t0 + 5000);
    advance(6000);
    assert_int_equal(probes[1].fired, 1);
    assert_int_equal(probes[3].fired, 1);
    assert_int_equal(probes[2].fired, 1);
    assert_int_equal(probes[0].fired, 0);
    assert_int_equal(alarm_mux_armed_count(&mux), 0);
}

/* A full heap of cancelled alarms makes room for a new one; an alarm
 * released (its memory about to be reused) is out of the heap at once. */
static void tombstones_make_room_and_release_leaves_none(void **state)
{
    (void)state;
    struct virtual_alarm *small_heap[2];
    struct alarm_mux small;
    alarm_mux_init(&small, &hw.hil, small_heap, 2);
    struct virtual_alarm a[3];
    for (int i = 0; i < 3; i++)
        virtual_alarm_init(&a[i], &small);
    assert_int_equal(hil_alarm_set(&a[0].hil, hw.now, 10), VMUX_SUCCESS);
    assert_int_equal(hil_alarm_set(&a[1].hil, hw.now, 20), VMUX_SUCCESS);
    hil_alarm_disarm(&a[0].hil);
    assert_int_equal(small.count, 2); /* a tombstone */
    assert_int_equal(hil_alarm_set(&a[2].hil, hw.now, 30), VMUX_SUCCESS);
    assert_false(a[0].in_heap);
    virtual_alarm_release(&a[1]);
    assert_false(a[1].in_heap);
    assert_int_equal(small.count, 1);
    assert_int_equal(alarm_mux_armed_count(&small), 1);
    alarm_mux_init(&mux, &hw.hil, heap, CLIENTS); /* give the hardware back */
}

/* A client re-arming with dt = 0 from its callback fires once per
 * interrupt, not in a loop that starves everything else. */
static struct virtual_alarm *rearm_target;
static unsigned rearm_count;
static void rearm_fired(struct hil_alarm_client *self)
{
    (void)self;
    rearm_count++;
    hil_alarm_set(&rearm_target->hil, hil_alarm_now(&rearm_target->hil), 0);
}

static void rearm_from_callback_waits_for_next_interrupt(void **state)
{
    (void)state;
    struct hil_alarm_client c = { rearm_fired };
    rearm_target = &probes[0].va;
    rearm_count = 0;
    hil_alarm_set_client(va(0), &c);
    hil_alarm_set(va(0), hw.now, 0);
    hw.armed = alarm_expired(hw.now, hw.reference, hw.dt) ? false : hw.armed;
    deferred_call_raise(&hw.irq);
    kernel_loop_once();
    assert_int_equal(rearm_count, 1);
    assert_true(hw.armed); /* armed again for the next interrupt */
}

/* ------------------------------------------------------------ property */

static uint32_t rng = 0x1234567u;
static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint32_t random_dt(void)
{
    switch (next_random() % 6) {
    case 0: return 0;
    case 1: return next_random() % 16;
    case 2: return next_random() % 5000;
    case 3: return next_random() % 0x100000;
    case 4: return ALARM_DT_MAX - next_random() % 1000;
    default: return next_random() & ALARM_DT_MAX;
    }
}

static void check_fired(unsigned i, unsigned fired_before)
{
    struct probe *p = &probes[i];
    if (p->fired == fired_before)
        return;
    assert_int_equal(p->fired, fired_before + 1);  /* once per set */
    assert_true(p->expect_armed);                  /* not after cancel */
    assert_true(time64 >= p->expect_deadline);     /* never early */
    p->expect_armed = false;
}

static void random_schedules_never_early_never_missed(void **state)
{
    (void)state;
    unsigned fired_before[CLIENTS];
    for (int step = 0; step < 6000; step++) {
        unsigned i = next_random() % CLIENTS;
        struct probe *p = &probes[i];
        unsigned op = next_random() % 10;
        if (op < 5) {
            uint32_t back = (next_random() % 3 == 0) ? next_random() % 100000 : 0;
            uint32_t reference = hw.now - back;
            uint32_t dt = random_dt();
            assert_int_equal(hil_alarm_set(&p->va.hil, reference, dt), VMUX_SUCCESS);
            p->expect_armed = true;
            p->expect_deadline = time64 - back + dt;
        } else if (op < 6) {
            vmux_err_t e = hil_alarm_disarm(&p->va.hil);
            assert_int_equal(e, p->expect_armed ? VMUX_SUCCESS : VMUX_ALREADY);
            p->expect_armed = false;
        } else {
            uint32_t ticks;
            switch (next_random() % 4) {
            case 0: ticks = 0; break;
            case 1: ticks = next_random() % 100; break;
            case 2: ticks = next_random() % 200000; break;
            default: ticks = next_random() % 0x40000000u; break;
            }
            /* Advance in pieces so the model's clock tracks each firing. */
            while (ticks > 0) {
                uint32_t piece = ticks > 4096 ? ticks / 2 : ticks;
                for (unsigned c = 0; c < CLIENTS; c++)
                    fired_before[c] = probes[c].fired;
                /* stop at the next model deadline so "never early" is
                 * checked against the exact time of firing */
                uint64_t soonest = UINT64_MAX;
                for (unsigned c = 0; c < CLIENTS; c++)
                    if (probes[c].expect_armed && probes[c].expect_deadline > time64 &&
                        probes[c].expect_deadline < soonest)
                        soonest = probes[c].expect_deadline;
                if (soonest - time64 < piece)
                    piece = (uint32_t)(soonest - time64);
                time64 += piece;
                advance(piece);
                ticks -= piece;
                for (unsigned c = 0; c < CLIENTS; c++)
                    check_fired(c, fired_before[c]);
                /* never missed: every expired model alarm has fired */
                for (unsigned c = 0; c < CLIENTS; c++)
                    if (probes[c].expect_armed)
                        assert_true(probes[c].expect_deadline > time64);
            }
        }
        for (unsigned c = 0; c < CLIENTS; c++)
            assert_int_equal(hil_alarm_is_armed(&probes[c].va.hil), probes[c].expect_armed);
    }
    assert_true(mux.counters.fires > 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fires_in_deadline_order_across_the_wrap, setup),
        cmocka_unit_test_setup(zero_and_past_deadlines_fire_at_once, setup),
        cmocka_unit_test_setup(cancel_and_reset, setup),
        cmocka_unit_test_setup(full_heap_is_nomem, setup),
        cmocka_unit_test_setup(lazy_cancel_costs_one_spurious_interrupt, setup),
        cmocka_unit_test_setup(tombstones_make_room_and_release_leaves_none, setup),
        cmocka_unit_test_setup(rearm_from_callback_waits_for_next_interrupt, setup),
        cmocka_unit_test_setup(random_schedules_never_early_never_missed, setup),
    };
    return cmocka_run_group_tests_name("alarm_mux", tests, NULL, NULL);
}
