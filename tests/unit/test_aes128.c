/*
 * AES-128 and its modes against published answers and against OpenSSL.
 *
 * Known answers: FIPS-197 Appendix C.1 (one block) and Appendix A.1 (key
 * expansion); NIST SP 800-38A F.1 (ECB), F.2 (CBC), F.5 (CTR). The modes
 * live in the crypto engine, so those run through it. Then the engine is
 * compared with OpenSSL's EVP ciphers on random keys, ivs and lengths.
 * AES-CMAC (chips/soft/aes_cmac.h, the management channel's tags): the
 * four examples of RFC 4493 (SP 800-38B D.1), then OpenSSL's CMAC on
 * random keys and every length from 0 to 80 bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "boards/test/test_board.h"
#include "chips/soft/aes128.h"
#include "chips/soft/aes_cmac.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/deferred.h"

/* ------------------------------------------------------------ helpers */

static unsigned hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    fail_msg("bad hex digit '%c'", c);
    return 0;
}

/* Decode a hex string into out; returns the byte count. */
static size_t from_hex(const char *hex, uint8_t *out)
{
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
    return n;
}

static uint32_t round_key_word(const struct aes128_schedule *s, unsigned i)
{
    const uint8_t *w = &s->round_key[4 * i];
    return (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3];
}

/* Deterministic xorshift32: the same "random" cases on every run. */
static uint32_t prng_state;

static uint32_t prng(void)
{
    prng_state ^= prng_state << 13;
    prng_state ^= prng_state >> 17;
    prng_state ^= prng_state << 5;
    return prng_state;
}

static void prng_fill(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(prng() >> 24);
}

/* ------------------------------------------------------------ the engine */

static struct crypto_engine engine;
static struct crypto_engine_slot slots[4];

struct recorder {
    struct hil_crypto_client client;
    unsigned calls;
    vmux_err_t status;
};

static struct recorder recorder;

static void crypt_done(struct hil_crypto_client *self, const uint8_t *in, uint8_t *out,
                       size_t len, vmux_err_t status)
{
    (void)in;
    (void)out;
    (void)len;
    struct recorder *r = container_of(self, struct recorder, client);
    r->calls++;
    r->status = status;
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(crypto_engine_init(&engine, slots, 4), VMUX_SUCCESS);
    memset(&recorder, 0, sizeof recorder);
    recorder.client.crypt_done = crypt_done;
    hil_crypto_set_client(&engine.hil, &recorder.client);
    return 0;
}

/* Run one operation on slot 0 to completion; it must succeed. */
static void engine_run(const uint8_t key[AES128_KEY_SIZE], enum hil_crypto_op op,
                       const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
    assert_int_equal(hil_crypto_load_key(&engine.hil, 0, key), VMUX_SUCCESS);
    unsigned before = recorder.calls;
    assert_int_equal(hil_crypto_crypt(&engine.hil, 0, op, iv, in, out, len), VMUX_SUCCESS);
    kernel_loop_once();
    assert_int_equal(recorder.calls, before + 1);
    assert_int_equal(recorder.status, VMUX_SUCCESS);
}

/* ------------------------------------------------------------ FIPS-197 */

static void fips197_c1_one_block(void **state)
{
    (void)state;
    uint8_t key[16], plain[16], cipher[16], out[16];
    from_hex("000102030405060708090a0b0c0d0e0f", key);
    from_hex("00112233445566778899aabbccddeeff", plain);
    from_hex("69c4e0d86a7b0430d8cdb78070b4c55a", cipher);

    struct aes128_schedule s;
    aes128_expand_key(&s, key);
    aes128_encrypt_block(&s, plain, out);
    assert_memory_equal(out, cipher, 16);
    aes128_decrypt_block(&s, cipher, out);
    assert_memory_equal(out, plain, 16);

    /* The same buffer for in and out. */
    memcpy(out, plain, 16);
    aes128_encrypt_block(&s, out, out);
    assert_memory_equal(out, cipher, 16);
    aes128_decrypt_block(&s, out, out);
    assert_memory_equal(out, plain, 16);
}

static void fips197_a1_key_expansion(void **state)
{
    (void)state;
    uint8_t key[16];
    from_hex("2b7e151628aed2a6abf7158809cf4f3c", key);
    struct aes128_schedule s;
    aes128_expand_key(&s, key);

    assert_int_equal(AES128_SCHEDULE_SIZE, 176);
    assert_memory_equal(s.round_key, key, 16);            /* w0..w3 */
    assert_int_equal(round_key_word(&s, 4), 0xa0fafe17);
    assert_int_equal(round_key_word(&s, 5), 0x88542cb1);
    assert_int_equal(round_key_word(&s, 6), 0x23a33939);
    assert_int_equal(round_key_word(&s, 7), 0x2a6c7605);
    assert_int_equal(round_key_word(&s, 8), 0xf2c295f2);
    assert_int_equal(round_key_word(&s, 20), 0xd4d1c6f8);
    assert_int_equal(round_key_word(&s, 40), 0xd014f9a8);
    assert_int_equal(round_key_word(&s, 41), 0xc9ee2589);
    assert_int_equal(round_key_word(&s, 42), 0xe13f0cc8);
    assert_int_equal(round_key_word(&s, 43), 0xb6630ca6);
}

/* ------------------------------------------------------------ SP 800-38A */

static const char sp800_key[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char sp800_plain[] =
    "6bc1bee22e409f96e93d7e117393172a" "ae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52ef" "f69f2445df4f9b17ad2b417be66c3710";

struct sp800_case {
    enum hil_crypto_op encrypt, decrypt;
    const char *iv;       /* NULL for ECB */
    const char *cipher;
};

static const struct sp800_case ecb_f1 = {
    CRYPTO_ECB_ENCRYPT, CRYPTO_ECB_DECRYPT, NULL,
    "3ad77bb40d7a3660a89ecaf32466ef97" "f5d3d58503b9699de785895a96fdbaaf"
    "43b1cd7f598ece23881b00e3ed030688" "7b0c785e27e8ad3f8223207104725dd4",
};

static const struct sp800_case cbc_f2 = {
    CRYPTO_CBC_ENCRYPT, CRYPTO_CBC_DECRYPT, "000102030405060708090a0b0c0d0e0f",
    "7649abac8119b246cee98e9b12e9197d" "5086cb9b507219ee95db113a917678b2"
    "73bed6b8e3c1743b7116e69e22229516" "3ff1caa1681fac09120eca307586e1a7",
};

/* CTR encrypts and decrypts with the same operation. */
static const struct sp800_case ctr_f5 = {
    CRYPTO_CTR, CRYPTO_CTR, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
    "874d6191b620e3261bef6864990db6ce" "9806f66b7970fdff8617187bb9fffdff"
    "5ae4df3edbd5d35e5b4f09020db03eab" "1e031dda2fbe03d1792170a0f3009cee",
};

/* F.x.1 (encrypt) and F.x.2 (decrypt) of one mode. */
static void check_sp800(const struct sp800_case *c)
{
    uint8_t key[16], iv[16], plain[64], cipher[64], out[64];
    from_hex(sp800_key, key);
    from_hex(sp800_plain, plain);
    from_hex(c->cipher, cipher);
    const uint8_t *ivp = NULL;
    if (c->iv != NULL) {
        from_hex(c->iv, iv);
        ivp = iv;
    }

    engine_run(key, c->encrypt, ivp, plain, out, sizeof out);
    assert_memory_equal(out, cipher, sizeof out);

    engine_run(key, c->decrypt, ivp, cipher, out, sizeof out);
    assert_memory_equal(out, plain, sizeof out);
}

static void sp800_38a_f1_ecb(void **state)
{
    (void)state;
    check_sp800(&ecb_f1);
}

static void sp800_38a_f2_cbc(void **state)
{
    (void)state;
    check_sp800(&cbc_f2);
}

static void sp800_38a_f5_ctr(void **state)
{
    (void)state;
    check_sp800(&ctr_f5);
}

/* A CTR message that ends mid-block uses only the keystream it needs:
 * the F.5.1 ciphertext, cut short, is still the right prefix. */
static void sp800_38a_f5_ctr_partial_last_block(void **state)
{
    (void)state;
    uint8_t key[16], iv[16], plain[64], cipher[64], out[64];
    from_hex(sp800_key, key);
    from_hex(ctr_f5.iv, iv);
    from_hex(sp800_plain, plain);
    from_hex(ctr_f5.cipher, cipher);

    const size_t lengths[] = { 1, 15, 17, 33, 63 };
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        size_t len = lengths[i];
        memset(out, 0xa5, sizeof out);
        engine_run(key, CRYPTO_CTR, iv, plain, out, len);
        assert_memory_equal(out, cipher, len);
        for (size_t j = len; j < sizeof out; j++)
            assert_int_equal(out[j], 0xa5);   /* nothing past len */
    }
}

/* ------------------------------------------------------------ OpenSSL */

static void openssl_crypt(const EVP_CIPHER *cipher, bool encrypt, const uint8_t *key,
                          const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    assert_non_null(ctx);
    assert_int_equal(EVP_CipherInit_ex(ctx, cipher, NULL, key, iv, encrypt ? 1 : 0), 1);
    assert_int_equal(EVP_CIPHER_CTX_set_padding(ctx, 0), 1);
    int written = 0, last = 0;
    assert_int_equal(EVP_CipherUpdate(ctx, out, &written, in, (int)len), 1);
    assert_int_equal(EVP_CipherFinal_ex(ctx, out + written, &last), 1);
    assert_int_equal((size_t)(written + last), len);
    EVP_CIPHER_CTX_free(ctx);
}

struct mode {
    const char *name;
    enum hil_crypto_op encrypt, decrypt;
    const EVP_CIPHER *(*openssl)(void);
    bool whole_blocks;
};

#define CASES 250
#define MAX_LEN 528

/*
 * CASES random (key, iv, message) triples: the engine's ciphertext must be
 * OpenSSL's, and the engine must decrypt OpenSSL's ciphertext back to the
 * message. Every fourth case runs in place. Some ivs end in 0xff bytes, so
 * the CTR counter carries across bytes, and one is all 0xff, so it wraps.
 */
static void compare_with_openssl(const struct mode *m, uint32_t seed)
{
    static uint8_t plain[MAX_LEN], mine[MAX_LEN], theirs[MAX_LEN], back[MAX_LEN];
    uint8_t key[16], iv[16];
    prng_state = seed;

    for (unsigned n = 0; n < CASES; n++) {
        prng_fill(key, sizeof key);
        prng_fill(iv, sizeof iv);
        if (n % 5 == 1) {
            size_t ones = 1 + prng() % 8;
            memset(iv + sizeof iv - ones, 0xff, ones);
        }
        if (n == 3)
            memset(iv, 0xff, sizeof iv);
        size_t len = m->whole_blocks ? AES_BLOCK_SIZE * (1 + prng() % (MAX_LEN / AES_BLOCK_SIZE))
                                     : 1 + prng() % MAX_LEN;
        prng_fill(plain, len);
        const uint8_t *ivp = m->encrypt == CRYPTO_ECB_ENCRYPT ? NULL : iv;
        bool in_place = n % 4 == 0;

        openssl_crypt(m->openssl(), true, key, ivp, plain, theirs, len);
        const uint8_t *src = plain;
        if (in_place) {
            memcpy(mine, plain, len);
            src = mine;
        }
        engine_run(key, m->encrypt, ivp, src, mine, len);
        if (memcmp(mine, theirs, len) != 0)
            fail_msg("%s encrypt differs from OpenSSL: case %u, len %zu", m->name, n, len);

        src = theirs;
        if (in_place) {
            memcpy(back, theirs, len);
            src = back;
        }
        engine_run(key, m->decrypt, ivp, src, back, len);
        if (memcmp(back, plain, len) != 0)
            fail_msg("%s decrypt differs from OpenSSL: case %u, len %zu", m->name, n, len);
    }
}

static void ecb_matches_openssl(void **state)
{
    (void)state;
    const struct mode ecb = { "ECB", CRYPTO_ECB_ENCRYPT, CRYPTO_ECB_DECRYPT,
                              EVP_aes_128_ecb, true };
    compare_with_openssl(&ecb, 0x0ecb0001u);
}

static void cbc_matches_openssl(void **state)
{
    (void)state;
    const struct mode cbc = { "CBC", CRYPTO_CBC_ENCRYPT, CRYPTO_CBC_DECRYPT,
                              EVP_aes_128_cbc, true };
    compare_with_openssl(&cbc, 0x0cbc0002u);
}

static void ctr_matches_openssl(void **state)
{
    (void)state;
    const struct mode ctr = { "CTR", CRYPTO_CTR, CRYPTO_CTR, EVP_aes_128_ctr, false };
    compare_with_openssl(&ctr, 0x0c7a0003u);
}

/* ------------------------------------------------------------ CMAC */

static void cmac_of_hex(const char *key_hex, const char *msg_hex, const char *tag_hex)
{
    uint8_t key[16], msg[64], want[16], tag[16];
    struct aes128_schedule s;
    from_hex(key_hex, key);
    size_t len = from_hex(msg_hex, msg);
    from_hex(tag_hex, want);
    aes128_expand_key(&s, key);
    aes128_cmac(&s, msg, len, tag);
    assert_memory_equal(tag, want, sizeof want);
}

static void rfc4493_cmac_examples(void **state)
{
    (void)state;
    static const char key[] = "2b7e151628aed2a6abf7158809cf4f3c";
    static const char m64[] = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                              "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
    char m16[33], m40[81];
    memcpy(m16, m64, 32), m16[32] = '\0';
    memcpy(m40, m64, 80), m40[80] = '\0';
    cmac_of_hex(key, "", "bb1d6929e95937287fa37d129b756746");
    cmac_of_hex(key, m16, "070a16b46b4d4144f79bdd9dd04a287c");
    cmac_of_hex(key, m40, "dfa66747de9ae63030ca32611497c827");
    cmac_of_hex(key, m64, "51f0bebf7e3b9d92fc49741779363cfe");
}

static void openssl_cmac(const uint8_t key[16], const uint8_t *msg, size_t len, uint8_t tag[16])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "CMAC", NULL);
    assert_non_null(mac);
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    char cipher[] = "aes-128-cbc";
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                            OSSL_PARAM_construct_end() };
    size_t out = 0;
    assert_int_equal(EVP_MAC_init(ctx, key, 16, params), 1);
    assert_int_equal(EVP_MAC_update(ctx, msg, len), 1);
    assert_int_equal(EVP_MAC_final(ctx, tag, &out, 16), 1);
    assert_int_equal(out, 16);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

static void cmac_matches_openssl(void **state)
{
    (void)state;
    prng_state = 0xc3ac0004u;
    for (size_t len = 0; len <= 80; len++) {
        uint8_t key[16], msg[80], ours[16], theirs[16];
        struct aes128_schedule s;
        prng_fill(key, sizeof key);
        prng_fill(msg, len);
        aes128_expand_key(&s, key);
        aes128_cmac(&s, msg, len, ours);
        openssl_cmac(key, msg, len, theirs);
        assert_memory_equal(ours, theirs, sizeof ours);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips197_c1_one_block),
        cmocka_unit_test(fips197_a1_key_expansion),
        cmocka_unit_test_setup(sp800_38a_f1_ecb, setup),
        cmocka_unit_test_setup(sp800_38a_f2_cbc, setup),
        cmocka_unit_test_setup(sp800_38a_f5_ctr, setup),
        cmocka_unit_test_setup(sp800_38a_f5_ctr_partial_last_block, setup),
        cmocka_unit_test_setup(ecb_matches_openssl, setup),
        cmocka_unit_test_setup(cbc_matches_openssl, setup),
        cmocka_unit_test_setup(ctr_matches_openssl, setup),
        cmocka_unit_test(rfc4493_cmac_examples),
        cmocka_unit_test(cmac_matches_openssl),
    };
    return cmocka_run_group_tests_name("aes128", tests, NULL, NULL);
}
