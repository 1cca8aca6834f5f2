/*
 * The host board's simulated UART: struct hil_uart (hil/uart.h) on top of
 * the simulation core (chips/sim/sim.h), wired to a host byte stream.
 *
 * Contract, as on hardware:
 *   - A request only starts work. Its completion comes later from the
 *     kernel loop: a timed sim_event plays the interrupt and raises a
 *     deferred call, whose handler calls the HIL client.
 *   - A character is 10 bits on the wire (start, 8 data, stop), so
 *     transmit(buf, len) completes len * 10 / baud seconds of simulated
 *     time after the request. The bytes reach the host side when they have
 *     left the wire: all of them at completion, or the whole characters
 *     sent so far when the transmit is aborted.
 *   - One transmit and one receive at a time; another of the same kind
 *     while one is outstanding (until its completion has run) gets
 *     VMUX_BUSY. A NULL buffer is VMUX_INVALID, len == 0 is VMUX_SIZE, a
 *     closed UART answers VMUX_OFF.
 *   - receive(buf, len) completes when buf is full, or when no byte has
 *     arrived for one character time after at least one did. Bytes that
 *     arrive with no receive running wait in the receive FIFO
 *     (SIM_UART_RX_FIFO bytes) and go to the next receive; bytes that find
 *     the FIFO full are dropped and counted as overruns.
 *   - abort_transmit / abort_receive return VMUX_SUCCESS while a request's
 *     completion is still owed to the client, and that completion then
 *     carries VMUX_CANCEL with the count done so far (which may be the
 *     whole length when the abort comes after the last byte but before
 *     the completion ran). VMUX_ALREADY when nothing is outstanding or it
 *     is being aborted already.
 *
 * Buffer ownership: a buffer passed to transmit or receive belongs to the
 * driver until its completion hands it back; the driver reads or writes it
 * only in between. Everything else (FIFO, transmit backlog, capture ring)
 * is static storage inside struct sim_uart; nothing is allocated.
 *
 * Backends, chosen at sim_uart_init():
 *   MEMORY  no host fd. Tests inject received bytes with
 *           sim_uart_inject_rx() and read transmitted ones with
 *           sim_uart_take_tx() from a capture ring (SIM_UART_CAPTURE).
 *   STDIO   reads fd 0, writes fd 1. Terminal modes are left alone.
 *   PTY     a new pseudo-terminal in raw mode; sim_uart_pty_path() names
 *           the slave for a terminal program. The driver keeps the slave
 *           open itself so the master never reports a hang-up while no
 *           terminal is attached; output written meanwhile queues in the
 *           tty (and then the backlog) and appears when one attaches.
 *   TCP     listens on 127.0.0.1:tcp_port (0: ephemeral, see
 *           sim_uart_tcp_port()) and serves one connection at a time;
 *           further clients wait in the listen queue until it ends. With
 *           no peer connected, transmitted bytes are dropped and counted
 *           in no_peer, and the transmit completes normally; so are
 *           bytes still queued for a peer when it disconnects.
 *   PIPE    caller-given in_fd and out_fd (either may be -1: not wired).
 * STDIO and PIPE fds belong to the caller: the driver makes them
 * non-blocking and restores their flags at sim_uart_close() but does not
 * close them. PTY and TCP fds are the driver's own.
 *
 * Host side that does not keep up: when the output fd would block, the
 * rest of the bytes wait in a transmit backlog (SIM_UART_TX_BACKLOG) that
 * is flushed when the fd is writable again. The transmit still completes
 * on simulated time (the wire does not wait for the host). Bytes that do
 * not fit in the backlog, or in the MEMORY capture ring, or that the host
 * refuses with an error, are lost and counted in write_errors. Writes
 * never raise SIGPIPE: sockets use MSG_NOSIGNAL, other fds block the
 * signal around the write and consume one it caused.
 *
 * End of input (EOF or a read error) on STDIO or PIPE stops reading; on
 * TCP it ends the connection and the UART goes back to accepting.
 *
 * Faults (chips/sim/sim_fault.h), armed per direction with
 * sim_uart_inject_fault(u, SIM_UART_TX or SIM_UART_RX, &fault):
 *   REFUSE   transmit() / receive() return the error; nothing starts.
 *   ERROR    transmit: completes at its normal time with the error, count
 *            0, and no byte leaves. receive: completes at once with the
 *            error and count 0; bytes waiting in the FIFO stay there.
 *   LATE     the completion is raised delay_ns after the operation ended
 *            (transmitted bytes still leave at their normal time; bytes
 *            arriving meanwhile wait in the FIFO).
 *   NEVER    transmit: a stuck line, no byte leaves and nothing completes
 *            until abort_transmit (count 0, CANCEL). receive: bytes still
 *            land in the buffer, but neither a full buffer nor an idle
 *            line completes it; abort_receive does (CANCEL, the count).
 *   TWICE    the completion callback is made twice, same arguments.
 *   CORRUPT  transmit: one bit of the middle byte is flipped on the wire
 *            (the buffer is not touched). receive: one bit of the middle
 *            byte received is flipped in the buffer.
 */
#ifndef VMUX_CHIPS_SIM_SIM_UART_H
#define VMUX_CHIPS_SIM_SIM_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/uart.h"
#include "kernel/deferred.h"
#include "kernel/ring.h"

#define SIM_UART_DEFAULT_BAUD 115200u
#define SIM_UART_MAX_BAUD 100000000u  /* keeps the time arithmetic exact */
#define SIM_UART_BITS_PER_CHAR 10u    /* start + 8 data + stop */

/*
 * Receive FIFO depth. Far deeper than a real UART's 16 bytes, because
 * host reads come in chunks (a pasted line, a TCP segment) that all
 * "arrive" at one simulated instant.
 */
#ifndef SIM_UART_RX_FIFO
#define SIM_UART_RX_FIFO 4096u
#endif
/* Transmitted bytes waiting for a host fd that would block. */
#ifndef SIM_UART_TX_BACKLOG
#define SIM_UART_TX_BACKLOG 4096u
#endif
/* MEMORY backend: transmitted bytes not yet taken by the test. */
#ifndef SIM_UART_CAPTURE
#define SIM_UART_CAPTURE 4096u
#endif

enum sim_uart_backend {
    SIM_UART_MEMORY = 0,
    SIM_UART_STDIO,
    SIM_UART_PTY,
    SIM_UART_TCP,
    SIM_UART_PIPE,
};

struct sim_uart_config {
    enum sim_uart_backend backend;
    uint32_t baud;        /* 0: SIM_UART_DEFAULT_BAUD */
    uint16_t tcp_port;    /* TCP: port to listen on, 0 for any free one */
    int in_fd;            /* PIPE: read from here, -1 for none */
    int out_fd;           /* PIPE: write here, -1 for none */
};

/* Byte counts since sim_uart_init(). */
struct sim_uart_counters {
    uint64_t sent;          /* left the wire: the sum of transmit counts */
    uint64_t received;      /* arrived and kept (FIFO or receive buffer) */
    uint64_t overruns;      /* arrived to a full FIFO and dropped */
    uint64_t no_peer;       /* sent while nobody was connected (TCP, -1 fd) */
    uint64_t write_errors;  /* sent but lost on the host side (see above) */
};

/* A byte ring over one of the arrays below (set up by sim_uart_init). */
enum sim_uart_op { SIM_UART_IDLE, SIM_UART_RUNNING, SIM_UART_FINISHING };

struct sim_uart_dir {
    enum sim_uart_op op;
    uint8_t *buf;
    size_t len;
    size_t count;          /* bytes done: sent or received */
    vmux_err_t status;     /* of the completion being delivered */
    uint64_t start_ns;     /* transmit: when the first bit left */
    struct sim_event event;        /* transmit: wire done; receive: idle */
    struct deferred_call done;     /* bottom half: calls the client */
    struct sim_fault_slot fault;   /* armed by sim_uart_inject_fault */
    enum sim_fault_kind applying;  /* applied to the operation under way */
};

struct sim_uart {
    struct hil_uart hil;           /* what clients hold */

    enum sim_uart_backend backend;
    uint32_t baud;
    bool open;
    struct sim_uart_dir tx;
    struct sim_uart_dir rx;
    uint64_t last_rx_ns;           /* arrival time of the newest byte */
    struct sim_uart_counters counters;

    /* Host side; -1 where there is none. */
    int in_fd;                     /* read when readable */
    int out_fd;                    /* written as bytes leave the wire */
    int in_flags, out_flags;       /* STDIO/PIPE: the caller's, restored */
    int pty_master, pty_slave;     /* PTY: ours; the slave held open */
    int listen_fd, peer_fd;        /* TCP: ours */
    uint16_t tcp_port;
    char pty_path[64];
    struct sim_fd_watch in_watch;
    struct sim_fd_watch out_watch;
    struct sim_fd_watch listen_watch;
    bool in_watching, out_watching, listen_watching;

    struct ring fifo;
    uint8_t fifo_bytes[SIM_UART_RX_FIFO];
    struct ring backlog;
    uint8_t backlog_bytes[SIM_UART_TX_BACKLOG];
    struct ring capture;
    uint8_t capture_bytes[SIM_UART_CAPTURE];
};

/*
 * Set u up and open its backend. A NULL cfg means MEMORY at the default
 * baud. INVALID for a bad config (unknown backend, baud too high), FAIL
 * when the host refuses (errno tells why); nothing stays open then.
 * Calls deferred_call_register twice. Close before initializing again.
 */
vmux_err_t sim_uart_init(struct sim_uart *u, const struct sim_uart_config *cfg);

/*
 * Power off: abort what is in flight (those completions still follow,
 * with VMUX_CANCEL), stop watching fds, close the driver's own fds and
 * restore the caller's. Later requests get VMUX_OFF.
 */
void sim_uart_close(struct sim_uart *u);

/* The HIL face of u, for clients. */
static inline struct hil_uart *sim_uart_hil(struct sim_uart *u)
{
    return &u->hil;
}

/* Simulated time that bytes characters take on the wire, rounded up. */
uint64_t sim_uart_wire_ns(const struct sim_uart *u, uint64_t bytes);

/*
 * Bytes arriving on the wire now, all at the current simulated time (any
 * backend). Returns how many were kept; the rest were overruns.
 */
size_t sim_uart_inject_rx(struct sim_uart *u, const uint8_t *bytes, size_t len);

/* MEMORY: move up to max transmitted bytes, oldest first, to out. */
size_t sim_uart_take_tx(struct sim_uart *u, uint8_t *out, size_t max);

/* PTY: the slave's path ("/dev/pts/N"); NULL for other backends. */
const char *sim_uart_pty_path(const struct sim_uart *u);

/* TCP: the bound port; 0 for other backends. */
uint16_t sim_uart_tcp_port(const struct sim_uart *u);

/* TCP: whether a peer is connected now. */
bool sim_uart_tcp_connected(const struct sim_uart *u);

const struct sim_uart_counters *sim_uart_counters(const struct sim_uart *u);

/* Fault injection (see above); NULL or SIM_FAULT_NONE disarms. */
enum sim_uart_direction { SIM_UART_TX, SIM_UART_RX };
void sim_uart_inject_fault(struct sim_uart *u, enum sim_uart_direction dir,
                           const struct sim_fault *fault);
/* Faults applied so far, both directions. */
uint32_t sim_uart_faults_applied(const struct sim_uart *u);

#endif
