/*
 * Crypto engine HIL: AES-128 with a fixed number of key registers.
 *
 * The engine has slot_count() key registers (slots 0..K-1). A key lives
 * only in the engine: load_key() copies it in, and nothing reads it back.
 *
 * load_key(slot, key): synchronous; VMUX_INVALID for a bad slot.
 * clear_slot(slot): synchronous; overwrites the register with zeroes and
 *   marks it empty. Using an empty slot is VMUX_RESERVE.
 * crypt(slot, op, iv, in, out, len): split phase. op selects the mode and
 *   direction; len must be a multiple of 16 (ECB, CBC) or any length (CTR).
 *   iv (16 bytes, CBC and CTR) is read when the request is made and may be
 *   reused at once. in and out may be the same buffer. crypt_done returns
 *   both buffers. One operation at a time: VMUX_BUSY otherwise. With no
 *   client set, VMUX_OFF.
 * Clearing or reloading the slot of the operation in flight cancels it:
 *   crypt_done follows with VMUX_CANCEL and out is not written, so no
 *   operation ever runs with a key other than the one it was asked with.
 */
#ifndef VMUX_HIL_CRYPTO_H
#define VMUX_HIL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

#define AES_BLOCK_SIZE 16u
#define AES128_KEY_SIZE 16u

enum hil_crypto_op {
    CRYPTO_ECB_ENCRYPT,
    CRYPTO_ECB_DECRYPT,
    CRYPTO_CBC_ENCRYPT,
    CRYPTO_CBC_DECRYPT,
    CRYPTO_CTR,          /* encrypt and decrypt are the same */
};

struct hil_crypto;

struct hil_crypto_client {
    void (*crypt_done)(struct hil_crypto_client *self, const uint8_t *in,
                       uint8_t *out, size_t len, vmux_err_t status);
};

struct hil_crypto_ops {
    unsigned (*slot_count)(struct hil_crypto *c);
    vmux_err_t (*load_key)(struct hil_crypto *c, unsigned slot,
                           const uint8_t key[AES128_KEY_SIZE]);
    vmux_err_t (*clear_slot)(struct hil_crypto *c, unsigned slot);
    vmux_err_t (*crypt)(struct hil_crypto *c, unsigned slot, enum hil_crypto_op op,
                        const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len);
};

struct hil_crypto {
    const struct hil_crypto_ops *ops;
    struct hil_crypto_client *client;
};

static inline void hil_crypto_set_client(struct hil_crypto *c, struct hil_crypto_client *cl) { c->client = cl; }
static inline unsigned hil_crypto_slot_count(struct hil_crypto *c) { return c->ops->slot_count(c); }
static inline vmux_err_t hil_crypto_load_key(struct hil_crypto *c, unsigned slot,
                                             const uint8_t key[AES128_KEY_SIZE])
{
    return c->ops->load_key(c, slot, key);
}
static inline vmux_err_t hil_crypto_clear_slot(struct hil_crypto *c, unsigned slot)
{
    return c->ops->clear_slot(c, slot);
}
static inline vmux_err_t hil_crypto_crypt(struct hil_crypto *c, unsigned slot,
                                          enum hil_crypto_op op, const uint8_t *iv,
                                          const uint8_t *in, uint8_t *out, size_t len)
{
    return c->ops->crypt(c, slot, op, iv, in, out, len);
}

#endif
