/*
 * Alarm, driver 0x0 (Tock's numbers): command 1 frequency, 2 now,
 * 3 cancel, 6 set at reference + dt (returns the expiry); upcall 0 when
 * it fires, with (now, expiry, 0). No allows.
 */
#include "alarm.h"

#include <stdbool.h>

#include "syscall.h"

enum {
    CMD_FREQUENCY = 1,
    CMD_NOW = 2,
    CMD_CANCEL = 3,
    CMD_SET_ABSOLUTE = 6,
    UPCALL_FIRED = 0,
};

int vmux_alarm_frequency(uint32_t *hz)
{
    return vmux_result_u32(vmux_command(VMUX_DRIVER_ALARM, CMD_FREQUENCY, 0, 0), hz);
}

int vmux_alarm_now(uint32_t *ticks)
{
    return vmux_result_u32(vmux_command(VMUX_DRIVER_ALARM, CMD_NOW, 0, 0), ticks);
}

int vmux_alarm_cancel(void)
{
    return vmux_command_status(VMUX_DRIVER_ALARM, CMD_CANCEL, 0, 0);
}

/*
 * A delay in progress: milliseconds still to wait, and the tick the next
 * step counts from. Steps are at most max_step_ms long, so that the tick
 * count of one stays below 2^31 and the arithmetic in 32 bits.
 */
struct delay {
    uint32_t hz;
    uint32_t remaining_ms;
    uint32_t reference;
};

static uint32_t max_step_ms(uint32_t hz)
{
    uint32_t by_ticks = 0x7fffffffu / (hz / 1000 + 1);
    return by_ticks < 4000000u ? by_ticks : 4000000u; /* and (hz % 1000) * ms < 2^32 */
}

/* ticks in ms milliseconds, rounded up */
static uint32_t ms_to_ticks(uint32_t hz, uint32_t ms)
{
    return (hz / 1000) * ms + ((hz % 1000) * ms + 999) / 1000;
}

static int delay_start(struct delay *d, uint32_t ms)
{
    d->remaining_ms = ms;
    int err = vmux_alarm_frequency(&d->hz);
    if (err == VMUX_OK)
        err = vmux_alarm_now(&d->reference);
    return err;
}

/* Sets the alarm for the next step; false when there is none left. */
static bool delay_next_step(struct delay *d, int *err)
{
    if (d->remaining_ms == 0)
        return false;
    uint32_t max = max_step_ms(d->hz);
    uint32_t step = d->remaining_ms < max ? d->remaining_ms : max;
    d->remaining_ms -= step;
    *err = vmux_result_u32(vmux_command(VMUX_DRIVER_ALARM, CMD_SET_ABSOLUTE, d->reference,
                                        ms_to_ticks(d->hz, step)),
                           &d->reference);
    return *err == VMUX_OK;
}

int vmux_sleep_ms(uint32_t ms)
{
    struct delay d;
    int err = delay_start(&d, ms);
    if (err == VMUX_OK)
        err = vmux_subscribe_status(VMUX_DRIVER_ALARM, UPCALL_FIRED, vmux_upcall_nop, 0);
    while (err == VMUX_OK && delay_next_step(&d, &err))
        vmux_yield_wait_for(VMUX_DRIVER_ALARM, UPCALL_FIRED);
    return err;
}

int vmux_sleep_until(uint32_t deadline)
{
    uint32_t now, expiry;
    int err = vmux_alarm_now(&now);
    if (err == VMUX_OK && (int32_t)(deadline - now) <= 0)
        return VMUX_OK; /* passed already */
    if (err == VMUX_OK)
        err = vmux_subscribe_status(VMUX_DRIVER_ALARM, UPCALL_FIRED, vmux_upcall_nop, 0);
    if (err == VMUX_OK)
        err = vmux_result_u32(vmux_command(VMUX_DRIVER_ALARM, CMD_SET_ABSOLUTE, now, deadline - now),
                              &expiry);
    if (err == VMUX_OK)
        vmux_yield_wait_for(VMUX_DRIVER_ALARM, UPCALL_FIRED);
    return err;
}

static struct {
    struct delay delay;
    vmux_alarm_cb cb;
    void *ctx;
} timeout;

static void timeout_fired(uint32_t now, uint32_t expiry, uint32_t a2, uintptr_t appdata)
{
    (void)expiry;
    (void)a2;
    (void)appdata;
    int err = VMUX_OK;
    if (!delay_next_step(&timeout.delay, &err) && timeout.cb)
        timeout.cb(now, timeout.ctx);
}

int vmux_alarm_set_timeout(uint32_t ms, vmux_alarm_cb cb, void *ctx)
{
    timeout.cb = cb;
    timeout.ctx = ctx;
    int err = delay_start(&timeout.delay, ms);
    if (err == VMUX_OK)
        err = vmux_subscribe_status(VMUX_DRIVER_ALARM, UPCALL_FIRED, timeout_fired, 0);
    if (err == VMUX_OK && ms == 0)
        timeout.delay.remaining_ms = 1; /* the callback always comes from a yield */
    if (err == VMUX_OK)
        delay_next_step(&timeout.delay, &err);
    return err;
}
