/*
 * SHA-256 (FIPS 180-4), for the credentials footers of TBF objects
 * (kernel/tbf.h, tbf_check_sha256). Portable and small: one compression
 * function over a 64-byte block, no tables beyond the 64 round
 * constants. Not constant time in the length (it hashes public data).
 *
 *   struct sha256 s;
 *   sha256_init(&s);
 *   sha256_update(&s, data, len);   (any number of times)
 *   sha256_final(&s, digest);       (32 bytes)
 */
#ifndef VMUX_KERNEL_SHA256_H
#define VMUX_KERNEL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32u

struct sha256 {
    uint32_t state[8];
    uint64_t bytes;      /* hashed so far */
    uint8_t block[64];   /* bytes % 64 of them waiting */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const uint8_t *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
