/*
 * Alarm syscall driver: driver 0x0, compatible with Tock's alarm driver.
 *
 * Each process gets one virtual alarm of the alarm mux, in its grant, set
 * up on its first command; the process is a client of the same mux as
 * the kernel's own alarms.
 *
 *   command 1             clock frequency in Hz          Success u32
 *   command 2             counter now (ticks)            Success u32
 *   command 3             cancel the pending alarm       Success; ALREADY
 *                                                        when none is set
 *   command 4             (Tock's pre-2.0 set)           NOSUPPORT
 *   command 5, dt         fire dt ticks after now        Success u32 =
 *                                                        now + dt
 *   command 6, ref, dt    fire at ref + dt               Success u32 =
 *                                                        ref + dt
 *   other                                                NOSUPPORT
 *   subscribe 0           the alarm fired: (now, ref + dt, 0)
 *   no allows
 *
 * Setting an alarm replaces the pending one. The alarm has expired once
 * the counter has advanced dt or more from ref (mod 2^32); one set with
 * ref in the future therefore fires at once, as in Tock. Any dt up to
 * 2^32-1 is accepted: dt beyond the HIL's ALARM_DT_MAX is served in steps,
 * and the upcall comes only once the whole dt has passed. Never early.
 *
 * The counter is 32 bits wide, so Tock 2.2's left-justification of
 * narrower counters changes nothing here: ticks and frequency are the
 * hardware's. A set that finds the mux's heap full fails with NOMEM.
 * When the process ends, its alarm is disarmed: no upcall follows.
 */
#ifndef VMUX_CAPSULES_DRIVERS_ALARM_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_ALARM_DRIVER_H

#include "capsules/alarm_mux.h"
#include "kernel/syscall_driver.h"

#define ALARM_DRIVER_NUM 0x0u

enum alarm_driver_command {
    ALARM_CMD_FREQUENCY = 1,
    ALARM_CMD_NOW = 2,
    ALARM_CMD_STOP = 3,
    ALARM_CMD_SET_RELATIVE = 5,
    ALARM_CMD_SET_ABSOLUTE = 6,
};

#define ALARM_UPCALL_FIRED 0u

struct alarm_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct alarm_mux *mux;
};

void alarm_driver_init(struct alarm_driver *d, struct alarm_mux *mux);

#endif
