/*
 * Transmit frames: the buffers the stack builds outgoing Ethernet frames
 * in, and the way their senders learn how each one ended.
 *
 * The board gives the interface (capsules/net/netif.h) an array of
 * struct netif_frame. A frame goes FREE -> FILLING (a sender writes it)
 * -> WAITING (its next hop's MAC is being resolved by ARP) -> QUEUED
 * (complete, in line for the NIC) -> ON_WIRE (lent to the driver) -> FREE.
 * Every frame is wiped when it becomes FREE again, so the bytes one
 * sender put in it never reach the next sender. A sender writes only the
 * first len bytes of its frame, so the rest stays zeroes: the Ethernet
 * padding of short frames (ethernet_output).
 *
 * A sender that needs to know the outcome (the UDP mux, ARP) embeds a
 * struct netif_sender and names it when taking the frame; frame_done is
 * then called exactly once, from the kernel loop, after the frame was
 * wiped and freed: SUCCESS once on the wire, NOACK when ARP could not
 * resolve the next hop, or the driver's error.
 */
#ifndef VMUX_CAPSULES_NET_FRAME_H
#define VMUX_CAPSULES_NET_FRAME_H

#include <stdint.h>

#include "hil/net.h"

enum netif_frame_state {
    NETIF_FRAME_FREE,
    NETIF_FRAME_FILLING,
    NETIF_FRAME_WAITING,
    NETIF_FRAME_QUEUED,
    NETIF_FRAME_ON_WIRE,
};

struct netif_sender {
    void (*frame_done)(struct netif_sender *self, vmux_err_t status);
};

struct netif_frame {
    uint8_t data[NET_FRAME_MAX];
    uint16_t len;
    uint8_t state;                /* enum netif_frame_state */
    uint32_t next_hop;            /* IPv4 address, while WAITING */
    uint32_t order;               /* queue position, while QUEUED */
    struct netif_sender *sender;  /* told when done; NULL: nobody */
};

#endif
