#include "chips/sim/sim_alarm.h"

#include <stddef.h>
#include <string.h>

#define NS_PER_S 1000000000ull

/*
 * Conversions between simulated nanoseconds and ticks. Both split the
 * value into whole seconds and a remainder so that no product exceeds 64
 * bits: with frequency_hz <= 1e9 there is at most one tick per nanosecond.
 */

/* floor(ns * hz / 1e9): the tick count at time ns. */
static uint64_t ticks_at(uint64_t ns, uint32_t hz)
{
    return (ns / NS_PER_S) * hz + (ns % NS_PER_S) * hz / NS_PER_S;
}

/* ceil(ticks * 1e9 / hz): the first nanosecond at which the tick count
 * reaches ticks. Saturates at the end of simulated time. */
static uint64_t time_of_tick(uint64_t ticks, uint32_t hz)
{
    uint64_t seconds = ticks / hz;
    uint64_t rest = ticks % hz;
    if (seconds >= UINT64_MAX / NS_PER_S)
        return UINT64_MAX;
    return seconds * NS_PER_S + (rest * NS_PER_S + hz - 1) / hz;
}

static struct sim_alarm *alarm_of(struct hil_alarm *hil)
{
    return container_of(hil, struct sim_alarm, hil);
}

static uint32_t alarm_now(struct hil_alarm *hil)
{
    return (uint32_t)ticks_at(sim_now_ns(), alarm_of(hil)->frequency_hz);
}

static uint32_t alarm_frequency(struct hil_alarm *hil)
{
    return alarm_of(hil)->frequency_hz;
}

/* The compare matched: the "interrupt" only hands over to the loop. */
static void compare_matched(struct sim_event *ev)
{
    struct sim_alarm *a = container_of(ev, struct sim_alarm, compare);
    a->due = true;
    deferred_call_raise(&a->irq);
}

/* Bottom half. The due flag tells a fire for the current set() from a
 * stale raise left behind by a set() or disarm() that came after it. */
static void alarm_bottom_half(struct deferred_call *dc)
{
    struct sim_alarm *a = container_of(dc, struct sim_alarm, irq);
    if (!a->armed || !a->due)
        return;
    a->armed = false;
    a->due = false;
    a->counters.fires++;
    if (a->hil.client)
        a->hil.client->fired(a->hil.client);
}

static vmux_err_t alarm_set(struct hil_alarm *hil, uint32_t reference, uint32_t dt)
{
    struct sim_alarm *a = alarm_of(hil);
    if (dt > ALARM_DT_MAX)
        return VMUX_INVALID;

    uint64_t now_ns = sim_now_ns();
    uint64_t now_ticks = ticks_at(now_ns, a->frequency_hz);
    uint32_t now = (uint32_t)now_ticks;
    uint64_t at_ns = now_ns;
    if (!alarm_expired(now, reference, dt)) {
        /* Not expired means now - reference < dt, so the deadline lies
         * between 1 and dt ticks ahead: never more than half a wrap. */
        uint32_t ahead = (uint32_t)(reference + dt - now);
        at_ns = time_of_tick(now_ticks + ahead, a->frequency_hz);
    }

    a->reference = reference;
    a->dt = dt;
    a->armed = true;
    a->due = false;
    a->counters.sets++;
    sim_event_schedule(&a->compare, at_ns, compare_matched);
    return VMUX_SUCCESS;
}

static vmux_err_t alarm_disarm(struct hil_alarm *hil)
{
    struct sim_alarm *a = alarm_of(hil);
    if (!a->armed)
        return VMUX_ALREADY;
    sim_event_cancel(&a->compare);
    a->armed = false;
    a->due = false;
    return VMUX_SUCCESS;
}

static bool alarm_is_armed(struct hil_alarm *hil)
{
    return alarm_of(hil)->armed;
}

static const struct hil_alarm_ops sim_alarm_ops = {
    .now = alarm_now,
    .frequency_hz = alarm_frequency,
    .set = alarm_set,
    .disarm = alarm_disarm,
    .is_armed = alarm_is_armed,
};

vmux_err_t sim_alarm_init(struct sim_alarm *a, uint32_t frequency_hz)
{
    if (frequency_hz > SIM_ALARM_MAX_HZ)
        return VMUX_INVALID;
    memset(a, 0, sizeof *a);
    a->hil.ops = &sim_alarm_ops;
    a->frequency_hz = frequency_hz ? frequency_hz : SIM_ALARM_DEFAULT_HZ;
    return deferred_call_register(&a->irq, alarm_bottom_half);
}
