/* The Cortex-M3 kernel's string functions (arch/cortex-m3/string.c),
 * compiled for the host under other names, against the host C library:
 * the sign of every comparison, lengths, strncpy's zero padding, and
 * memcpy, memset and memcmp at every alignment and length up to 40. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#define strcmp cm3_strcmp
#define strncmp cm3_strncmp
#define strnlen cm3_strnlen
#define strlen cm3_strlen
#define strncpy cm3_strncpy
#define memcpy cm3_memcpy
#define memset cm3_memset
#define memcmp cm3_memcmp
#include "arch/cortex-m3/string.c"
#undef memcpy
#undef memset
#undef memcmp
#undef strcmp
#undef strncmp
#undef strnlen
#undef strlen
#undef strncpy

static const char *const words[] = { "", "a", "b", "ab", "abc", "abd", "ps", "stop x", "start x",
                                     "stats", "clients", "adc", "adc 3", "\x7f", "\x80", "\xff",
                                     "sensor-a", "sensor-b", "sensor" };
#define WORDS (sizeof words / sizeof words[0])

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void compare(void **state)
{
    (void)state;
    for (size_t i = 0; i < WORDS; i++)
        for (size_t j = 0; j < WORDS; j++) {
            assert_int_equal(sign(cm3_strcmp(words[i], words[j])), sign(strcmp(words[i], words[j])));
            for (size_t n = 0; n < 10; n++)
                assert_int_equal(sign(cm3_strncmp(words[i], words[j], n)),
                                 sign(strncmp(words[i], words[j], n)));
        }
}

static void lengths(void **state)
{
    (void)state;
    for (size_t i = 0; i < WORDS; i++) {
        assert_int_equal(cm3_strlen(words[i]), strlen(words[i]));
        for (size_t n = 0; n < 10; n++)
            assert_int_equal(cm3_strnlen(words[i], n), strnlen(words[i], n));
    }
}

static void copy(void **state)
{
    (void)state;
    for (size_t i = 0; i < WORDS; i++)
        for (size_t n = 0; n < 12; n++) {
            char mine[16], theirs[16];
            memset(mine, 'Z', sizeof mine);
            memset(theirs, 'Z', sizeof theirs);
            assert_ptr_equal(cm3_strncpy(mine, words[i], n), mine);
            strncpy(theirs, words[i], n);
            assert_memory_equal(mine, theirs, sizeof mine);
        }
}

/* Every source and destination alignment, every length up to 40: the
 * bytes copied or filled, and nothing around them touched. */
static void memory(void **state)
{
    (void)state;
    for (size_t da = 0; da < 4; da++)
        for (size_t sa = 0; sa < 4; sa++)
            for (size_t n = 0; n <= 40; n++) {
                _Alignas(4) unsigned char src[48], mine[48], theirs[48];
                for (size_t i = 0; i < sizeof src; i++)
                    src[i] = (unsigned char)(i * 37u + 11u);
                memset(mine, 0xa5, sizeof mine);
                memset(theirs, 0xa5, sizeof theirs);
                assert_ptr_equal(cm3_memcpy(mine + da, src + sa, n), mine + da);
                memcpy(theirs + da, src + sa, n);
                assert_memory_equal(mine, theirs, sizeof mine);
                assert_ptr_equal(cm3_memset(mine + da, 0x80 + (int)n, n), mine + da);
                memset(theirs + da, 0x80 + (int)n, n);
                assert_memory_equal(mine, theirs, sizeof mine);
                /* equal, then one byte differing at each place, both ways */
                assert_int_equal(cm3_memcmp(mine + da, theirs + da, n), 0);
                for (size_t at = 0; at < n; at++) {
                    theirs[da + at] ^= 0x81;
                    assert_int_equal(sign(cm3_memcmp(mine + da, theirs + da, n)),
                                     sign(memcmp(mine + da, theirs + da, n)));
                    assert_int_equal(sign(cm3_memcmp(theirs + da, mine + da, n)),
                                     sign(memcmp(theirs + da, mine + da, n)));
                    theirs[da + at] ^= 0x81;
                }
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare),
        cmocka_unit_test(lengths),
        cmocka_unit_test(copy),
        cmocka_unit_test(memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
