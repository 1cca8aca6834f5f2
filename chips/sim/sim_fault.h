/*
 * Fault injection for the simulated peripherals: one vocabulary for every
 * driver in chips/sim/, so a test can say "the next transmit completes
 * twice" the same way for the UART, the NIC, the ADC and the crypto
 * engine.
 *
 * A test arms a fault on a driver (sim_uart_inject_fault,
 * sim_net_inject_fault, sim_adc_inject_fault, sim_crypto_fault_inject);
 * the driver applies it to the next `count` operations of that kind
 * (0: every one until disarmed with SIM_FAULT_NONE), and counts each
 * application in `applied`. What each kind means for a driver is in that
 * driver's header; in general:
 *
 *   REFUSE   the request itself fails with `error` (VMUX_FAIL if 0);
 *            nothing starts.
 *   ERROR    the request is accepted and completes at its normal time
 *            with status `error` (VMUX_FAIL if 0); no data is moved.
 *   LATE     it completes `delay_ns` later than it would have.
 *   NEVER    it never completes on its own; only the HIL's way of
 *            stopping it (abort, stop, clearing the key slot), where
 *            there is one, ends it. See each driver.
 *   TWICE    its completion callback is made twice in a row, from the
 *            same bottom half, with the same arguments (a spurious
 *            second interrupt).
 *   CORRUPT  it completes normally but one bit of its data is flipped.
 *
 * Faults are test hooks: nothing in a board arms them.
 */
#ifndef VMUX_CHIPS_SIM_SIM_FAULT_H
#define VMUX_CHIPS_SIM_SIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/errors.h"

enum sim_fault_kind {
    SIM_FAULT_NONE = 0,
    SIM_FAULT_REFUSE,
    SIM_FAULT_ERROR,
    SIM_FAULT_LATE,
    SIM_FAULT_NEVER,
    SIM_FAULT_TWICE,
    SIM_FAULT_CORRUPT,
};
#define SIM_FAULT_KINDS 7u

struct sim_fault {
    enum sim_fault_kind kind;
    vmux_err_t error;        /* REFUSE, ERROR: the status; 0 means VMUX_FAIL */
    uint64_t delay_ns;       /* LATE */
    uint32_t count;          /* operations it applies to; 0: until disarmed */
};

/* A fault armed on one kind of operation of one driver. */
struct sim_fault_slot {
    struct sim_fault fault;
    uint32_t left;           /* applications left when fault.count != 0 */
    uint32_t applied;        /* every application since init */
};

static inline void sim_fault_arm(struct sim_fault_slot *s, const struct sim_fault *f)
{
    if (f == NULL) {
        s->fault.kind = SIM_FAULT_NONE;
        return;
    }
    s->fault = *f;
    s->left = f->count;
}

/* The fault to apply to the operation starting now (NONE for none), and
 * count it. */
static inline enum sim_fault_kind sim_fault_take(struct sim_fault_slot *s)
{
    enum sim_fault_kind k = s->fault.kind;
    if (k == SIM_FAULT_NONE)
        return k;
    if (s->fault.count != 0 && --s->left == 0)
        s->fault.kind = SIM_FAULT_NONE;
    s->applied++;
    return k;
}

static inline vmux_err_t sim_fault_error(const struct sim_fault *f)
{
    return f->error != VMUX_SUCCESS ? f->error : VMUX_FAIL;
}

static inline const char *sim_fault_name(enum sim_fault_kind k)
{
    static const char *const names[SIM_FAULT_KINDS] = { "none",  "refuse", "error",  "late",
                                                        "never", "twice",  "corrupt" };
    return (unsigned)k < SIM_FAULT_KINDS ? names[k] : "?";
}

#endif
