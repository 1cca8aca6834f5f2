/*
 * wipe: zero memory in a way the compiler may not elide.
 *
 * Every buffer that passes from one client to another, and every key
 * register or scratch area that held a client's data, is wiped with this
 * function. A plain memset() before a buffer's last use may be removed as a
 * dead store; wipe() is followed by a compiler barrier that makes the
 * zeroes observable, so it never is.
 */
#ifndef VMUX_KERNEL_WIPE_H
#define VMUX_KERNEL_WIPE_H

#include <stddef.h>

void wipe(void *buf, size_t len);

#endif
