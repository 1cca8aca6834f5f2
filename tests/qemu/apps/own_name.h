/*
 * For the QEMU test apps (tests/qemu/apps/<name>/main.c): the Package
 * Name TLV of the app's own TBF header in flash (memop 4: its flash
 * start), so one binary packed under several names can pick what it does
 * by name. Empty when the header has none that fits.
 */
#ifndef VMUX_TESTS_QEMU_APPS_OWN_NAME_H
#define VMUX_TESTS_QEMU_APPS_OWN_NAME_H

#include "libvmux.h"

static void read_own_name(char *name, size_t size)
{
    const uint8_t *h = (const uint8_t *)vmux_memop(4, 0).r1;
    uint32_t header_size = (uint32_t)(h[2] | h[3] << 8);
    name[0] = '\0';
    for (uint32_t at = 16; at + 4 <= header_size;) {
        uint32_t type = (uint32_t)(h[at] | h[at + 1] << 8);
        uint32_t len = (uint32_t)(h[at + 2] | h[at + 3] << 8);
        if (type == 3 && len < size) {
            vmux_memcpy(name, h + at + 4, len);
            name[len] = '\0';
            return;
        }
        at += 4 + ((len + 3u) & ~3u);
    }
}

#endif
