/*
 * Kernel-side text console over the UART mux: printf into a client's
 * channel without waiting. Text is double-buffered: while one buffer is
 * on the wire, the next fills; text that does not fit is dropped and
 * counted, never blocking the kernel.
 */
#ifndef VMUX_BOARDS_COMMON_CONSOLE_H
#define VMUX_BOARDS_COMMON_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/uart_mux.h"

/* Bytes per buffer (two per console); a board short of RAM may define
 * a smaller size for the whole build. */
#ifndef CONSOLE_BUFFER
#define CONSOLE_BUFFER 1024u
#endif

struct console {
    struct uart_mux_client mux_client;
    uint8_t buffers[2][CONSOLE_BUFFER];
    size_t filling_len;
    unsigned filling;          /* index of the buffer being filled */
    int writing;               /* 1 while the other buffer is on the wire */
    uint32_t dropped_bytes;
    void (*line_received)(struct console *c, char *line);
    uint8_t rx[128];
    char line[128];
    size_t line_len;
};

vmux_err_t console_attach(struct console *c, struct uart_mux *mux, const char *name,
                          void (*line_received)(struct console *c, char *line));
void console_printf(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void console_vprintf(struct console *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
