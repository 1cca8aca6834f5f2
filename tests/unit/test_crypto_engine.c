/*
 * The software crypto engine as a peripheral: split phase, one operation
 * at a time, argument checks, key registers that wipe, K slots, in-place
 * buffers, cancellation. The cipher itself is checked in test_aes128.c.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/deferred.h"

/* FIPS-197 C.1 and the first block of SP 800-38A F.1.1: two keys with
 * known answers, so a test can tell which key a slot used. */
static const uint8_t key_a[16] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t plain_a[16] = {
    0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};
static const uint8_t cipher_a[16] = {
    0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
    0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a,
};
static const uint8_t key_b[16] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const uint8_t plain_b[16] = {
    0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
    0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a,
};
static const uint8_t cipher_b[16] = {
    0x3a, 0xd7, 0x7b, 0xb4, 0x0d, 0x7a, 0x36, 0x60,
    0xa8, 0x9e, 0xca, 0xf3, 0x24, 0x66, 0xef, 0x97,
};
/* SP 800-38A F.2.1: key_b, this iv, plaintext starting with plain_b. */
static const uint8_t cbc_iv[16] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t cbc_cipher_b[16] = {
    0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
    0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d,
};

/* ------------------------------------------------------------ fixture */

static struct crypto_engine engine;
static struct crypto_engine_slot slots[4];

/* What the client saw: every completion, and what it carried. */
struct recorder {
    struct hil_crypto_client client;
    unsigned calls;
    const uint8_t *in;
    uint8_t *out;
    size_t len;
    vmux_err_t status;
    bool inside_crypt;      /* set while a test is inside start_crypt() */
    bool called_inside;     /* a completion came during start_crypt() */
    void (*then)(struct recorder *r);   /* optional: run from the callback */
};

static struct recorder rec;

static void crypt_done(struct hil_crypto_client *self, const uint8_t *in, uint8_t *out,
                       size_t len, vmux_err_t status)
{
    struct recorder *r = container_of(self, struct recorder, client);
    r->calls++;
    r->in = in;
    r->out = out;
    r->len = len;
    r->status = status;
    if (r->inside_crypt)
        r->called_inside = true;
    if (r->then != NULL)
        r->then(r);
}

static void recorder_attach(struct recorder *r, struct crypto_engine *e)
{
    memset(r, 0, sizeof *r);
    r->client.crypt_done = crypt_done;
    hil_crypto_set_client(&e->hil, &r->client);
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(crypto_engine_init(&engine, slots, 4), VMUX_SUCCESS);
    recorder_attach(&rec, &engine);
    return 0;
}

static vmux_err_t start_crypt(unsigned slot, enum hil_crypto_op op, const uint8_t *iv,
                        const uint8_t *in, uint8_t *out, size_t len)
{
    rec.inside_crypt = true;
    vmux_err_t err = hil_crypto_crypt(&engine.hil, slot, op, iv, in, out, len);
    rec.inside_crypt = false;
    return err;
}

static void load(unsigned slot, const uint8_t key[16])
{
    assert_int_equal(hil_crypto_load_key(&engine.hil, slot, key), VMUX_SUCCESS);
}

/* ECB-encrypt one block with slot and return the completion status. */
static vmux_err_t encrypt_block(unsigned slot, const uint8_t in[16], uint8_t out[16])
{
    unsigned before = rec.calls;
    vmux_err_t err = start_crypt(slot, CRYPTO_ECB_ENCRYPT, NULL, in, out, 16);
    if (err != VMUX_SUCCESS)
        return err;
    kernel_loop_once();
    assert_int_equal(rec.calls, before + 1);
    return rec.status;
}

static bool all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != 0)
            return false;
    return true;
}

static bool register_is_zero(const struct crypto_engine *e, unsigned slot)
{
    size_t len = 0;
    const uint8_t *reg = crypto_engine_slot_register(e, slot, &len);
    assert_non_null(reg);
    return all_zero(reg, len);
}

/* A rejected request starts nothing: no work pending, no callback. */
static void assert_nothing_started(void)
{
    unsigned before = rec.calls;
    assert_false(deferred_call_pending());
    kernel_loop_once();
    assert_int_equal(rec.calls, before);
}

/* ------------------------------------------------------------ split phase */

static void completes_from_the_loop_not_inside_crypt(void **state)
{
    (void)state;
    uint8_t out[16] = {0};
    load(0, key_a);

    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16), VMUX_SUCCESS);
    assert_int_equal(rec.calls, 0);
    assert_true(all_zero(out, 16));           /* the work waits for the loop too */
    assert_true(deferred_call_pending());

    assert_int_equal(kernel_loop_once(), 1);
    assert_int_equal(rec.calls, 1);
    assert_false(rec.called_inside);
    assert_int_equal(rec.status, VMUX_SUCCESS);
    assert_ptr_equal(rec.in, plain_a);        /* both buffers handed back */
    assert_ptr_equal(rec.out, out);
    assert_int_equal(rec.len, 16);
    assert_memory_equal(out, cipher_a, 16);

    /* Exactly one callback: nothing more on later turns. */
    kernel_loop_once();
    assert_int_equal(rec.calls, 1);
    assert_int_equal(engine.counters.completed, 1);
    assert_int_equal(engine.counters.bytes, 16);
}

static void second_request_in_flight_is_busy(void **state)
{
    (void)state;
    uint8_t first[16], second[16];
    memset(second, 0x5a, sizeof second);
    load(0, key_a);
    load(1, key_b);

    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_a, first, 16), VMUX_SUCCESS);
    assert_int_equal(start_crypt(1, CRYPTO_ECB_ENCRYPT, NULL, plain_b, second, 16), VMUX_BUSY);
    assert_int_equal(start_crypt(0, CRYPTO_CTR, cbc_iv, plain_b, second, 3), VMUX_BUSY);

    kernel_loop_once();
    assert_int_equal(rec.calls, 1);
    assert_ptr_equal(rec.out, first);
    assert_memory_equal(first, cipher_a, 16);
    for (size_t i = 0; i < sizeof second; i++)
        assert_int_equal(second[i], 0x5a);    /* the rejected one never ran */
    assert_int_equal(engine.counters.rejected_busy, 2);

    /* Once done, the engine takes the next request. */
    assert_int_equal(encrypt_block(1, plain_b, second), VMUX_SUCCESS);
    assert_memory_equal(second, cipher_b, 16);
}

static struct {
    uint8_t out[16];
    vmux_err_t err;
} chained;

static void start_next(struct recorder *r)
{
    r->then = NULL;
    chained.err = hil_crypto_crypt(&engine.hil, 1, CRYPTO_ECB_ENCRYPT, NULL, plain_b,
                                   chained.out, 16);
}

/* The engine is free again by the time crypt_done runs. */
static void next_request_from_inside_the_callback(void **state)
{
    (void)state;
    uint8_t out[16];
    load(0, key_a);
    load(1, key_b);
    rec.then = start_next;

    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16), VMUX_SUCCESS);
    kernel_loop_once();
    assert_int_equal(rec.calls, 1);
    assert_int_equal(chained.err, VMUX_SUCCESS);

    /* And its completion is a later turn's, not this one's. */
    kernel_loop_once();
    assert_int_equal(rec.calls, 2);
    assert_ptr_equal(rec.out, chained.out);
    assert_memory_equal(chained.out, cipher_b, 16);
}

/* The iv is read at request time; the caller may reuse it at once. */
static void iv_is_copied_at_request_time(void **state)
{
    (void)state;
    uint8_t iv[16], out[16];
    memcpy(iv, cbc_iv, sizeof iv);
    load(0, key_b);

    assert_int_equal(start_crypt(0, CRYPTO_CBC_ENCRYPT, iv, plain_b, out, 16), VMUX_SUCCESS);
    memset(iv, 0xee, sizeof iv);
    kernel_loop_once();
    assert_int_equal(rec.status, VMUX_SUCCESS);
    assert_memory_equal(out, cbc_cipher_b, 16);
}

/* ------------------------------------------------------------ rejections */

static void empty_slot_is_reserve(void **state)
{
    (void)state;
    uint8_t out[16];
    for (unsigned slot = 0; slot < 4; slot++)
        assert_int_equal(start_crypt(slot, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16),
                         VMUX_RESERVE);
    load(2, key_a);
    assert_int_equal(start_crypt(1, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16), VMUX_RESERVE);
    assert_nothing_started();
    assert_int_equal(engine.counters.rejected_reserve, 5);
}

static void bad_slot_buffers_op_or_iv_are_invalid(void **state)
{
    (void)state;
    uint8_t out[16];
    load(0, key_a);

    assert_int_equal(start_crypt(4, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16), VMUX_INVALID);
    assert_int_equal(start_crypt(UINT_MAX, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16),
                     VMUX_INVALID);
    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, NULL, out, 16), VMUX_INVALID);
    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_a, NULL, 16), VMUX_INVALID);
    assert_int_equal(start_crypt(0, (enum hil_crypto_op)99, cbc_iv, plain_a, out, 16),
                     VMUX_INVALID);
    assert_int_equal(start_crypt(0, CRYPTO_CBC_ENCRYPT, NULL, plain_a, out, 16), VMUX_INVALID);
    assert_int_equal(start_crypt(0, CRYPTO_CBC_DECRYPT, NULL, plain_a, out, 16), VMUX_INVALID);
    assert_int_equal(start_crypt(0, CRYPTO_CTR, NULL, plain_a, out, 16), VMUX_INVALID);
    assert_int_equal(hil_crypto_load_key(&engine.hil, 4, key_b), VMUX_INVALID);
    assert_int_equal(hil_crypto_clear_slot(&engine.hil, 4), VMUX_INVALID);
    assert_nothing_started();
    assert_int_equal(engine.counters.rejected_invalid, 10);

    /* The slot survived the bad calls, and ECB needs no iv. */
    assert_int_equal(encrypt_block(0, plain_a, out), VMUX_SUCCESS);
    assert_memory_equal(out, cipher_a, 16);
}

static void bad_length_is_size(void **state)
{
    (void)state;
    uint8_t buf[48] = {0};
    load(0, key_a);

    const enum hil_crypto_op ops[] = {
        CRYPTO_ECB_ENCRYPT, CRYPTO_ECB_DECRYPT, CRYPTO_CBC_ENCRYPT, CRYPTO_CBC_DECRYPT,
        CRYPTO_CTR,
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        assert_int_equal(start_crypt(0, ops[i], cbc_iv, buf, buf, 0), VMUX_SIZE);
    for (size_t i = 0; i < 4; i++) {   /* the block modes */
        assert_int_equal(start_crypt(0, ops[i], cbc_iv, buf, buf, 1), VMUX_SIZE);
        assert_int_equal(start_crypt(0, ops[i], cbc_iv, buf, buf, 15), VMUX_SIZE);
        assert_int_equal(start_crypt(0, ops[i], cbc_iv, buf, buf, 17), VMUX_SIZE);
        assert_int_equal(start_crypt(0, ops[i], cbc_iv, buf, buf, 47), VMUX_SIZE);
    }
    assert_nothing_started();
    assert_int_equal(engine.counters.rejected_size, 5 + 4 * 4);

    /* CTR takes any length. */
    assert_int_equal(start_crypt(0, CRYPTO_CTR, cbc_iv, buf, buf, 17), VMUX_SUCCESS);
    kernel_loop_once();
    assert_int_equal(rec.status, VMUX_SUCCESS);
    assert_int_equal(rec.len, 17);
}

static void no_client_is_off(void **state)
{
    (void)state;
    uint8_t out[16];
    load(0, key_a);
    hil_crypto_set_client(&engine.hil, NULL);
    assert_int_equal(hil_crypto_crypt(&engine.hil, 0, CRYPTO_ECB_ENCRYPT, NULL, plain_a,
                                      out, 16),
                     VMUX_OFF);
    assert_false(deferred_call_pending());
}

static void init_checks_its_arguments(void **state)
{
    (void)state;
    struct crypto_engine other;
    assert_int_equal(crypto_engine_init(&other, NULL, 4), VMUX_INVALID);
    assert_int_equal(crypto_engine_init(&other, slots, 0), VMUX_INVALID);
}

/* ------------------------------------------------------------ key registers */

static void clear_slot_zeroes_the_register_and_empties_it(void **state)
{
    (void)state;
    uint8_t out[16];
    size_t len = 0;
    const uint8_t *reg = crypto_engine_slot_register(&engine, 2, &len);
    assert_non_null(reg);
    assert_int_equal(len, AES128_KEY_SIZE + AES128_SCHEDULE_SIZE);
    assert_true(all_zero(reg, len));          /* init leaves slots empty */

    load(2, key_a);
    /* The accessor shows the real register: the key, then round keys. */
    assert_memory_equal(reg, key_a, 16);
    assert_false(all_zero(reg + 16, len - 16));
    assert_false(all_zero(reg + len - 16, 16)); /* the last round key too */

    assert_int_equal(hil_crypto_clear_slot(&engine.hil, 2), VMUX_SUCCESS);
    assert_true(all_zero(reg, len));
    assert_int_equal(encrypt_block(2, plain_a, out), VMUX_RESERVE);

    /* Clearing an empty slot is fine; reloading makes it usable again. */
    assert_int_equal(hil_crypto_clear_slot(&engine.hil, 2), VMUX_SUCCESS);
    load(2, key_a);
    assert_int_equal(encrypt_block(2, plain_a, out), VMUX_SUCCESS);
    assert_memory_equal(out, cipher_a, 16);

    assert_null(crypto_engine_slot_register(&engine, 4, &len));
    assert_int_equal(len, 0);
}

static void slots_are_independent(void **state)
{
    (void)state;
    uint8_t out[16];
    size_t len;
    load(0, key_a);
    uint8_t snapshot[AES128_KEY_SIZE + AES128_SCHEDULE_SIZE];
    memcpy(snapshot, crypto_engine_slot_register(&engine, 0, &len), sizeof snapshot);

    load(1, key_b);
    load(3, key_b);
    assert_int_equal(hil_crypto_clear_slot(&engine.hil, 3), VMUX_SUCCESS);

    assert_memory_equal(crypto_engine_slot_register(&engine, 0, &len), snapshot,
                        sizeof snapshot);
    assert_int_equal(encrypt_block(0, plain_a, out), VMUX_SUCCESS);
    assert_memory_equal(out, cipher_a, 16);
    assert_int_equal(encrypt_block(1, plain_b, out), VMUX_SUCCESS);
    assert_memory_equal(out, cipher_b, 16);

    /* Reloading a slot replaces its key. */
    load(0, key_b);
    assert_int_equal(encrypt_block(0, plain_b, out), VMUX_SUCCESS);
    assert_memory_equal(out, cipher_b, 16);
}

/* ------------------------------------------------------------ cancellation */

static void clearing_the_slot_in_flight_cancels(void **state)
{
    (void)state;
    uint8_t out[16];
    memset(out, 0x5a, sizeof out);
    load(0, key_a);

    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16), VMUX_SUCCESS);
    assert_int_equal(hil_crypto_clear_slot(&engine.hil, 0), VMUX_SUCCESS);
    assert_true(register_is_zero(&engine, 0));

    kernel_loop_once();
    assert_int_equal(rec.calls, 1);           /* still exactly one completion */
    assert_int_equal(rec.status, VMUX_CANCEL);
    assert_ptr_equal(rec.out, out);
    for (size_t i = 0; i < sizeof out; i++)
        assert_int_equal(out[i], 0x5a);       /* nothing was computed */
    assert_int_equal(engine.counters.cancelled, 1);
    assert_int_equal(engine.counters.completed, 0);
}

static void reloading_the_slot_in_flight_cancels(void **state)
{
    (void)state;
    uint8_t out[16];
    load(0, key_a);
    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_b, out, 16), VMUX_SUCCESS);
    load(0, key_b);
    kernel_loop_once();
    assert_int_equal(rec.status, VMUX_CANCEL);

    /* The new key is in place for the next request. */
    assert_int_equal(encrypt_block(0, plain_b, out), VMUX_SUCCESS);
    assert_memory_equal(out, cipher_b, 16);
}

static void other_slots_in_flight_do_not_cancel(void **state)
{
    (void)state;
    uint8_t out[16];
    load(0, key_a);
    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, plain_a, out, 16), VMUX_SUCCESS);
    load(1, key_b);
    assert_int_equal(hil_crypto_clear_slot(&engine.hil, 2), VMUX_SUCCESS);
    kernel_loop_once();
    assert_int_equal(rec.status, VMUX_SUCCESS);
    assert_memory_equal(out, cipher_a, 16);
}

/* ------------------------------------------------------------ buffers */

static void in_place_works_in_every_mode(void **state)
{
    (void)state;
    uint8_t buf[32], copy[32];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 7 + 1);
    memcpy(copy, buf, sizeof buf);
    load(0, key_b);

    /* First blocks against known answers. */
    uint8_t one[16];
    memcpy(one, plain_b, 16);
    assert_int_equal(start_crypt(0, CRYPTO_ECB_ENCRYPT, NULL, one, one, 16), VMUX_SUCCESS);
    kernel_loop_once();
    assert_memory_equal(one, cipher_b, 16);
    memcpy(one, plain_b, 16);
    assert_int_equal(start_crypt(0, CRYPTO_CBC_ENCRYPT, cbc_iv, one, one, 16), VMUX_SUCCESS);
    kernel_loop_once();
    assert_memory_equal(one, cbc_cipher_b, 16);

    /* Round trips in place, 32 bytes (CBC chains) and 21 (CTR tail). */
    const struct { enum hil_crypto_op there, back; size_t len; } trips[] = {
        { CRYPTO_ECB_ENCRYPT, CRYPTO_ECB_DECRYPT, 32 },
        { CRYPTO_CBC_ENCRYPT, CRYPTO_CBC_DECRYPT, 32 },
        { CRYPTO_CTR, CRYPTO_CTR, 21 },
    };
    for (size_t t = 0; t < sizeof trips / sizeof trips[0]; t++) {
        assert_int_equal(start_crypt(0, trips[t].there, cbc_iv, buf, buf, trips[t].len),
                         VMUX_SUCCESS);
        kernel_loop_once();
        assert_int_equal(rec.status, VMUX_SUCCESS);
        assert_memory_not_equal(buf, copy, trips[t].len);
        assert_int_equal(start_crypt(0, trips[t].back, cbc_iv, buf, buf, trips[t].len),
                         VMUX_SUCCESS);
        kernel_loop_once();
        assert_int_equal(rec.status, VMUX_SUCCESS);
        assert_memory_equal(buf, copy, sizeof buf);
    }
}

/* ------------------------------------------------------------ K */

/* K is whatever the board gives: 1 and 8 work side by side, and neither
 * engine reaches past the storage it was given. */
static void one_and_eight_slots(void **state)
{
    (void)state;
    static struct crypto_engine small, large;
    static struct crypto_engine_slot small_slots[2], large_slots[9];
    struct recorder small_rec, large_rec;
    uint8_t out[16];

    memset(&small_slots[1], 0xaa, sizeof small_slots[1]);   /* guards past K */
    memset(&large_slots[8], 0xaa, sizeof large_slots[8]);
    assert_int_equal(crypto_engine_init(&small, small_slots, 1), VMUX_SUCCESS);
    assert_int_equal(crypto_engine_init(&large, large_slots, 8), VMUX_SUCCESS);
    recorder_attach(&small_rec, &small);
    recorder_attach(&large_rec, &large);
    assert_int_equal(hil_crypto_slot_count(&small.hil), 1);
    assert_int_equal(hil_crypto_slot_count(&large.hil), 8);

    assert_int_equal(hil_crypto_load_key(&small.hil, 1, key_a), VMUX_INVALID);
    assert_int_equal(hil_crypto_load_key(&large.hil, 8, key_a), VMUX_INVALID);
    assert_int_equal(hil_crypto_load_key(&small.hil, 0, key_a), VMUX_SUCCESS);

    /* Eight different keys: slot i gets key_b with its first byte xor i,
     * and only key_b itself (slot 0) gives the known answer. */
    for (unsigned i = 0; i < 8; i++) {
        uint8_t key[16];
        memcpy(key, key_b, 16);
        key[0] ^= (uint8_t)i;
        assert_int_equal(hil_crypto_load_key(&large.hil, i, key), VMUX_SUCCESS);
    }
    uint8_t first[8][16];
    for (unsigned i = 0; i < 8; i++) {
        assert_int_equal(hil_crypto_crypt(&large.hil, i, CRYPTO_ECB_ENCRYPT, NULL, plain_b,
                                          first[i], 16),
                         VMUX_SUCCESS);
        kernel_loop_once();
        assert_int_equal(large_rec.calls, i + 1);
        assert_int_equal(large_rec.status, VMUX_SUCCESS);
        for (unsigned j = 0; j < i; j++)
            assert_memory_not_equal(first[i], first[j], 16);
    }
    assert_memory_equal(first[0], cipher_b, 16);

    /* Both engines in flight at once: each is its own peripheral. */
    assert_int_equal(hil_crypto_crypt(&small.hil, 0, CRYPTO_ECB_ENCRYPT, NULL, plain_a,
                                      out, 16),
                     VMUX_SUCCESS);
    uint8_t large_out[16];
    assert_int_equal(hil_crypto_crypt(&large.hil, 7, CRYPTO_ECB_ENCRYPT, NULL, plain_b,
                                      large_out, 16),
                     VMUX_SUCCESS);
    kernel_loop_once();
    assert_int_equal(small_rec.calls, 1);
    assert_memory_equal(out, cipher_a, 16);
    assert_memory_equal(large_out, first[7], 16);

    for (unsigned i = 0; i < 8; i++)
        assert_int_equal(hil_crypto_clear_slot(&large.hil, i), VMUX_SUCCESS);
    for (unsigned i = 0; i < 8; i++)
        assert_true(register_is_zero(&large, i));
    assert_int_equal(hil_crypto_clear_slot(&small.hil, 0), VMUX_SUCCESS);

    const uint8_t *guard = (const uint8_t *)&small_slots[1];
    for (size_t i = 0; i < sizeof small_slots[1]; i++)
        assert_int_equal(guard[i], 0xaa);
    guard = (const uint8_t *)&large_slots[8];
    for (size_t i = 0; i < sizeof large_slots[8]; i++)
        assert_int_equal(guard[i], 0xaa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(completes_from_the_loop_not_inside_crypt, setup),
        cmocka_unit_test_setup(second_request_in_flight_is_busy, setup),
        cmocka_unit_test_setup(next_request_from_inside_the_callback, setup),
        cmocka_unit_test_setup(iv_is_copied_at_request_time, setup),
        cmocka_unit_test_setup(empty_slot_is_reserve, setup),
        cmocka_unit_test_setup(bad_slot_buffers_op_or_iv_are_invalid, setup),
        cmocka_unit_test_setup(bad_length_is_size, setup),
        cmocka_unit_test_setup(no_client_is_off, setup),
        cmocka_unit_test_setup(init_checks_its_arguments, setup),
        cmocka_unit_test_setup(clear_slot_zeroes_the_register_and_empties_it, setup),
        cmocka_unit_test_setup(slots_are_independent, setup),
        cmocka_unit_test_setup(clearing_the_slot_in_flight_cancels, setup),
        cmocka_unit_test_setup(reloading_the_slot_in_flight_cancels, setup),
        cmocka_unit_test_setup(other_slots_in_flight_do_not_cancel, setup),
        cmocka_unit_test_setup(in_place_works_in_every_mode, setup),
        cmocka_unit_test_setup(one_and_eight_slots, setup),
    };
    return cmocka_run_group_tests_name("crypto_engine", tests, NULL, NULL);
}
