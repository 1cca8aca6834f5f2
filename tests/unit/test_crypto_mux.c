/* Crypto mux over the software engine: first-come-first-served key slots,
 * holder-only use, wipe on release, round-robin operations, departures.
 * Tests named after the policy clause they prove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/crypto_mux.h"
#include "chips/soft/aes128.h"
#include "chips/soft/crypto_engine.h"
#include "chips/sim/sim.h"
#include "kernel/deferred.h"

#define K 4
#define CLIENTS 6

static struct crypto_engine_slot registers[K];
static struct crypto_engine engine;
static struct crypto_mux mux;
static struct client_entry *client_table[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];

static struct probe {
    struct crypto_mux_client c;
    client_id_t id;
    uint8_t in[64], out[64];
    unsigned done;
    vmux_err_t status;
    const uint8_t *got_in;
    uint8_t *got_out;
} probes[CLIENTS];

static unsigned completion_order[256];
static unsigned completions;

static void probe_done(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out, size_t len,
                       vmux_err_t status)
{
    struct probe *p = container_of(c, struct probe, c);
    (void)len;
    p->done++;
    p->status = status;
    p->got_in = in;
    p->got_out = out;
    if (completions < 256)
        completion_order[completions++] = (unsigned)(p - probes);
}

static const struct crypto_mux_client_ops ops = { probe_done };

static const uint8_t key_a[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                   0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t key_b[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(crypto_engine_init(&engine, registers, K), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_init(&mux, &engine.hil, client_table, rr_bits, CLIENTS),
                     VMUX_SUCCESS);
    memset(probes, 0, sizeof probes);
    completions = 0;
    for (unsigned i = 0; i < CLIENTS; i++) {
        probes[i].id = client_process(i, 1);
        assert_int_equal(crypto_mux_attach(&mux, &probes[i].c, probes[i].id, &ops), VMUX_SUCCESS);
    }
    return 0;
}

static bool register_is_zero(unsigned slot)
{
    size_t len = 0;
    const uint8_t *reg = crypto_engine_slot_register(&engine, slot, &len);
    assert_non_null(reg);
    assert_true(len >= 16);
    for (size_t i = 0; i < len; i++)
        if (reg[i])
            return false;
    return true;
}

static void expected_ecb(const uint8_t key[16], const uint8_t *in, uint8_t *out, size_t len)
{
    struct aes128_schedule s;
    aes128_expand_key(&s, key);
    for (size_t b = 0; b < len; b += 16)
        aes128_encrypt_block(&s, in + b, out + b);
}

/* ------------------------------------------------------------ reservations */

static void availability_crypto_slots_reserved_first_come_first_served(void **state)
{
    (void)state;
    crypto_handle_t h[CLIENTS];
    for (unsigned i = 0; i < K; i++)
        assert_int_equal(crypto_mux_reserve(&probes[i].c, &h[i]), VMUX_SUCCESS);
    /* overcommitted: the later clients get nothing, the earlier keep theirs */
    assert_int_equal(crypto_mux_reserve(&probes[K].c, &h[K]), VMUX_NOMEM);
    assert_int_equal(crypto_mux_reserve(&probes[0].c, &h[K]), VMUX_NOMEM);
    assert_int_equal(mux.counters.reservations_refused, 2);
    assert_int_equal(crypto_mux_reserved_count(&mux), K);
    /* a release makes exactly one slot available to the next comer */
    assert_int_equal(crypto_mux_release(&probes[2].c, h[2]), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_reserve(&probes[K].c, &h[K]), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_reserve(&probes[K + 1].c, &h[K + 1]), VMUX_NOMEM);
}

static void confidentiality_crypto_only_the_holder_may_use_its_slot(void **state)
{
    (void)state;
    crypto_handle_t mine;
    assert_int_equal(crypto_mux_reserve(&probes[0].c, &mine), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_load_key(&probes[0].c, mine, key_a), VMUX_SUCCESS);
    struct probe *thief = &probes[1];
    assert_int_equal(crypto_mux_load_key(&thief->c, mine, key_b), VMUX_RESERVE);
    assert_int_equal(crypto_mux_crypt(&thief->c, mine, CRYPTO_ECB_ENCRYPT, NULL, thief->in,
                                      thief->out, 16), VMUX_RESERVE);
    assert_int_equal(crypto_mux_release(&thief->c, mine), VMUX_RESERVE);
    /* guessed handles: other generations, other slots, garbage */
    for (uint32_t gen = 0; gen < 64; gen++)
        for (unsigned slot = 0; slot < K; slot++) {
            crypto_handle_t guess = slot | (gen << 8);
            vmux_err_t e = crypto_mux_load_key(&thief->c, guess, key_b);
            assert_true(e == VMUX_RESERVE || e == VMUX_INVALID);
        }
    assert_int_equal(crypto_mux_load_key(&thief->c, 0, key_b), VMUX_INVALID);
    assert_int_equal(crypto_mux_load_key(&thief->c, 0xff | (1u << 8), key_b), VMUX_INVALID);
    assert_true(mux.counters.not_holder > 0);
    /* the holder's key was never replaced: its ciphertext is still key_a's */
    uint8_t want[16];
    memset(probes[0].in, 0x42, 16);
    expected_ecb(key_a, probes[0].in, want, 16);
    assert_int_equal(crypto_mux_crypt(&probes[0].c, mine, CRYPTO_ECB_ENCRYPT, NULL,
                                      probes[0].in, probes[0].out, 16), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(probes[0].status, VMUX_SUCCESS);
    assert_memory_equal(probes[0].out, want, 16);
}

static void confidentiality_crypto_released_slot_reads_zero_in_engine(void **state)
{
    (void)state;
    crypto_handle_t h;
    assert_int_equal(crypto_mux_reserve(&probes[0].c, &h), VMUX_SUCCESS);
    unsigned slot = h & 0xff;
    assert_int_equal(crypto_mux_load_key(&probes[0].c, h, key_a), VMUX_SUCCESS);
    assert_false(register_is_zero(slot));
    assert_int_equal(crypto_mux_release(&probes[0].c, h), VMUX_SUCCESS);
    assert_true(register_is_zero(slot));
    /* the next holder of the slot cannot use the old key: the slot is empty */
    crypto_handle_t h2;
    assert_int_equal(crypto_mux_reserve(&probes[1].c, &h2), VMUX_SUCCESS);
    assert_int_equal(h2 & 0xff, slot);
    assert_int_equal(crypto_mux_crypt(&probes[1].c, h2, CRYPTO_ECB_ENCRYPT, NULL, probes[1].in,
                                      probes[1].out, 16), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(probes[1].status, VMUX_RESERVE); /* engine: empty slot */
    /* and the old handle is stale for its old holder */
    assert_int_equal(crypto_mux_load_key(&probes[0].c, h, key_a), VMUX_RESERVE);
}

static void confidentiality_crypto_departure_clears_and_releases_slots(void **state)
{
    (void)state;
    crypto_handle_t h1, h2;
    assert_int_equal(crypto_mux_reserve(&probes[3].c, &h1), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_reserve(&probes[3].c, &h2), VMUX_SUCCESS);
    crypto_mux_load_key(&probes[3].c, h1, key_a);
    crypto_mux_load_key(&probes[3].c, h2, key_b);
    /* an operation in flight when the client goes away */
    memset(probes[3].out, 0xee, 64);
    assert_int_equal(crypto_mux_crypt(&probes[3].c, h1, CRYPTO_ECB_ENCRYPT, NULL, probes[3].in,
                                      probes[3].out, 64), VMUX_SUCCESS);
    client_departed(probes[3].id);
    sim_settle();
    assert_true(register_is_zero(h1 & 0xff));
    assert_true(register_is_zero(h2 & 0xff));
    assert_int_equal(crypto_mux_reserved_count(&mux), 0);
    assert_int_equal(probes[3].done, 0);            /* no callback to the departed */
    for (int i = 0; i < 64; i++)
        assert_int_equal(probes[3].out[i], 0xee);   /* nothing written */
    /* a restarted process (new generation) is a different client */
    struct probe reborn = {0};
    assert_int_equal(crypto_mux_attach(&mux, &reborn.c, client_process(3, 2), &ops), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_load_key(&reborn.c, h1, key_a), VMUX_RESERVE);
}

/* The engine still works on the departed client's operation when a new
 * client takes its place in the table: the engine's completion (a
 * cancellation) is not the newcomer's, whose operation then runs. */
static void availability_crypto_departure_in_flight_does_not_end_the_next_operation(void **state)
{
    (void)state;
    crypto_handle_t h;
    assert_int_equal(crypto_mux_reserve(&probes[3].c, &h), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_load_key(&probes[3].c, h, key_a), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_crypt(&probes[3].c, h, CRYPTO_ECB_ENCRYPT, NULL, probes[3].in,
                                      probes[3].out, 16), VMUX_SUCCESS);
    kernel_loop_once(); /* the mux hands it to the engine */
    assert_true(engine.request.busy);
    client_departed(probes[3].id);
    /* the restarted process takes the freed place, and asks at once */
    struct probe *reborn = &probes[3];
    memset(reborn, 0, sizeof *reborn);
    reborn->id = client_process(3, 2);
    assert_int_equal(crypto_mux_attach(&mux, &reborn->c, reborn->id, &ops), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_reserve(&reborn->c, &h), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_load_key(&reborn->c, h, key_b), VMUX_SUCCESS);
    memset(reborn->in, 0x5a, 16);
    assert_int_equal(crypto_mux_crypt(&reborn->c, h, CRYPTO_ECB_ENCRYPT, NULL, reborn->in,
                                      reborn->out, 16), VMUX_SUCCESS);
    sim_settle();
    uint8_t want[16];
    expected_ecb(key_b, reborn->in, want, 16);
    assert_int_equal(reborn->done, 1);
    assert_int_equal(reborn->status, VMUX_SUCCESS);
    assert_memory_equal(reborn->out, want, 16);
}

/* ------------------------------------------------------------ operations */

static void confidentiality_crypto_buffers_return_to_their_client(void **state)
{
    (void)state;
    crypto_handle_t h[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(crypto_mux_reserve(&probes[i].c, &h[i]), VMUX_SUCCESS);
        crypto_mux_load_key(&probes[i].c, h[i], i ? key_b : key_a);
        memset(probes[i].in, 0x10 + i, 32);
        assert_int_equal(crypto_mux_crypt(&probes[i].c, h[i], CRYPTO_ECB_ENCRYPT, NULL,
                                          probes[i].in, probes[i].out, 32), VMUX_SUCCESS);
    }
    assert_int_equal(probes[0].done, 0); /* never from inside the request */
    sim_settle();
    for (int i = 0; i < 2; i++) {
        uint8_t want[32];
        expected_ecb(i ? key_b : key_a, probes[i].in, want, 32);
        assert_int_equal(probes[i].done, 1);
        assert_ptr_equal(probes[i].got_in, probes[i].in);
        assert_ptr_equal(probes[i].got_out, probes[i].out);
        assert_memory_equal(probes[i].out, want, 32);
    }
    /* the mux keeps no copy of an IV after the operation */
    for (int i = 0; i < 2; i++)
        for (unsigned b = 0; b < AES_BLOCK_SIZE; b++)
            assert_int_equal(probes[i].c.iv[b], 0);
}

static void resubmit(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out, size_t len,
                     vmux_err_t status);
static const struct crypto_mux_client_ops resubmit_ops = { resubmit };
static crypto_handle_t handles[CLIENTS];
static unsigned rounds_left[CLIENTS];

static void resubmit(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out, size_t len,
                     vmux_err_t status)
{
    probe_done(c, in, out, len, status);
    struct probe *p = container_of(c, struct probe, c);
    unsigned i = (unsigned)(p - probes);
    if (rounds_left[i] > 0 && --rounds_left[i] > 0)
        crypto_mux_crypt(c, handles[i], CRYPTO_CTR, p->in, p->in, p->out, 64);
}

static void availability_crypto_operations_round_robin(void **state)
{
    (void)state;
    /* four holders saturate the engine; each re-submits from its callback */
    for (unsigned i = 0; i < K; i++) {
        probes[i].c.ops = &resubmit_ops;
        assert_int_equal(crypto_mux_reserve(&probes[i].c, &handles[i]), VMUX_SUCCESS);
        crypto_mux_load_key(&probes[i].c, handles[i], key_a);
        rounds_left[i] = 10;
    }
    /* submitted in reverse order: service must not favour low indexes */
    for (int i = K - 1; i >= 0; i--)
        assert_int_equal(crypto_mux_crypt(&probes[i].c, handles[i], CRYPTO_CTR, probes[i].in,
                                          probes[i].in, probes[i].out, 64), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(completions, 10 * K);
    /* Every client has work queued from the start until its tenth
     * completion; while it waits, at most K-1 others are served. */
    unsigned since[K] = {0}, served[K] = {0};
    for (unsigned n = 0; n < completions; n++) {
        for (unsigned i = 0; i < K; i++) {
            if (completion_order[n] == i) {
                since[i] = 0;
                served[i]++;
            } else if (served[i] < 10) {
                assert_true(++since[i] <= K - 1);
            }
        }
    }
}

static void requests_with_bad_arguments_are_refused(void **state)
{
    (void)state;
    crypto_handle_t h;
    struct probe *p = &probes[0];
    assert_int_equal(crypto_mux_reserve(&p->c, &h), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_reserve(&p->c, NULL), VMUX_INVALID);
    assert_int_equal(crypto_mux_load_key(&p->c, h, NULL), VMUX_INVALID);
    assert_int_equal(crypto_mux_crypt(&p->c, h, CRYPTO_ECB_ENCRYPT, NULL, p->in, p->out, 15), VMUX_SIZE);
    assert_int_equal(crypto_mux_crypt(&p->c, h, CRYPTO_ECB_ENCRYPT, NULL, p->in, p->out, 0), VMUX_SIZE);
    assert_int_equal(crypto_mux_crypt(&p->c, h, CRYPTO_CBC_ENCRYPT, NULL, p->in, p->out, 16), VMUX_INVALID);
    assert_int_equal(crypto_mux_crypt(&p->c, h, CRYPTO_ECB_ENCRYPT, NULL, NULL, p->out, 16), VMUX_INVALID);
    assert_int_equal(crypto_mux_crypt(&p->c, h, (enum hil_crypto_op)99, NULL, p->in, p->out, 16), VMUX_INVALID);
    crypto_mux_load_key(&p->c, h, key_a);
    assert_int_equal(crypto_mux_crypt(&p->c, h, CRYPTO_ECB_ENCRYPT, NULL, p->in, p->out, 16), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_crypt(&p->c, h, CRYPTO_ECB_ENCRYPT, NULL, p->in, p->out, 16), VMUX_BUSY);
    assert_int_equal(crypto_mux_attach(&mux, &p->c, p->id, &ops), VMUX_ALREADY);
    struct probe extra = {0};
    assert_int_equal(crypto_mux_attach(&mux, &extra.c, client_process(20, 1), &ops), VMUX_NOMEM);
    crypto_mux_detach(&probes[5].c);
    assert_int_equal(crypto_mux_reserve(&probes[5].c, &h), VMUX_OFF);
    sim_settle();
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, setup)
    const struct CMUnitTest tests[] = {
        T(availability_crypto_slots_reserved_first_come_first_served),
        T(confidentiality_crypto_only_the_holder_may_use_its_slot),
        T(confidentiality_crypto_released_slot_reads_zero_in_engine),
        T(confidentiality_crypto_departure_clears_and_releases_slots),
        T(availability_crypto_departure_in_flight_does_not_end_the_next_operation),
        T(confidentiality_crypto_buffers_return_to_their_client),
        T(availability_crypto_operations_round_robin),
        T(requests_with_bad_arguments_are_refused),
    };
    return cmocka_run_group_tests_name("crypto_mux", tests, NULL, NULL);
}
