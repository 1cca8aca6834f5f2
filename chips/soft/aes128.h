/*
 * AES-128 block cipher (FIPS-197): key expansion and one-block encrypt and
 * decrypt. Modes of operation (ECB, CBC, CTR) live in the crypto engine
 * that uses this; this file knows only single 16-byte blocks.
 *
 * aes128_expand_key(schedule, key): derives the 11 round keys (176 bytes,
 *   FIPS-197 section 5.2, words w[0..43] stored in order, 4 bytes each,
 *   most significant byte first) from the 16-byte key. The caller owns the
 *   schedule and must wipe() it when the key is no longer needed.
 * aes128_encrypt_block / aes128_decrypt_block(schedule, in, out): one
 *   16-byte block. in is read in full before out is written, so the two
 *   may be the same buffer.
 *
 * Every function wipes its own stack scratch (the cipher state and the
 * rows ShiftRows moves) before returning; nothing is allocated.
 *
 * The S-box is a table lookup, so timing may depend on secret data through
 * the data cache. The microcontrollers vmux targets have no data cache;
 * on the host board this is a simulation, not a side-channel-hardened
 * implementation.
 */
#ifndef VMUX_CHIPS_SOFT_AES128_H
#define VMUX_CHIPS_SOFT_AES128_H

#include <stdint.h>

#include "hil/crypto.h"

#define AES128_ROUNDS 10u
#define AES128_SCHEDULE_SIZE (AES_BLOCK_SIZE * (AES128_ROUNDS + 1u))  /* 176 */

struct aes128_schedule {
    uint8_t round_key[AES128_SCHEDULE_SIZE];
};

void aes128_expand_key(struct aes128_schedule *s, const uint8_t key[AES128_KEY_SIZE]);

void aes128_encrypt_block(const struct aes128_schedule *s,
                          const uint8_t in[AES_BLOCK_SIZE], uint8_t out[AES_BLOCK_SIZE]);

void aes128_decrypt_block(const struct aes128_schedule *s,
                          const uint8_t in[AES_BLOCK_SIZE], uint8_t out[AES_BLOCK_SIZE]);

#endif
