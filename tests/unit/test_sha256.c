/* SHA-256 (kernel/sha256.h): the FIPS 180-4 examples, and OpenSSL's
 * digest of the same bytes for every length up to three blocks and for
 * data fed in pieces of every size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "kernel/sha256.h"

static void ours(const uint8_t *data, size_t len, size_t piece, uint8_t out[32])
{
    struct sha256 s;
    sha256_init(&s);
    for (size_t at = 0; at < len; at += piece)
        sha256_update(&s, data + at, len - at < piece ? len - at : piece);
    sha256_final(&s, out);
}

static void openssl(const uint8_t *data, size_t len, uint8_t out[32])
{
    unsigned n = 0;
    assert_int_equal(EVP_Digest(data, len, out, &n, EVP_sha256(), NULL), 1);
    assert_int_equal(n, 32);
}

static void fips_examples(void **state)
{
    (void)state;
    static const uint8_t abc[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    static const uint8_t two_blocks[32] = {
        0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
        0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
    };
    uint8_t out[32];
    ours((const uint8_t *)"abc", 3, 3, out);
    assert_memory_equal(out, abc, 32);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ours((const uint8_t *)m, strlen(m), 7, out);
    assert_memory_equal(out, two_blocks, 32);
}

static void agrees_with_openssl(void **state)
{
    (void)state;
    uint8_t data[200], want[32], got[32];
    srand(1);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)rand();
    for (size_t len = 0; len <= sizeof data; len++) {
        openssl(data, len, want);
        ours(data, len, len ? len : 1, got);
        assert_memory_equal(got, want, 32);
    }
    for (size_t piece = 1; piece <= 65; piece++) {
        openssl(data, sizeof data, want);
        ours(data, sizeof data, piece, got);
        assert_memory_equal(got, want, 32);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_examples),
        cmocka_unit_test(agrees_with_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
