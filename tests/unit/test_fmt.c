/* The kernel's formatter (kernel/fmt.c) against the host C library's
 * snprintf: for every format and value below, and for every buffer size
 * from 0 to two bytes past the full length, vmux_vsnprintf must write the
 * same bytes and return the same length as vsnprintf. The buffers are
 * heap blocks of exactly `size` bytes, so AddressSanitizer catches a
 * write past the end. Only what both define the same way is compared
 * (tests/unit/test_libvmux_format.c covers the rest: %p of NULL, %s of
 * NULL, conversions the formatter does not know). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "kernel/fmt.h"

static unsigned compared;

#ifdef TEST_FMT_KERNEL
static unsigned kernel_skipped;

/* Does a conversion of fmt use what the kernel's build leaves out ('*',
 * a precision, hh or h, a conversion other than u x s %)? */
static bool kernel_unsupported(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p + 1, '%')) {
        size_t n = strspn(p + 1, "-0123456789*.hlz");
        if (memchr(p + 1, '*', n) || memchr(p + 1, '.', n) || memchr(p + 1, 'h', n) ||
            !p[1 + n] || !strchr("uxs%", p[1 + n]))
            return true;
        p += n + 1;
    }
    return false;
}
#endif

static void compare(const char *fmt, va_list ap)
{
#ifdef TEST_FMT_KERNEL
    if (kernel_unsupported(fmt)) {
        kernel_skipped++;
        return;
    }
#endif
    char full[512];
    va_list ap2;
    va_copy(ap2, ap);
    int want = vsnprintf(full, sizeof full, fmt, ap2);
    va_end(ap2);
    assert_true(want >= 0 && (size_t)want < sizeof full);
    for (size_t size = 0; size <= (size_t)want + 2; size++) {
        char *buf = size ? test_malloc(size) : NULL;
        char *libc = size ? test_malloc(size) : NULL;
        if (size) {
            memset(buf, 'Z', size);
            memset(libc, 'Z', size);
        }
        va_copy(ap2, ap);
        int got = vmux_vsnprintf(buf, size, fmt, ap2);
        va_end(ap2);
        va_copy(ap2, ap);
        int libc_n = vsnprintf(libc, size, fmt, ap2);
        va_end(ap2);
        if (got != libc_n || (size && memcmp(buf, libc, size) != 0))
            fail_msg("format \"%s\", size %zu: got %d \"%.*s\", libc %d \"%.*s\"", fmt, size, got,
                     (int)size, size ? buf : "", libc_n, (int)size, size ? libc : "");
        if (size) {
            test_free(buf);
            test_free(libc);
        }
        compared++;
    }
}

static void same_as_libc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void same_as_libc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    compare(fmt, ap);
    va_end(ap);
}

/* Formats whose flags the compiler's check calls redundant ("%-05d":
 * '-' wins over '0'; "%08.3d": a precision turns '0' off), which C still
 * defines. */
static void same_as_libc_unchecked(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    compare(fmt, ap);
    va_end(ap);
}

static void signed_decimal(void **state)
{
    (void)state;
    static const int values[] = { 0, 1, -1, 7, -7, 9, 10, -10, 99, 100, 12345, -12345,
                                  INT_MAX, INT_MIN, INT_MIN + 1 };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        int v = values[i];
        same_as_libc("%d", v);
        same_as_libc("%i", v);
        same_as_libc("%5d|", v);
        same_as_libc("%-5d|", v);
        same_as_libc("%05d", v);
        same_as_libc_unchecked("%-05d|", v);
        same_as_libc("%.3d", v);
        same_as_libc("%8.3d", v);
        same_as_libc("%-8.3d|", v);
        same_as_libc_unchecked("%08.3d", v);
        same_as_libc("%.0d", v);
        same_as_libc("%1d", v);
        same_as_libc("%12d", v);
        same_as_libc("%012d", v);
        same_as_libc("%*d|", 6, v);
        same_as_libc("%*d|", -6, v);
        same_as_libc("%.*d", 4, v);
        same_as_libc("%.*d", -1, v);
        same_as_libc("%hd", v);
        same_as_libc("%hhd", v);
    }
}

static void unsigned_decimal_and_hex(void **state)
{
    (void)state;
    static const unsigned values[] = { 0u, 1u, 9u, 10u, 15u, 16u, 255u, 256u, 4095u, 65535u,
                                       65536u, 0xdeadbeefu, 0x7fffffffu, 0x80000000u, UINT_MAX };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        unsigned v = values[i];
        same_as_libc("%u", v);
        same_as_libc("%x", v);
        same_as_libc("%X", v);
        same_as_libc("%02x", v);
        same_as_libc("%08x", v);
        same_as_libc("%8X|", v);
        same_as_libc("%-8x|", v);
        same_as_libc("%.6x", v);
        same_as_libc("%.0u", v);
        same_as_libc("%010u", v);
        same_as_libc("%hu %hx", v, v);
        same_as_libc("%hhu %hhx %hhX", v, v, v);
    }
}

static void long_and_size(void **state)
{
    (void)state;
    static const long svalues[] = { 0l, -1l, 1l, LONG_MAX, LONG_MIN, INT_MIN, INT_MAX };
    for (size_t i = 0; i < sizeof svalues / sizeof svalues[0]; i++) {
        same_as_libc("%ld", svalues[i]);
        same_as_libc("%24ld|", svalues[i]);
        same_as_libc("%-24ld|", svalues[i]);
        same_as_libc("%024li", svalues[i]);
    }
    static const unsigned long uvalues[] = { 0ul, 1ul, 0xfffffffful, ULONG_MAX, ULONG_MAX / 10 };
    for (size_t i = 0; i < sizeof uvalues / sizeof uvalues[0]; i++) {
        same_as_libc("%lu", uvalues[i]);
        same_as_libc("%lx", uvalues[i]);
        same_as_libc("%08lx", uvalues[i]);
        same_as_libc("%lX", uvalues[i]);
    }
    static const size_t zvalues[] = { 0, 1, 4096, SIZE_MAX, SIZE_MAX / 2 };
    for (size_t i = 0; i < sizeof zvalues / sizeof zvalues[0]; i++) {
        same_as_libc("%zu", zvalues[i]);
        same_as_libc("%zx", zvalues[i]);
        same_as_libc("%6zu|", zvalues[i]);
    }
}

static void strings_and_chars(void **state)
{
    (void)state;
    static const char *const values[] = { "", "a", "hi", "sensor-a", "exactly 16 bytes",
                                          "a somewhat longer string, past most buffers" };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        const char *s = values[i];
        same_as_libc("%s", s);
        same_as_libc("[%10s]", s);
        same_as_libc("[%-10s]", s);
        same_as_libc("[%.2s]", s);
        same_as_libc("[%10.2s]", s);
        same_as_libc("[%-10.2s]", s);
        same_as_libc("[%.0s]", s);
        same_as_libc("[%.*s]", 3, s);
        same_as_libc("[%*s]", -12, s);
        same_as_libc("%-17s|%-7s|", s, s);
    }
    for (int c = 1; c < 256; c += 17) {
        same_as_libc("%c", c);
        same_as_libc("[%3c]", c);
        same_as_libc("[%-3c]", c);
    }
    same_as_libc("%c%c%c", 'a', 'b', 'c');
}

static void pointers_and_percent(void **state)
{
    (void)state;
    int x;
    same_as_libc("%p", (void *)&x);
    same_as_libc("%p", (void *)(uintptr_t)0x1234);
    same_as_libc("[%20p]", (void *)(uintptr_t)0xabcdef);
    same_as_libc("[%-20p]", (void *)(uintptr_t)0xabcdef);
    same_as_libc("%%");
    same_as_libc("100%% of %d%%", 42);
    same_as_libc("%s", "no conversion at all, but long enough to be cut at every size");
    same_as_libc("%s", "");
}

static void width_past_the_buffer(void **state)
{
    (void)state;
    same_as_libc("%100d", 1);
    same_as_libc("%-100d|", -1);
    same_as_libc("%0100u", 7u);
    same_as_libc("%.100d", 5);
    same_as_libc("%200s|", "x");
    same_as_libc("%*s|", 300, "y");
}

/* The lines the kernel prints (fault reports, ps, the demo's counters). */
static void kernel_lines(void **state)
{
    (void)state;
    same_as_libc("process %s faulted: %s, %s%s", "intruder-write-1", "MemManage",
                 "data access violation", " at 0x20008000 (RAM of process alive)");
    same_as_libc(" at 0x%08lx (%s)", 0x20008000ul, "RAM of process alive");
    same_as_libc("  pc %08lx lr %08lx sp %08lx xpsr %08lx", 0x10040ul, 0xfffffffdul,
                 0x20007fe0ul, 0x01000000ul);
    same_as_libc("%u %-17s %-7s gen %u syscalls %lu upcalls %lu restarts %lu%s\n", 3u, "sensor-a",
                 "running", 1u, 123456ul, 0ul, 2ul, " (backing off)");
    same_as_libc("tick %u (counter 0x%08x)\n", 12u, 0xfa0a1f00u);
    same_as_libc("echoed %u bytes to %u.%u.%u.%u:%u (%s)\n", 5u, 10u, 0u, 2u, 2u, 40000u,
                 "SUCCESS");
}

static void every_case_was_compared(void **state)
{
    (void)state;
#ifdef TEST_FMT_KERNEL
    print_message("%u compared, %u left out\n", compared, kernel_skipped);
    assert_true(compared > 2000 && kernel_skipped > 100);
#else
    assert_true(compared > 5000);
#endif
}

#ifdef TEST_FMT_KERNEL
/* What the kernel's build leaves out writes "<?>" and ends the output
 * there: no argument after it is taken. */
static void kernel_build_stops_at_what_it_leaves_out(void **state)
{
    (void)state;
    static const char *const formats[] = { "a%.2sb%s", "a%*ub%s", "a%hub%s", "a%hhxb%s",
                                           "a%5.1sb%s", "a%-.0ub%s", "a%db%s", "a%ib%s",
                                           "a%cb%s", "a%pb%s", "a%Xb%s", "a%qb%s", "a%" };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char buf[16];
        /* only a NULL pointer follows: had the formatter taken it for
         * the %s after the stop, it would print "(null)" */
        assert_int_equal(vmux_snprintf(buf, sizeof buf, formats[i], NULL, NULL), 4);
        assert_string_equal(buf, "a<?>");
    }
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signed_decimal),
        cmocka_unit_test(unsigned_decimal_and_hex),
        cmocka_unit_test(long_and_size),
        cmocka_unit_test(strings_and_chars),
        cmocka_unit_test(pointers_and_percent),
        cmocka_unit_test(width_past_the_buffer),
        cmocka_unit_test(kernel_lines),
        cmocka_unit_test(every_case_was_compared),
#ifdef TEST_FMT_KERNEL
        cmocka_unit_test(kernel_build_stops_at_what_it_leaves_out),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
