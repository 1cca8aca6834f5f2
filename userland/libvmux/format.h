/*
 * Formatted output for apps: vmux_snprintf, vmux_vsnprintf, vmux_vformat.
 * The formatter is the kernel's own, compiled into libvmux (the Makefile
 * adds kernel/fmt.c to the library's sources): one copy for the kernel
 * and the apps. What it supports is described in kernel/fmt.h.
 */
#ifndef VMUX_LIBVMUX_FORMAT_H
#define VMUX_LIBVMUX_FORMAT_H

#include "../../kernel/fmt.h"

#endif
