/*
 * LM3S6965 alarm: struct hil_alarm (hil/alarm.h) from the SysTick
 * timebase (the counter) and GPTM timer 0A (the compare).
 *
 * Clock. now() is lm3s_timebase_now(): a free-running 32-bit count of
 * the system clock (50 MHz after lm3s_clock_init(); frequency_hz() says
 * what it is), wrapping every 2^32 ticks. QEMU's GPTM cannot be read
 * back (its TAR reads 0), so the GPTM only provides the compare.
 *
 * Compare. set(reference, dt) works out how many ticks remain until
 * reference + dt, counted forward from now, and loads that many into
 * timer 0A in 32-bit one-shot mode; it counts the same system clock.
 * When the deadline has already passed (alarm_expired() holds, including
 * dt = 0 and deadlines up to 2^31 ticks in the past) nothing is loaded
 * and the bottom half is raised at once: it fires as soon as the loop
 * runs, never a wrap later. dt >= 2^31 is VMUX_INVALID.
 *
 * Interrupt. The timer's time-out interrupt (IRQ 19) is the top half: it
 * acknowledges the timer, notes that the compare happened and raises the
 * deferred call. The bottom half checks alarm_expired(now, reference,
 * dt) against the counter (the two clocks are read at different times,
 * so the one-shot may end a tick early): when it holds, the alarm is
 * disarmed and fired() is called; otherwise the remaining ticks are
 * loaded again. Hence fired() never runs inside set(), never early, and
 * once per set() not disarmed. set() while armed replaces the deadline;
 * disarm() stops the timer and also cancels a compare whose interrupt
 * has happened but whose bottom half has not run yet.
 *
 * Storage: all state in struct lm3s_alarm (the board's, static); one
 * instance, on timer 0.
 */
#ifndef VMUX_CHIPS_LM3S6965_ALARM_H
#define VMUX_CHIPS_LM3S6965_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "kernel/deferred.h"

struct lm3s_alarm_counters {
    uint32_t sets;
    uint32_t fires;
    uint32_t interrupts;
    uint32_t early;        /* compare ended before the counter got there */
};

struct lm3s_alarm {
    struct hil_alarm hil;
    bool armed;
    volatile bool due;     /* the compare interrupt came for this set() */
    uint32_t reference;
    uint32_t dt;
    struct deferred_call irq;
    struct lm3s_alarm_counters counters;
};

/* Call after lm3s_timebase_init(). VMUX_NOMEM when no deferred call is
 * left, VMUX_BUSY when an alarm exists already. */
vmux_err_t lm3s_alarm_init(struct lm3s_alarm *a);

#endif
