/*
 * ICMP (RFC 792): echo reply, nothing else.
 *
 * An echo request to our own address is answered with an echo reply that
 * carries the same identifier, sequence number and data, built in the
 * interface's one ICMP frame; a request that finds the frame busy is
 * dropped (echo_dropped_busy), which also bounds what a ping flood can
 * take from the link. Requests sent to a broadcast address are not
 * answered. Messages shorter than the 8-byte header or with a bad
 * checksum are counted and dropped, and so is every other type.
 */
#ifndef VMUX_CAPSULES_NET_ICMP_H
#define VMUX_CAPSULES_NET_ICMP_H

#include <stdint.h>

#include "capsules/net/ipv4.h"

#define ICMP_HEADER_LEN 8u
#define ICMP_ECHO_REPLY 0u
#define ICMP_ECHO_REQUEST 8u

struct icmp_counters {
    uint32_t rx_messages;
    uint32_t truncated;
    uint32_t bad_checksum;
    uint32_t echo_requests;
    uint32_t echo_replies_sent;
    uint32_t echo_dropped_busy;
    uint32_t echo_unroutable;    /* no route back, or ARP cache full */
    uint32_t echo_to_broadcast;  /* not answered */
    uint32_t other_types;        /* every type but echo request */
};

struct netif;

void icmp_input(struct netif *n, const struct ipv4_packet *p);

#endif
