/*
 * Low-level debug syscall driver: driver 0x8, compatible with Tock's
 * (doc/syscalls/00008_low_level_debug.md): a process prints numbers with
 * nothing but the command system call, from a crash handler or a
 * half-relocated program where the console cannot be trusted.
 *
 *   command 0                 driver exists              Success
 *   command 1, code           print an alert code        Success
 *   command 2, n              print a number             Success
 *   command 3, n, m           print two numbers          Success
 *   other                                                NOSUPPORT
 *   no upcalls, no allows
 *
 * Alert codes (Tock's): 0x01 the app panicked, 0x02 a statically linked
 * app is in the wrong place in flash.
 *
 * Output. Each entry becomes one line on a sink the board gives (on both
 * boards: the kernel's channel of the UART mux, where the kernel's own
 * reports go), in Tock's text with the process's name where Tock puts
 * its number, numbers in hex:
 *     LowLevelDebug: App NAME alert code 0x1
 *     LowLevelDebug: App NAME prints 0x2a
 *     LowLevelDebug: App NAME prints 0x2a 0x10
 *     LowLevelDebug: Dropped 0x5 entries for app NAME
 *
 * Nothing is lost silently, and a process that floods the driver can
 * only lose its own lines:
 *   - Each process queues up to LOW_LEVEL_DEBUG_QUEUE entries, in the
 *     driver's table of queues, one per process slot (PROCESS_MAX), not
 *     in the process's grant, which stays a bare header: a board adds
 *     every driver's grant to an app's RAM where its MPU block has room
 *     (boards/lm3s6965evb/apps.h). A queue is emptied when its process
 *     ends, so a new life starts with none. An entry that finds its
 *     queue full, or a drop not yet reported, is dropped and counted for that process; once its queue
 *     has drained, the "Dropped" line says how many, in the order they
 *     were lost. The commands still answer Success, as Tock's do.
 *   - Lines are written round robin between processes with entries, one
 *     line a turn (process_next_with_grant), and only while the sink has
 *     room for a whole line (LOW_LEVEL_DEBUG_LINE_MAX), which the sink
 *     keeps below what its other writers need.
 *   - When a process ends, its queued lines go out if the sink has room;
 *     the rest are counted.
 *   Conservation (kernel/tally.h): entries are taken when a command
 *   asks, then delivered (their line written), refused (dropped: the
 *   queue was full) or departed (still queued, no room, when their
 *   process ended); one tally for all processes, in counters (the
 *   management channel's "stats").
 *
 * Wiring, in a board (boards/common/demo.h does it for the kernel's
 * channel):
 *
 *     static struct low_level_debug_driver lld;
 *     low_level_debug_driver_init(&lld, &kernel_channel_sink);
 *     process_register_driver(&lld.driver);
 *     ...
 *     low_level_debug_driver_sink_ready(&lld);   // the sink drained: more room
 */
#ifndef VMUX_CAPSULES_DRIVERS_LOW_LEVEL_DEBUG_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_LOW_LEVEL_DEBUG_DRIVER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/deferred.h"
#include "kernel/syscall_driver.h"
#include "kernel/tally.h"

#define LOW_LEVEL_DEBUG_DRIVER_NUM 0x8u
#define LOW_LEVEL_DEBUG_QUEUE 4u       /* entries per process */
#define LOW_LEVEL_DEBUG_LINE_MAX 96u   /* the longest line and more */

enum low_level_debug_command {
    LOW_LEVEL_DEBUG_CMD_ALERT = 1,
    LOW_LEVEL_DEBUG_CMD_PRINT1 = 2,
    LOW_LEVEL_DEBUG_CMD_PRINT2 = 3,
};

/* Where lines go: the board's. */
struct low_level_debug_sink {
    /* Bytes it takes now without crowding out its other writers. */
    size_t (*room)(struct low_level_debug_sink *self);
    /* One line, as kernel/fmt.h formats it, newline included, no longer
     * than room() said. */
    void (*write)(struct low_level_debug_sink *self, const char *fmt, va_list ap);
};

struct low_level_debug_counters {
    struct tally entries;
    uint32_t drop_reports;   /* "Dropped" lines written */
};

/* A process's queue: what commands 1, 2 and 3 asked to print, oldest at
 * head, and how many were lost since the last "Dropped" line. */
struct low_level_debug_queue {
    uint8_t command[LOW_LEVEL_DEBUG_QUEUE];
    syscall_reg_t a[LOW_LEVEL_DEBUG_QUEUE], b[LOW_LEVEL_DEBUG_QUEUE];
    uint8_t head, count;
    uint32_t dropped;
};

struct low_level_debug_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct low_level_debug_sink *sink;
    struct deferred_call work;      /* writes lines while the sink has room */
    struct low_level_debug_counters counters;
    struct low_level_debug_queue queues[PROCESS_MAX];   /* by process slot */
};

/* NOMEM when no deferred call is left. */
vmux_err_t low_level_debug_driver_init(struct low_level_debug_driver *d,
                                       struct low_level_debug_sink *sink);

/* The sink has room again: lines waiting go out, from the loop. */
void low_level_debug_driver_sink_ready(struct low_level_debug_driver *d);

#endif
