/*
 * Formatted output without a C library: a printf subset. The one
 * formatter of the project: the kernel (both boards: consoles, fault
 * reports, the loader's messages) and libvmux's apps
 * (userland/libvmux/format.h) compile this same file.
 *
 *   flags      '-' (left-align), '0' (pad numbers with zeros)
 *   width      digits or '*' (a negative '*' width means '-')
 *   precision  '.' digits or '.*': minimum digits for integers, maximum
 *              bytes for %s
 *   length     hh h l z
 *   conversion d i u x X c s p %
 *
 * %s of NULL prints "(null)"; %p prints 0x and the address in hex. There
 * is no floating point, no octal, and no ll (64-bit values on 32-bit
 * boards would need the compiler's division helpers). A conversion not
 * listed is copied to the output as written, and takes no argument.
 * The Cortex-M3 kernel's build (VMUX_FMT_KERNEL, fmt.c) leaves out '*',
 * precisions, hh and h, and stops its output with "<?>" at one.
 *
 * vmux_snprintf is C's snprintf: it never writes more than size bytes,
 * always terminates the string when size > 0, and returns the length the
 * whole output would have had.
 */
#ifndef VMUX_KERNEL_FMT_H
#define VMUX_KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

#define VMUX_PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

/* Receives the output one character at a time. */
typedef void (*vmux_put_fn)(char c, void *ctx);

/* Formats through put; returns the number of characters produced. */
int vmux_vformat(vmux_put_fn put, void *ctx, const char *fmt, va_list ap);

int vmux_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int vmux_snprintf(char *buf, size_t size, const char *fmt, ...) VMUX_PRINTF_LIKE(3, 4);

#endif
