/*
 * Byte-at-a-time memory and string functions: small rather than fast.
 * See runtime.h for the naming rule.
 */
#include "runtime.h"

#include <stdint.h>

#include "compiler.h"

VMUX_NO_LOOP_IDIOMS void *vmux_memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

VMUX_NO_LOOP_IDIOMS void *vmux_memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((uintptr_t)d - (uintptr_t)s >= n)
        return vmux_memcpy(dst, src, n); /* no overlap that forward copying breaks */
    while (n--)
        d[n] = s[n];
    return dst;
}

VMUX_NO_LOOP_IDIOMS void *vmux_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

VMUX_NO_LOOP_IDIOMS int vmux_memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

VMUX_NO_LOOP_IDIOMS size_t vmux_strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

size_t vmux_strlen(const char *s)
{
    return vmux_strnlen(s, SIZE_MAX);
}

int vmux_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a < (unsigned char)*b ? -1 : (unsigned char)*a > (unsigned char)*b;
}

#if !__STDC_HOSTED__
/* What the compiler may call by itself in a freestanding build. Marked
 * like the vmux_ functions, in case those are inlined here. */
VMUX_HIDDEN void *memcpy(void *dst, const void *src, size_t n);
VMUX_HIDDEN void *memmove(void *dst, const void *src, size_t n);
VMUX_HIDDEN void *memset(void *dst, int c, size_t n);
VMUX_HIDDEN int memcmp(const void *a, const void *b, size_t n);

VMUX_NO_LOOP_IDIOMS void *memcpy(void *dst, const void *src, size_t n)
{
    return vmux_memcpy(dst, src, n);
}

VMUX_NO_LOOP_IDIOMS void *memmove(void *dst, const void *src, size_t n)
{
    return vmux_memmove(dst, src, n);
}

VMUX_NO_LOOP_IDIOMS void *memset(void *dst, int c, size_t n)
{
    return vmux_memset(dst, c, n);
}

VMUX_NO_LOOP_IDIOMS int memcmp(const void *a, const void *b, size_t n)
{
    return vmux_memcmp(a, b, n);
}
#endif
