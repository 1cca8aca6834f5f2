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

_Static_assert(sizeof(uintptr_t) <= sizeof(unsigned long), "%p is formatted as unsigned long");
_Static_assert(sizeof(size_t) <= sizeof(unsigned long), "%z is formatted as unsigned long");

struct out {
    vmux_put_fn put;
    void *ctx;
    int count;
};

struct spec {
    bool left, zero;
    int width;
    int precision; /* -1: none */
    char length;   /* 0, 'H' (hh), 'h', 'l', 'z' */
};

/* At most max bytes looked at. */
static size_t length(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

static void put_chars(struct out *o, const char *s, int n)
{
    for (int i = 0; i < n; i++)
        o->put(s[i], o->ctx);
    o->count += n;
}

static void put_repeat(struct out *o, char c, int n)
{
    for (; n > 0; n--) {
        o->put(c, o->ctx);
        o->count++;
    }
}

static void field(struct out *o, const struct spec *sp, const char *prefix, int zeros,
                  const char *body, int len)
{
    int plen = (int)length(prefix, 2);
    int total = plen + zeros + len;
    int pad = sp->width > total ? sp->width - total : 0;
    if (!sp->left)
        put_repeat(o, ' ', pad);
    put_chars(o, prefix, plen);
    put_repeat(o, '0', zeros);
    put_chars(o, body, len);
    if (sp->left)
        put_repeat(o, ' ', pad);
}

static void number(struct out *o, const struct spec *sp, unsigned long v, unsigned base,
                   bool upper, const char *prefix)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[3 * sizeof v];
    int n = 0;
    /* digits from the end of the buffer; value 0 with precision 0 is empty */
    if (v != 0 || sp->precision != 0) {
        do {
            digits[sizeof digits - 1 - (size_t)n++] = set[v % base];
            v /= base;
        } while (v);
    }
    int zeros = 0;
    if (sp->precision >= 0) {
        zeros = sp->precision > n ? sp->precision - n : 0;
    } else if (sp->zero && !sp->left) {
        int room = sp->width - (int)length(prefix, 2) - n;
        zeros = room > 0 ? room : 0;
    }
    field(o, sp, prefix, zeros, digits + sizeof digits - n, n);
}

static unsigned long narrow_unsigned(unsigned long v, char length)
{
    if (length == 'H')
        return (unsigned char)v;
    if (length == 'h')
        return (unsigned short)v;
    return v;
}

static long narrow_signed(long v, char length)
{
    if (length == 'H')
        return (signed char)v;
    if (length == 'h')
        return (short)v;
    return v;
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
    const char *p = fmt;
    while (*p) {
        if (*p != '%') {
            put_chars(&o, p++, 1);
            continue;
        }
        const char *start = p++;
        struct spec sp = { false, false, 0, -1, 0 };
        for (;; p++) {
            if (*p == '-')
                sp.left = true;
            else if (*p == '0')
                sp.zero = true;
            else
                break;
        }
        if (*p == '*') {
            p++;
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = sp.width == INT_MIN ? 0 : -sp.width;
            }
        } else {
            sp.width = parse_int(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                p++;
                sp.precision = va_arg(ap, int);
                if (sp.precision < 0)
                    sp.precision = -1;
            } else {
                sp.precision = parse_int(&p);
            }
        }
        if (*p == 'h') {
            sp.length = *++p == 'h' ? 'H' : 'h';
            if (sp.length == 'H')
                p++;
        } else if (*p == 'l' || *p == 'z') {
            sp.length = *p++;
        }

        switch (*p) {
        case 'd':
        case 'i': {
            long v;
            if (sp.length == 'l')
                v = va_arg(ap, long);
            else if (sp.length == 'z')
                v = (long)va_arg(ap, size_t);
            else
                v = narrow_signed(va_arg(ap, int), sp.length);
            unsigned long mag = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
            number(&o, &sp, mag, 10, false, v < 0 ? "-" : "");
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long v;
            if (sp.length == 'l')
                v = va_arg(ap, unsigned long);
            else if (sp.length == 'z')
                v = va_arg(ap, size_t);
            else
                v = narrow_unsigned(va_arg(ap, unsigned int), sp.length);
            number(&o, &sp, v, *p == 'u' ? 10 : 16, *p == 'X', "");
            break;
        }
        case 'p':
            number(&o, &sp, (uintptr_t)va_arg(ap, void *), 16, false, "0x");
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            field(&o, &sp, "", 0, &c, 1);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            size_t max = sp.precision >= 0 ? (size_t)sp.precision : SIZE_MAX;
            field(&o, &sp, "", 0, s, (int)length(s, max < INT_MAX ? max : INT_MAX));
            break;
        }
        case '%':
            put_chars(&o, "%", 1);
            break;
        case '\0':
            /* a lone '%' at the end: copied as written */
            put_chars(&o, start, (int)(p - start));
            continue;
        default:
            put_chars(&o, start, (int)(p - start) + 1);
            break;
        }
        p++;
    }
    return o.count;
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
