/*
 * UDP mux: the only way clients (kernel components and processes) send
 * and receive UDP, with exclusive ports and round-robin sending.
 *
 * Clients. A client attaches a struct udp_client under its client_id_t
 * (kernel/client.h), one per id, with its callbacks and the storage of
 * its receive hold. When the id departs (client_departed) or the client
 * detaches, everything it had is dropped without callbacks: its ports are
 * released, its queued sends forgotten, its frames in the interface wiped
 * and freed (one on the wire is wiped when the NIC returns it), its held
 * datagrams wiped.
 *
 * Ports. udp_mux_bind() gives a struct udp_binding, the client's handle
 * on one port, held exclusively: BUSY when another client holds the port,
 * ALREADY when this client does. Ports in the reserved range given at
 * init (e.g. 1..1023) need a valid cap_udp_reserved_port_t, otherwise
 * RESERVE. Port 0 is INVALID. A client holds at most ports_per_client
 * ports (NOMEM beyond), so no client can fill the table; the table holds
 * 3/4 of its capacity (capsules/net/port_table.h) and finds a port in
 * O(1) on average.
 *
 * Sending. udp_mux_send() takes the binding, never a port number: the
 * source port of every datagram is its binding's port, written by this
 * file and nowhere else. An unbound handle, or one whose client is gone,
 * gets OFF. Each binding has at most one send outstanding (BUSY); a
 * client's outstanding sends wait in order. Clients with sends waiting
 * are served round robin (kernel/rr.h), one datagram per turn, a turn
 * being a free UDP frame in the interface; each client has at most one
 * datagram in the interface at a time. So from the moment a client has a
 * send waiting, others get at most n-1 turns before it does (besides the
 * datagrams already in the interface then, at most one per UDP frame).
 * The client's buffer is only read: its bytes are copied into a frame
 * that goes down to the driver, and the frame is wiped before it serves
 * anyone else.
 *
 * Destinations (docs/net.md, "Where a datagram may go"). Refused at once,
 * and counted by the mux: 0.0.0.0/8 (INVALID, to_nowhere), the board's
 * own address (INVALID, to_self: the stack has no loopback path),
 * 127.0.0.0/8 (INVALID, to_loopback: never on a wire), multicast and
 * 224.0.0.0 and up but the limited broadcast (NOSUPPORT, to_multicast:
 * no IGMP). Accepted: any unicast address (on the link, or through the
 * gateway), 255.255.255.255 and the subnet's broadcast (an Ethernet
 * broadcast). Whether a client may broadcast is not the mux's business:
 * the UDP syscall driver refuses it to processes. send_done returns the buffer to the same client, from the
 * kernel loop: SUCCESS once on the wire, NOACK when ARP could not reach
 * the next hop, CANCEL when the binding was unbound before the datagram
 * was copied, FAIL/NOMEM/INVALID/NOSUPPORT from IPv4 (ipv4.h).
 *
 * Receiving. A datagram goes to the client bound to its destination
 * port and to nobody else; without one it is dropped (no_port). It is
 * copied into that client's hold, a byte ring of the client's own
 * storage; a datagram that does not fit is dropped and counted for that
 * client (dropped_full), never given to anyone else. udp_mux_receive()
 * lends one buffer; receive_done hands back the oldest held datagram,
 * copied into it (SIZE and the bytes that fit when it is longer; the
 * rest is wiped). Datagrams stay the client's after it unbinds the port.
 * A datagram longer than the whole hold could never be held: dropped and
 * counted (oversized).
 *
 * Conservation (kernel/tally.h), per client and for all. Every datagram
 * that reaches the mux (arrived) is held for a client (rx taken), or
 * dropped and counted: port_zero, no_port, dropped_full, oversized. A
 * held datagram is handed to its client (rx delivered; truncated counts
 * those cut short, SIZE), or wiped when the client detaches (rx
 * departed). Every send accepted (tx taken) ends on the wire (tx
 * delivered), with an error its client gets in send_done (tx failed),
 * or forgotten when the client detaches (tx departed).
 *
 * Wiring, in a board:
 *
 *     static struct port_entry *udp_ports[128];      // 64 bindings
 *     static struct client_entry *udp_slots[8];
 *     static uint32_t udp_rr_bits[RR_WORDS(8)];
 *     static struct udp_mux udp;
 *     static const struct udp_mux_config udp_config = { 1, 1023, 8 };
 *     udp_mux_init(&udp, &net, &udp_config, udp_ports, 128, udp_slots,
 *                  udp_rr_bits, 8);
 *
 *     static struct udp_client echo;                 // a kernel client
 *     static uint8_t echo_hold[2048];
 *     static struct udp_binding echo_port;
 *     udp_mux_attach(&udp, &echo, client_register_kernel(CLIENT_NAME("echo")), &echo_ops,
 *                    echo_hold, sizeof echo_hold);
 *     udp_mux_bind(&echo, &echo_port, 7, board_cap_udp_reserved_port);
 *     udp_mux_receive(&echo, echo_buf, sizeof echo_buf);
 *     ...                                            // in receive_done:
 *     udp_mux_send(&echo_port, &info->from, echo_buf, len);
 *
 * Callbacks come from the kernel loop, never from inside a request.
 */
#ifndef VMUX_CAPSULES_NET_UDP_MUX_H
#define VMUX_CAPSULES_NET_UDP_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/net/frame.h"
#include "capsules/net/netif.h"
#include "capsules/net/port_table.h"
#include "capsules/net/udp.h"
#include "kernel/client_table.h"
#include "kernel/capability.h"
#include "kernel/client.h"
#include "kernel/deferred.h"
#include "kernel/ring.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

/* What one held datagram costs in a client's hold, besides its bytes. */
#define UDP_MUX_HOLD_RECORD 10u

struct udp_mux_config {
    uint16_t reserved_first;     /* reserved ports: first..last, 0 for none */
    uint16_t reserved_last;
    uint16_t ports_per_client;
};

struct udp_endpoint {
    uint32_t ip;                 /* host byte order */
    uint16_t port;
};

/* What receive_done says about the datagram. */
struct udp_received {
    struct udp_endpoint from;
    uint16_t port;               /* ours: the binding's port */
    size_t datagram_len;         /* may exceed the bytes delivered (SIZE) */
};

struct udp_client;
struct udp_binding;

struct udp_client_ops {
    void (*send_done)(struct udp_client *c, struct udp_binding *b, const uint8_t *buf,
                      size_t len, vmux_err_t status);
    void (*receive_done)(struct udp_client *c, uint8_t *buf, size_t len,
                         const struct udp_received *info, vmux_err_t status);
};

enum udp_send_state { UDP_SEND_IDLE, UDP_SEND_QUEUED, UDP_SEND_IN_FRAME };

struct udp_binding {
    struct port_entry key;       /* the port, in the mux's table */
    struct udp_client *client;
    bool bound;
    struct udp_binding *next_of_client;
    /* the one outstanding send */
    uint8_t send_state;          /* enum udp_send_state */
    const uint8_t *tx_buf;
    size_t tx_len;
    struct udp_endpoint tx_to;
    struct udp_binding *tx_next; /* the client's queue, in order */
};

struct udp_client_counters {
    struct tally rx, tx;         /* datagrams */
    uint32_t dropped_full;       /* hold had no room */
    uint32_t oversized;          /* longer than the whole hold */
    uint32_t truncated;          /* delivered cut to the receive buffer */
};

struct udp_client {
    struct client_entry entry;           /* identity and slot in the mux's table */
    struct udp_mux *mux;
    const struct udp_client_ops *ops;
    uint16_t port_count;
    struct udp_binding *bindings;
    struct udp_binding *tx_head, *tx_tail;
    struct udp_binding *in_frame;        /* copied, in the interface */
    struct netif_sender sender;
    uint8_t *rx_buf;
    size_t rx_len;
    struct ring hold;
    uint32_t held;                       /* datagrams in the hold */
    struct udp_client_counters counters;
};

struct udp_mux_counters {
    struct tally rx, tx;         /* datagrams, all clients */
    uint32_t arrived;            /* datagrams from udp.c */
    uint32_t port_zero;          /* destination port 0 */
    uint32_t no_port;            /* nobody bound to the destination port */
    uint32_t dropped_full;       /* sum over clients */
    uint32_t oversized;          /* sum over clients */
    /* sends refused for their destination (see Destinations) */
    uint32_t to_nowhere, to_self, to_loopback, to_multicast;
};

struct udp_mux {
    struct netif *net;
    struct udp_mux_config config;
    struct port_table ports;
    struct client_table clients;
    struct rr tx_rr;
    struct deferred_call work;
    struct client_observer departures;
    struct udp_mux_counters counters;
};

/*
 * Set mux up over net: port_storage is the port table (a power of two,
 * twice the bindings wanted), slot_storage and rr_words hold slot_count
 * clients. INVALID for a bad table size or NULL storage, NOMEM when no
 * deferred call is left.
 */
vmux_err_t udp_mux_init(struct udp_mux *mux, struct netif *net,
                        const struct udp_mux_config *config,
                        struct port_entry **port_storage, unsigned port_capacity,
                        struct client_entry **slot_storage, uint32_t *rr_words,
                        unsigned slot_count);

/*
 * Attach c (zeroed, or detached) for client id, holding received
 * datagrams in hold (hold_size bytes; a datagram needs its length plus
 * UDP_MUX_HOLD_RECORD; the storage is the client's). ALREADY
 * when c or another udp_client of id is attached, NOMEM when every slot
 * is taken, INVALID for missing ops or storage.
 */
vmux_err_t udp_mux_attach(struct udp_mux *mux, struct udp_client *c, client_id_t id,
                          const struct udp_client_ops *ops, uint8_t *hold,
                          size_t hold_size);

/* Drop everything of c, without callbacks (see Clients). */
void udp_mux_detach(struct udp_client *c);

/* Hold port for c through b (see Ports). b must be zeroed before its
 * first bind. OFF when c is not attached; INVALID also when b is bound
 * already; BUSY also while b's last send is outstanding. */
vmux_err_t udp_mux_bind(struct udp_client *c, struct udp_binding *b, uint16_t port,
                        const cap_udp_reserved_port_t *cap);

/* Release b's port. A send not yet copied ends with CANCEL; one in the
 * interface goes out. OFF when b is not bound. */
vmux_err_t udp_mux_unbind(struct udp_binding *b);

/* Queue len bytes of buf to go from b's port to `to` (see Sending).
 * OFF: b unbound or stale; BUSY: b has a send outstanding; INVALID: NULL
 * buf, port 0, or an address nothing may be sent to (see Destinations);
 * NOSUPPORT: multicast; SIZE: over UDP_PAYLOAD_MAX. */
vmux_err_t udp_mux_send(struct udp_binding *b, const struct udp_endpoint *to,
                        const uint8_t *buf, size_t len);

/* Lend buf for the next datagram (see Receiving). OFF when c is not
 * attached, BUSY while a receive is pending, INVALID for NULL, SIZE for 0. */
vmux_err_t udp_mux_receive(struct udp_client *c, uint8_t *buf, size_t len);

/* From udp.c: a datagram that passed every check. */
void udp_mux_deliver(struct udp_mux *mux, const struct udp_datagram *d);

/* The port a binding holds (0 when unbound). */
static inline uint16_t udp_binding_port(const struct udp_binding *b)
{
    return b->bound ? b->key.port : 0;
}

#endif
