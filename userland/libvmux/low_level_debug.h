/*
 * Low-level debug, driver 0x8 (Tock's): numbers printed by the kernel on
 * its own channel, as "LowLevelDebug: App NAME prints 0x2a", with nothing
 * but a command system call each: for when the console cannot be trusted
 * (a crash path, a program half relocated). Nothing waits for the line;
 * a process that prints faster than the channel drains loses its own
 * lines, and the kernel says how many.
 */
#ifndef VMUX_LIBVMUX_LOW_LEVEL_DEBUG_H
#define VMUX_LIBVMUX_LOW_LEVEL_DEBUG_H

#include <stdint.h>

#define VMUX_DRIVER_LOW_LEVEL_DEBUG 0x8u

/* Tock's alert codes. */
#define VMUX_DEBUG_ALERT_PANIC 0x01u
#define VMUX_DEBUG_ALERT_WRONG_LOCATION 0x02u

int vmux_debug_alert(uint32_t code);
int vmux_debug_print(uint32_t n);
int vmux_debug_print2(uint32_t n, uint32_t m);

#endif
