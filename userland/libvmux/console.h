/*
 * Console, driver 0x1: write bytes, read bytes, formatted output.
 *
 * The blocking calls wait with yield-wait-for, so callbacks of other
 * drivers do not run meanwhile; the callback forms return at once and
 * call back from a later yield (vmux_yield_wait, vmux_yield_until). A
 * blocking call replaces the callback of the same kind (write or read)
 * set before. Only one operation of each kind at a time.
 */
#ifndef VMUX_LIBVMUX_CONSOLE_H
#define VMUX_LIBVMUX_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "syscall.h"

#define VMUX_DRIVER_CONSOLE 0x1u

/* The kernel's largest read (Tock's default receive buffer); longer
 * blocking reads are made of several. */
#define VMUX_CONSOLE_READ_MAX 64u

/* Writes all len bytes. */
int vmux_console_write(const void *buf, size_t len);
int vmux_console_write_str(const char *s);

/* printf to the console; returns the number of characters formatted,
 * or minus the error when the console refused the text (-VMUX_ENOMEM:
 * no room for the console's grant in the process's memory). */
int vmux_printf(const char *fmt, ...) VMUX_PRINTF_LIKE(1, 2);
int vmux_vprintf(const char *fmt, va_list ap);

/* Reads exactly len bytes into buf (*got: how many came, fewer only on
 * an error). */
int vmux_console_read(void *buf, size_t len, size_t *got);

/* Reads one line: up to '\n' or '\r' (a '\n' right after a '\r' is
 * skipped), without it, NUL-terminated, *len characters. A line longer
 * than size - 1 is read to its end and cut: VMUX_ESIZE. */
int vmux_console_read_line(char *line, size_t size, size_t *len);

/* Callback forms: buf must stay valid until the callback. */
typedef void (*vmux_console_write_cb)(size_t written, void *ctx);
typedef vmux_status_len_cb vmux_console_read_cb; /* (status, len, ctx) */
int vmux_console_write_async(const void *buf, size_t len, vmux_console_write_cb cb, void *ctx);
/* At most VMUX_CONSOLE_READ_MAX bytes. */
int vmux_console_read_async(void *buf, size_t len, vmux_console_read_cb cb, void *ctx);
/* Ends the read in progress; its callback gets what came so far. */
int vmux_console_read_abort(void);

#endif
