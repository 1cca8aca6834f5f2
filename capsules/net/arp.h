/*
 * ARP (RFC 826) for IPv4 over Ethernet: the neighbour cache, answers to
 * requests for our address, and resolution of next hops.
 *
 * Cache. ARP_ENTRIES entries, no more. An entry is INCOMPLETE while we
 * ask for a next hop and RESOLVED once its MAC is known. A resolved entry
 * lives ARP_LIFETIME_TICKS ticks (one tick is ARP_TICK_MS) from when it
 * was last learnt, then is forgotten, so a moved host is asked again.
 * When every entry is taken, the oldest resolved one is reused; when all
 * are INCOMPLETE, a new next hop is refused (cache_full).
 *
 * Learning follows RFC 826's merge rule: a sender already in the cache is
 * updated by any ARP packet; a new one is added only when the packet is
 * aimed at our address. Senders with a broadcast or multicast MAC, or
 * with address 0.0.0.0 or ours, are never learnt.
 *
 * Resolution. arp_send_ip() sends an IPv4 frame at once when its next
 * hop is RESOLVED; otherwise the frame WAITS in the interface's frame
 * pool, which is the pending queue: it is bounded by the pool, and the
 * UDP mux lets each client have at most one frame there, so a client
 * stuck on an unreachable host holds one frame and nobody else's. A
 * request goes out at once and again each tick, ARP_REQUEST_TRIES in
 * all; then the next hop is given up and its waiting frames end with
 * NOACK. A reply sends every frame waiting for that address.
 *
 * Frames. ARP builds its requests and replies in the interface's one ARP
 * frame. A reply that finds it busy is dropped (the asker will ask
 * again); a request that finds it busy is sent when the frame comes back.
 *
 * Time comes from a hil_alarm (a virtual alarm, given by the board),
 * armed only while the cache holds an entry. Counters are in the
 * interface's struct net_counters.
 */
#ifndef VMUX_CAPSULES_NET_ARP_H
#define VMUX_CAPSULES_NET_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/net/ethernet.h"
#include "capsules/net/frame.h"
#include "hil/alarm.h"

#define ARP_ENTRIES 8u
#define ARP_TICK_MS 1000u
#define ARP_LIFETIME_TICKS 60u
#define ARP_REQUEST_TRIES 3u
#define ARP_PACKET_LEN 28u

enum arp_entry_state { ARP_ENTRY_FREE, ARP_ENTRY_INCOMPLETE, ARP_ENTRY_RESOLVED };

struct arp_entry {
    uint32_t ip;
    uint8_t mac[NET_MAC_SIZE];
    uint8_t state;             /* enum arp_entry_state */
    uint8_t requests;          /* sent while INCOMPLETE */
    bool request_due;          /* waits for the ARP frame */
    uint16_t age;              /* ticks since learnt */
};

struct arp_counters {
    uint32_t rx_packets;
    uint32_t truncated;          /* shorter than an Ethernet/IPv4 ARP packet */
    uint32_t unsupported;        /* other hardware or protocol types or sizes */
    uint32_t bad_op;             /* neither request nor reply */
    uint32_t bad_sender;         /* never learnt: see above */
    uint32_t requests_for_us;
    uint32_t not_for_us;         /* requests for another address */
    uint32_t replies_sent;
    uint32_t reply_dropped_busy; /* the ARP frame was in use */
    uint32_t replies_received;
    uint32_t learned;            /* entries added or updated */
    uint32_t requests_sent;
    uint32_t resolve_failed;     /* next hops that never answered */
    uint32_t dropped_unresolved; /* frames given up with them */
    uint32_t cache_full;         /* no entry to take: all INCOMPLETE */
    uint32_t evicted;            /* resolved entries reused before expiry */
    uint32_t expired;
};

struct arp_cache {
    struct arp_entry entries[ARP_ENTRIES];
    struct hil_alarm *alarm;
    struct hil_alarm_client alarm_client;
    uint32_t tick_counts;        /* alarm counts per tick */
    bool ticking;
    struct netif_sender sender;  /* our frame came back */
};

struct netif;

void arp_init(struct netif *n, struct hil_alarm *alarm);

/* A received ARP packet (the Ethernet payload, padding included). */
void arp_input(struct netif *n, const uint8_t *packet, size_t len);

/*
 * Send f, a complete IPv4 frame but for its Ethernet header, to the host
 * next_hop on our link (see Resolution). SUCCESS: the frame is the
 * interface's now. NOMEM (cache full): nothing happened, f is still the
 * caller's.
 */
vmux_err_t arp_send_ip(struct netif *n, struct netif_frame *f, uint32_t next_hop);

/* The MAC of a RESOLVED entry for ip, for diagnostics and tests. */
bool arp_lookup(struct netif *n, uint32_t ip, uint8_t mac[NET_MAC_SIZE]);

#endif
