/* The CTR_DRBG entropy source (chips/soft/ctr_drbg.h): its output is
 * SP 800-90A's CTR_DRBG with AES-128 and no derivation function (compared
 * with the same construction written here over OpenSSL's AES, another
 * implementation of the cipher), it rekeys after every request, it never
 * hands out the same block twice, and it keeps the HIL's contract
 * (split phase, OFF until seeded, cancel). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "boards/test/test_board.h"
#include "capsules/rng_mux.h"
#include "chips/soft/ctr_drbg.h"
#include "kernel/deferred.h"

static struct ctr_drbg drbg;
static struct hil_entropy_client client;
static unsigned done_count;
static size_t done_len;
static vmux_err_t done_status;

static void fill_done(struct hil_entropy_client *self, uint8_t *buf, size_t filled,
                      vmux_err_t status)
{
    (void)self, (void)buf;
    done_count++;
    done_len = filled;
    done_status = status;
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(ctr_drbg_init(&drbg), VMUX_SUCCESS);
    client.fill_done = fill_done;
    hil_entropy_set_client(&drbg.hil, &client);
    done_count = 0;
    return 0;
}

/* ------------------------------------------------------------ the reference */

struct reference {
    uint8_t key[16], v[16];
};

static void aes(const uint8_t key[16], const uint8_t in[16], uint8_t out[16])
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, in, 16), 1);
    assert_int_equal(n, 16);
    EVP_CIPHER_CTX_free(ctx);
}

static void ref_block(struct reference *r, uint8_t out[16])
{
    for (int i = 15; i >= 0 && ++r->v[i] == 0; i--)
        ;
    aes(r->key, r->v, out);
}

static void ref_update(struct reference *r, const uint8_t provided[32])
{
    uint8_t t[32];
    ref_block(r, t);
    ref_block(r, t + 16);
    for (unsigned i = 0; i < 32; i++)
        t[i] ^= provided ? provided[i] : 0;
    memcpy(r->key, t, 16);
    memcpy(r->v, t + 16, 16);
}

static void ref_seed(struct reference *r, const uint8_t *m, size_t len)
{
    do {
        uint8_t chunk[32] = { 0 };
        size_t n = len < 32 ? len : 32;
        memcpy(chunk, m, n);
        ref_update(r, chunk);
        m += n;
        len -= n;
    } while (len);
}

static void ref_generate(struct reference *r, uint8_t *out, size_t len)
{
    for (size_t at = 0; at < len; at += 16) {
        uint8_t b[16];
        ref_block(r, b);
        memcpy(out + at, b, len - at < 16 ? len - at : 16);
    }
    ref_update(r, NULL);
}

/* ------------------------------------------------------------ helpers */

static void draw(uint8_t *buf, size_t len)
{
    unsigned before = done_count;
    assert_int_equal(hil_entropy_fill(&drbg.hil, buf, len), VMUX_SUCCESS);
    assert_int_equal(done_count, before); /* split phase */
    kernel_loop_once();
    assert_int_equal(done_count, before + 1);
    assert_int_equal(done_status, VMUX_SUCCESS);
    assert_int_equal(done_len, len);
}

static const uint8_t seed_a[48] = "board seed: adc readings, timer jitter, a MAC...";

/* ------------------------------------------------------------ tests */

static void drbg_is_ctr_drbg_aes128_without_df(void **state)
{
    (void)state;
    struct reference r = { { 0 }, { 0 } };
    ctr_drbg_seed(&drbg, seed_a, sizeof seed_a);
    ref_seed(&r, seed_a, sizeof seed_a);
    static const size_t lengths[] = { 1, 15, 16, 17, 32, 31, 100, 7 };
    for (unsigned k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
        uint8_t got[100], want[100];
        draw(got, lengths[k]);
        ref_generate(&r, want, lengths[k]);
        assert_memory_equal(got, want, lengths[k]);
        if (k == 4) { /* a reseed in the middle */
            ctr_drbg_seed(&drbg, (const uint8_t *)"more", 4);
            ref_seed(&r, (const uint8_t *)"more", 4);
        }
    }
    assert_memory_equal(drbg.key, r.key, 16);
    assert_memory_equal(drbg.v, r.v, 16);
}

/* Backtracking resistance: every request ends with a key no request used
 * before, so the state left cannot regenerate what was handed out. */
static void drbg_rekeys_after_every_request(void **state)
{
    (void)state;
    ctr_drbg_seed(&drbg, seed_a, sizeof seed_a);
    enum { N = 64 };
    static uint8_t keys[N + 1][16];
    memcpy(keys[0], drbg.key, 16);
    for (unsigned k = 1; k <= N; k++) {
        uint8_t out[8];
        draw(out, sizeof out);
        memcpy(keys[k], drbg.key, 16);
        for (unsigned j = 0; j < k; j++)
            assert_memory_not_equal(keys[k], keys[j], 16);
    }
}

static int block_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 16);
}

/* A CSPRNG never hands out the same bytes twice: 4096 requests of 32
 * bytes, two blocks each, and no 16-byte block repeats anywhere. */
static void drbg_never_hands_out_the_same_block_twice(void **state)
{
    (void)state;
    ctr_drbg_seed(&drbg, (const uint8_t *)"x", 1); /* even a poor seed */
    enum { REQUESTS = 4096 };
    uint8_t (*blocks)[16] = malloc(2 * REQUESTS * 16);
    assert_non_null(blocks);
    for (unsigned k = 0; k < REQUESTS; k++)
        draw(blocks[2 * k], 32);
    qsort(blocks, 2 * REQUESTS, 16, block_cmp);
    for (unsigned k = 1; k < 2 * REQUESTS; k++)
        assert_memory_not_equal(blocks[k - 1], blocks[k], 16);
    free(blocks);
    /* and the same seed twice gives different bytes: a reseed mixes into
     * the state, it does not restart it */
    uint8_t a[32], b[32];
    ctr_drbg_seed(&drbg, seed_a, sizeof seed_a);
    draw(a, sizeof a);
    ctr_drbg_seed(&drbg, seed_a, sizeof seed_a);
    draw(b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
}

static void drbg_keeps_the_entropy_hil_contract(void **state)
{
    (void)state;
    uint8_t buf[16];
    assert_int_equal(hil_entropy_fill(&drbg.hil, buf, sizeof buf), VMUX_OFF); /* unseeded */
    ctr_drbg_seed(&drbg, seed_a, sizeof seed_a);
    assert_int_equal(hil_entropy_fill(&drbg.hil, NULL, 4), VMUX_INVALID);
    assert_int_equal(hil_entropy_fill(&drbg.hil, buf, 0), VMUX_SIZE);
    assert_int_equal(hil_entropy_cancel(&drbg.hil), VMUX_ALREADY);
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(hil_entropy_fill(&drbg.hil, buf, sizeof buf), VMUX_SUCCESS);
    assert_int_equal(hil_entropy_fill(&drbg.hil, buf, sizeof buf), VMUX_BUSY);
    assert_int_equal(hil_entropy_cancel(&drbg.hil), VMUX_SUCCESS);
    kernel_loop_once();
    assert_int_equal(done_count, 0); /* cancelled: no fill_done, nothing written */
    for (unsigned i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xee);
    draw(buf, sizeof buf);
    hil_entropy_set_client(&drbg.hil, NULL);
    assert_int_equal(hil_entropy_fill(&drbg.hil, buf, sizeof buf), VMUX_OFF);
}

/* The lm3s6965evb's wiring: the RNG mux over the DRBG. */
static struct rng_mux mux;
static struct client_entry *table[2];
static uint32_t rr_bits[RR_WORDS(2)];
static struct rng_mux_client a, b;
static uint8_t got[2][RNG_MUX_CHUNK];

static void got_bytes(struct rng_mux_client *c, const uint8_t *bytes, size_t len,
                      vmux_err_t status)
{
    assert_int_equal(status, VMUX_SUCCESS);
    memcpy(got[c == &b], bytes, len);
}

static void drbg_serves_the_rng_mux(void **state)
{
    (void)state;
    static const struct rng_mux_client_ops ops = { got_bytes };
    ctr_drbg_seed(&drbg, seed_a, sizeof seed_a);
    assert_int_equal(rng_mux_init(&mux, &drbg.hil, table, rr_bits, 2), VMUX_SUCCESS);
    assert_int_equal(rng_mux_attach(&mux, &a, client_register_kernel("a"), &ops), VMUX_SUCCESS);
    assert_int_equal(rng_mux_attach(&mux, &b, client_process(0, 1), &ops), VMUX_SUCCESS);
    assert_int_equal(rng_mux_get(&a, RNG_MUX_CHUNK), VMUX_SUCCESS);
    assert_int_equal(rng_mux_get(&b, RNG_MUX_CHUNK), VMUX_SUCCESS);
    for (unsigned i = 0; i < 4; i++)
        kernel_loop_once();
    assert_int_equal(mux.counters.fills, 2);
    assert_memory_not_equal(got[0], got[1], RNG_MUX_CHUNK);
    for (unsigned i = 0; i < RNG_MUX_CHUNK; i++)
        assert_int_equal(mux.buf[i], 0);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(drbg_is_ctr_drbg_aes128_without_df),
        T(drbg_rekeys_after_every_request),
        T(drbg_never_hands_out_the_same_block_twice),
        T(drbg_keeps_the_entropy_hil_contract),
        T(drbg_serves_the_rng_mux),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
