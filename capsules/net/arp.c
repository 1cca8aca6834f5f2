#include "capsules/net/arp.h"

#include <string.h>

#include "capsules/net/netif.h"
#include "capsules/net/wire.h"

#define HTYPE_ETHERNET 1u
#define OP_REQUEST 1u
#define OP_REPLY 2u

/* Field offsets in an Ethernet/IPv4 ARP packet. */
enum { AT_HTYPE = 0, AT_PTYPE = 2, AT_HLEN = 4, AT_PLEN = 5, AT_OP = 6,
       AT_SENDER_MAC = 8, AT_SENDER_IP = 14, AT_TARGET_MAC = 18, AT_TARGET_IP = 24 };

static const uint8_t unknown_mac[NET_MAC_SIZE];

__attribute__((noinline)) /* on the receive and the send path: smaller as a call */
static struct arp_entry *find(struct netif *n, uint32_t ip)
{
    for (unsigned i = 0; i < ARP_ENTRIES; i++) {
        struct arp_entry *e = &n->arp.entries[i];
        if (e->state != ARP_ENTRY_FREE && e->ip == ip)
            return e;
    }
    return NULL;
}

/* A free entry, else the oldest resolved one; NULL when all are asking. */
static struct arp_entry *claim(struct netif *n)
{
    struct arp_entry *oldest = NULL;
    for (unsigned i = 0; i < ARP_ENTRIES; i++) {
        struct arp_entry *e = &n->arp.entries[i];
        if (e->state == ARP_ENTRY_FREE)
            return e;
        if (e->state == ARP_ENTRY_RESOLVED && (oldest == NULL || e->age > oldest->age))
            oldest = e;
    }
    if (oldest)
        n->counters.arp.evicted++;
    else
        n->counters.arp.cache_full++;
    return oldest;
}

static void start_ticking(struct netif *n)
{
    struct arp_cache *c = &n->arp;
    if (c->ticking)
        return;
    c->ticking = true;
    hil_alarm_set(c->alarm, hil_alarm_now(c->alarm), c->tick_counts);
}

/* Build one ARP packet in ARP's frame and queue it; false when busy. */
static bool send_packet(struct netif *n, uint16_t op, const uint8_t eth_dst[NET_MAC_SIZE],
                        const uint8_t target_mac[NET_MAC_SIZE], uint32_t target_ip)
{
    struct netif_frame *f = netif_take(n, NETIF_ROLE_ARP, &n->arp.sender);
    if (f == NULL)
        return false;
    uint8_t *p = f->data + ETH_HEADER_LEN;
    wire_put16(p + AT_HTYPE, HTYPE_ETHERNET);
    wire_put16(p + AT_PTYPE, ETHERTYPE_IPV4);
    p[AT_HLEN] = NET_MAC_SIZE;
    p[AT_PLEN] = 4;
    wire_put16(p + AT_OP, op);
    memcpy(p + AT_SENDER_MAC, n->mac, NET_MAC_SIZE);
    wire_put32(p + AT_SENDER_IP, n->ip.address);
    memcpy(p + AT_TARGET_MAC, target_mac, NET_MAC_SIZE);
    wire_put32(p + AT_TARGET_IP, target_ip);
    f->len = ETH_HEADER_LEN + ARP_PACKET_LEN;
    ethernet_output(n, f, eth_dst, ETHERTYPE_ARP);
    return true;
}

/* Send due requests, one per trip of ARP's frame. A driver that refuses
 * the frame at once brings us back here from inside send_packet, so an
 * entry stops being due before its request is built. */
static void send_due_requests(struct netif *n)
{
    for (unsigned i = 0; i < ARP_ENTRIES; i++) {
        struct arp_entry *e = &n->arp.entries[i];
        if (e->state != ARP_ENTRY_INCOMPLETE || !e->request_due)
            continue;
        e->request_due = false;
        if (!send_packet(n, OP_REQUEST, eth_broadcast, unknown_mac, e->ip)) {
            e->request_due = true;
            return; /* the frame's return calls us again */
        }
        e->requests++;
        n->counters.arp.requests_sent++;
    }
}

static void arp_frame_done(struct netif_sender *self, vmux_err_t status)
{
    (void)status;
    send_due_requests(container_of(self, struct netif, arp.sender));
}

/* Frames waiting for ip: sent to mac, or given up when mac is NULL. */
__attribute__((noinline)) /* from learn() and tick(): smaller as a call */
static void settle_waiting(struct netif *n, uint32_t ip, const uint8_t *mac)
{
    for (unsigned i = 0; i < n->frame_count; i++) {
        struct netif_frame *f = &n->frames[i];
        if (f->state != NETIF_FRAME_WAITING || f->next_hop != ip)
            continue;
        if (mac) {
            ethernet_output(n, f, mac, ETHERTYPE_IPV4);
        } else {
            n->counters.arp.dropped_unresolved++;
            netif_release(n, f, VMUX_NOACK);
        }
    }
}

static void learn(struct netif *n, uint32_t ip, const uint8_t mac[NET_MAC_SIZE], bool for_us)
{
    struct arp_entry *e = find(n, ip);
    if (e == NULL && for_us)
        e = claim(n);
    if (e == NULL)
        return;
    e->ip = ip;
    memcpy(e->mac, mac, NET_MAC_SIZE);
    e->state = ARP_ENTRY_RESOLVED;
    e->age = 0;
    e->requests = 0;
    e->request_due = false;
    n->counters.arp.learned++;
    start_ticking(n);
    settle_waiting(n, ip, e->mac);
}

/* Multicast and broadcast MACs have the group bit set. */
static bool is_group_mac(const uint8_t *mac) { return mac[0] & 1u; }

/* NULL for an Ethernet/IPv4 request or reply from a sender we may
 * learn; else the counter of why not. */
static uint32_t *check(struct netif *n, const uint8_t *p, size_t len)
{
    struct arp_counters *count = &n->counters.arp;
    if (len < ARP_PACKET_LEN)
        return &count->truncated;
    if (wire_get16(p + AT_HTYPE) != HTYPE_ETHERNET || wire_get16(p + AT_PTYPE) != ETHERTYPE_IPV4 ||
        p[AT_HLEN] != NET_MAC_SIZE || p[AT_PLEN] != 4)
        return &count->unsupported;
    uint16_t op = wire_get16(p + AT_OP);
    if (op != OP_REQUEST && op != OP_REPLY)
        return &count->bad_op;
    uint32_t sender_ip = wire_get32(p + AT_SENDER_IP);
    if (is_group_mac(p + AT_SENDER_MAC) || sender_ip == 0 || sender_ip == n->ip.address)
        return &count->bad_sender;
    return NULL;
}

void arp_input(struct netif *n, const uint8_t *p, size_t len)
{
    struct arp_counters *count = &n->counters.arp;
    count->rx_packets++;
    if (net_dropped(check(n, p, len)))
        return;
    const uint8_t *sender_mac = p + AT_SENDER_MAC;
    uint32_t sender_ip = wire_get32(p + AT_SENDER_IP);
    bool for_us = n->ip.address != 0 && wire_get32(p + AT_TARGET_IP) == n->ip.address;
    learn(n, sender_ip, sender_mac, for_us);
    uint32_t *outcome;
    if (wire_get16(p + AT_OP) == OP_REPLY) {
        outcome = &count->replies_received;
    } else if (!for_us) {
        outcome = &count->not_for_us;
    } else {
        count->requests_for_us++;
        outcome = send_packet(n, OP_REPLY, sender_mac, sender_mac, sender_ip)
                      ? &count->replies_sent
                      : &count->reply_dropped_busy;
    }
    (*outcome)++;
}

vmux_err_t arp_send_ip(struct netif *n, struct netif_frame *f, uint32_t next_hop)
{
    struct arp_entry *e = find(n, next_hop);
    if (e && e->state == ARP_ENTRY_RESOLVED) {
        ethernet_output(n, f, e->mac, ETHERTYPE_IPV4);
        return VMUX_SUCCESS;
    }
    if (e == NULL) {
        e = claim(n);
        if (e == NULL)
            return VMUX_NOMEM;
        memset(e, 0, sizeof *e);
        e->ip = next_hop;
        e->state = ARP_ENTRY_INCOMPLETE;
        e->request_due = true;
        start_ticking(n);
    }
    f->state = NETIF_FRAME_WAITING;
    f->next_hop = next_hop;
    send_due_requests(n);
    return VMUX_SUCCESS;
}

/* Once a tick: age resolved entries, ask again or give up on the rest. */
static void tick(struct hil_alarm_client *self)
{
    struct netif *n = container_of(self, struct netif, arp.alarm_client);
    bool busy = false;
    n->arp.ticking = false;
    for (unsigned i = 0; i < ARP_ENTRIES; i++) {
        struct arp_entry *e = &n->arp.entries[i];
        switch (e->state) {
        case ARP_ENTRY_RESOLVED:
            if (++e->age >= ARP_LIFETIME_TICKS) {
                e->state = ARP_ENTRY_FREE;
                n->counters.arp.expired++;
            }
            break;
        case ARP_ENTRY_INCOMPLETE:
            if (e->requests < ARP_REQUEST_TRIES) {
                e->request_due = true;
                break;
            }
            e->state = ARP_ENTRY_FREE;
            n->counters.arp.resolve_failed++;
            settle_waiting(n, e->ip, NULL);
            break;
        default:
            break;
        }
        busy |= e->state != ARP_ENTRY_FREE;
    }
    send_due_requests(n);
    if (busy)
        start_ticking(n);
}

bool arp_lookup(struct netif *n, uint32_t ip, uint8_t mac[NET_MAC_SIZE])
{
    struct arp_entry *e = find(n, ip);
    if (e == NULL || e->state != ARP_ENTRY_RESOLVED)
        return false;
    memcpy(mac, e->mac, NET_MAC_SIZE);
    return true;
}

void arp_init(struct netif *n, struct hil_alarm *alarm)
{
    struct arp_cache *c = &n->arp;
    memset(c, 0, sizeof *c);
    c->alarm = alarm;
    c->tick_counts = hil_alarm_ms_to_ticks(alarm, ARP_TICK_MS);
    if (c->tick_counts == 0)
        c->tick_counts = 1;
    c->alarm_client.fired = tick;
    hil_alarm_set_client(alarm, &c->alarm_client);
    c->sender.frame_done = arp_frame_done;
}
