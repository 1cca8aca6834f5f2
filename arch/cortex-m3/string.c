/*
 * The string functions the kernel calls, for the Cortex-M3 build, in
 * place of newlib's: newlib-nano's are unrolled for speed (strcmp alone
 * is 442 bytes) and the kernel only compares and copies short names and
 * command words, never on a hot path. Being in the kernel's own objects,
 * these are linked before the C library is searched. memcpy and memset
 * copy and fill a word at a time when the addresses allow it, in a
 * quarter of the flash of newlib's unrolled ones (memcpy alone is 236
 * bytes there); the copies on the system call path are of a few words.
 * tests/unit/test_cm3_string.c compares them with the host's.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A word that may alias any object: memcpy and memset move words of
 * whatever type the bytes belong to. */
typedef uint32_t __attribute__((may_alias)) cm3_word_t;

/* GCC would turn the loops below into calls to memcpy and memset, that
 * is, to themselves; and under LTO it may emit calls to memcpy, memset
 * and memcmp after it has dropped what it saw no call to: `used` keeps
 * them. */
#define CM3_NO_LIBCALLS __attribute__((used, optimize("no-tree-loop-distribute-patterns")))

CM3_NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) == 0)
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(cm3_word_t *)d = *(const cm3_word_t *)s;
    for (; n; n--)
        *d++ = *s++;
    return dst;
}

CM3_NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (((uintptr_t)d & 3u) == 0)
        for (cm3_word_t w = 0x01010101u * (unsigned char)c; n >= 4; n -= 4, d += 4)
            *(cm3_word_t *)d = w;
    for (; n; n--)
        *d++ = (unsigned char)c;
    return dst;
}

__attribute__((used)) int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) {
        x++;
        y++;
    }
    return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (; n; n--, x++, y++)
        if (*x != *y || !*x)
            return *x - *y;
    return 0;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

size_t strlen(const char *s)
{
    return strnlen(s, (size_t)-1);
}

/* C's strncpy: at most n bytes, the rest of dst zeroed. */
char *strncpy(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}
