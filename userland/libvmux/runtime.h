/*
 * Memory and string functions, without a C library.
 *
 * Naming. Apps and libvmux call the vmux_ names below; they never clash
 * with a C library, so the same sources also link in hosted programs
 * (the unit tests). In a freestanding build (__STDC_HOSTED__ == 0, i.e.
 * an app) runtime.c also defines memcpy, memmove, memset and memcmp,
 * because the compiler may emit calls to those four on its own (struct
 * copies, zeroing, loops it recognises), as GCC documents for
 * freestanding code. They are hidden symbols: the app's own calls bind
 * to them, and the app exports nothing a host process could confuse with
 * its C library.
 */
#ifndef VMUX_LIBVMUX_RUNTIME_H
#define VMUX_LIBVMUX_RUNTIME_H

#include <stddef.h>

void *vmux_memcpy(void *dst, const void *src, size_t n);
void *vmux_memmove(void *dst, const void *src, size_t n);
void *vmux_memset(void *dst, int c, size_t n);
int vmux_memcmp(const void *a, const void *b, size_t n);
size_t vmux_strlen(const char *s);
/* At most max bytes looked at. */
size_t vmux_strnlen(const char *s, size_t max);
int vmux_strcmp(const char *a, const char *b);

#endif
