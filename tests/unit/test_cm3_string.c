/* The Cortex-M3 kernel's string functions (arch/cortex-m3/string.c),
 * compiled for the host under other names, against the host C library:
 * the sign of every comparison, lengths, strncpy's zero padding. */
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
#include "arch/cortex-m3/string.c"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compare),
        cmocka_unit_test(lengths),
        cmocka_unit_test(copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
