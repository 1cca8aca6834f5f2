/*
 * Software crypto engine: a peripheral that implements struct hil_crypto
 * (hil/crypto.h) with AES-128 computed in software, for every board that
 * has no AES hardware (the host board, the Cortex-M3).
 *
 * It behaves like a hardware engine with K key registers ("slots"):
 *
 * crypto_engine_init(e, slots, k): the caller provides the K registers as
 *   static storage it keeps for the engine's lifetime; init wipes them, so
 *   every slot starts empty. It registers the engine's deferred call, so
 *   call it after deferred_call_reset() and before the kernel loop runs.
 *   VMUX_INVALID for NULL storage or k == 0; VMUX_NOMEM when no deferred
 *   call is left.
 *
 * load_key(slot, key): copies the 16-byte key into the register and
 *   expands its round keys there; the caller may wipe its copy at once.
 *   Loading over a loaded slot replaces the key.
 * clear_slot(slot): wipes the whole register (key and round keys) and
 *   marks it empty.
 *   Both are synchronous; VMUX_INVALID for slot >= K.
 *
 * crypt(slot, op, iv, in, out, len): split phase (hil/hil.h). Checked at
 *   request time, in this order:
 *     VMUX_INVALID  slot >= K, in or out NULL, unknown op, or no iv for
 *                   CBC / CTR
 *     VMUX_SIZE     len == 0, or len not a multiple of 16 for ECB / CBC
 *     VMUX_OFF      no client set (its completion would have nowhere to go)
 *     VMUX_BUSY     an operation is already in flight
 *     VMUX_RESERVE  the slot is empty
 *   The iv is copied at once. The work and the crypt_done callback come
 *   later, from the engine's deferred call, never inside crypt().
 *   CTR: iv is the initial counter block, incremented as a 128-bit
 *   big-endian integer per block (NIST SP 800-38A); a final partial block
 *   uses only as many keystream bytes as it needs.
 *   in and out may be the same buffer; other overlaps are not supported.
 *
 * Buffers: in and out belong to the engine from a successful crypt() until
 *   crypt_done hands them back. The engine keeps no copy of plaintext,
 *   keystream or key-derived scratch after it: all of it is wiped.
 *
 * Clearing or reloading the slot of the operation in flight cancels it:
 *   the operation never runs with a key other than the one it was
 *   requested with, and no copy of a cleared key survives the clear.
 *   crypt_done still follows, with VMUX_CANCEL, and out is not written.
 */
#ifndef VMUX_CHIPS_SOFT_CRYPTO_ENGINE_H
#define VMUX_CHIPS_SOFT_CRYPTO_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/soft/aes128.h"
#include "hil/crypto.h"
#include "kernel/deferred.h"

/* What a real engine would hold in its key register. */
struct crypto_engine_register {
    uint8_t key[AES128_KEY_SIZE];
    struct aes128_schedule schedule;
};

struct crypto_engine_slot {
    struct crypto_engine_register reg;
    bool loaded;
};

/* Requests accepted and how they ended; rejections by reason. */
struct crypto_engine_counters {
    uint32_t completed;         /* crypt_done with VMUX_SUCCESS */
    uint32_t cancelled;         /* crypt_done with VMUX_CANCEL */
    uint32_t bytes;             /* bytes processed by completed operations */
    uint32_t rejected_invalid;  /* VMUX_INVALID from crypt, load_key, clear_slot */
    uint32_t rejected_size;
    uint32_t rejected_off;
    uint32_t rejected_busy;
    uint32_t rejected_reserve;
};

/* The operation in flight: what crypt() accepted, until crypt_done. */
struct crypto_engine_request {
    bool busy;
    bool cancelled;             /* its slot was cleared or reloaded */
    unsigned slot;
    enum hil_crypto_op op;
    uint8_t iv[AES_BLOCK_SIZE]; /* the caller's iv, copied at request time */
    const uint8_t *in;
    uint8_t *out;
    size_t len;
};

struct crypto_engine {
    struct hil_crypto hil;      /* what drivers and capsules are given */
    struct crypto_engine_slot *slots;
    unsigned slot_count;
    struct crypto_engine_request request;
    struct deferred_call work;  /* runs the request, then crypt_done */
    struct crypto_engine_counters counters;  /* read directly */
};

vmux_err_t crypto_engine_init(struct crypto_engine *e, struct crypto_engine_slot *slots,
                              unsigned k);

/*
 * Tests and diagnostics only: the raw bytes of slot's whole register (key
 * and round keys), *len of them, so a test can see that a cleared slot
 * reads all zeroes. A real chip's key registers cannot be read; nothing
 * outside tests may call this. NULL (and *len 0) for slot >= K.
 */
const uint8_t *crypto_engine_slot_register(const struct crypto_engine *e, unsigned slot,
                                           size_t *len);

#endif
