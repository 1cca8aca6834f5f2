/*
 * UDP (RFC 768) datagrams: receive checks and the send-side checksum.
 *
 * udp_input() accepts a datagram when it has the 8-byte header
 * (truncated), a length field of at least 8 that fits in the IP payload
 * (bad_length; IP bytes past it are ignored) and a correct checksum over
 * the pseudo-header (bad_checksum). A zero checksum field means the
 * sender computed none, which RFC 768 allows: it is accepted and counted
 * (no_checksum). The datagram then goes to the UDP mux, which alone
 * decides who may see it.
 *
 * This file never writes a header. The only UDP header writer is the
 * mux, which takes the source port from the sender's binding
 * (capsules/net/udp_mux.h); udp_seal() only fills in the checksum of a
 * segment the mux has written.
 */
#ifndef VMUX_CAPSULES_NET_UDP_H
#define VMUX_CAPSULES_NET_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "capsules/net/ipv4.h"

#define UDP_HEADER_LEN 8u
#define UDP_PAYLOAD_MAX (IPV4_PAYLOAD_MAX - UDP_HEADER_LEN)

/* Field offsets in the UDP header. */
enum { UDP_AT_SRC_PORT = 0, UDP_AT_DST_PORT = 2, UDP_AT_LENGTH = 4, UDP_AT_CHECKSUM = 6 };

/* A received datagram that passed every check. */
struct udp_datagram {
    uint32_t src_ip, dst_ip;
    uint16_t src_port, dst_port;
    const uint8_t *payload;
    size_t len;
};

struct udp_counters {
    uint32_t rx_datagrams;
    uint32_t truncated;
    uint32_t bad_length;
    uint32_t bad_checksum;
    uint32_t no_checksum;        /* accepted without one */
    uint32_t no_mux;             /* no UDP mux on this interface */
    uint32_t tx_datagrams;
};

struct netif;

void udp_input(struct netif *n, const struct ipv4_packet *p);

/* Compute and store the checksum of the len-byte segment (header and
 * payload, checksum field ignored) sent from src to dst. */
void udp_seal(uint8_t *segment, size_t len, uint32_t src, uint32_t dst);

#endif
