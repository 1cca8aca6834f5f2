/*
 * Fault injection for a crypto engine: a struct hil_crypto that stands in
 * front of another one (the software engine, chips/soft/crypto_engine.h)
 * and passes everything through, except the operations a test has armed
 * a fault for (chips/sim/sim_fault.h). The engine itself stays untouched:
 * the Cortex-M build carries no test hooks.
 *
 *     static struct crypto_engine engine;
 *     static struct sim_crypto_fault faulty;
 *     crypto_engine_init(&engine, key_registers, 4);
 *     sim_crypto_fault_init(&faulty, &engine.hil);
 *     crypto_mux_init(&mux, &faulty.hil, ...);
 *     sim_crypto_fault_inject(&faulty, &(struct sim_fault){ SIM_FAULT_NEVER });
 *
 * Faults apply to crypt() requests:
 *   REFUSE   crypt() returns the error.
 *   ERROR    accepted; crypt_done follows from the loop with the error,
 *            and out is not written.
 *   LATE     the request reaches the engine delay_ns later (so it
 *            completes that much later; the iv is copied at once).
 *   NEVER    accepted, and then nothing: the engine looks busy (BUSY to
 *            every other crypt) until the slot of the operation is
 *            cleared or reloaded, which, as the HIL says, cancels it:
 *            crypt_done(CANCEL) follows and out is not written.
 *   TWICE    crypt_done is called twice with the same arguments.
 *   CORRUPT  the engine's output has one bit flipped.
 * Clearing or reloading the slot of a held LATE operation cancels it in
 * the same way. load_key, clear_slot and slot_count pass straight through.
 */
#ifndef VMUX_CHIPS_SIM_SIM_CRYPTO_FAULT_H
#define VMUX_CHIPS_SIM_SIM_CRYPTO_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/crypto.h"
#include "kernel/deferred.h"

struct sim_crypto_fault {
    struct hil_crypto hil;               /* what the mux is given */
    struct hil_crypto *inner;
    struct hil_crypto_client inner_client;
    struct sim_fault_slot fault;
    /* the operation in flight through us, from crypt() to crypt_done */
    bool busy;
    bool held;                           /* ERROR, LATE, NEVER: not at the engine (yet) */
    enum sim_fault_kind applying;
    unsigned slot;
    enum hil_crypto_op op;
    uint8_t iv[AES_BLOCK_SIZE];
    bool has_iv;
    const uint8_t *in;
    uint8_t *out;
    size_t len;
    vmux_err_t status;                   /* of our own completion */
    struct sim_event late;
    struct deferred_call done;           /* our own completions */
    bool done_raised;
};

/* Stand in front of inner (whose client becomes w). NOMEM when no
 * deferred call is left. */
vmux_err_t sim_crypto_fault_init(struct sim_crypto_fault *w, struct hil_crypto *inner);

/* NULL or SIM_FAULT_NONE disarms. */
void sim_crypto_fault_inject(struct sim_crypto_fault *w, const struct sim_fault *fault);

static inline uint32_t sim_crypto_faults_applied(const struct sim_crypto_fault *w)
{
    return w->fault.applied;
}

#endif
