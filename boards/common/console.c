#include "boards/common/console.h"

#include <stdarg.h>
#include <string.h>

#include "kernel/fmt.h"

static void start_write(struct console *c)
{
    if (c->writing || c->filling_len == 0)
        return;
    unsigned sending = c->filling;
    size_t len = c->filling_len;
    c->filling ^= 1u;
    c->filling_len = 0;
    if (uart_mux_write(&c->mux_client, c->buffers[sending], len) == VMUX_SUCCESS)
        c->writing = 1;
    else
        c->dropped_bytes += (uint32_t)len;
}

/* The report going out, and on which console. */
static struct {
    struct console *console;
    console_report_fn line;
    unsigned next;
} report;

/* The report's next lines, while a whole line fits. */
static void report_more(struct console *c)
{
    while (report.console == c && CONSOLE_BUFFER - c->filling_len >= CONSOLE_REPORT_LINE)
        if (!report.line(c, report.next++))
            report.console = NULL;
    start_write(c);
}

static void write_done(struct uart_mux_client *mc, const uint8_t *buf, size_t sent,
                       vmux_err_t status)
{
    struct console *c = container_of(mc, struct console, mux_client);
    (void)buf;
    (void)sent;
    (void)status;
    c->writing = 0;
    start_write(c);
    report_more(c);
    if (c->drained)
        c->drained(c);
}

void console_report(struct console *c, console_report_fn line)
{
    report.console = c;
    report.line = line;
    report.next = 0;
    report_more(c);
}

static void read_done(struct uart_mux_client *mc, uint8_t *buf, size_t n, vmux_err_t status)
{
    struct console *c = container_of(mc, struct console, mux_client);
    struct console_input *in = c->input;
    if (status != VMUX_SUCCESS || in == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\n' || in->line_len == sizeof in->line - 1) {
            in->line[in->line_len] = '\0';
            in->line_received(c, in->line);
            in->line_len = 0;
        } else if (buf[i] != '\r') {
            in->line[in->line_len++] = (char)buf[i];
        }
    }
    uart_mux_read(&c->mux_client, in->rx, sizeof in->rx);
}

static const struct uart_mux_client_ops console_ops = { write_done, read_done };

vmux_err_t console_attach(struct console *c, struct uart_mux *mux, const char *name,
                          struct console_input *input)
{
    if (report.console == c)
        report.console = NULL;
    memset(c, 0, sizeof *c);
    c->input = input;
    vmux_err_t err = uart_mux_attach(mux, &c->mux_client, client_register_kernel(name), name,
                                     &console_ops);
    if (err == VMUX_SUCCESS && input) {
        input->line_len = 0;
        uart_mux_read(&c->mux_client, input->rx, sizeof input->rx);
    }
    return err;
}

/* Formats straight into the buffer being filled; what does not fit is
 * dropped and counted. */
static void put(char ch, void *ctx)
{
    struct console *c = ctx;
    if (c->filling_len < CONSOLE_BUFFER)
        c->buffers[c->filling][c->filling_len++] = (uint8_t)ch;
    else
        c->dropped_bytes++;
}

void console_vprintf(struct console *c, const char *fmt, va_list ap)
{
    vmux_vformat(put, c, fmt, ap);
    start_write(c);
}

void console_printf(struct console *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_vprintf(c, fmt, ap);
    va_end(ap);
}
