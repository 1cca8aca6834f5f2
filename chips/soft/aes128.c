#include "chips/soft/aes128.h"

#include <stdbool.h>
#include <string.h>

#include "kernel/wipe.h"

/*
 * The cipher state is kept as 16 bytes in input order, which is FIPS-197's
 * column-major layout: byte r + 4c is row r of column c.
 */
#define ROW_COL(r, c) ((r) + 4 * (c))

/*
 * SubBytes and its inverse, built in RAM the first time a key is expanded
 * rather than kept as two 256-byte tables in flash. S(x) is the
 * multiplicative inverse of x in GF(2^8) (0 for 0) followed by the affine
 * map b ^ rotl(b,1) ^ rotl(b,2) ^ rotl(b,3) ^ rotl(b,4) ^ 0x63. The walk
 * visits every non-zero element once: p runs through the powers of the
 * generator {03}, and q through the powers of its inverse, so q is always
 * p's inverse. No key is expanded, so no block is ciphered, before the
 * tables are ready; the kernel is single-threaded.
 */
static uint8_t sbox[256];
static uint8_t inv_sbox[256];

static uint8_t rotl8(uint8_t b, unsigned n)
{
    return (uint8_t)((b << n) | (b >> (8 - n)));
}

static void build_sboxes(void)
{
    uint8_t p = 1, q = 1;
    do {
        p = (uint8_t)(p ^ (p << 1) ^ ((p & 0x80) ? 0x1b : 0x00)); /* p * {03} */
        q = (uint8_t)(q ^ (q << 1));                               /* q / {03} */
        q = (uint8_t)(q ^ (q << 2));
        q = (uint8_t)(q ^ (q << 4));
        if (q & 0x80)
            q ^= 0x09;
        uint8_t s = (uint8_t)(q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63);
        sbox[p] = s;
        inv_sbox[s] = p;
    } while (p != 1);
    sbox[0] = 0x63;
    inv_sbox[0x63] = 0;
}

/* Multiply by x in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
static uint8_t xtime(uint8_t a)
{
    return (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0x00));
}

/*
 * Byte by byte: byte i of the schedule is byte i - 16 xor byte i - 4, except
 * that the first word of each round key takes SubWord(RotWord()) of the
 * word before it, its first byte also xor the round constant rc.
 */
void aes128_expand_key(struct aes128_schedule *s, const uint8_t key[AES128_KEY_SIZE])
{
    uint8_t *w = s->round_key;
    uint8_t rc = 1;

    if (sbox[0] == 0)
        build_sboxes();

    memcpy(w, key, AES128_KEY_SIZE);
    for (unsigned i = AES128_KEY_SIZE; i < AES128_SCHEDULE_SIZE; i++) {
        uint8_t t = w[i - 4];
        if (i % 16 < 4) {
            t = sbox[w[i % 4 == 3 ? i - 7 : i - 3]]; /* rotated: the word's next byte */
            if (i % 16 == 0) {
                t ^= rc;
                rc = xtime(rc);
            }
        }
        w[i] = (uint8_t)(w[i - 16] ^ t);
    }
}

static void add_round_key(uint8_t state[AES_BLOCK_SIZE], const struct aes128_schedule *s,
                          unsigned round)
{
    const uint8_t *k = &s->round_key[AES_BLOCK_SIZE * round];
    for (unsigned i = 0; i < AES_BLOCK_SIZE; i++)
        state[i] ^= k[i];
}

/*
 * SubBytes and ShiftRows together, or their inverses (with inv_sbox). Row r
 * moves r columns left: byte r + 4c comes from column c + r, which is
 * 4r bytes further on, modulo 16 (12r, 4r back, for InvShiftRows).
 */
static void sub_shift(uint8_t state[AES_BLOCK_SIZE], bool inverse)
{
    const uint8_t *table = inverse ? inv_sbox : sbox;
    unsigned step = inverse ? 12 : 4;
    uint8_t old[AES_BLOCK_SIZE];
    memcpy(old, state, sizeof old);
    for (unsigned i = 0; i < AES_BLOCK_SIZE; i++)
        state[i] = table[old[(i + step * (i % 4)) % AES_BLOCK_SIZE]];
    wipe(old, sizeof old);
}

/*
 * Each column times {03}x^3 + {01}x^2 + {01}x + {02}, modulo x^4 + 1.
 * InvMixColumns is the same after multiplying the column by {04}x^2 + {05}
 * (The Design of Rijndael, 4.1.3): a0 and a2 gain {04}(a0 + a2), a1 and a3
 * gain {04}(a1 + a3).
 */
static void mix_columns(uint8_t state[AES_BLOCK_SIZE], bool inverse)
{
    for (unsigned c = 0; c < 4; c++) {
        uint8_t *col = &state[ROW_COL(0, c)];
        if (inverse) {
            uint8_t u = xtime(xtime((uint8_t)(col[0] ^ col[2])));
            uint8_t v = xtime(xtime((uint8_t)(col[1] ^ col[3])));
            col[0] ^= u;
            col[1] ^= v;
            col[2] ^= u;
            col[3] ^= v;
        }
        uint8_t a0 = col[0], a1 = col[1], a2 = col[2], a3 = col[3];
        uint8_t all = (uint8_t)(a0 ^ a1 ^ a2 ^ a3);
        /* {02}a0 + {03}a1 + a2 + a3 = a0 + all + {02}(a0 + a1); the
         * other rows are the same with the column rotated. */
        col[0] = (uint8_t)(a0 ^ all ^ xtime((uint8_t)(a0 ^ a1)));
        col[1] = (uint8_t)(a1 ^ all ^ xtime((uint8_t)(a1 ^ a2)));
        col[2] = (uint8_t)(a2 ^ all ^ xtime((uint8_t)(a2 ^ a3)));
        col[3] = (uint8_t)(a3 ^ all ^ xtime((uint8_t)(a3 ^ a0)));
    }
}

/*
 * The cipher of FIPS-197 section 5.1, or the straightforward inverse cipher
 * of section 5.3 with InvShiftRows and InvSubBytes swapped (they commute).
 */
static void cipher(const struct aes128_schedule *s, const uint8_t in[AES_BLOCK_SIZE],
                   uint8_t out[AES_BLOCK_SIZE], bool inverse)
{
    uint8_t state[AES_BLOCK_SIZE];
    memcpy(state, in, sizeof state);

    add_round_key(state, s, inverse ? AES128_ROUNDS : 0);
    for (unsigned round = 1; round <= AES128_ROUNDS; round++) {
        sub_shift(state, inverse);
        if (!inverse && round < AES128_ROUNDS)
            mix_columns(state, false);
        add_round_key(state, s, inverse ? AES128_ROUNDS - round : round);
        if (inverse && round < AES128_ROUNDS)
            mix_columns(state, true);
    }

    memcpy(out, state, sizeof state);
    wipe(state, sizeof state);
}

void aes128_encrypt_block(const struct aes128_schedule *s,
                          const uint8_t in[AES_BLOCK_SIZE], uint8_t out[AES_BLOCK_SIZE])
{
    cipher(s, in, out, false);
}

void aes128_decrypt_block(const struct aes128_schedule *s,
                          const uint8_t in[AES_BLOCK_SIZE], uint8_t out[AES_BLOCK_SIZE])
{
    cipher(s, in, out, true);
}
