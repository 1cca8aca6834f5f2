#include "capsules/drivers/console_driver.h"

#include <string.h>

#include "capsules/drivers/driver_common.h"
#include "kernel/wipe.h"

/* A process's console, in its grant. */
struct console_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct uart_mux_client uart;     /* its channel, from the first command */
    /* write: bytes [0, write_len) of the allow, sent up to write_sent */
    bool writing;
    size_t write_len, write_sent;
    uint8_t tx[CONSOLE_DRIVER_TX_CHUNK];
    uint8_t tx_used;                 /* bytes of tx holding a chunk: to wipe */
    /* read: read_len bytes wanted, read_got of them in rx */
    bool reading;
    size_t read_len, read_got;
    uint8_t rx[CONSOLE_DRIVER_RX_MAX];
};

static struct console_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct console_driver, driver);
}

static struct console_grant *grant_of(struct uart_mux_client *c)
{
    return container_of(c, struct console_grant, uart);
}

/* ------------------------------------------------------------ write */

/* The chunk's copy of the allow goes before anyone else's bytes could. */
static void wipe_tx(struct console_grant *s)
{
    wipe(s->tx, s->tx_used);
    s->tx_used = 0;
}

static void finish_write(struct console_grant *s)
{
    struct tally *all = &driver_of(s->owner.driver)->tx;
    tally_add(all, TALLY_DELIVERED, (uint32_t)s->write_sent);
    tally_add(all, TALLY_FAILED, (uint32_t)(s->write_len - s->write_sent));
    s->writing = false;
    wipe_tx(s);
    driver_owner_upcall(&s->owner, CONSOLE_UPCALL_WRITE_DONE, (uint32_t)s->write_sent, 0, 0);
}

/* Copy the next chunk out of the allow, as it is now, and queue it. */
static vmux_err_t send_chunk(struct console_grant *s, struct process *p)
{
    size_t want = driver_min(s->write_len - s->write_sent, sizeof s->tx);
    size_t n = driver_copy_in(p, s->owner.driver, CONSOLE_ALLOW_RO_WRITE, s->write_sent, s->tx,
                              want, NULL);
    s->tx_used = (uint8_t)n;
    if (n == 0)
        return VMUX_CANCEL; /* the buffer shrank or went away: that was all */
    return uart_mux_write(&s->uart, s->tx, n);
}

static void write_done(struct uart_mux_client *c, const uint8_t *buf, size_t sent,
                       vmux_err_t status)
{
    struct console_grant *s = grant_of(c);
    (void)buf;
    wipe_tx(s);
    s->write_sent += sent;
    struct process *p = driver_owner_process(&s->owner);
    if (status == VMUX_SUCCESS && p != NULL && s->write_sent < s->write_len &&
        send_chunk(s, p) == VMUX_SUCCESS)
        return;
    finish_write(s);
}

static struct syscall_return start_write(struct console_grant *s, struct process *p, size_t n)
{
    if (s->writing)
        return syscall_failure(VMUX_BUSY);
    size_t have;
    process_allowed_ro(p, s->owner.driver, CONSOLE_ALLOW_RO_WRITE, &have);
    s->writing = true;
    s->write_len = driver_min(n, have);
    s->write_sent = 0;
    tally_add(&driver_of(s->owner.driver)->tx, TALLY_TAKEN,
                (uint32_t)s->write_len);
    if (s->write_len == 0) {
        finish_write(s);
        return syscall_success();
    }
    vmux_err_t err = send_chunk(s, p);
    if (err != VMUX_SUCCESS) {
        tally_add(&driver_of(s->owner.driver)->tx, TALLY_FAILED,
                    (uint32_t)s->write_len); /* refused at once: the process is told */
        s->writing = false;
        wipe_tx(s);
        return syscall_failure(err);
    }
    return syscall_success();
}

/* ------------------------------------------------------------ read */

/* Hand what was received to the allow that is there now. */
static void finish_read(struct console_grant *s, vmux_err_t status)
{
    struct tally *all = &driver_of(s->owner.driver)->rx;
    s->reading = false;
    size_t copied = driver_owner_return(&s->owner, CONSOLE_UPCALL_READ_DONE,
                                        CONSOLE_ALLOW_RW_READ, s->rx, s->read_got, status);
    tally_add(all, TALLY_TAKEN, (uint32_t)s->read_got);
    tally_add(all, TALLY_DELIVERED, (uint32_t)copied);
    tally_add(all, TALLY_REFUSED, (uint32_t)(s->read_got - copied));
    wipe(s->rx, sizeof s->rx);
}

static void read_done(struct uart_mux_client *c, uint8_t *buf, size_t received,
                      vmux_err_t status)
{
    struct console_grant *s = grant_of(c);
    (void)buf;
    s->read_got += driver_min(received, s->read_len - s->read_got);
    if (status == VMUX_SUCCESS && s->read_got < s->read_len) {
        status = uart_mux_read(&s->uart, s->rx + s->read_got, s->read_len - s->read_got);
        if (status == VMUX_SUCCESS)
            return;
    }
    finish_read(s, status);
}

static struct syscall_return start_read(struct console_grant *s, struct process *p, size_t n)
{
    if (s->reading)
        return syscall_failure(VMUX_BUSY);
    size_t have;
    process_allowed_rw(p, s->owner.driver, CONSOLE_ALLOW_RW_READ, &have);
    n = driver_min(n, have);
    if (n > sizeof s->rx)
        return syscall_failure(VMUX_INVALID);
    if (n == 0)
        return syscall_failure(VMUX_SIZE);
    vmux_err_t err = uart_mux_read(&s->uart, s->rx, n);
    if (err != VMUX_SUCCESS)
        return syscall_failure(err);
    s->reading = true;
    s->read_len = n;
    s->read_got = 0;
    return syscall_success();
}

/* ------------------------------------------------------------ driver */

static const struct uart_mux_client_ops console_ops = { write_done, read_done };

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct console_grant *s = state;
    (void)arg2;
    if (cmd < CONSOLE_CMD_WRITE || cmd > CONSOLE_CMD_ABORT_READ)
        return syscall_failure(VMUX_NOSUPPORT);
    if (!s->uart.entry.attached) {
        vmux_err_t err = uart_mux_attach(driver_of(d)->mux, &s->uart, s->owner.id, p->name,
                                         &console_ops);
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    switch (cmd) {
    case CONSOLE_CMD_WRITE:
        return start_write(s, p, arg1);
    case CONSOLE_CMD_READ:
        return start_read(s, p, arg1);
    default: /* CONSOLE_CMD_ABORT_READ; read_done(CANCEL) follows */
        if (s->reading)
            uart_mux_abort_read(&s->uart);
        return syscall_success();
    }
}

/* Close the channel: nothing in flight calls back any more. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct console_grant *s = state;
    (void)p;
    struct console_driver *drv = driver_of(d);
    if (s->writing) { /* what went out, and what was left to send */
        tally_add(&drv->tx, TALLY_DELIVERED, (uint32_t)s->write_sent);
        tally_add(&drv->tx, TALLY_DEPARTED,
                    (uint32_t)(s->write_len - s->write_sent));
    }
    if (s->reading) { /* gathered for a read that will never end */
        tally_add(&drv->rx, TALLY_TAKEN, (uint32_t)s->read_got);
        tally_add(&drv->rx, TALLY_DEPARTED, (uint32_t)s->read_got);
    }
    uart_mux_detach(&s->uart);
    s->writing = s->reading = false;
}

void console_driver_init(struct console_driver *d, struct uart_mux *mux)
{
    memset(d, 0, sizeof *d);
    d->mux = mux;
    d->driver = (struct syscall_driver){
        .number = CONSOLE_DRIVER_NUM,
        .upcall_count = 3,
        .allow_rw_count = 2,
        .allow_ro_count = 2,
        .state_size = sizeof(struct console_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
