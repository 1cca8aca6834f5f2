/*
 * Crypto mux: first-come-first-served reservations of the crypto engine's
 * K key registers, and round-robin service of the engine.
 *
 * Key registers are finite and not sharable, so they are reserved, not
 * time-shared: crypto_mux_reserve() gives the caller the first free slot
 * as a handle, or VMUX_NOMEM when all K are held. A reservation lasts
 * until released, explicitly or because its client went away. This is
 * the policy's "unreturnable lock" option: later clients may find no slot.
 *
 * Ownership. A handle names a slot and the generation of its reservation;
 * only the client holding it may load a key into the slot, run operations
 * with it, or release it (anyone else: VMUX_RESERVE). A stale handle, from
 * before a release or from a previous life of a restarted process, never
 * matches again.
 *
 * Wipe on release. A released slot is cleared in the engine (key and
 * schedule overwritten with zeroes) before it can be reserved again. An
 * operation of the releasing client still in flight on that slot ends
 * with VMUX_CANCEL and writes nothing.
 *
 * Operations. Each client has at most one operation queued (VMUX_BUSY
 * otherwise). Clients with queued operations are served round robin
 * (kernel/rr.h): the engine runs one operation at a time, and nobody
 * waits more than N-1 other operations. The client's in/out buffers are
 * passed down to the engine and come back to that client in crypt_done.
 * The key given to load_key is copied into the engine and not kept.
 *
 * An engine that misbehaves (see tests/unit/test_fault_injection.c):
 *   - Its errors, at the request or in crypt_done, end the operation of
 *     the client it belonged to with that error; the next is started.
 *   - The mux starts the next operation from its deferred call, never
 *     inside crypt_done, so a crypt_done that comes while no operation
 *     runs (an engine completing twice) is counted (spurious) and
 *     ignored: it can never end another client's operation early.
 *   - Hangs. With a watchdog alarm (crypto_mux_set_watchdog, optional),
 *     an operation still running after the timeout is cancelled the one
 *     way the HIL offers: its key slot is cleared in the engine. The
 *     client gets VMUX_FAIL, keeps its reservation, and must load its key
 *     again (the slot is empty: using it gives RESERVE). If the engine
 *     does not answer even that within another timeout, the mux gives the
 *     operation up and goes on. Without a watchdog the mux waits.
 *
 * Conservation (kernel/tally.h), per client and for all: each operation
 * accepted by crypto_mux_crypt is taken, and ends delivered (crypt_done
 * with SUCCESS), failed (crypt_done with an error: a released slot, the
 * engine's error, the watchdog) or departed (its client detached while it
 * was queued or running: no callback).
 *
 * Wiring, in a board:
 *
 *     static struct crypto_engine_slot key_registers[4];
 *     static struct crypto_engine engine;
 *     static struct client_entry *crypto_clients[8];
 *     static uint32_t crypto_rr_bits[RR_WORDS(8)];
 *     static struct crypto_mux crypto_mux;
 *     crypto_engine_init(&engine, key_registers, 4);
 *     crypto_mux_init(&crypto_mux, &engine.hil, crypto_clients, crypto_rr_bits, 8);
 *     crypto_mux_attach(&crypto_mux, &app_crypto, app_id, &app_crypto_ops);
 *     crypto_handle_t slot;
 *     crypto_mux_reserve(&app_crypto, &slot);
 *     crypto_mux_load_key(&app_crypto, slot, key);
 *     crypto_mux_crypt(&app_crypto, slot, CRYPTO_CTR, iv, in, out, len);
 */
#ifndef VMUX_CAPSULES_CRYPTO_MUX_H
#define VMUX_CAPSULES_CRYPTO_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "hil/crypto.h"
#include "kernel/client.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

#define CRYPTO_MUX_SLOTS_MAX 16u

/* slot in bits 0..7, reservation generation in bits 8..31; 0 is never valid */
typedef uint32_t crypto_handle_t;

struct crypto_mux_client;

struct crypto_mux_client_ops {
    void (*crypt_done)(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out,
                       size_t len, vmux_err_t status);
};

struct crypto_mux_client {
    struct client_entry entry;     /* identity and slot in the mux's table */
    struct crypto_mux *mux;
    const struct crypto_mux_client_ops *ops;
    /* the one queued or running operation */
    bool queued;
    crypto_handle_t op_handle;
    enum hil_crypto_op op;
    uint8_t iv[AES_BLOCK_SIZE];
    const uint8_t *in;
    uint8_t *out;
    size_t len;
    struct tally operations;       /* see Conservation */
};

struct crypto_key_slot {
    client_id_t holder;        /* client_none() when free */
    uint32_t generation;
};

struct crypto_mux_counters {
    struct tally ops;               /* operations, all clients (see Conservation) */
    uint32_t reservations;
    uint32_t reservations_refused;  /* all slots held */
    uint32_t not_holder;            /* a client used a slot it does not hold */
    uint32_t operations;
    uint32_t released_by_departure;
    uint32_t spurious;              /* crypt_done with no operation running */
    uint32_t timeouts;              /* operations cancelled by the watchdog */
};

struct crypto_mux {
    struct hil_crypto *engine;
    struct hil_crypto_client engine_client;
    struct crypto_key_slot slots[CRYPTO_MUX_SLOTS_MAX];
    unsigned slot_count;
    uint32_t next_generation;
    struct client_table clients;
    struct rr op_rr;
    int running;                    /* client index in the engine, -1 none,
                                       -2 a client that detached */
    struct deferred_call work;
    struct client_observer departures;
    struct crypto_mux_counters counters;
    /* the optional watchdog (crypto_mux_set_watchdog) */
    struct hil_alarm *watchdog;
    struct hil_alarm_client watchdog_client;
    uint32_t watchdog_ticks;
    unsigned running_slot;          /* key slot of the running operation */
    uint8_t timed_out;              /* 1: its slot was cleared; 2: given up */
};

/* K is the engine's slot count, at most CRYPTO_MUX_SLOTS_MAX. Every slot
 * is cleared in the engine at init. */
vmux_err_t crypto_mux_init(struct crypto_mux *mux, struct hil_crypto *engine,
                           struct client_entry **client_storage, uint32_t *rr_words,
                           unsigned client_capacity);

/* NOMEM when the client table is full; ALREADY when attached. */
vmux_err_t crypto_mux_attach(struct crypto_mux *mux, struct crypto_mux_client *c,
                             client_id_t id, const struct crypto_mux_client_ops *ops);
/* Releases the client's slots (cleared in the engine) and drops its queued
 * operation without a callback. Also done when its id departs. */
void crypto_mux_detach(struct crypto_mux_client *c);

vmux_err_t crypto_mux_reserve(struct crypto_mux_client *c, crypto_handle_t *out);
vmux_err_t crypto_mux_release(struct crypto_mux_client *c, crypto_handle_t h);
vmux_err_t crypto_mux_load_key(struct crypto_mux_client *c, crypto_handle_t h,
                               const uint8_t key[AES128_KEY_SIZE]);
vmux_err_t crypto_mux_crypt(struct crypto_mux_client *c, crypto_handle_t h,
                            enum hil_crypto_op op, const uint8_t *iv,
                            const uint8_t *in, uint8_t *out, size_t len);

/* Cancel an operation that runs longer than timeout_us, with alarm (the
 * mux's alone, typically a virtual alarm). See "An engine that
 * misbehaves". */
void crypto_mux_set_watchdog(struct crypto_mux *mux, struct hil_alarm *alarm,
                             uint32_t timeout_us);

/* Number of slots currently reserved. */
unsigned crypto_mux_reserved_count(const struct crypto_mux *mux);

#endif
