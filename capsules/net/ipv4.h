/*
 * IPv4 (RFC 791) for a host on one Ethernet link: receive checks,
 * dispatch to ICMP and UDP, and output with routing to the link or to one
 * gateway.
 *
 * Receive. ipv4_input() accepts a packet only when every check holds, in
 * this order, each failure with its own counter: at least 20 bytes
 * (truncated); version 4 (bad_version); IHL of at least 5 words
 * (bad_header_length) and within the data (truncated); total length
 * covering the header and within the data (bad_total_length; bytes past
 * it are Ethernet padding and ignored); header checksum (bad_checksum);
 * not a fragment, i.e. MF clear and offset zero (fragments: this stack
 * does not reassemble); a source that is not broadcast, multicast or
 * loopback (bad_source); a destination that is our address, 255.255.255.255 or
 * our subnet's broadcast (not_for_us; /31 and /32 links have no subnet
 * broadcast). Options are allowed and skipped.
 * The payload then goes to ICMP or UDP by protocol (unknown_protocol for
 * the rest). The packet belongs to the driver and is only read.
 *
 * Output. ipv4_output() writes the header in front of a payload that the
 * sender has already put at IPV4_PAYLOAD_OFFSET in a frame it took from
 * the interface, and sends it: to the destination itself when it is on
 * our subnet, otherwise to the gateway; broadcasts go to the Ethernet
 * broadcast address. TTL 64, DF set (we never fragment), identification
 * counting up.
 */
#ifndef VMUX_CAPSULES_NET_IPV4_H
#define VMUX_CAPSULES_NET_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/net/ethernet.h"
#include "capsules/net/frame.h"

#define IPV4_HEADER_LEN 20u
#define IPV4_PAYLOAD_OFFSET (ETH_HEADER_LEN + IPV4_HEADER_LEN)
#define IPV4_PAYLOAD_MAX (NET_FRAME_MAX - IPV4_PAYLOAD_OFFSET)
#define IPV4_PROTO_ICMP 1u
#define IPV4_PROTO_UDP 17u
#define IPV4_BROADCAST 0xffffffffu
#define IPV4_TTL 64u

/* Addresses in host byte order: 10.0.2.15 is 0x0a00020f. */
struct ipv4_config {
    uint32_t address;
    uint32_t netmask;
    uint32_t gateway;            /* 0: no gateway, only the link is reachable */
};

/* A received packet that passed every check. */
struct ipv4_packet {
    uint32_t src, dst;
    uint8_t protocol;
    bool broadcast;              /* sent to a broadcast address, not to us */
    const uint8_t *payload;
    size_t len;
};

struct ipv4_counters {
    uint32_t rx_packets;
    uint32_t truncated;
    uint32_t bad_version;
    uint32_t bad_header_length;
    uint32_t bad_total_length;
    uint32_t bad_checksum;
    uint32_t fragments;
    uint32_t bad_source;
    uint32_t not_for_us;
    uint32_t unknown_protocol;
    uint32_t delivered;          /* handed to ICMP or UDP */
    uint32_t tx_packets;
    uint32_t no_route;           /* off-link destination and no gateway */
    uint32_t unconfigured;       /* output with no address of our own */
};

struct netif;

void ipv4_input(struct netif *n, const uint8_t *packet, size_t len);

/* 255.255.255.255, or the broadcast address of ip's subnet (/30 and
 * wider). */
bool ipv4_is_broadcast(const struct ipv4_config *ip, uint32_t a);
/* 224.0.0.0 and up: multicast and reserved (the limited broadcast too). */
bool ipv4_is_multicast(uint32_t a);
/* 127.0.0.0/8. */
bool ipv4_is_loopback(uint32_t a);

/*
 * Send the payload_len bytes at f->data + IPV4_PAYLOAD_OFFSET to dst
 * with this protocol. SUCCESS: f is the interface's now. Otherwise
 * nothing was sent and f is still the caller's: SIZE (too long), OFF (no
 * address of our own), INVALID (0.0.0.0, our own address, loopback: the
 * stack has no loopback path, and 127/8 must never reach a wire),
 * NOSUPPORT (multicast), FAIL (no route), NOMEM (ARP cache full).
 */
vmux_err_t ipv4_output(struct netif *n, struct netif_frame *f, uint8_t protocol,
                       uint32_t dst, size_t payload_len);

#endif
