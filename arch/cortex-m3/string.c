/*
 * The string functions the kernel calls, for the Cortex-M3 build, in
 * place of newlib's: newlib-nano's are unrolled for speed (strcmp alone
 * is 442 bytes) and the kernel only compares and copies short names and
 * command words, never on a hot path. Being in the kernel's own objects,
 * these are linked before the C library is searched. memcpy and memset
 * stay newlib's: buffers and structures are copied on the system call
 * path. tests/unit/test_cm3_string.c compares them with the host's.
 */
#include <stddef.h>
#include <string.h>

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
