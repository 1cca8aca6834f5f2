/*
 * Alarm, driver 0x0: the time, sleeping, and a timeout callback.
 *
 * Ticks are the kernel's: left-justified to 32 bits, so they wrap at
 * 2^32 at vmux_alarm_frequency() Hz. The kernel gives each process one
 * alarm: vmux_sleep_ms() and vmux_alarm_set_timeout() share it, and
 * either one replaces a timeout still pending. Long delays are waited
 * out in steps, each set from the previous expiry, so they do not drift.
 */
#ifndef VMUX_LIBVMUX_ALARM_H
#define VMUX_LIBVMUX_ALARM_H

#include <stdint.h>

#define VMUX_DRIVER_ALARM 0x0u

int vmux_alarm_frequency(uint32_t *hz);
int vmux_alarm_now(uint32_t *ticks);

/* Blocks for at least ms milliseconds. */
int vmux_sleep_ms(uint32_t ms);

/* Sleep until the alarm counter reaches deadline (at most 2^31 - 1 ticks
 * away). A deadline up to 2^31 ticks in the past has passed: the call
 * returns at once (without it, a deadline missed by one tick would be
 * 2^32 - 1 ticks away). Processes that sleep until the same deadline wake on the same
 * tick, which lets them ask for the same thing at once (two sensors
 * sampling together share one ADC reading). */
int vmux_sleep_until(uint32_t deadline);

/* Calls cb(now, ctx) from a yield, ms milliseconds from now; now is the
 * tick count when the kernel handled the expiry. */
typedef void (*vmux_alarm_cb)(uint32_t now, void *ctx);
int vmux_alarm_set_timeout(uint32_t ms, vmux_alarm_cb cb, void *ctx);
/* VMUX_EALREADY when no timeout was pending. */
int vmux_alarm_cancel(void);

#endif
