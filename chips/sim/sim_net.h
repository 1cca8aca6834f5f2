/*
 * The host board's simulated Ethernet interface: a struct hil_net that
 * behaves like a 100 Mbit/s NIC.
 *
 * Contract (see hil/net.h):
 *   - transmit() takes the frame and returns at once. The frame is on the
 *     wire for sim_net_wire_ns(len); when that time has passed, the frame
 *     reaches whatever the NIC is attached to and the "transmit interrupt"
 *     raises a deferred call whose handler calls transmit_done. One frame
 *     at a time: a second transmit before transmit_done gets VMUX_BUSY.
 *     A NULL frame gets VMUX_INVALID, a length outside
 *     NET_FRAME_MIN..NET_FRAME_MAX gets VMUX_SIZE. Ethernet has no
 *     acknowledgement, so a completed transmit always reports SUCCESS,
 *     even when nobody received the frame.
 *   - A frame arriving from the wire is copied into a receive queue of
 *     SIM_NET_RX_SLOTS frames and the "receive interrupt" raises a deferred
 *     call; its handler hands one queued frame per turn to frame_received,
 *     so a flood of frames cannot starve other deferred calls. A frame
 *     arriving while the queue is full, or while receive is disabled, is
 *     dropped and counted. Frames queued before receive was disabled are
 *     still delivered: they arrived while it was enabled.
 *   - No address filter: every frame on the wire is received
 *     (promiscuous), as on a point-to-point link.
 *   - Receive starts disabled, as on hardware after reset.
 *
 * Buffer ownership: a transmitted frame belongs to the NIC from transmit()
 * until transmit_done hands it back. The frame passed to frame_received
 * is the NIC's queue slot, valid only during the call. sim_net_inject()
 * copies its frame before it returns; sim_net_take_tx() copies into the
 * caller's buffer.
 *
 * Attachment: a NIC is attached to nothing (transmitted frames are kept
 * for sim_net_take_tx, a test hook), to a peer NIC (sim_net_connect_pair,
 * a crossover cable), or to libslirp (sim_net_attach_slirp, user-mode
 * networking to the host's real sockets, no root needed).
 *
 * Storage: everything lives in struct sim_net; this file never allocates.
 * libslirp allocates its own state (glib), released by sim_net_detach().
 *
 * Faults (chips/sim/sim_fault.h), armed per direction with
 * sim_net_inject_fault(nic, SIM_NET_TX or SIM_NET_RX, &fault):
 *   transmit
 *     REFUSE   transmit() returns the error.
 *     ERROR    accepted; the frame never reaches the wire and
 *              transmit_done reports the error at the normal time.
 *     LATE     the frame leaves at its normal time; transmit_done comes
 *              delay_ns later (the NIC stays busy until then).
 *     NEVER    a lost interrupt: the frame leaves and the NIC is idle
 *              again, but transmit_done never comes. (The HIL has no
 *              abort, so this is the recoverable hang: the interface's
 *              watchdog gives the frame up.)
 *     TWICE    transmit_done is called twice.
 *     CORRUPT  one bit of the frame is flipped on the wire.
 *   receive (each frame arriving from the wire)
 *     ERROR    the NIC drops it as damaged (counted in rx_dropped_error).
 *     LATE     it arrives delay_ns later (one such frame at a time).
 *     NEVER    it is lost without a trace.
 *     TWICE    it is handed to the client twice.
 *     CORRUPT  one bit of it is flipped (past the NIC's own check).
 */
#ifndef VMUX_CHIPS_SIM_SIM_NET_H
#define VMUX_CHIPS_SIM_SIM_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/net.h"
#include "kernel/deferred.h"

#define SIM_NET_BITS_PER_SECOND 100000000ull
#define SIM_NET_RX_SLOTS 16u       /* receive queue, frames */
#define SIM_NET_CAPTURE_SLOTS 8u   /* transmitted frames kept when unattached */
/* libslirp 4.7 asks for one timer (IPv6 router adverts) and only with IPv6
 * on; we run it IPv4-only, so four is ample. timer_new fails beyond. */
#define SIM_NET_SLIRP_TIMERS 4u

/* The user-mode network libslirp simulates (host byte order). */
#define SIM_NET_SLIRP_NETWORK 0x0a000200u  /* 10.0.2.0/24 */
#define SIM_NET_SLIRP_NETMASK 0xffffff00u
#define SIM_NET_SLIRP_HOST    0x0a000202u  /* 10.0.2.2, the gateway */
#define SIM_NET_SLIRP_GUEST   0x0a00020fu  /* 10.0.2.15, this NIC */

struct Slirp;

struct sim_net_counters {
    uint32_t tx_frames;            /* transmits completed */
    uint64_t tx_bytes;
    uint32_t tx_capture_dropped;   /* unattached, capture full: frame lost */
    uint32_t rx_frames;            /* handed to the client */
    uint64_t rx_bytes;
    uint32_t rx_dropped_full;      /* receive queue full */
    uint32_t rx_dropped_disabled;  /* receive disabled */
    uint32_t rx_dropped_no_client; /* dequeued with no client set */
    uint32_t rx_dropped_size;      /* from libslirp, outside 14..NET_FRAME_MAX */
    uint32_t slirp_guest_errors;   /* libslirp complained about our frames */
    uint32_t slirp_poll_overflow;  /* slirp fds that found no pollfd slot */
    uint32_t slirp_timer_exhausted;/* timer_new beyond SIM_NET_SLIRP_TIMERS */
    uint32_t rx_dropped_error;     /* an injected receive ERROR */
};

struct sim_net_frame {
    uint16_t len;
    uint8_t data[NET_FRAME_MAX];
};

struct sim_net_slirp_timer {
    struct sim_event expiry;
    void (*cb)(void *opaque);
    void *cb_opaque;
    bool in_use;
};

struct sim_net {
    struct hil_net hil;            /* what the kernel sees */
    uint8_t mac[NET_MAC_SIZE];
    struct sim_net_counters counters;

    /* Transmit: one frame in flight, owned by us until transmit_done. */
    uint8_t *tx_frame;
    size_t tx_len;
    bool tx_busy;
    struct sim_event tx_wire;      /* the frame's last bit leaves */
    struct deferred_call tx_irq;
    vmux_err_t tx_status;          /* of the completion being delivered */

    /* Faults (see above). */
    struct sim_fault_slot tx_fault, rx_fault;
    enum sim_fault_kind tx_applying;
    struct sim_event tx_late;      /* LATE: the delayed transmit interrupt */
    struct sim_net_frame rx_late;  /* LATE: the frame held back */
    struct sim_event rx_late_event;
    bool rx_late_pending;

    /* Receive queue: a ring of copies. */
    bool rx_enabled;
    struct sim_net_frame rx[SIM_NET_RX_SLOTS];
    unsigned rx_head, rx_count;
    struct deferred_call rx_irq;

    /* Unattached: transmitted frames kept for sim_net_take_tx. */
    struct sim_net_frame capture[SIM_NET_CAPTURE_SLOTS];
    unsigned capture_head, capture_count;

    /* Attachment: at most one of peer and slirp. */
    struct sim_net *peer;
    struct Slirp *slirp;
    struct sim_net *slirp_next;    /* list of NICs attached to libslirp */
    void *poll_fds;                /* sim_wait's pollfd array, during fill */
    unsigned *poll_n;
    unsigned poll_max;
    bool poll_filled;              /* slirp fds are in this round's array */
    struct sim_net_slirp_timer timers[SIM_NET_SLIRP_TIMERS];
};

/*
 * Power nic on with the given MAC: idle, receive disabled, unattached,
 * counters zero. nic must not be in use: fresh storage, or detached with
 * no frame on the wire, or after sim_reset() (test_board_reset()), which
 * drops its events. Registers two deferred calls; NOMEM when none is left.
 */
vmux_err_t sim_net_init(struct sim_net *nic, const uint8_t mac[NET_MAC_SIZE]);

/* Time a frame of len bytes occupies the wire at SIM_NET_BITS_PER_SECOND,
 * counting preamble, padding to the 64-byte minimum, FCS and the gap. */
uint64_t sim_net_wire_ns(size_t len);

/* Wire a to b: each receives what the other transmits. INVALID for NULL or
 * a == b; BUSY when either is attached already. */
vmux_err_t sim_net_connect_pair(struct sim_net *a, struct sim_net *b);

/*
 * Attach nic to a new libslirp instance: guest 10.0.2.15 on 10.0.2.0/24,
 * gateway 10.0.2.2, DHCP on, DNS off, IPv4 only. Slirp's sockets are
 * polled by sim_wait() and its frames reach nic's receive queue. BUSY
 * when nic is attached already, FAIL when libslirp refuses. nic stays on
 * a list of slirp NICs until sim_net_detach(): detach before its storage
 * goes away or is re-initialised.
 */
vmux_err_t sim_net_attach_slirp(struct sim_net *nic);

/* Forward UDP datagrams sent to 127.0.0.1:host_port to
 * 10.0.2.15:guest_port, and replies back. OFF when not attached to
 * libslirp, BUSY when the host port is taken. */
vmux_err_t sim_net_slirp_add_udp_forward(struct sim_net *nic, uint16_t host_port,
                                         uint16_t guest_port);

/* Undo any attachment: unplug the peer (both ends), or shut libslirp down
 * and free its state. A frame still on the wire lands in the capture. */
void sim_net_detach(struct sim_net *nic);

/* Test hook: a frame arrives from the wire now (queued or dropped and
 * counted, as any arrival). INVALID for NULL, SIZE for a bad length. */
vmux_err_t sim_net_inject(struct sim_net *nic, const uint8_t *frame, size_t len);

/* Test hook: remove the oldest frame transmitted while unattached, copy up
 * to max bytes of it into out, and return its full length; 0 if none. */
size_t sim_net_take_tx(struct sim_net *nic, uint8_t *out, size_t max);

/* Fault injection (see above); NULL or SIM_FAULT_NONE disarms. */
enum sim_net_direction { SIM_NET_TX, SIM_NET_RX };
void sim_net_inject_fault(struct sim_net *nic, enum sim_net_direction dir,
                          const struct sim_fault *fault);
/* Faults applied so far, both directions. */
uint32_t sim_net_faults_applied(const struct sim_net *nic);

#endif
