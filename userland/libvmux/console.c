/*
 * Console, driver 0x1 (Tock's numbers): read-only allow 1 is the text to
 * write, read-write allow 1 the read buffer; command 1 writes, 2 reads,
 * 3 aborts a read; upcall 1 = write done (bytes written, 0, 0), upcall 2
 * = read done (StatusCode, bytes read, 0).
 */
#include "console.h"

#include "runtime.h"
#include "syscall.h"

enum {
    CMD_WRITE = 1,
    CMD_READ = 2,
    CMD_ABORT = 3,
    UPCALL_WRITE = 1,
    UPCALL_READ = 2,
    ALLOW_RO_TX = 1,
    ALLOW_RW_RX = 1,
};

static void unallow_tx(void)
{
    vmux_allow_ro(VMUX_DRIVER_CONSOLE, ALLOW_RO_TX, NULL, 0);
}

static void unallow_rx(void)
{
    vmux_allow_rw(VMUX_DRIVER_CONSOLE, ALLOW_RW_RX, NULL, 0);
}

/* ------------------------------------------------------------ write */

int vmux_console_write(const void *buf, size_t len)
{
    const char *p = buf;
    int err = VMUX_OK;
    while (len > 0 && err == VMUX_OK) {
        struct vmux_upcall_args done;
        err = vmux_allow_ro_status(VMUX_DRIVER_CONSOLE, ALLOW_RO_TX, p, len);
        if (err == VMUX_OK)
            err = vmux_command_wait(VMUX_DRIVER_CONSOLE, UPCALL_WRITE, CMD_WRITE,
                                    vmux_clamp_u32(len), 0, &done);
        if (err == VMUX_OK && (done.a0 == 0 || done.a0 > len))
            err = VMUX_EFAIL; /* nothing written, or more than asked */
        if (err == VMUX_OK) {
            p += done.a0;
            len -= done.a0;
        }
    }
    unallow_tx();
    return err;
}

int vmux_console_write_str(const char *s)
{
    return vmux_console_write(s, vmux_strlen(s));
}

static struct {
    vmux_console_write_cb cb;
    void *ctx;
} writer;

static void write_done(uint32_t written, uint32_t a1, uint32_t a2, uintptr_t appdata)
{
    (void)a1;
    (void)a2;
    (void)appdata;
    unallow_tx();
    if (writer.cb)
        writer.cb(written, writer.ctx);
}

int vmux_console_write_async(const void *buf, size_t len, vmux_console_write_cb cb, void *ctx)
{
    writer.cb = cb;
    writer.ctx = ctx;
    int err = vmux_allow_ro_status(VMUX_DRIVER_CONSOLE, ALLOW_RO_TX, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_async(VMUX_DRIVER_CONSOLE, UPCALL_WRITE, write_done, 0, CMD_WRITE,
                                 vmux_clamp_u32(len), 0);
    return err;
}

/* ------------------------------------------------------------ printf */

/* Formatted text goes out in pieces of this buffer's size. */
struct printf_sink {
    char buf[64];
    size_t len;
    int err;
};

static void sink_flush(struct printf_sink *s)
{
    if (s->len > 0 && s->err == VMUX_OK)
        s->err = vmux_console_write(s->buf, s->len);
    s->len = 0;
}

static void sink_put(char c, void *ctx)
{
    struct printf_sink *s = ctx;
    s->buf[s->len++] = c;
    if (s->len == sizeof s->buf)
        sink_flush(s);
}

int vmux_vprintf(const char *fmt, va_list ap)
{
    struct printf_sink s;
    s.len = 0;
    s.err = VMUX_OK;
    int n = vmux_vformat(sink_put, &s, fmt, ap);
    sink_flush(&s);
    return s.err == VMUX_OK ? n : -s.err;
}

int vmux_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vmux_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------------ read */

static int read_some(void *buf, size_t len, size_t *got)
{
    struct vmux_upcall_args done;
    int err = vmux_allow_rw_status(VMUX_DRIVER_CONSOLE, ALLOW_RW_RX, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_CONSOLE, UPCALL_READ, CMD_READ, (uint32_t)len, 0,
                                &done);
    unallow_rx();
    *got = 0;
    if (err != VMUX_OK)
        return err;
    *got = done.a1 < len ? done.a1 : len;
    return vmux_upcall_status(done.a0);
}

int vmux_console_read(void *buf, size_t len, size_t *got)
{
    char *p = buf;
    int err = VMUX_OK;
    *got = 0;
    while (*got < len && err == VMUX_OK) {
        size_t want = len - *got, n;
        err = read_some(p + *got, want < VMUX_CONSOLE_READ_MAX ? want : VMUX_CONSOLE_READ_MAX,
                        &n);
        *got += n;
    }
    return err;
}

int vmux_console_read_line(char *line, size_t size, size_t *len)
{
    static bool after_cr; /* the '\n' of a "\r\n" ends no line of its own */
    size_t n = 0;
    bool cut = false;
    int err;
    for (;;) {
        char c;
        size_t got;
        err = read_some(&c, 1, &got);
        if (err != VMUX_OK || got == 0)
            break;
        bool skip = after_cr && c == '\n';
        after_cr = c == '\r';
        if (skip)
            continue;
        if (c == '\n' || c == '\r')
            break;
        if (n + 1 < size)
            line[n++] = c;
        else
            cut = true; /* keep reading to the end of the line */
    }
    if (size > 0)
        line[n] = '\0';
    if (len)
        *len = n;
    return err == VMUX_OK && cut ? VMUX_ESIZE : err;
}

static struct vmux_pending_op reader = { NULL, NULL, unallow_rx };

int vmux_console_read_async(void *buf, size_t len, vmux_console_read_cb cb, void *ctx)
{
    if (len > VMUX_CONSOLE_READ_MAX)
        return VMUX_ESIZE;
    reader.cb = cb;
    reader.ctx = ctx;
    int err = vmux_allow_rw_status(VMUX_DRIVER_CONSOLE, ALLOW_RW_RX, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_async(VMUX_DRIVER_CONSOLE, UPCALL_READ, vmux_status_len_upcall,
                                 (uintptr_t)&reader, CMD_READ, (uint32_t)len, 0);
    return err;
}

int vmux_console_read_abort(void)
{
    return vmux_command_status(VMUX_DRIVER_CONSOLE, CMD_ABORT, 0, 0);
}
