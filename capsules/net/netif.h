/*
 * The network interface: one NIC (struct hil_net), our MAC and IPv4
 * configuration, the transmit frames and their queue, and the counters of
 * every layer. Ethernet, ARP, IPv4, ICMP and UDP (the files next to this
 * one) work on a struct netif; the UDP mux is the only way in for
 * clients.
 *
 * Frames. The board gives frame_count >= NETIF_FRAMES_MIN frames
 * (capsules/net/frame.h). Each has one role: frame 0 is ARP's, frame 1 is
 * ICMP's, the others carry UDP datagrams. A fixed role per frame means no
 * sender can starve another of buffers: a ping flood or an ARP storm
 * never takes a UDP frame, and the UDP mux lets each client hold at most
 * one frame at a time.
 *
 * Transmit queue. Complete frames wait in the order they were queued and
 * go to the driver one at a time, so no sender has priority: a frame
 * waits behind at most frame_count - 1 others, and ARP and ICMP, with one
 * frame each, send at most one of every frame_count frames however fast
 * the wire asks (a ping flood or ARP storm). When the driver hands a frame back (or
 * refuses it), the frame is wiped and freed and its sender is told
 * (frame.h). A sender that goes away is forgotten with
 * netif_forget_sender(): its frames that have not reached the driver are
 * wiped and freed at once, one on the wire is wiped when it comes back,
 * and no callback follows.
 *
 * A driver that misbehaves (tests/unit/test_fault_injection.c): a
 * transmit_done that names no frame on the wire (a second completion, or
 * one after the watchdog gave the frame up) is counted (tx_spurious) and
 * ignored. With a watchdog alarm (netif_set_watchdog, optional), a frame
 * whose transmit_done has not come within the timeout (a lost interrupt:
 * the HIL has no abort) is given up: it is wiped and freed, its sender
 * told VMUX_FAIL, and the next frame goes to the driver (which answers
 * BUSY, an error for that frame's sender only, if it is truly still
 * busy). Without a watchdog the interface waits for the driver.
 *
 * Buffers. Received frames belong to the driver and are only read during
 * the call. Transmit frames are the board's and are lent to the driver
 * from transmit() to transmit_done().
 *
 * Wiring, in a board (the UDP mux: capsules/net/udp_mux.h):
 *
 *     static struct netif_frame net_frames[6];
 *     static struct netif net;
 *     struct ipv4_config ip = { 0x0a00020f, 0xffffff00, 0x0a000202 };
 *     netif_init(&net, &nic.hil, &ip, net_frames, 6, &net_alarm.hil);
 *     ...                                       // udp_mux_init(&udp, &net, ...)
 *     netif_start(&net);
 */
#ifndef VMUX_CAPSULES_NET_NETIF_H
#define VMUX_CAPSULES_NET_NETIF_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/net/arp.h"
#include "capsules/net/ethernet.h"
#include "capsules/net/frame.h"
#include "capsules/net/icmp.h"
#include "capsules/net/ipv4.h"
#include "capsules/net/udp.h"
#include "hil/alarm.h"
#include "hil/net.h"
#include "kernel/deferred.h"

#define NETIF_FRAMES_MIN 3u

enum netif_role { NETIF_ROLE_ARP, NETIF_ROLE_ICMP, NETIF_ROLE_UDP };

struct net_counters {
    struct eth_counters eth;
    struct arp_counters arp;
    struct ipv4_counters ipv4;
    struct icmp_counters icmp;
    struct udp_counters udp;
};

/*
 * The receive checks of each layer return NULL when the input passes and
 * otherwise the counter of the check that failed, so that each check
 * reads as one line,  if (len < 8) return &count->truncated;  and the
 * drop is counted in one place:  if (net_dropped(parse(...))) return;
 */
static inline bool net_dropped(uint32_t *reason)
{
    if (reason == NULL)
        return false;
    (*reason)++;
    return true;
}

struct udp_mux;

struct netif {
    struct hil_net *hw;
    struct hil_net_client hw_client;
    uint8_t mac[NET_MAC_SIZE];
    struct ipv4_config ip;
    uint16_t next_ip_id;
    struct arp_cache arp;
    struct udp_mux *udp;             /* gets UDP datagrams; set by udp_mux_init */
    struct deferred_call *udp_room;  /* raised when a UDP frame is freed */
    struct netif_frame *frames;
    unsigned frame_count;
    struct netif_frame *on_wire;
    uint32_t next_order;
    struct net_counters counters;
    /* the optional transmit watchdog (netif_set_watchdog) */
    struct hil_alarm *watchdog;
    struct hil_alarm_client watchdog_client;
    uint32_t watchdog_ticks;
};

/*
 * Set n up on hw with the given address configuration, frames and alarm
 * (for ARP). Receive stays off until netif_start(). INVALID for a NULL
 * argument, SIZE for fewer than NETIF_FRAMES_MIN frames.
 */
vmux_err_t netif_init(struct netif *n, struct hil_net *hw, const struct ipv4_config *ip,
                      struct netif_frame *frames, unsigned frame_count,
                      struct hil_alarm *alarm);

/* Start receiving. */
void netif_start(struct netif *n);

/* Give up a frame the driver has not returned within timeout_us, timed
 * with alarm (the interface's alone; not the ARP alarm). See above. */
void netif_set_watchdog(struct netif *n, struct hil_alarm *alarm, uint32_t timeout_us);

/* ---- for the layers of the stack ---- */

/* A free frame for this role, now FILLING and owned by the caller, or
 * NULL when none is free. sender may be NULL. */
struct netif_frame *netif_take(struct netif *n, enum netif_role role,
                               struct netif_sender *sender);

/* True when netif_take(n, NETIF_ROLE_UDP, ...) would succeed. */
bool netif_udp_room(const struct netif *n);

/* Put a complete frame in the transmit queue (ethernet_output does). */
void netif_queue(struct netif *n, struct netif_frame *f);

/* End a frame that is not on the wire: wipe, free, tell its sender. */
void netif_release(struct netif *n, struct netif_frame *f, vmux_err_t status);

/* Drop every frame of sender, without callbacks (see above). */
void netif_forget_sender(struct netif *n, struct netif_sender *sender);

#endif
