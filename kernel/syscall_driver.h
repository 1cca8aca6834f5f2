/*
 * A syscall driver: what a capsule exposes to processes under a driver
 * number (Tock's numbering: alarm 0x0, console 0x1, LED 0x2, button 0x3,
 * GPIO 0x4, ADC 0x5, UDP 0x30002).
 *
 * The kernel does the bookkeeping every driver would otherwise repeat:
 * subscribe and allow (with validation against the process's memory, and
 * returning the previous upcall or buffer), command 0 ("does the driver
 * exist"), and the grant holding the driver's per-process state. The
 * driver supplies the sizes and the behaviour:
 *
 *   command(d, p, state, n, a, b)   commands 1 and up (0 never arrives)
 *   command_zero(d)                 optional: the answer to command 0, for
 *                                   an ABI that returns a value there
 *                                   (Tock's ADC: its channel count); it
 *                                   allocates nothing. NULL: Success.
 *   allow_changed(d, p, state, ...) a buffer was swapped or withdrawn:
 *                                   stop using the old one now
 *   process_ended(d, p, state)      cancel what is in flight; release
 *                                   what the process held (the grant is
 *                                   freed right after)
 *
 * Drivers are thin: each forwards to its virtualizer, using
 * process_client(p) as the client identity, so processes are clients of
 * the same muxes as kernel components.
 */
#ifndef VMUX_KERNEL_SYSCALL_DRIVER_H
#define VMUX_KERNEL_SYSCALL_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/process.h"
#include "kernel/syscall.h"

struct syscall_driver {
    uint32_t number;
    uint8_t upcall_count;
    uint8_t allow_rw_count;
    uint8_t allow_ro_count;
    uint16_t state_size;            /* bytes of per-process state */

    /* Called once when the grant is allocated (state is zeroed). */
    void (*grant_init)(const struct syscall_driver *d, struct process *p, void *state);
    struct syscall_return (*command)(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t command, syscall_reg_t arg1,
                                     syscall_reg_t arg2);
    void (*allow_changed)(const struct syscall_driver *d, struct process *p, void *state,
                          bool read_only, unsigned num);
    void (*process_ended)(const struct syscall_driver *d, struct process *p, void *state);
    struct syscall_return (*command_zero)(const struct syscall_driver *d);
};

#endif
