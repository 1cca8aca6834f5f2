/* libvmux formatting (kernel/fmt.c, which libvmux compiles), built for the host:
 * conversions, widths and padding, negative numbers, truncation at the
 * buffer size without writing past it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "userland/libvmux/format.h"
#include "userland/libvmux/runtime.h"

/* vmux_snprintf without the compiler's format check, which would reject
 * the deliberately odd formats tested here ("%q", "%-05d"). */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vmux_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* Formats into a large buffer; checks the text and the returned length. */
#define assert_format(expected, ...)                                                         \
    do {                                                                                     \
        char out_[256];                                                                      \
        memset(out_, 'Z', sizeof out_);                                                      \
        int n_ = format_unchecked(out_, sizeof out_, __VA_ARGS__);                           \
        assert_string_equal(out_, expected);                                                 \
        assert_int_equal(n_, (int)strlen(expected));                                         \
    } while (0)

static void plain_text_and_percent(void **state)
{
    (void)state;
    assert_format("", "");
    assert_format("hello", "hello");
    assert_format("100%", "100%%");
    assert_format("a%b", "a%%b");
}

static void decimal(void **state)
{
    (void)state;
    assert_format("0", "%d", 0);
    assert_format("42", "%d", 42);
    assert_format("-42", "%d", -42);
    assert_format("2147483647", "%d", INT_MAX);
    assert_format("-2147483648", "%d", INT_MIN);
    assert_format("4294967295", "%u", UINT_MAX);
    assert_format("7 -7", "%i %i", 7, -7);
}

static void hex(void **state)
{
    (void)state;
    assert_format("0", "%x", 0u);
    assert_format("ff", "%x", 255u);
    assert_format("FF", "%X", 255u);
    assert_format("deadbeef", "%x", 0xdeadbeefu);
    assert_format("ffffffff", "%x", -1);
    assert_format("0a", "%02x", 10u);
    assert_format("00c0ffee", "%08x", 0xc0ffeeu);
}

static void widths_and_zero_padding(void **state)
{
    (void)state;
    assert_format("   42", "%5d", 42);
    assert_format("42   |", "%-5d|", 42);
    assert_format("00042", "%05d", 42);
    assert_format("  -42", "%5d", -42);
    assert_format("-0042", "%05d", -42);
    assert_format("-42  |", "%-05d|", -42); /* '-' wins over '0' */
    assert_format("12345", "%3d", 12345);   /* width is a minimum */
    assert_format("    7", "%*d", 5, 7);
    assert_format("7    |", "%*d|", -5, 7);
    assert_format("  x", "%3c", 'x');
    assert_format("x  |", "%-3c|", 'x');
}

static void precision(void **state)
{
    (void)state;
    assert_format("007", "%.3d", 7);
    assert_format("  -007", "%6.3d", -7);
    assert_format("   007", "%06.3d", 7); /* precision turns '0' off */
    assert_format("", "%.0d", 0);
    assert_format("abc", "%.3s", "abcdef");
    assert_format("ab", "%.*s", 2, "abcdef");
    assert_format("  abc", "%5.3s", "abcdef");
}

static void strings_chars_pointers(void **state)
{
    (void)state;
    assert_format("hi there", "%s %s", "hi", "there");
    assert_format("   hi", "%5s", "hi");
    assert_format("hi   |", "%-5s|", "hi");
    assert_format("(null)", "%s", (const char *)NULL);
    assert_format("abc", "%c%c%c", 'a', 'b', 'c');
    assert_format("0x1234", "%p", (void *)(uintptr_t)0x1234);
    assert_format("0x0", "%p", (void *)0);
    char expected[64];
    int x;
    snprintf(expected, sizeof expected, "%p", (void *)&x);
    assert_format(expected, "%p", (void *)&x);
}

static void length_modifiers(void **state)
{
    (void)state;
    assert_format("-1", "%ld", -1l);
    assert_format("123456789", "%lu", 123456789ul);
    assert_format("ffffffff", "%lx", 0xfffffffful);
    assert_format("4096", "%zu", (size_t)4096);
    assert_format("ff", "%hhx", 0x1ff);
    assert_format("-1", "%hhd", 255);
    assert_format("ffff", "%hx", 0x1ffff);
    if (sizeof(long) == 8)
        assert_format("-9223372036854775808", "%ld", LONG_MIN);
}

static void unknown_conversions_are_copied(void **state)
{
    (void)state;
    assert_format("%q 5", "%q %d", 5);
    assert_format("end %", "end %");
}

static void mixed_line(void **state)
{
    (void)state;
    assert_format("sensor a: channel 0 = 0512 (0x200)", "sensor %s: channel %u = %04d (0x%x)", "a",
                  0u, 512, 512u);
}

/* ------------------------------------------------------------ truncation */

static void truncates_and_returns_full_length(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    int n = vmux_snprintf(buf, 5, "hello world");
    assert_int_equal(n, 11);
    assert_string_equal(buf, "hell");
    assert_memory_equal(buf + 5, "ZZZ", 3);
}

static void exact_fit_and_one_short(void **state)
{
    (void)state;
    char buf[6];
    assert_int_equal(vmux_snprintf(buf, 6, "%d", 12345), 5);
    assert_string_equal(buf, "12345");
    assert_int_equal(vmux_snprintf(buf, 5, "%d", 12345), 5);
    assert_string_equal(buf, "1234");
}

static void size_zero_writes_nothing(void **state)
{
    (void)state;
    char buf[4] = { 'A', 'B', 'C', 'D' };
    assert_int_equal(vmux_snprintf(buf, 0, "%s", "xyz"), 3);
    assert_memory_equal(buf, "ABCD", 4);
    assert_int_equal(vmux_snprintf(NULL, 0, "%05d", 1), 5);
}

static void size_one_is_just_the_terminator(void **state)
{
    (void)state;
    char buf[2] = { 'A', 'B' };
    assert_int_equal(vmux_snprintf(buf, 1, "x%d", 9), 2);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'B');
}

/* Every size from 0 to past the full length: never a byte beyond size,
 * always terminated, always the prefix of the full text. Run under
 * AddressSanitizer, with a heap buffer of exactly `size` bytes. */
static void never_writes_past_size(void **state)
{
    (void)state;
    const char *full = "   -42|ab  |0x7f|%";
    size_t len = strlen(full);
    for (size_t size = 0; size <= len + 2; size++) {
        char *buf = size ? test_malloc(size) : NULL;
        if (size)
            memset(buf, 'Z', size);
        int n = vmux_snprintf(buf, size, "%6d|%-4s|0x%x|%%", -42, "ab", 0x7fu);
        assert_int_equal(n, (int)len);
        if (size) {
            size_t kept = size - 1 < len ? size - 1 : len;
            assert_memory_equal(buf, full, kept);
            assert_int_equal(buf[kept], '\0');
            test_free(buf);
        }
    }
}

static void wide_field_truncated(void **state)
{
    (void)state;
    char buf[4];
    assert_int_equal(vmux_snprintf(buf, sizeof buf, "%100d", 1), 100);
    assert_string_equal(buf, "   ");
}

/* ------------------------------------------------------------ sink */

struct collect {
    char text[64];
    size_t len;
};

static void collect_put(char c, void *ctx)
{
    struct collect *c_ = ctx;
    if (c_->len < sizeof c_->text - 1)
        c_->text[c_->len++] = c;
}

static int format_into(struct collect *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vmux_vformat(collect_put, c, fmt, ap);
    va_end(ap);
    return n;
}

static void vformat_feeds_the_sink(void **state)
{
    (void)state;
    struct collect c = { { 0 }, 0 };
    assert_int_equal(format_into(&c, "[%3u|%s]", 5u, "ok"), 8);
    assert_string_equal(c.text, "[  5|ok]");
}

/* ------------------------------------------------------------ runtime */

static void runtime_string_functions(void **state)
{
    (void)state;
    assert_int_equal(vmux_strlen(""), 0);
    assert_int_equal(vmux_strlen("abc"), 3);
    assert_int_equal(vmux_strnlen("abcdef", 4), 4);
    assert_true(vmux_strcmp("abc", "abd") < 0);
    assert_true(vmux_strcmp("b", "a") > 0);
    assert_int_equal(vmux_strcmp("same", "same"), 0);
    char b[8] = "abcdefg";
    vmux_memmove(b + 1, b, 5);
    assert_string_equal(b, "aabcdeg");
    vmux_memmove(b, b + 1, 5);
    assert_string_equal(b, "abcdeeg");
    vmux_memset(b, 'x', 3);
    assert_memory_equal(b, "xxx", 3);
    vmux_memcpy(b, "12", 2);
    assert_int_equal(vmux_memcmp(b, "12x", 3), 0);
    assert_true(vmux_memcmp("a", "b", 1) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_text_and_percent),
        cmocka_unit_test(decimal),
        cmocka_unit_test(hex),
        cmocka_unit_test(widths_and_zero_padding),
        cmocka_unit_test(precision),
        cmocka_unit_test(strings_chars_pointers),
        cmocka_unit_test(length_modifiers),
        cmocka_unit_test(unknown_conversions_are_copied),
        cmocka_unit_test(mixed_line),
        cmocka_unit_test(truncates_and_returns_full_length),
        cmocka_unit_test(exact_fit_and_one_short),
        cmocka_unit_test(size_zero_writes_nothing),
        cmocka_unit_test(size_one_is_just_the_terminator),
        cmocka_unit_test(never_writes_past_size),
        cmocka_unit_test(wide_field_truncated),
        cmocka_unit_test(vformat_feeds_the_sink),
        cmocka_unit_test(runtime_string_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
