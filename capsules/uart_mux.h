/*
 * UART mux: one UART shared by many clients, with a routing protocol.
 *
 * Every byte on the wire travels in a frame that names its channel
 * (capsules/uart_frame.h, docs/uart-mux-protocol.md). Each attached client
 * owns one channel; channel 0 is the kernel's control channel.
 *
 * Transmit. uart_mux_write() queues a client's buffer. Clients with queued
 * writes and the control channel (below) are served round robin
 * (kernel/rr.h), one frame of up to UART_FRAME_PAYLOAD_MAX bytes per
 * turn. The mux encodes the client's bytes into its own frame buffer.
 * The client's buffer is only read, and comes back to that client in
 * write_done once every byte went out (or with an error and the count
 * sent).
 *
 * The frame buffer holds one owner's bytes at a time (a client's, or the
 * control channel's). It is wiped: before a frame of another owner is
 * encoded into it; when its owner detaches (at once, or when the owner's
 * frame in flight completes); and when the mux has nothing more to send.
 * Between consecutive frames of one client it is not wiped: it then
 * holds only that client's bytes.
 *
 * The bound. With N clients waiting to write, each one is served within
 * N turns: the N-1 others and the control channel's one, whatever the
 * peer sends and however fast, since the control channel sits in the
 * round robin after the last client and sends one frame per round. The
 * only other frames are introductions: a client's first frame after it
 * attaches is preceded, in its own turn, by its channel's CLOSE (when the
 * number's previous owner's has not gone out) and its ANNOUNCE, at most
 * two frames per attachment (and a process attaches once a life; its
 * lives are paced by the restart back-off, kernel/process.h).
 *
 * Receive. The mux keeps one hardware receive outstanding and decodes the
 * byte stream. A valid frame is delivered only to the client owning its
 * channel: into its pending read, or into that client's bounded hold
 * buffer (UART_MUX_HOLD_BYTES) until it reads. A frame that does not fit,
 * or whose channel has no owner, is dropped and counted, never handed to
 * anyone else. Bad frames are counted by the decoder. A read completes
 * with the bytes held so far (at least 1, at most the buffer's length).
 *
 * Control channel (0). The mux sends HELLO at start, ANNOUNCE(channel,
 * name) for a client that attached (in the client's introduction, or in
 * a control turn if it has not written yet), CLOSE(channel) when an
 * announced client detaches or goes away, and answers the peer's QUERY
 * with HELLO and then a sweep that announces every channel again, in
 * channel order, one frame per control turn. One answer at a time: a
 * QUERY that comes while one is going out adds no HELLO (counted,
 * queries_coalesced): the sweep goes on where it was, and now goes all
 * the way round from there, so a peer that attached in the middle of an
 * answer still learns every channel. Under a flood of QUERYs the sweep
 * simply goes on, one frame per control turn. Pending control
 * messages are flags (HELLO, one CLOSE and one ANNOUNCE per channel, the
 * sweep's next channel), so nothing the peer sends can queue more.
 *
 * Channels are allocated cyclically from 1 to 255, skipping channels in
 * use, so a number is reused only after all the others. A channel whose
 * CLOSE has not gone out yet is taken only when no other is free; its
 * CLOSE then still goes before the new owner's ANNOUNCE, which goes
 * before the new owner's first frame, so a peer never confuses two
 * owners, and departures can never use the channels up.
 *
 * Conservation (kernel/tally.h), per client and for all: tx counts the
 * bytes of each accepted write, each ending on the wire (delivered), in
 * a write that ended with an error (failed: the count the client gets
 * says how far it went), or unsent when the client detached (departed;
 * in the totals, a frame that was in flight then ends as the driver
 * says).
 * rx counts the bytes of each frame held for a client, each ending in a
 * read (delivered) or wiped when the client detached (departed). Valid
 * frames for a channel are held (frames_held), or dropped and counted
 * (frames_no_owner, frames_dropped_full); bad ones are counted by the
 * decoder.
 *
 * A driver that misbehaves (see tests/unit/test_fault_injection.c):
 *   - An error from the driver, at the request or in the completion, ends
 *     the write of the client whose frame it was, with that error (and
 *     the count sent in whole frames); the others' writes go on. Receive
 *     errors are counted and the receive is started again.
 *   - Spurious completions. The mux starts its next transmit and its next
 *     receive from its deferred call, never inside a completion, so a
 *     completion that comes while nothing is in flight (a driver that
 *     completes twice) is recognised, counted (spurious) and ignored: it
 *     can never complete the next client's frame.
 *   - Hangs. With a watchdog alarm (uart_mux_set_watchdog, optional; the
 *     timeout must exceed the wire time of the longest frame,
 *     UART_FRAME_WIRE_MAX + 1 characters), a transmit still in flight
 *     after one to two timeouts is aborted: the client's write ends with
 *     VMUX_FAIL and the mux goes on with the next frame; if even the
 *     abort brings no completion by the next tick, the mux gives the
 *     transmit up. A receive outstanding for as
 *     long is aborted too, so bytes a stuck receive holds are decoded,
 *     and a receive the driver refused to start is tried again. Without
 *     a watchdog the mux waits for the driver, as before.
 *   - After a transmit that did not complete normally, the next frame
 *     starts with an extra 0x00, so a frame cut short on the wire cannot
 *     swallow the next one at the peer's decoder.
 *
 * Wiring, in a board:
 *
 *     static struct client_entry *uart_slots[8];
 *     static uint32_t uart_rr_bits[RR_WORDS(8)];
 *     static struct uart_mux uart_mux;
 *     static struct uart_mux_client console;
 *     uart_mux_init(&uart_mux, &sim_uart.hil, uart_slots, uart_rr_bits, 8);
 *     uart_mux_attach(&uart_mux, &console, client_register_kernel(CLIENT_NAME("kernel")),
 *                     "kernel", &console_ops);
 *     uart_mux_start(&uart_mux);
 *     uart_mux_write(&console, (const uint8_t *)"hello\n", 6);
 *
 * Callbacks come from the kernel loop, never from inside a request.
 */
#ifndef VMUX_CAPSULES_UART_MUX_H
#define VMUX_CAPSULES_UART_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/uart_frame.h"
#include "hil/alarm.h"
#include "hil/uart.h"
#include "kernel/bitmap.h"
#include "kernel/client.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/ring.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

#define UART_MUX_HOLD_BYTES 256u
#define UART_MUX_NAME_MAX 32u
#define UART_MUX_RX_CHUNK 64u

enum uart_control_message {
    UART_CONTROL_ANNOUNCE = 0x01, /* kernel -> peer: channel, name */
    UART_CONTROL_CLOSE = 0x02,    /* kernel -> peer: channel */
    UART_CONTROL_HELLO = 0x03,    /* kernel -> peer: protocol version */
    UART_CONTROL_QUERY = 0x10,    /* peer -> kernel: announce all again */
};
#define UART_PROTOCOL_VERSION 1u

struct uart_mux_client;

struct uart_mux_client_ops {
    void (*write_done)(struct uart_mux_client *c, const uint8_t *buf, size_t sent,
                       vmux_err_t status);
    void (*read_done)(struct uart_mux_client *c, uint8_t *buf, size_t received,
                      vmux_err_t status);
};

struct uart_mux_client_counters {
    struct tally tx, rx;           /* bytes */
    uint32_t frames_dropped_full;  /* hold buffer had no room */
};

struct uart_mux_client {
    struct client_entry entry;     /* identity and slot in the mux's table */
    struct uart_mux *mux;
    const struct uart_mux_client_ops *ops;
    const char *name;
    uint8_t channel;
    /* transmit: the client's buffer, read in place */
    const uint8_t *tx_buf;
    size_t tx_len, tx_sent;
    /* receive */
    uint8_t *rx_buf;
    size_t rx_len;
    bool rx_cancel;
    struct ring held;
    uint8_t held_storage[UART_MUX_HOLD_BYTES];
    struct uart_mux_client_counters counters;
};

struct uart_mux_counters {
    struct tally tx, rx;           /* bytes, all clients */
    uint32_t frames_sent;
    uint32_t frames_held;          /* valid frames held for their channel's owner */
    uint32_t frames_no_owner;      /* valid frame, channel not attached */
    uint32_t frames_dropped_full;  /* sum over clients */
    uint32_t control_bad;          /* unknown control message from the peer */
    uint32_t hw_errors;            /* transmit/receive errors from the driver */
    uint32_t spurious;             /* completions with nothing in flight, ignored */
    uint32_t tx_timeouts;          /* transmits aborted by the watchdog */
    uint32_t rx_timeouts;          /* receives aborted by the watchdog with bytes held */
    uint32_t queries_answered;     /* QUERYs that started an answer */
    uint32_t queries_coalesced;    /* QUERYs while an answer was going out: nothing added */
};

struct uart_mux {
    struct hil_uart *uart;
    struct hil_uart_client hw_client;
    struct client_table clients;
    struct rr tx_rr;
    uint8_t channel_slot[256];      /* 0xff: no owner */
    uint8_t next_channel;
    /* transmit */
    bool tx_busy;
    int tx_owner;                   /* slot, or TX_OWNER_CONTROL / TX_OWNER_NONE */
    size_t tx_chunk;
    uint8_t tx_frame[1 + UART_FRAME_WIRE_MAX];  /* a resync 0x00, then the frame */
    uint16_t tx_frame_used;         /* bytes of tx_frame not zero since the last wipe */
    int tx_frame_owner;             /* whose bytes tx_frame holds (anyone's while used is 0) */
    bool resync;                    /* the last transmit ended abnormally */
    bool control_last;              /* the last frame was the control channel's turn */
    bool hello_pending;
    bool control_due;               /* a control message may be owed (below, or the sweep) */
    uint8_t sweep_next;             /* the channel the sweep looks at next (1-255) */
    uint8_t sweep_left;             /* channels the sweep still looks at; 0: no sweep */
    struct bitset256 announce_pending;  /* channels whose owner is not introduced yet */
    struct bitset256 close_pending;     /* channels whose last owner's CLOSE is owed */
    struct bitset256 deliver_pending;   /* slots whose read can complete now */
    struct deferred_call work;      /* runs transmit and delivery */
    /* receive */
    bool rx_running;
    uint8_t rx_chunk[UART_MUX_RX_CHUNK];
    struct uart_frame_decoder decoder;
    struct client_observer departures;
    struct uart_mux_counters counters;
    bool started;
    /* the optional watchdog (uart_mux_set_watchdog) */
    struct hil_alarm *watchdog;
    struct hil_alarm_client watchdog_client;
    uint32_t watchdog_ticks;
    uint32_t tx_serial, tx_seen;    /* transmits started; the one in flight last tick */
    uint32_t rx_serial, rx_seen;
    bool tx_aborting;               /* the watchdog aborted the transmit in flight */
    bool rx_aborting;
};

void uart_mux_init(struct uart_mux *mux, struct hil_uart *uart,
                   struct client_entry **client_storage, uint32_t *rr_words,
                   unsigned client_capacity);

/* Send HELLO and start receiving. */
vmux_err_t uart_mux_start(struct uart_mux *mux);

/* Watch the driver with alarm (the mux's alone, typically a virtual
 * alarm) every timeout_us: see "A driver that misbehaves". */
void uart_mux_set_watchdog(struct uart_mux *mux, struct hil_alarm *alarm, uint32_t timeout_us);

/*
 * Attach a client under a name (at most UART_MUX_NAME_MAX bytes are
 * announced; the string must outlive the attachment). NOMEM when every
 * slot or channel is taken; ALREADY when c is attached. At most 254
 * clients per mux.
 */
vmux_err_t uart_mux_attach(struct uart_mux *mux, struct uart_mux_client *c,
                           client_id_t id, const char *name,
                           const struct uart_mux_client_ops *ops);

/* Detach: pending operations end without callbacks, held bytes are
 * wiped, and CLOSE is announced. Also done automatically when the
 * client's id departs (kernel/client.h). */
void uart_mux_detach(struct uart_mux_client *c);

/* Queue buf for transmission. BUSY while a write is queued; SIZE for
 * len 0; OFF when not attached. */
vmux_err_t uart_mux_write(struct uart_mux_client *c, const uint8_t *buf, size_t len);

/* Receive up to len bytes of this client's channel. BUSY while a read is
 * pending; SIZE for len 0; OFF when not attached. */
vmux_err_t uart_mux_read(struct uart_mux_client *c, uint8_t *buf, size_t len);

/* Cancel this client's pending read only: read_done(CANCEL, 0) follows.
 * ALREADY when no read is pending. */
vmux_err_t uart_mux_abort_read(struct uart_mux_client *c);

/* The client attached on a channel, or NULL. */
struct uart_mux_client *uart_mux_channel_owner(struct uart_mux *mux, uint8_t channel);

#endif
