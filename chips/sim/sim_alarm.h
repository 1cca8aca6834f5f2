/*
 * Simulated alarm: struct hil_alarm on the host board's simulated clock.
 *
 * Contract (see hil/alarm.h): the counter is free-running and derived from
 * the simulation clock, never from a count of its own:
 *
 *     now() = (uint32_t)floor(sim_now_ns() * frequency_hz / 1e9)
 *
 * so it counts ticks since simulated time 0 and wraps every 2^32 ticks. A
 * test that starts the clock near 2^32 ticks sees the wrap during the test.
 *
 * set(reference, dt) arms one simulated compare event at the first
 * nanosecond at which the counter reaches reference + dt, counted forward
 * from the current counter value; a deadline that has already passed (in
 * the sense of alarm_expired()) gets an event at the current time, so it
 * fires as soon as the kernel loop runs, never one wrap later. The event
 * plays the interrupt: it raises the alarm's deferred call, whose handler
 * calls the client's fired(). Hence fired() never runs inside set(), and
 * when it runs alarm_expired(now(), reference, dt) holds. A set() while
 * armed replaces the deadline; disarm() cancels it, including a fire whose
 * event has already happened but whose deferred call has not yet run.
 *
 * Buffers: none. Storage: all state lives in struct sim_alarm, which the
 * board owns (static storage; no allocation).
 */
#ifndef VMUX_CHIPS_SIM_SIM_ALARM_H
#define VMUX_CHIPS_SIM_SIM_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "hil/alarm.h"
#include "kernel/deferred.h"

#define SIM_ALARM_DEFAULT_HZ 1000000u
#define SIM_ALARM_MAX_HZ 1000000000u    /* at most one tick per nanosecond */

struct sim_alarm_counters {
    uint32_t sets;     /* set() calls that armed the alarm */
    uint32_t fires;    /* fired() callbacks made */
};

struct sim_alarm {
    struct hil_alarm hil;
    uint32_t frequency_hz;
    bool armed;
    bool due;              /* the compare event has happened for this set() */
    uint32_t reference;
    uint32_t dt;
    struct sim_event compare;
    struct deferred_call irq;
    struct sim_alarm_counters counters;
};

/*
 * Initialise a at frequency_hz (0 means SIM_ALARM_DEFAULT_HZ), disarmed,
 * with no client and zero counters. Call it after the simulation and the
 * deferred calls are (re)set, e.g. after test_board_reset().
 * VMUX_INVALID above SIM_ALARM_MAX_HZ; VMUX_NOMEM when no deferred call is
 * left.
 */
vmux_err_t sim_alarm_init(struct sim_alarm *a, uint32_t frequency_hz);

#endif
