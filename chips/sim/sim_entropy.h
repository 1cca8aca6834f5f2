/*
 * Simulated TRNG: struct hil_entropy (hil/entropy.h) on the host board's
 * simulated clock, its bytes from the host kernel's getrandom() (the
 * host's CSPRNG, seeded from the host's entropy sources: as good as the
 * host's random numbers).
 *
 * Timing. A fill of len bytes completes latency_ns after the request:
 * then the "hardware" writes the bytes into the buffer (the timed event
 * plays the interrupt), and the bottom half, from the kernel loop, calls
 * fill_done. One fill at a time (VMUX_BUSY). cancel() before the event
 * stops it (nothing is written, no fill_done); after it, VMUX_ALREADY.
 *
 * Tests may give their own generator (config.generate) for bytes they can
 * predict; a getrandom() failure completes the fill with VMUX_FAIL.
 *
 * Faults (chips/sim/sim_fault.h), armed with sim_entropy_inject_fault:
 *   REFUSE   fill() returns the error.
 *   ERROR    accepted; fill_done(0 bytes, error) at the normal time,
 *            nothing written.
 *   LATE     it completes delay_ns late.
 *   NEVER    accepted, and then nothing until cancel().
 *   TWICE    fill_done is called twice with the same arguments.
 * Storage: all state in struct sim_entropy (the board's, static).
 */
#ifndef VMUX_CHIPS_SIM_SIM_ENTROPY_H
#define VMUX_CHIPS_SIM_SIM_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/entropy.h"
#include "kernel/deferred.h"

#define SIM_ENTROPY_DEFAULT_LATENCY_NS 20000u  /* 20 us */

/* Zero fields take the defaults: SIM_ENTROPY_DEFAULT_LATENCY_NS, getrandom(). */
struct sim_entropy_config {
    uint64_t latency_ns;
    /* Fill buf with len bytes; false for a failure (VMUX_FAIL). */
    bool (*generate)(uint8_t *buf, size_t len, void *ctx);
    void *ctx;
};

struct sim_entropy_counters {
    uint32_t fills;          /* completed with bytes */
    uint32_t bytes;
    uint32_t failures;       /* completed with an error */
};

struct sim_entropy {
    struct hil_entropy hil;
    struct sim_entropy_config config;
    uint8_t *buf;
    size_t len;
    bool busy;               /* from fill() to fill_done */
    bool owed;               /* the event came: fill_done is on its way */
    vmux_err_t status;       /* of the completion owed */
    struct sim_fault_slot fault;
    enum sim_fault_kind applying;
    struct sim_event ready;
    struct deferred_call irq;
    struct sim_entropy_counters counters;
};

/* config NULL: every default. NOMEM when no deferred call is left. */
vmux_err_t sim_entropy_init(struct sim_entropy *e, const struct sim_entropy_config *config);

/* NULL or SIM_FAULT_NONE disarms. */
void sim_entropy_inject_fault(struct sim_entropy *e, const struct sim_fault *fault);

static inline uint32_t sim_entropy_faults_applied(const struct sim_entropy *e)
{
    return e->fault.applied;
}

#endif
