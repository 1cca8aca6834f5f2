/*
 * The simulated UART. Three layers, as on a chip:
 *   the wire      timing: sim_events for "last bit sent" and "line idle";
 *   the top half  fd watches and the wire events move bytes between the
 *                 host and the FIFO or buffers, then raise a deferred call;
 *   the bottom    the deferred calls hand buffers back to the client.
 * Only the bottom half ever calls the client.
 */
#include "chips/sim/sim_uart.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S 1000000000ull
#define READ_CHUNK 512u

/* ------------------------------------------------------------ wire time */

uint64_t sim_uart_wire_ns(const struct sim_uart *u, uint64_t bytes)
{
    /* ceil(bits * 1e9 / baud), split so no product overflows. */
    uint64_t bits = bytes * SIM_UART_BITS_PER_CHAR;
    return bits / u->baud * NS_PER_S +
           (bits % u->baud * NS_PER_S + u->baud - 1) / u->baud;
}

/* Whole characters that fit in ns of wire time. */
static uint64_t chars_in(const struct sim_uart *u, uint64_t ns)
{
    const uint64_t char_unit = SIM_UART_BITS_PER_CHAR * NS_PER_S;
    return ns / char_unit * u->baud + ns % char_unit * u->baud / char_unit;
}

/* ------------------------------------------------------------ fd watches */

static void watch(struct sim_fd_watch *w, bool *watching, bool on)
{
    if (on == *watching)
        return;
    if (on)
        sim_fd_watch_add(w);
    else
        sim_fd_watch_remove(w);
    *watching = on;
}

static void watch_input(struct sim_uart *u, bool on)
{
    u->in_watch.fd = u->in_fd;
    watch(&u->in_watch, &u->in_watching, on && u->in_fd >= 0);
}

static void watch_output(struct sim_uart *u, bool on)
{
    u->out_watch.fd = u->out_fd;
    watch(&u->out_watch, &u->out_watching, on && u->out_fd >= 0);
}

/* ------------------------------------------------------------ host output */

/*
 * write() that cannot kill us with SIGPIPE, without touching the process's
 * signal disposition: block SIGPIPE in this thread for the call, and if
 * the write raised one, take it off the pending set before unblocking.
 */
static ssize_t write_quietly(int fd, const void *bytes, size_t n)
{
    sigset_t pipe_only, pending, old;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);

    ssize_t r = write(fd, bytes, n);
    int saved_errno = errno;
    if (r < 0 && saved_errno == EPIPE && !was_pending) {
        static const struct timespec no_wait = { 0, 0 };
        sigtimedwait(&pipe_only, NULL, &no_wait);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved_errno;
    return r;
}

/* Write what the fd takes now. *failed: the host refused with an error. */
static size_t put(struct sim_uart *u, const uint8_t *bytes, size_t n, bool *failed)
{
    size_t done = 0;
    *failed = false;
    while (done < n) {
        ssize_t r = u->backend == SIM_UART_TCP
                        ? send(u->out_fd, bytes + done, n - done, MSG_NOSIGNAL)
                        : write_quietly(u->out_fd, bytes + done, n - done);
        if (r > 0) {
            done += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        *failed = true;
        break;
    }
    return done;
}

static void drop_peer(struct sim_uart *u);

/* The host refused output: those bytes are lost, and a TCP peer is gone. */
static void output_failed(struct sim_uart *u, size_t lost)
{
    u->counters.write_errors += lost;
    if (u->backend == SIM_UART_TCP)
        drop_peer(u);
}

static void flush_backlog(struct sim_uart *u)
{
    while (u->backlog.count > 0) {
        size_t n;
        const uint8_t *front = ring_front(&u->backlog, &n);
        bool failed;
        size_t done = put(u, front, n, &failed);
        ring_drop(&u->backlog, done);
        if (failed) {
            size_t lost = u->backlog.count;
            ring_drop(&u->backlog, lost);
            output_failed(u, lost);
            break;
        }
        if (done < n)
            break;  /* would block: POLLOUT brings us back */
    }
    watch_output(u, u->backlog.count > 0);
}

/* Bytes that have left the wire reach whatever is on the other end. */
static void emit(struct sim_uart *u, const uint8_t *bytes, size_t n)
{
    if (n == 0)
        return;
    if (u->backend == SIM_UART_MEMORY) {
        u->counters.write_errors += n - ring_push(&u->capture, bytes, n);
        return;
    }
    if (u->out_fd < 0) {
        u->counters.no_peer += n;
        return;
    }
    size_t done = 0;
    if (u->backlog.count == 0) {  /* otherwise queue behind it, in order */
        bool failed;
        done = put(u, bytes, n, &failed);
        if (failed) {
            output_failed(u, n - done);
            return;
        }
    }
    size_t queued = ring_push(&u->backlog, bytes + done, n - done);
    u->counters.write_errors += n - done - queued;
    watch_output(u, u->backlog.count > 0);
}

static void output_ready(struct sim_fd_watch *w, short revents)
{
    struct sim_uart *u = container_of(w, struct sim_uart, out_watch);
    (void)revents;
    if (u->out_watching)  /* not dropped earlier in this poll round */
        flush_backlog(u);
}

/* ------------------------------------------------------------ completions */

static void late_interrupt(struct sim_event *ev)
{
    deferred_call_raise(&container_of(ev, struct sim_uart_dir, event)->done);
}

/* The "interrupt": the operation is over, the bottom half will report
 * (after the injected delay, for a LATE fault). */
static void finish(struct sim_uart_dir *d, vmux_err_t status)
{
    sim_event_cancel(&d->event);
    d->status = status;
    d->op = SIM_UART_FINISHING;
    if (d->applying == SIM_FAULT_LATE) {
        d->applying = SIM_FAULT_NONE;
        sim_event_schedule(&d->event, sim_now_ns() + d->fault.fault.delay_ns, late_interrupt);
        return;
    }
    deferred_call_raise(&d->done);
}

/* Abort an operation whose completion is raised but not yet delivered. */
static vmux_err_t recall(struct sim_uart_dir *d)
{
    if (d->op != SIM_UART_FINISHING || d->status == VMUX_CANCEL)
        return VMUX_ALREADY;
    d->status = VMUX_CANCEL;
    return VMUX_SUCCESS;
}

/*
 * Hand the buffer back. The operation is over before the callback runs,
 * so the client may start the next one from inside it.
 */
static void deliver(struct sim_uart *u, struct sim_uart_dir *d, bool transmit)
{
    if (d->op != SIM_UART_FINISHING)
        return;
    uint8_t *buf = d->buf;
    size_t count = d->count;
    vmux_err_t status = d->status;
    unsigned calls = d->applying == SIM_FAULT_TWICE ? 2 : 1;
    if (!transmit && d->applying == SIM_FAULT_CORRUPT && count > 0)
        buf[count / 2] ^= 0x10;
    d->op = SIM_UART_IDLE;
    d->buf = NULL;
    d->applying = SIM_FAULT_NONE;
    for (unsigned i = 0; i < calls; i++) {
        struct hil_uart_client *c = u->hil.client;
        if (c == NULL)
            return;
        if (transmit && c->transmit_done)
            c->transmit_done(c, buf, count, status);
        if (!transmit && c->receive_done)
            c->receive_done(c, buf, count, status);
    }
}

static void transmit_bottom_half(struct deferred_call *dc)
{
    struct sim_uart *u = container_of(dc, struct sim_uart, tx.done);
    deliver(u, &u->tx, true);
}

static void receive_bottom_half(struct deferred_call *dc)
{
    struct sim_uart *u = container_of(dc, struct sim_uart, rx.done);
    deliver(u, &u->rx, false);
}

/* ------------------------------------------------------------ transmit */

/* The first n bytes of the transmit have left the wire. */
static void shift_out(struct sim_uart *u, size_t n)
{
    u->tx.count = n;
    u->counters.sent += n;
    if (u->tx.applying == SIM_FAULT_CORRUPT && n > 0) {
        uint8_t flipped = u->tx.buf[n / 2] ^ 0x10;  /* the line, not the buffer */
        emit(u, u->tx.buf, n / 2);
        emit(u, &flipped, 1);
        emit(u, u->tx.buf + n / 2 + 1, n - n / 2 - 1);
        return;
    }
    emit(u, u->tx.buf, n);
}

static void last_bit_sent(struct sim_event *ev)
{
    struct sim_uart *u = container_of(ev, struct sim_uart, tx.event);
    if (u->tx.applying == SIM_FAULT_ERROR) {
        u->tx.count = 0;
        finish(&u->tx, sim_fault_error(&u->tx.fault.fault));
        return;
    }
    shift_out(u, u->tx.len);
    finish(&u->tx, VMUX_SUCCESS);
}

/* ------------------------------------------------------------ receive */

static void line_idle(struct sim_event *ev)
{
    struct sim_uart *u = container_of(ev, struct sim_uart, rx.event);
    if (u->rx.op == SIM_UART_RUNNING && u->rx.count > 0)
        finish(&u->rx, VMUX_SUCCESS);
}

/* The receive ends one character time after the newest byte, unless
 * another byte comes first and moves this again. */
static void expect_idle(struct sim_uart *u)
{
    sim_event_schedule(&u->rx.event, u->last_rx_ns + sim_uart_wire_ns(u, 1),
                       line_idle);
}

/*
 * Bytes arriving on the line now. A running receive has an empty FIFO
 * (it took the FIFO's bytes when it started), so they go straight into
 * its buffer; what does not fit waits in the FIFO, and what does not fit
 * there is an overrun.
 */
static size_t arrive(struct sim_uart *u, const uint8_t *bytes, size_t n)
{
    struct sim_uart_dir *rx = &u->rx;
    if (n == 0)
        return 0;
    u->last_rx_ns = sim_now_ns();
    size_t direct = 0;
    if (rx->op == SIM_UART_RUNNING) {
        direct = rx->len - rx->count;
        if (direct > n)
            direct = n;
        memcpy(rx->buf + rx->count, bytes, direct);
        rx->count += direct;
    }
    size_t kept = direct + ring_push(&u->fifo, bytes + direct, n - direct);
    u->counters.received += kept;
    u->counters.overruns += n - kept;
    if (rx->op == SIM_UART_RUNNING && rx->applying != SIM_FAULT_NEVER) {
        if (rx->count == rx->len)
            finish(rx, VMUX_SUCCESS);
        else
            expect_idle(u);
    }
    return kept;
}

static void input_ended(struct sim_uart *u)
{
    if (u->backend == SIM_UART_TCP)
        drop_peer(u);
    else
        watch_input(u, false);  /* EOF would stay readable forever */
}

static void input_ready(struct sim_fd_watch *w, short revents)
{
    struct sim_uart *u = container_of(w, struct sim_uart, in_watch);
    (void)revents;
    if (!u->in_watching)  /* dropped earlier in this poll round */
        return;
    uint8_t chunk[READ_CHUNK];
    /* Bounded, so a flooding peer cannot hold the loop: poll() returns. */
    size_t total = 0;
    while (total < SIM_UART_RX_FIFO + READ_CHUNK) {
        ssize_t r = read(u->in_fd, chunk, sizeof chunk);
        if (r > 0) {
            arrive(u, chunk, (size_t)r);
            total += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        input_ended(u);  /* EOF, or an error such as EIO */
        return;
    }
}

/* ------------------------------------------------------------ HIL ops */

static struct sim_uart *of(struct hil_uart *h)
{
    return container_of(h, struct sim_uart, hil);
}

static vmux_err_t check_request(const struct sim_uart *u, const struct sim_uart_dir *d,
                                const uint8_t *buf, size_t len)
{
    if (!u->open)
        return VMUX_OFF;
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (d->op != SIM_UART_IDLE)
        return VMUX_BUSY;
    return VMUX_SUCCESS;
}

static void start(struct sim_uart_dir *d, uint8_t *buf, size_t len, enum sim_fault_kind fault)
{
    d->applying = fault;
    d->op = SIM_UART_RUNNING;
    d->buf = buf;
    d->len = len;
    d->count = 0;
    d->status = VMUX_SUCCESS;
    d->start_ns = sim_now_ns();
}

static vmux_err_t uart_transmit(struct hil_uart *h, uint8_t *buf, size_t len)
{
    struct sim_uart *u = of(h);
    vmux_err_t err = check_request(u, &u->tx, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    enum sim_fault_kind fault = sim_fault_take(&u->tx.fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&u->tx.fault.fault);
    start(&u->tx, buf, len, fault);
    if (fault != SIM_FAULT_NEVER) /* a stuck line: nothing until aborted */
        sim_event_schedule(&u->tx.event, u->tx.start_ns + sim_uart_wire_ns(u, len),
                           last_bit_sent);
    return VMUX_SUCCESS;
}

static vmux_err_t uart_receive(struct hil_uart *h, uint8_t *buf, size_t len)
{
    struct sim_uart *u = of(h);
    vmux_err_t err = check_request(u, &u->rx, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    enum sim_fault_kind fault = sim_fault_take(&u->rx.fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&u->rx.fault.fault);
    start(&u->rx, buf, len, fault);
    if (fault == SIM_FAULT_ERROR) {
        finish(&u->rx, sim_fault_error(&u->rx.fault.fault));
        return VMUX_SUCCESS;
    }
    u->rx.count = ring_pop(&u->fifo, buf, len);
    if (fault == SIM_FAULT_NEVER)
        return VMUX_SUCCESS;
    if (u->rx.count == len)
        finish(&u->rx, VMUX_SUCCESS);
    else if (u->rx.count > 0)
        expect_idle(u);  /* may be due already: the line went quiet earlier */
    return VMUX_SUCCESS;
}

static vmux_err_t uart_abort_transmit(struct hil_uart *h)
{
    struct sim_uart *u = of(h);
    struct sim_uart_dir *tx = &u->tx;
    if (tx->op != SIM_UART_RUNNING)
        return recall(tx);
    /* Whole characters already sent stay sent; the one under way is cut.
     * A stuck line sent none. */
    uint64_t sent = tx->applying == SIM_FAULT_NEVER ? 0 : chars_in(u, sim_now_ns() - tx->start_ns);
    shift_out(u, sent < tx->len ? (size_t)sent : tx->len);
    finish(tx, VMUX_CANCEL);
    return VMUX_SUCCESS;
}

static vmux_err_t uart_abort_receive(struct hil_uart *h)
{
    struct sim_uart *u = of(h);
    if (u->rx.op != SIM_UART_RUNNING)
        return recall(&u->rx);
    finish(&u->rx, VMUX_CANCEL);
    return VMUX_SUCCESS;
}

static const struct hil_uart_ops sim_uart_ops = {
    .transmit = uart_transmit,
    .receive = uart_receive,
    .abort_transmit = uart_abort_transmit,
    .abort_receive = uart_abort_receive,
};

/* ------------------------------------------------------------ backends */

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -1;
    return 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* STDIO and PIPE: the caller's fds, made non-blocking until close. */
static vmux_err_t adopt(struct sim_uart *u, int in_fd, int out_fd)
{
    /* Read both flags first: 0 and 1 often share one open file. */
    if (in_fd >= 0 && (u->in_flags = fcntl(in_fd, F_GETFL)) < 0)
        return VMUX_INVALID;
    u->in_fd = in_fd;
    if (out_fd >= 0 && (u->out_flags = fcntl(out_fd, F_GETFL)) < 0)
        return VMUX_INVALID;
    u->out_fd = out_fd;
    if ((in_fd >= 0 && set_nonblocking(in_fd) < 0) ||
        (out_fd >= 0 && set_nonblocking(out_fd) < 0))
        return VMUX_FAIL;
    watch_input(u, true);
    return VMUX_SUCCESS;
}

static vmux_err_t open_pty(struct sim_uart *u)
{
    u->pty_master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (u->pty_master < 0)
        return VMUX_FAIL;
    if (grantpt(u->pty_master) < 0 || unlockpt(u->pty_master) < 0 ||
        ptsname_r(u->pty_master, u->pty_path, sizeof u->pty_path) != 0)
        return VMUX_FAIL;
    /* Termios set through the master apply to the slave: no echo, no
     * line editing, no CR/LF translation; bytes pass as they are. */
    struct termios t;
    if (tcgetattr(u->pty_master, &t) < 0)
        return VMUX_FAIL;
    cfmakeraw(&t);
    if (tcsetattr(u->pty_master, TCSANOW, &t) < 0 || set_nonblocking(u->pty_master) < 0)
        return VMUX_FAIL;
    /* Without a slave open, the master reports POLLHUP without end. */
    u->pty_slave = open(u->pty_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (u->pty_slave < 0)
        return VMUX_FAIL;
    u->in_fd = u->out_fd = u->pty_master;
    watch_input(u, true);
    return VMUX_SUCCESS;
}

static void accept_peer(struct sim_fd_watch *w, short revents)
{
    struct sim_uart *u = container_of(w, struct sim_uart, listen_watch);
    (void)revents;
    if (!u->listen_watching)
        return;
    int fd = accept4(u->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;  /* nobody after all, or the client gave up already */
    /* A wire delivers each byte as it goes; Nagle would hold them back. */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    u->peer_fd = u->in_fd = u->out_fd = fd;
    watch_input(u, true);
    /* One peer at a time: others wait in the listen queue. */
    watch(&u->listen_watch, &u->listen_watching, false);
}

static void drop_peer(struct sim_uart *u)
{
    watch_input(u, false);
    watch_output(u, false);
    u->counters.no_peer += u->backlog.count;
    ring_drop(&u->backlog, u->backlog.count);
    close_fd(&u->peer_fd);
    u->in_fd = u->out_fd = -1;
    watch(&u->listen_watch, &u->listen_watching, true);
}

static vmux_err_t open_tcp(struct sim_uart *u, uint16_t port)
{
    u->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (u->listen_fd < 0)
        return VMUX_FAIL;
    /* A restarted board gets its port back despite TIME_WAIT. */
    int one = 1;
    setsockopt(u->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(u->listen_fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(u->listen_fd, 1) < 0 ||
        getsockname(u->listen_fd, (struct sockaddr *)&a, &alen) < 0)
        return VMUX_FAIL;
    u->tcp_port = ntohs(a.sin_port);
    u->listen_watch.fd = u->listen_fd;
    watch(&u->listen_watch, &u->listen_watching, true);
    return VMUX_SUCCESS;
}

/* Stop watching, close our fds, give the caller's back as they were. */
static void release(struct sim_uart *u)
{
    int saved_errno = errno;  /* init reports the host's reason */
    sim_event_cancel(&u->tx.event);
    sim_event_cancel(&u->rx.event);
    watch(&u->in_watch, &u->in_watching, false);
    watch(&u->out_watch, &u->out_watching, false);
    watch(&u->listen_watch, &u->listen_watching, false);
    if (u->backend == SIM_UART_STDIO || u->backend == SIM_UART_PIPE) {
        if (u->out_fd >= 0 && u->out_flags >= 0)
            fcntl(u->out_fd, F_SETFL, u->out_flags);
        if (u->in_fd >= 0 && u->in_flags >= 0)
            fcntl(u->in_fd, F_SETFL, u->in_flags);
    }
    close_fd(&u->peer_fd);
    close_fd(&u->listen_fd);
    close_fd(&u->pty_slave);
    close_fd(&u->pty_master);
    u->in_fd = u->out_fd = -1;
    errno = saved_errno;
}

/* ------------------------------------------------------------ public */

vmux_err_t sim_uart_init(struct sim_uart *u, const struct sim_uart_config *cfg)
{
    static const struct sim_uart_config memory = { .backend = SIM_UART_MEMORY };
    if (u == NULL)
        return VMUX_INVALID;
    if (cfg == NULL)
        cfg = &memory;
    uint32_t baud = cfg->baud ? cfg->baud : SIM_UART_DEFAULT_BAUD;
    if (baud > SIM_UART_MAX_BAUD)
        return VMUX_INVALID;

    memset(u, 0, sizeof *u);
    u->hil.ops = &sim_uart_ops;
    u->backend = cfg->backend;
    u->baud = baud;
    u->in_fd = u->out_fd = -1;
    u->in_flags = u->out_flags = -1;
    u->pty_master = u->pty_slave = -1;
    u->listen_fd = u->peer_fd = -1;
    ring_init(&u->fifo, u->fifo_bytes, sizeof u->fifo_bytes);
    ring_init(&u->backlog, u->backlog_bytes, sizeof u->backlog_bytes);
    ring_init(&u->capture, u->capture_bytes, sizeof u->capture_bytes);
    u->in_watch = (struct sim_fd_watch){ .fd = -1, .events = POLLIN, .ready = input_ready };
    u->out_watch = (struct sim_fd_watch){ .fd = -1, .events = POLLOUT, .ready = output_ready };
    u->listen_watch = (struct sim_fd_watch){ .fd = -1, .events = POLLIN, .ready = accept_peer };
    if (deferred_call_register(&u->tx.done, transmit_bottom_half) != VMUX_SUCCESS ||
        deferred_call_register(&u->rx.done, receive_bottom_half) != VMUX_SUCCESS)
        return VMUX_NOMEM;

    vmux_err_t err;
    switch (cfg->backend) {
    case SIM_UART_MEMORY:
        err = VMUX_SUCCESS;
        break;
    case SIM_UART_STDIO:
        err = adopt(u, STDIN_FILENO, STDOUT_FILENO);
        break;
    case SIM_UART_PIPE:
        err = adopt(u, cfg->in_fd, cfg->out_fd);
        break;
    case SIM_UART_PTY:
        err = open_pty(u);
        break;
    case SIM_UART_TCP:
        err = open_tcp(u, cfg->tcp_port);
        break;
    default:
        err = VMUX_INVALID;
        break;
    }
    if (err != VMUX_SUCCESS) {
        release(u);
        return err;
    }
    u->open = true;
    return VMUX_SUCCESS;
}

void sim_uart_close(struct sim_uart *u)
{
    if (u == NULL || !u->open)
        return;
    /* Power off mid-operation: clients still get their buffers back. */
    if (u->tx.op == SIM_UART_RUNNING)
        uart_abort_transmit(&u->hil);
    if (u->rx.op == SIM_UART_RUNNING)
        uart_abort_receive(&u->hil);
    /* One last try for queued output; what the host still will not take
     * now is lost. */
    if (u->backlog.count > 0 && u->out_fd >= 0)
        flush_backlog(u);
    u->counters.write_errors += u->backlog.count;
    ring_drop(&u->backlog, u->backlog.count);
    release(u);
    u->open = false;
}

size_t sim_uart_inject_rx(struct sim_uart *u, const uint8_t *bytes, size_t len)
{
    if (!u->open || bytes == NULL)
        return 0;
    return arrive(u, bytes, len);
}

size_t sim_uart_take_tx(struct sim_uart *u, uint8_t *out, size_t max)
{
    return ring_pop(&u->capture, out, max);
}

const char *sim_uart_pty_path(const struct sim_uart *u)
{
    return u->backend == SIM_UART_PTY && u->pty_master >= 0 ? u->pty_path : NULL;
}

uint16_t sim_uart_tcp_port(const struct sim_uart *u)
{
    return u->backend == SIM_UART_TCP ? u->tcp_port : 0;
}

bool sim_uart_tcp_connected(const struct sim_uart *u)
{
    return u->peer_fd >= 0;
}

const struct sim_uart_counters *sim_uart_counters(const struct sim_uart *u)
{
    return &u->counters;
}

void sim_uart_inject_fault(struct sim_uart *u, enum sim_uart_direction dir,
                           const struct sim_fault *fault)
{
    sim_fault_arm(dir == SIM_UART_TX ? &u->tx.fault : &u->rx.fault, fault);
}

uint32_t sim_uart_faults_applied(const struct sim_uart *u)
{
    return u->tx.fault.applied + u->rx.fault.applied;
}
