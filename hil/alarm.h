/*
 * Alarm HIL: a free-running 32-bit counter with one compare.
 *
 * now() reads the counter, which counts up at frequency_hz() and wraps
 * from 0xffffffff to 0. All times are counter values; all arithmetic on
 * them is modulo 2^32.
 *
 * set(reference, dt): arm the compare to fire at reference + dt (mod 2^32).
 *   The alarm fires once the counter has advanced by at least dt since
 *   reference, i.e. when (uint32_t)(now - reference) >= dt. If that already
 *   holds when set() is called (a zero or past deadline), it fires as soon
 *   as possible, never "one wrap later". dt must be below 2^31 (half the
 *   counter range), otherwise VMUX_INVALID; reference may be any value
 *   within the last 2^31 ticks.
 * disarm(): cancel; fired() will not follow. VMUX_ALREADY if not armed.
 * fired() is called from the kernel loop, once per set() not disarmed.
 */
#ifndef VMUX_HIL_ALARM_H
#define VMUX_HIL_ALARM_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/hil.h"
#include "kernel/muldiv.h"

#define ALARM_DT_MAX 0x7fffffffu

struct hil_alarm;

struct hil_alarm_client {
    void (*fired)(struct hil_alarm_client *self);
};

struct hil_alarm_ops {
    uint32_t (*now)(struct hil_alarm *a);
    uint32_t (*frequency_hz)(struct hil_alarm *a);
    vmux_err_t (*set)(struct hil_alarm *a, uint32_t reference, uint32_t dt);
    vmux_err_t (*disarm)(struct hil_alarm *a);
    bool (*is_armed)(struct hil_alarm *a);
};

struct hil_alarm {
    const struct hil_alarm_ops *ops;
    struct hil_alarm_client *client;
};

static inline void hil_alarm_set_client(struct hil_alarm *a, struct hil_alarm_client *c) { a->client = c; }
static inline uint32_t hil_alarm_now(struct hil_alarm *a) { return a->ops->now(a); }
static inline uint32_t hil_alarm_frequency_hz(struct hil_alarm *a) { return a->ops->frequency_hz(a); }
static inline vmux_err_t hil_alarm_set(struct hil_alarm *a, uint32_t reference, uint32_t dt)
{
    return a->ops->set(a, reference, dt);
}
static inline vmux_err_t hil_alarm_disarm(struct hil_alarm *a) { return a->ops->disarm(a); }
static inline bool hil_alarm_is_armed(struct hil_alarm *a) { return a->ops->is_armed(a); }

/* Ticks of a's counter in ms milliseconds / us microseconds, rounded
 * down (UINT32_MAX when more). No 64-bit division (kernel/muldiv.h). */
static inline uint32_t hil_alarm_ms_to_ticks(struct hil_alarm *a, uint32_t ms)
{
    return muldiv32(hil_alarm_frequency_hz(a), ms, 1000u);
}
static inline uint32_t hil_alarm_us_to_ticks(struct hil_alarm *a, uint32_t us)
{
    return muldiv32(hil_alarm_frequency_hz(a), us, 1000000u);
}

/* A timeout of us microseconds as a dt for set(): rounded down, at
 * least 1 tick and at most ALARM_DT_MAX (the muxes' watchdogs). */
static inline uint32_t hil_alarm_timeout_ticks(struct hil_alarm *a, uint32_t us)
{
    uint32_t ticks = hil_alarm_us_to_ticks(a, us);
    return ticks == 0 ? 1u : ticks > ALARM_DT_MAX ? ALARM_DT_MAX : ticks;
}

/* True when deadline reference+dt has passed at counter value now. */
static inline bool alarm_expired(uint32_t now, uint32_t reference, uint32_t dt)
{
    return (uint32_t)(now - reference) >= dt;
}

#endif
