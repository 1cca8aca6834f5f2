/* Crypto driver 0x40100 through scripted processes over the crypto mux
 * and the software AES engine (2 key registers): reservations first come
 * first served, known answers for ECB, CBC and CTR, every refusal, no
 * process using another's key register, buffers swapped during an
 * operation, read-only allows left alone, and what a process's end
 * leaves in the engine (its registers, read back, are all zeroes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/crypto_mux.h"
#include "capsules/drivers/crypto_driver.h"
#include "chips/sim/sim.h"
#include "chips/soft/crypto_engine.h"
#include "tests/unit/test_driver_common.h"

#define K 2
#define CLIENTS 4
#define CRY CRYPTO_DRIVER_NUM
/* where things are in each process's RAM */
#define KEY_AT 64
#define IN_AT 128
#define IV_AT 320
#define OUT_AT 400
#define OUT2_AT 600

static struct crypto_engine_slot registers[K];
static struct crypto_engine engine;
static struct crypto_mux mux;
static struct client_entry *table[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];
static struct crypto_driver drv;
static struct harness_process hp[2];

/* FIPS-197 C.1 */
static const uint8_t fips_key[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                      0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const uint8_t fips_plain[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                        0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t fips_cipher[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                         0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
/* SP 800-38A F.2.1 (CBC) and F.5.1 (CTR), first block */
static const uint8_t sp_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t sp_plain[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
                                      0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
static const uint8_t cbc_iv[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
static const uint8_t cbc_cipher[16] = { 0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
                                        0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d };
static const uint8_t ctr_iv[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };
static const uint8_t ctr_cipher[16] = { 0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26,
                                        0x1b, 0xef, 0x68, 0x64, 0x99, 0x0d, 0xb6, 0xce };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(crypto_engine_init(&engine, registers, K), VMUX_SUCCESS);
    assert_int_equal(crypto_mux_init(&mux, &engine.hil, table, rr_bits, CLIENTS), VMUX_SUCCESS);
    crypto_driver_init(&drv, &mux);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    assert_non_null(harness_spawn(&hp[0], "alpha", RESTART_NEVER));
    assert_non_null(harness_spawn(&hp[1], "beta", RESTART_NEVER));
    td_subscribe(&hp[0], CRY, CRYPTO_UPCALL_DONE);
    td_subscribe(&hp[1], CRY, CRYPTO_UPCALL_DONE);
    return 0;
}

static struct syscall_return crypto(unsigned i, uint32_t cmd, syscall_reg_t a, syscall_reg_t b)
{
    return td_command(&hp[i], CRY, cmd, a, b);
}

/* Put bytes in i's RAM at offset and share them read-only as num. */
static void share(unsigned i, unsigned num, unsigned offset, const uint8_t *bytes, size_t len)
{
    memcpy(&hp[i].ram[offset], bytes, len);
    td_allow(&hp[i], true, CRY, num, offset, len);
}

static crypto_handle_t reserve(unsigned i)
{
    struct syscall_return r = crypto(i, CRYPTO_CMD_RESERVE, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_not_equal(r.r[1], 0);
    return (crypto_handle_t)r.r[1];
}

/* A register of i's, loaded with key. */
static crypto_handle_t keyed(unsigned i, const uint8_t key[16])
{
    crypto_handle_t h = reserve(i);
    share(i, CRYPTO_ALLOW_RO_KEY, KEY_AT, key, 16);
    td_assert_success(crypto(i, CRYPTO_CMD_LOAD_KEY, h, 0));
    return h;
}

/* Input shared, output buffer of out_len (0xee) shared. */
static uint8_t *buffers(unsigned i, const uint8_t *in, size_t len, size_t out_len)
{
    share(i, CRYPTO_ALLOW_RO_INPUT, IN_AT, in, len);
    td_allow(&hp[i], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, OUT_AT, out_len);
    return td_fill(&hp[i], OUT_AT, 0xee, out_len);
}

static void expect_done(unsigned i, vmux_err_t status, uint32_t len)
{
    td_expect_upcall(&hp[i], CRY, CRYPTO_UPCALL_DONE, status, len, 0);
}

static bool register_clear(crypto_handle_t h)
{
    size_t len;
    const uint8_t *reg = crypto_engine_slot_register(&engine, h & 0xffu, &len);
    return reg != NULL && len > 0 && td_all(reg, 0, len);
}

/* ------------------------------------------------------------ commands */

static void crypto_ecb_known_answer_from_reserve_to_release(void **state)
{
    (void)state;
    crypto_handle_t h = keyed(0, fips_key);
    assert_false(register_clear(h));
    uint8_t *out = buffers(0, fips_plain, 16, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_memory_equal(out, fips_cipher, 16);
    /* and back */
    share(0, CRYPTO_ALLOW_RO_INPUT, IN_AT, fips_cipher, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_DECRYPT, h));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_memory_equal(out, fips_plain, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_RELEASE, h, 0));
    assert_true(register_clear(h));
    td_assert_failure(crypto(0, CRYPTO_CMD_RELEASE, h, 0), VMUX_RESERVE); /* stale */
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_RESERVE);
}

static void crypto_cbc_and_ctr_known_answers_with_the_iv_allow(void **state)
{
    (void)state;
    crypto_handle_t h = keyed(0, sp_key);
    uint8_t *out = buffers(0, sp_plain, 16, 16);
    share(0, CRYPTO_ALLOW_RO_IV, IV_AT, cbc_iv, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CBC_ENCRYPT, h));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_memory_equal(out, cbc_cipher, 16);
    share(0, CRYPTO_ALLOW_RO_IV, IV_AT, ctr_iv, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CTR, h));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_memory_equal(out, ctr_cipher, 16);
    /* CTR takes any length, and the output buffer may be longer */
    out = buffers(0, sp_plain, 5, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CTR, h));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 5);
    assert_memory_equal(out, ctr_cipher, 5);
    assert_true(td_all(out + 5, 0xee, 11));
}

static void crypto_reservations_are_first_come_first_served(void **state)
{
    (void)state;
    crypto_handle_t a1 = reserve(0);
    reserve(0);
    td_assert_failure(crypto(0, CRYPTO_CMD_RESERVE, 0, 0), VMUX_NOMEM);
    td_assert_failure(crypto(1, CRYPTO_CMD_RESERVE, 0, 0), VMUX_NOMEM);
    td_assert_success(crypto(0, CRYPTO_CMD_RELEASE, a1, 0));
    crypto_handle_t b = reserve(1);
    assert_int_not_equal(b, a1); /* same register, new reservation */
    assert_int_equal(b & 0xffu, a1 & 0xffu);
}

static void crypto_refusals(void **state)
{
    (void)state;
    crypto_handle_t h = reserve(0);
    /* load key: none, short, no such handle */
    td_assert_failure(crypto(0, CRYPTO_CMD_LOAD_KEY, h, 0), VMUX_NOMEM);
    share(0, CRYPTO_ALLOW_RO_KEY, KEY_AT, fips_key, 8);
    td_assert_failure(crypto(0, CRYPTO_CMD_LOAD_KEY, h, 0), VMUX_SIZE);
    share(0, CRYPTO_ALLOW_RO_KEY, KEY_AT, fips_key, 16);
    td_assert_failure(crypto(0, CRYPTO_CMD_LOAD_KEY, 0, 0), VMUX_INVALID);
    td_assert_failure(crypto(0, CRYPTO_CMD_LOAD_KEY, 0x1ff, 0), VMUX_INVALID);
    td_assert_success(crypto(0, CRYPTO_CMD_LOAD_KEY, h, 0));
    /* crypt: buffers missing */
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_NOMEM);
    share(0, CRYPTO_ALLOW_RO_INPUT, IN_AT, fips_plain, 16);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_NOMEM);
    /* output smaller than input; input longer than the kernel takes */
    td_allow(&hp[0], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, OUT_AT, 8);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_SIZE);
    td_allow(&hp[0], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, OUT_AT, 400);
    td_allow(&hp[0], true, CRY, CRYPTO_ALLOW_RO_INPUT, IN_AT, CRYPTO_DRIVER_MAX_LEN + 16);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_SIZE);
    /* not whole blocks for ECB */
    td_allow(&hp[0], true, CRY, CRYPTO_ALLOW_RO_INPUT, IN_AT, 15);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_SIZE);
    /* iv: none, short */
    td_allow(&hp[0], true, CRY, CRYPTO_ALLOW_RO_INPUT, IN_AT, 16);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CBC_ENCRYPT, h), VMUX_NOMEM);
    share(0, CRYPTO_ALLOW_RO_IV, IV_AT, cbc_iv, 8);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CTR, h), VMUX_SIZE);
    /* bad op, bad handle */
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CTR + 1, h), VMUX_INVALID);
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, 0), VMUX_INVALID);
    /* one operation at a time */
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    td_assert_failure(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h), VMUX_BUSY);
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_int_equal(td_pending(&hp[0]), 0); /* no upcall for any refusal */
    td_assert_failure(crypto(0, 5, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(crypto(0, 0x100, 0, 0), VMUX_NOSUPPORT);
}

static void crypto_release_during_an_operation_cancels_it_unwritten(void **state)
{
    (void)state;
    crypto_handle_t h = keyed(0, fips_key);
    uint8_t *out = buffers(0, fips_plain, 16, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    td_assert_success(crypto(0, CRYPTO_CMD_RELEASE, h, 0));
    sim_settle();
    expect_done(0, VMUX_CANCEL, 0);
    assert_true(td_all(out, 0xee, 16));
    assert_true(register_clear(h));
}

/* ------------------------------------------------------------ policy */

static void confidentiality_crypto_process_cannot_use_another_process_slot(void **state)
{
    (void)state;
    crypto_handle_t a = keyed(0, fips_key);
    /* beta, with every buffer it needs, names alpha's handle */
    share(1, CRYPTO_ALLOW_RO_KEY, KEY_AT, sp_key, 16);
    uint8_t *b_out = buffers(1, fips_plain, 16, 16);
    td_assert_failure(crypto(1, CRYPTO_CMD_LOAD_KEY, a, 0), VMUX_RESERVE);
    td_assert_failure(crypto(1, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, a), VMUX_RESERVE);
    td_assert_failure(crypto(1, CRYPTO_CMD_RELEASE, a, 0), VMUX_RESERVE);
    /* or guesses: any register, any generation */
    for (uint32_t slot = 0; slot < K; slot++)
        for (uint32_t g = 1; g < 8; g++)
            td_assert_failure(crypto(1, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, slot | g << 8),
                              VMUX_RESERVE);
    sim_settle();
    assert_int_equal(td_pending(&hp[1]), 0);
    assert_true(td_all(b_out, 0xee, 16));
    /* alpha's key was not replaced by beta's: it still gives FIPS-197 */
    uint8_t *a_out = buffers(0, fips_plain, 16, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, a));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_memory_equal(a_out, fips_cipher, 16);
    /* a handle from alpha's previous life is nobody's */
    td_end_long_life(&hp[0], false);
    assert_int_equal(process_start(test_board_cap_process_management(), hp[0].process),
                     VMUX_SUCCESS);
    assert_int_equal(hp[0].process->state, PROCESS_READY); /* a new life, at once */
    td_subscribe(&hp[0], CRY, CRYPTO_UPCALL_DONE);
    td_assert_failure(crypto(0, CRYPTO_CMD_RELEASE, a, 0), VMUX_RESERVE);
    reserve(0); /* the register is free again, under a new handle */
}

static void buffer_swapped_during_operation(void **state)
{
    (void)state;
    crypto_handle_t h = keyed(0, fips_key);
    uint8_t *old = buffers(0, fips_plain, 16, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    uint8_t *fresh = td_fill(&hp[0], OUT2_AT, 0xcc, 32);
    td_allow(&hp[0], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, OUT2_AT, 32);
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_true(td_all(old, 0xee, 16)); /* never written after the swap */
    assert_memory_equal(fresh, fips_cipher, 16);
    assert_true(td_all(fresh + 16, 0xcc, 16));
    /* swapped for a smaller one: what fits, SIZE */
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    td_fill(&hp[0], OUT2_AT, 0xcc, 32);
    td_allow(&hp[0], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, OUT2_AT, 4);
    sim_settle();
    expect_done(0, VMUX_SIZE, 4);
    assert_memory_equal(fresh, fips_cipher, 4);
    assert_true(td_all(fresh + 4, 0xcc, 28));
    /* withdrawn: NOMEM, nothing written */
    td_allow(&hp[0], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, OUT_AT, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    td_allow(&hp[0], false, CRY, CRYPTO_ALLOW_RW_OUTPUT, 0, 0);
    sim_settle();
    expect_done(0, VMUX_NOMEM, 0);
    assert_true(td_all(old, 0xee, 16));
}

static void read_only_allow_is_never_written(void **state)
{
    (void)state;
    crypto_handle_t h = keyed(0, sp_key);
    share(0, CRYPTO_ALLOW_RO_IV, IV_AT, cbc_iv, 16);
    /* every op, in a buffer the engine could have worked on in place */
    for (unsigned op = CRYPTO_ECB_ENCRYPT; op <= CRYPTO_CTR; op++) {
        uint8_t *out = buffers(0, sp_plain, 16, 16);
        td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, op, h));
        sim_settle();
        expect_done(0, VMUX_SUCCESS, 16);
        assert_memory_not_equal(out, sp_plain, 16);
        assert_memory_equal(&hp[0].ram[IN_AT], sp_plain, 16);
        assert_memory_equal(&hp[0].ram[IV_AT], cbc_iv, 16);
        assert_memory_equal(&hp[0].ram[KEY_AT], sp_key, 16);
    }
    /* input in the process's flash, which only a read-only allow takes */
    memcpy(hp[0].flash + 64, fips_plain, 16);
    struct syscall_return r = harness_call(&hp[0], SYSCALL_ALLOW_RO, CRY, CRYPTO_ALLOW_RO_INPUT,
                                           (uintptr_t)hp[0].flash + 64, 16);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_CTR, h));
    sim_settle();
    expect_done(0, VMUX_SUCCESS, 16);
    assert_memory_equal(hp[0].flash + 64, fips_plain, 16);
}

static void lifecycle_process_end_releases_mux_resources(void **state)
{
    (void)state;
    crypto_handle_t a = keyed(0, fips_key);
    crypto_handle_t b = keyed(1, sp_key);
    uint8_t *a_out = buffers(0, fips_plain, 16, 16);
    uint8_t *b_out = buffers(1, sp_plain, 16, 16);
    td_assert_success(crypto(0, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, a));
    td_assert_success(crypto(1, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, b));
    kernel_loop_once(); /* alpha's operation is in the engine */
    process_end(hp[0].process, true, -1);
    hp[0].upcall_count = 0;
    assert_true(register_clear(a));
    assert_false(register_clear(b));
    assert_int_equal(crypto_mux_reserved_count(&mux), 1);
    sim_settle();
    assert_int_equal(hp[0].upcall_count, 0);
    assert_true(td_all(a_out, 0xee, 16));
    expect_done(1, VMUX_SUCCESS, 16);
    assert_memory_not_equal(b_out, sp_plain, 16);
    /* the register alpha held can be reserved again */
    reserve(1);
    td_assert_failure(crypto(1, CRYPTO_CMD_RESERVE, 0, 0), VMUX_NOMEM);
}

#define T(name) cmocka_unit_test_setup(name, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(crypto_ecb_known_answer_from_reserve_to_release),
        T(crypto_cbc_and_ctr_known_answers_with_the_iv_allow),
        T(crypto_reservations_are_first_come_first_served),
        T(crypto_refusals),
        T(crypto_release_during_an_operation_cancels_it_unwritten),
        T(confidentiality_crypto_process_cannot_use_another_process_slot),
        T(buffer_swapped_during_operation),
        T(read_only_allow_is_never_written),
        T(lifecycle_process_end_releases_mux_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
