#include "chips/soft/aes_cmac.h"

#include <stdbool.h>

#include "kernel/wipe.h"

/* Doubling in GF(2^128) with the CMAC polynomial: shift left by one bit,
 * and fold the bit shifted out back in as 0x87 (SP 800-38B, 6.1). */
static void double_block(uint8_t b[AES_BLOCK_SIZE])
{
    uint8_t carry = b[0] >> 7;
    for (unsigned i = 0; i + 1 < AES_BLOCK_SIZE; i++)
        b[i] = (uint8_t)(b[i] << 1 | b[i + 1] >> 7);
    b[AES_BLOCK_SIZE - 1] = (uint8_t)(b[AES_BLOCK_SIZE - 1] << 1 ^ (carry ? 0x87 : 0));
}

void aes128_cmac(const struct aes128_schedule *s, const uint8_t *msg, size_t len,
                 uint8_t tag[AES_CMAC_TAG_SIZE])
{
    uint8_t x[AES_BLOCK_SIZE] = { 0 }, subkey[AES_BLOCK_SIZE] = { 0 };
    /* The subkey: K1 for a last block that is whole, K2 for one padded. */
    aes128_encrypt_block(s, subkey, subkey);
    double_block(subkey);
    bool whole = len > 0 && len % AES_BLOCK_SIZE == 0;
    if (!whole)
        double_block(subkey);
    size_t last = whole ? len - AES_BLOCK_SIZE : len - len % AES_BLOCK_SIZE;
    for (size_t at = 0; at < last; at += AES_BLOCK_SIZE) {
        for (unsigned i = 0; i < AES_BLOCK_SIZE; i++)
            x[i] ^= msg[at + i];
        aes128_encrypt_block(s, x, x);
    }
    for (unsigned i = 0; i < AES_BLOCK_SIZE; i++) {
        uint8_t m = last + i < len ? msg[last + i] : last + i == len ? 0x80 : 0;
        x[i] ^= m ^ subkey[i];
    }
    aes128_encrypt_block(s, x, tag);
    wipe(x, sizeof x);
    wipe(subkey, sizeof subkey);
}
