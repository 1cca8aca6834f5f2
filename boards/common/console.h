/*
 * Kernel-side text console over the UART mux: printf into a client's
 * channel without waiting. Text is double-buffered: while one buffer is
 * on the wire, the next fills; text that does not fit is dropped and
 * counted, never blocking the kernel. A writer that would rather wait
 * than lose text (the low-level debug driver) asks console_room() first
 * and sets drained to hear when a buffer has gone out.
 *
 * Input. A console that takes lines (the management channel's) is given
 * a struct console_input, the caller's storage: what it reads, and the
 * line it gathers (up to 127 bytes; a longer one comes as several), each
 * handed to line_received without its newline. The others need none,
 * and take no RAM for it.
 *
 * Reports. Output longer than a buffer (the management channel's ps,
 * stats, clients) goes out as a report: console_report takes a function
 * that prints line i, and calls it for i = 0, 1, ... whenever a buffer
 * has room for a whole line (CONSOLE_REPORT_LINE bytes), from the
 * console's write completions, until it returns false. Nothing is cut,
 * and the kernel never waits. One report goes out at a time, on any
 * console (the management channel's are the only ones): a new one
 * replaces one still going.
 */
#ifndef VMUX_BOARDS_COMMON_CONSOLE_H
#define VMUX_BOARDS_COMMON_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/uart_mux.h"

/* Bytes per buffer (two per console); a board short of RAM may define
 * a smaller size for the whole build. */
#ifndef CONSOLE_BUFFER
#define CONSOLE_BUFFER 1024u
#endif

/* The longest line a report may print. */
#define CONSOLE_REPORT_LINE 256u

struct console;

/* Print line i of a report on c; false when there is no line i. */
typedef bool (*console_report_fn)(struct console *c, unsigned i);

struct console_input {
    void (*line_received)(struct console *c, char *line);
    uint8_t rx[128];
    char line[128];
    size_t line_len;
};

struct console {
    struct uart_mux_client mux_client;
    uint8_t buffers[2][CONSOLE_BUFFER];
    size_t filling_len;
    unsigned filling;          /* index of the buffer being filled */
    int writing;               /* 1 while the other buffer is on the wire */
    uint32_t dropped_bytes;
    struct console_input *input; /* NULL: output only */
    void (*drained)(struct console *c);   /* optional: a buffer went out */
};

/* input NULL: an output-only console; otherwise its line_received set.
 * name: the kernel client's, written CLIENT_NAME("...") (kernel/client.h)
 * so that the image records it for the host tools. */
vmux_err_t console_attach(struct console *c, struct uart_mux *mux, const char *name,
                          struct console_input *input);
/* Bytes the buffer being filled still takes. */
static inline size_t console_room(const struct console *c)
{
    return CONSOLE_BUFFER - c->filling_len;
}

void console_printf(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void console_vprintf(struct console *c, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void console_report(struct console *c, console_report_fn report);

#endif
