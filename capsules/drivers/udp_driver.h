/*
 * UDP syscall driver: driver 0x30002, compatible with Tock's UDP driver
 * as its code and libtock-c implement it (Tock 2.x allow numbering; the
 * stored doc/syscalls/30002_udp.md still has the pre-2.0 numbering).
 *
 * A process is a client of the UDP mux like any kernel client, its client
 * struct and binding in its grant, attached on its first bind. It binds
 * one port at a time, exclusively, and never a reserved one: processes
 * are not given cap_udp_reserved_port_t. It sends only from its binding
 * (the mux writes the source port, from the binding), and hears only the
 * datagrams sent to its port.
 *
 *   command 1, n   write the first n interface addresses (16 bytes each)
 *                  into read-write allow 1, which must be exactly n * 16
 *                  bytes                Success u32 = number of interfaces;
 *                                       INVALID wrong buffer size
 *   command 2      send read-only allow 0 with the configuration of
 *                  read-write allow 1   Success u32 = 0 (queued: wait for
 *                  upcall 1); BUSY while this process's send is
 *                  outstanding; RESERVE not bound, or a broadcast
 *                  destination; INVALID configuration missing, not 36
 *                  bytes, source not the bound endpoint, destination not
 *                  IPv4-mapped, port 0, or an address nothing may be sent
 *                  to (0.0.0.0/8, the board's own, 127/8); NOSUPPORT
 *                  multicast; SIZE payload over UDP_DRIVER_MAX_PAYLOAD
 *   command 3      bind the endpoint in bytes 18..35 of read-write allow
 *                  2 (all zeroes: unbind)   Success; INVALID configuration
 *                  missing or not 36 bytes, address not an interface's,
 *                  port 0; BUSY the port is held (by anyone, this process
 *                  included), or this process's send is outstanding;
 *                  RESERVE a reserved port; NOMEM no mux client left
 *   command 4      largest payload         Success u32 =
 *                                          UDP_DRIVER_MAX_PAYLOAD (512)
 *   other                                  NOSUPPORT
 *   subscribe 0    datagram received: (length, 0, 0)
 *   subscribe 1    send done: (status, 0, 0)
 *   read-only allow 0     payload to send
 *   read-write allow 0    where a received payload lands
 *   read-write allow 1    send configuration: source endpoint (bytes
 *                         0..17) then destination (18..35); also the
 *                         output of command 1
 *   read-write allow 2    receive configuration: the endpoint to bind in
 *                         bytes 18..35; on each delivery the kernel
 *                         rewrites all 36 bytes: the sender's endpoint,
 *                         then zeroes
 *
 * Endpoints: 16 bytes of IPv6 address, then the port. vmux's stack is
 * IPv4, so addresses are IPv4-mapped (::ffff:a.b.c.d, RFC 4291 2.5.5.2);
 * the one interface is ::ffff: followed by the netif's address.
 *
 * Port byte order, as in Tock's code (which disagrees with itself, and
 * libtock-c follows it): ports the process gives (bind, send
 * configuration) are read low byte first; the sender's port the kernel
 * writes into the receive configuration is high byte first.
 *
 * Destinations. A process sends to unicast addresses only: the mux
 * refuses the board's own address, loopback, 0.0.0.0/8 and multicast for
 * every client (capsules/net/udp_mux.h), and this driver refuses
 * processes 255.255.255.255 and the subnet's broadcast (RESERVE, counted
 * in broadcast_refused): a broadcast reaches every host on the link, and
 * what may speak to all of them is the board's choice, for its kernel
 * clients (as reserved ports are).
 *
 * Sending. The payload is copied into a buffer in the grant when command
 * 2 is made; process memory is never lent to the mux. A missing payload
 * allow is a payload of 0 bytes (as in Tock, where it is an empty
 * buffer). The mux always sends from the kernel loop, so command 2 never
 * returns Tock's 1 ("handed to the radio at once"); the outcome comes
 * with upcall 1: 0, or NOACK (no ARP answer from the next hop), FAIL,
 * NOMEM... (capsules/net/udp_mux.h). One send outstanding per process.
 *
 * Receiving. While bound, the process always has a receive pending in the
 * mux, into a buffer in its grant. Each datagram is copied into read-write
 * allow 0 as it is then; if it does not fit (no buffer counts as 0 bytes)
 * it is dropped without an upcall, as Tock drops one that does not fit
 * (its driver copies a datagram only into a buffer at least as long),
 * and counted: the driver's rx tally, for all processes, counts each
 * datagram the mux hands it (taken) as copied with its upcall
 * scheduled (delivered) or dropped for the buffer (refused). One longer
 * than UDP_DRIVER_MAX_PAYLOAD never fits the process's hold in the mux,
 * which drops and counts it (oversized). The receive configuration
 * is written only when it is exactly 36 bytes. A datagram received while
 * bound is still delivered after an unbind (it was held for this process
 * and nobody else). Datagrams go by destination port: the stack has one
 * interface.
 *
 * Differences from Tock's code, on purpose: port 0 is INVALID (Tock's doc
 * says so, its code binds it); bind while this process's send is
 * outstanding is BUSY (Tock sends from the old port); rebinding to
 * another port releases the old one only when the new one is granted.
 * Like Tock, binding the port this process already holds is BUSY.
 *
 * When the process ends it is detached from the mux: its port is
 * released, its queued send dropped, its held datagrams wiped; no upcall
 * follows. A restarted process is a new client and is not bound.
 */
#ifndef VMUX_CAPSULES_DRIVERS_UDP_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_UDP_DRIVER_H

#include "capsules/net/udp_mux.h"
#include "kernel/syscall_driver.h"

#define UDP_DRIVER_NUM 0x30002u
#define UDP_DRIVER_MAX_PAYLOAD 512u   /* bytes per datagram, each way */
#define UDP_ENDPOINT_SIZE 18u         /* IPv6 address, port */
#define UDP_CONFIG_SIZE (2u * UDP_ENDPOINT_SIZE)
#define UDP_IFACE_ADDR_SIZE 16u

enum udp_driver_command {
    UDP_CMD_INTERFACES = 1,
    UDP_CMD_SEND = 2,
    UDP_CMD_BIND = 3,
    UDP_CMD_MAX_PAYLOAD = 4,
};

#define UDP_UPCALL_RECEIVED 0u
#define UDP_UPCALL_SENT 1u
#define UDP_ALLOW_RO_TX 0u
#define UDP_ALLOW_RW_RX 0u
#define UDP_ALLOW_RW_CFG 1u
#define UDP_ALLOW_RW_RX_CFG 2u

struct udp_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct udp_mux *mux;
    struct tally rx;                /* datagrams, every process (see Receiving) */
    uint32_t broadcast_refused;     /* sends refused (see Destinations) */
};

void udp_driver_init(struct udp_driver *d, struct udp_mux *mux);

#endif
