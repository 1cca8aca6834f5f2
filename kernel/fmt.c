/*
 * The printf subset of fmt.h. One pass over the format; each conversion
 * becomes a field: padding, a prefix (sign or 0x), zeros, and a body, in
 * that order (or with the padding last when left-aligned). No C library:
 * apps compile this file too (userland/libvmux/format.h).
 */
#include "fmt.h" /* next to this file: apps build it without -I. */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * VMUX_FMT_KERNEL=1 (the Cortex-M3 kernel's build; apps and the host
 * keep everything): only what the kernel's own messages use, about 300
 * bytes less of flash: the conversions u x s and %, with '-', '0', a
 * width, and l or z; no '*', no precision, no hh or h, no d i X c p. At
 * anything else the formatter writes "<?>" and stops there, taking no
 * more arguments, so a message that needs more shows it at once rather
 * than reading its arguments wrongly (tests/unit/test_fmt_kernel.c).
 */
#ifndef VMUX_FMT_KERNEL
#define VMUX_FMT_KERNEL 0
#endif

_Static_assert(sizeof(uintptr_t) <= sizeof(unsigned long), "%p is formatted as unsigned long");
_Static_assert(sizeof(size_t) <= sizeof(unsigned long), "%z is formatted as unsigned long");
_Static_assert(!VMUX_FMT_KERNEL || sizeof(size_t) == sizeof(unsigned long),
               "the kernel's build reads %z as long");

struct out {
    vmux_put_fn put;
    void *ctx;
    int count;
};

/* n characters: s's, or c repeated when s is NULL. */
static void emit(struct out *o, const char *s, char c, int n)
{
    for (; n > 0; n--) {
        o->put(s ? *s++ : c, o->ctx);
        o->count++;
    }
}

/* Parses digits at *p; leaves *p after them. */
static int parse_int(const char **p)
{
    int v = 0;
    while (**p >= '0' && **p <= '9') {
        if (v < 100000000)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

int vmux_vformat(vmux_put_fn put, void *ctx, const char *fmt, va_list ap)
{
    struct out o = { put, ctx, 0 };
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            emit(&o, p, 0, 1);
            continue;
        }
        const char *start = p++;
        bool left = false, zero = false;
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                zero = true;
            else
                break;
        }
#if VMUX_FMT_KERNEL
        int width = parse_int(&p);
        const int precision = -1;
        char length = 0;
        if (*p == 'l' || *p == 'z')
            length = *p++;
        if (*p == '*' || *p == '.' || *p == 'h')
            goto stop;
#else
        int width;
        if (*p == '*') {
            p++;
            width = va_arg(ap, int);
            if (width < 0) {
                left = true;
                width = width == INT_MIN ? 0 : -width;
            }
        } else {
            width = parse_int(&p);
        }
        int precision = -1;
        if (*p == '.') {
            p++;
            if (*p == '*') {
                p++;
                precision = va_arg(ap, int);
                if (precision < 0)
                    precision = -1;
            } else {
                precision = parse_int(&p);
            }
        }
        char length = 0; /* 'H' is hh */
        if (*p == 'h') {
            length = 'h';
            if (*++p == 'h') {
                length = 'H';
                p++;
            }
        } else if (*p == 'l' || *p == 'z') {
            length = *p++;
        }
#endif

        /* Each conversion is a field: padding, prefix, zeros, body. */
        char digits[3 * sizeof(unsigned long)];
        const char *prefix = "", *body = digits;
        int plen = 0, len = 0, zeros = 0; /* plen: prefix's length */
        unsigned long v = 0;
        unsigned base = 16;
        switch (*p) {
#if !VMUX_FMT_KERNEL
        case 'd':
        case 'i': {
            long sv = length == 'l'   ? va_arg(ap, long)
                      : length == 'z' ? (long)va_arg(ap, size_t)
                      : length == 'H' ? (signed char)va_arg(ap, int)
                      : length == 'h' ? (short)va_arg(ap, int)
                                      : va_arg(ap, int);
            v = sv < 0 ? 0ul - (unsigned long)sv : (unsigned long)sv;
            if (sv < 0) {
                prefix = "-";
                plen = 1;
            }
            base = 10;
            goto number;
        }
#endif
        case 'u':
            base = 10;
            /* fall through */
        case 'x':
#if VMUX_FMT_KERNEL
            v = length ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
#else
        case 'X':
            v = length == 'l'   ? va_arg(ap, unsigned long)
                : length == 'z' ? va_arg(ap, size_t)
                : length == 'H' ? (unsigned char)va_arg(ap, unsigned int)
                : length == 'h' ? (unsigned short)va_arg(ap, unsigned int)
                                : va_arg(ap, unsigned int);
#endif
            goto number;
#if !VMUX_FMT_KERNEL
        case 'p':
            v = (uintptr_t)va_arg(ap, void *);
            prefix = "0x";
            plen = 2;
#endif
        number: {
            /* Upper case, made lower by the 0x20 bit (which the digits
             * 0-9 already have) unless the conversion is 'X'. */
            const char lower = *p == 'X' ? 0 : 0x20;
            /* digits from the end of the buffer; value 0 with precision 0 is empty */
            if (v != 0 || precision != 0) {
                do {
                    digits[sizeof digits - 1 - (size_t)len++] =
                        (char)("0123456789ABCDEF"[v % base] | lower);
                    v /= base;
                } while (v);
            }
            body = digits + sizeof digits - len;
            if (precision >= 0)
                zeros = precision - len;
            else if (zero && !left)
                zeros = width - plen - len;
            break;
        }
#if !VMUX_FMT_KERNEL
        case 'c':
            digits[0] = (char)va_arg(ap, int);
            len = 1;
            break;
#endif
        case 's': {
            body = va_arg(ap, const char *);
            if (body == NULL)
                body = "(null)";
            while ((precision < 0 || len < precision) && body[len])
                len++;
            break;
        }
        case '%':
            body = p;
            len = 1;
            width = 0;
            break;
        case '\0':
            /* a lone '%' at the end: copied as written */
            p--;
            /* fall through */
        default: /* copied as written, taking no argument */
#if VMUX_FMT_KERNEL
            goto stop; /* it may be one the full build knows */
#endif
            body = start;
            len = (int)(p - start) + 1;
            width = 0;
            break;
        }
        if (zeros < 0)
            zeros = 0;
        int pad = width - plen - zeros - len;
        if (!left)
            emit(&o, NULL, ' ', pad);
        emit(&o, prefix, 0, plen);
        emit(&o, NULL, '0', zeros);
        emit(&o, body, 0, len);
        if (left)
            emit(&o, NULL, ' ', pad);
    }
    return o.count;
#if VMUX_FMT_KERNEL
stop:
    emit(&o, "<?>", 0, 3);
    return o.count;
#endif
}

/* ------------------------------------------------------------ snprintf */

struct buffer {
    char *buf;
    size_t size;
    size_t len; /* what the output would need, terminator excluded */
};

static void buffer_put(char c, void *ctx)
{
    struct buffer *b = ctx;
    if (b->len + 1 < b->size)
        b->buf[b->len] = c;
    b->len++;
}

int vmux_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = { buf, size, 0 };
    int n = vmux_vformat(buffer_put, &b, fmt, ap);
    if (size > 0)
        buf[b.len < size ? b.len : size - 1] = '\0';
    return n;
}

int vmux_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vmux_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
