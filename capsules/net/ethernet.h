/*
 * Ethernet II: the receive entry of the stack, and the header of
 * outgoing frames.
 *
 * ethernet_input() is where every received frame starts. It checks the
 * header, keeps frames addressed to our MAC or to broadcast, and hands
 * the payload to ARP or IPv4 by EtherType. Everything else is counted and
 * dropped. The frame belongs to the driver and is only read, during the
 * call.
 *
 * ethernet_output() writes the header of a frame that a sender has
 * filled from offset ETH_HEADER_LEN on, pads it to the 60-byte minimum
 * with zeroes (the frame was wiped, so padding never carries old data)
 * and queues it on the interface.
 */
#ifndef VMUX_CAPSULES_NET_ETHERNET_H
#define VMUX_CAPSULES_NET_ETHERNET_H

#include <stddef.h>
#include <stdint.h>

#include "capsules/net/frame.h"
#include "hil/net.h"

#define ETH_HEADER_LEN 14u
#define ETH_FRAME_MIN 60u          /* without FCS; shorter frames are padded */
#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_ARP 0x0806u

struct netif;

struct eth_counters {
    uint32_t rx_frames;          /* handed to ethernet_input */
    uint32_t truncated;          /* shorter than the header */
    uint32_t not_for_us;         /* neither our MAC nor broadcast */
    uint32_t unknown_ethertype;  /* not ARP or IPv4 (VLAN tags included) */
    uint32_t tx_frames;          /* completed by the driver */
    uint32_t tx_errors;          /* refused or failed by the driver */
    uint32_t tx_timeouts;        /* given up by the interface's watchdog */
    uint32_t tx_spurious;        /* transmit_done for no frame on the wire */
};

extern const uint8_t eth_broadcast[NET_MAC_SIZE];

/* A received frame: filter and dispatch (see above). */
void ethernet_input(struct netif *n, const uint8_t *frame, size_t len);

/* Address f (whose len counts the header) to dst and queue it. */
void ethernet_output(struct netif *n, struct netif_frame *f,
                     const uint8_t dst[NET_MAC_SIZE], uint16_t type);

#endif
