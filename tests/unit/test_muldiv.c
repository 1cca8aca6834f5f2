/* muldiv32 (kernel/muldiv.c) against 64-bit arithmetic: edge values,
 * the conversions the kernel makes, and a million pseudo-random inputs
 * spread over every magnitude. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/muldiv.h"

static uint32_t expected(uint32_t a, uint32_t b, uint32_t d)
{
    if (d == 0)
        return UINT32_MAX;
    uint64_t q = (uint64_t)a * b / d;
    return q > UINT32_MAX ? UINT32_MAX : (uint32_t)q;
}

static void check(uint32_t a, uint32_t b, uint32_t d)
{
    uint32_t got = muldiv32(a, b, d), want = expected(a, b, d);
    if (got != want)
        fail_msg("muldiv32(%u, %u, %u) = %u, wanted %u", a, b, d, got, want);
}

static void edge_values(void **state)
{
    (void)state;
    static const uint32_t v[] = { 0u, 1u, 2u, 3u, 7u, 10u, 999u, 1000u, 1001u, 65535u, 65536u,
                                  999999u, 1000000u, 1000001u, 0x7fffffffu, 0x80000000u,
                                  0x80000001u, 0xfffffffeu, 0xffffffffu };
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < n; k++)
                check(v[i], v[j], v[k]);
}

static void conversions_the_kernel_makes(void **state)
{
    (void)state;
    assert_int_equal(muldiv32(50000000u, 200u, 1000u), 10000000u); /* 200 ms at 50 MHz */
    assert_int_equal(muldiv32(2000000000u, 50000000u, 1000000u), UINT32_MAX); /* 2000 s: too many */
    assert_int_equal(muldiv32(4294967295u, 50000000u, 1000000u), UINT32_MAX);
    assert_int_equal(muldiv32(85899345u, 50000000u, 1000000u), 4294967250u); /* fits, just */
    assert_int_equal(muldiv32(50000000u, 8u, 115200u), 3472u); /* the UART's divisor in 128ths */
    assert_int_equal(muldiv32(1u, 1u, 1000000u), 0u);
    assert_int_equal(muldiv32(123u, 456u, 0u), UINT32_MAX);
}

static uint64_t state64 = 0x9e3779b97f4a7c15u;

static uint32_t next(void)
{
    /* xorshift64*, then a random magnitude: values of every bit length */
    state64 ^= state64 >> 12;
    state64 ^= state64 << 25;
    state64 ^= state64 >> 27;
    uint64_t r = state64 * 0x2545f4914f6cdd1du;
    unsigned bits = (unsigned)(r >> 59) + 1u; /* 1..32 */
    return (uint32_t)r >> (32u - bits);
}

static void random_inputs(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 1000000u; i++)
        check(next(), next(), next());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_values),
        cmocka_unit_test(conversions_the_kernel_makes),
        cmocka_unit_test(random_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
