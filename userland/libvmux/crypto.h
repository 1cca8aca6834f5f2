/*
 * Crypto, driver 0x40100 (vmux's own): AES-128 in the kernel's key slots.
 *
 * A process reserves a slot (VMUX_ENOMEM when none is free), loads a
 * 16-byte key into it, runs operations with it, and releases it (the
 * kernel wipes it). Slots are named by handles; the kernel refuses a
 * handle the process does not hold (VMUX_ERESERVE, or VMUX_EINVAL for
 * one that names nothing). The key is copied into the kernel, not kept.
 */
#ifndef VMUX_LIBVMUX_CRYPTO_H
#define VMUX_LIBVMUX_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

#define VMUX_DRIVER_CRYPTO 0x40100u
#define VMUX_CRYPTO_KEY_SIZE 16u
#define VMUX_CRYPTO_BLOCK_SIZE 16u

enum vmux_crypto_op {
    VMUX_CRYPTO_ECB_ENCRYPT = 0,
    VMUX_CRYPTO_ECB_DECRYPT = 1,
    VMUX_CRYPTO_CBC_ENCRYPT = 2,
    VMUX_CRYPTO_CBC_DECRYPT = 3,
    VMUX_CRYPTO_CTR = 4, /* encrypts and decrypts */
};

int vmux_crypto_reserve(uint32_t *handle);
int vmux_crypto_load_key(uint32_t handle, const uint8_t key[VMUX_CRYPTO_KEY_SIZE]);
int vmux_crypto_release(uint32_t handle);

/* Runs op over len bytes of in into out (len bytes of room), with iv
 * (16 bytes, for CBC and CTR; NULL for ECB); *out_len: bytes produced.
 * ECB and CBC take whole blocks. vmux's driver takes at most 128 bytes
 * per operation (VMUX_ESIZE beyond). */
int vmux_crypto_crypt(uint32_t handle, enum vmux_crypto_op op, const uint8_t *iv,
                      const void *in, void *out, size_t len, size_t *out_len);

/* The same with a callback, cb(status, out_len, ctx) from a yield; the
 * buffers stay the kernel's until then. */
typedef vmux_status_len_cb vmux_crypto_cb; /* (status, out_len, ctx) */
int vmux_crypto_crypt_async(uint32_t handle, enum vmux_crypto_op op, const uint8_t *iv,
                            const void *in, void *out, size_t len, vmux_crypto_cb cb, void *ctx);

#endif
