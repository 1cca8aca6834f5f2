#include "capsules/net/ipv4.h"

#include "capsules/net/checksum.h"
#include "capsules/net/netif.h"
#include "capsules/net/wire.h"

/* Field offsets in the IPv4 header. */
enum { AT_VERSION_IHL = 0, AT_TOS = 1, AT_TOTAL_LEN = 2, AT_ID = 4, AT_FRAGMENT = 6,
       AT_TTL = 8, AT_PROTOCOL = 9, AT_CHECKSUM = 10, AT_SRC = 12, AT_DST = 16 };

#define FLAG_DONT_FRAGMENT 0x4000u
#define FLAG_MORE_FRAGMENTS 0x2000u
#define FRAGMENT_OFFSET_MASK 0x1fffu

/* Our subnet's broadcast address; links of /31 and /32 have none. */
static bool is_subnet_broadcast(const struct ipv4_config *ip, uint32_t a)
{
    uint32_t host = ~ip->netmask;
    return ip->address != 0 && host >= 3u && (a & ip->netmask) == (ip->address & ip->netmask) &&
           (a & host) == host;
}

bool ipv4_is_broadcast(const struct ipv4_config *ip, uint32_t a)
{
    return a == IPV4_BROADCAST || is_subnet_broadcast(ip, a);
}

bool ipv4_is_multicast(uint32_t a) { return a >= 0xe0000000u; }

bool ipv4_is_loopback(uint32_t a) { return a >> 24 == 127u; }

/* Fill p from the header at packet. NULL when every check holds, else
 * the counter of the one that failed. */
static uint32_t *parse(struct netif *n, const uint8_t *packet, size_t len, struct ipv4_packet *p)
{
    struct ipv4_counters *count = &n->counters.ipv4;
    if (len < IPV4_HEADER_LEN)
        return &count->truncated;
    if (packet[AT_VERSION_IHL] >> 4 != 4)
        return &count->bad_version;
    size_t header_len = (packet[AT_VERSION_IHL] & 0x0fu) * 4u;
    if (header_len < IPV4_HEADER_LEN)
        return &count->bad_header_length;
    if (header_len > len)
        return &count->truncated;
    size_t total = wire_get16(packet + AT_TOTAL_LEN);
    if (total < header_len || total > len)
        return &count->bad_total_length;
    if (inet_checksum(packet, header_len) != 0)
        return &count->bad_checksum;
    if (wire_get16(packet + AT_FRAGMENT) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK))
        return &count->fragments;
    p->src = wire_get32(packet + AT_SRC);
    p->dst = wire_get32(packet + AT_DST);
    if (ipv4_is_multicast(p->src) || ipv4_is_broadcast(&n->ip, p->src) ||
        ipv4_is_loopback(p->src))
        return &count->bad_source;
    p->broadcast = ipv4_is_broadcast(&n->ip, p->dst);
    if (!p->broadcast && (n->ip.address == 0 || p->dst != n->ip.address))
        return &count->not_for_us;
    p->protocol = packet[AT_PROTOCOL];
    p->payload = packet + header_len;   /* options, if any, skipped */
    p->len = total - header_len;
    switch (p->protocol) {
    case IPV4_PROTO_ICMP:
    case IPV4_PROTO_UDP:
        return NULL;
    default:
        return &count->unknown_protocol;
    }
}

void ipv4_input(struct netif *n, const uint8_t *packet, size_t len)
{
    struct ipv4_packet p;
    n->counters.ipv4.rx_packets++;
    if (net_dropped(parse(n, packet, len, &p)))
        return;
    n->counters.ipv4.delivered++;
    if (p.protocol == IPV4_PROTO_ICMP)
        icmp_input(n, &p);
    else
        udp_input(n, &p);
}

static void write_header(struct netif *n, uint8_t *h, uint8_t protocol, uint32_t dst,
                         size_t payload_len)
{
    h[AT_VERSION_IHL] = 0x45;  /* version 4, 5 words, no options */
    h[AT_TOS] = 0;
    wire_put16(h + AT_TOTAL_LEN, (uint16_t)(IPV4_HEADER_LEN + payload_len));
    wire_put16(h + AT_ID, n->next_ip_id++);
    wire_put16(h + AT_FRAGMENT, FLAG_DONT_FRAGMENT);
    h[AT_TTL] = IPV4_TTL;
    h[AT_PROTOCOL] = protocol;
    wire_put16(h + AT_CHECKSUM, 0);
    wire_put32(h + AT_SRC, n->ip.address);
    wire_put32(h + AT_DST, dst);
    wire_put16(h + AT_CHECKSUM, inet_checksum(h, IPV4_HEADER_LEN));
}

vmux_err_t ipv4_output(struct netif *n, struct netif_frame *f, uint8_t protocol,
                       uint32_t dst, size_t payload_len)
{
    struct ipv4_counters *count = &n->counters.ipv4;
    if (payload_len > IPV4_PAYLOAD_MAX)
        return VMUX_SIZE;
    if (n->ip.address == 0) {
        count->unconfigured++;
        return VMUX_OFF;
    }
    if (dst == 0 || dst == n->ip.address || ipv4_is_loopback(dst))
        return VMUX_INVALID;
    if (ipv4_is_multicast(dst) && dst != IPV4_BROADCAST)
        return VMUX_NOSUPPORT;
    bool broadcast = ipv4_is_broadcast(&n->ip, dst);
    uint32_t next_hop = dst;
    if (!broadcast && (dst & n->ip.netmask) != (n->ip.address & n->ip.netmask)) {
        if (n->ip.gateway == 0) {
            count->no_route++;
            return VMUX_FAIL;
        }
        next_hop = n->ip.gateway;
    }
    write_header(n, f->data + ETH_HEADER_LEN, protocol, dst, payload_len);
    f->len = (uint16_t)(IPV4_PAYLOAD_OFFSET + payload_len);
    if (broadcast) {
        ethernet_output(n, f, eth_broadcast, ETHERTYPE_IPV4);
    } else {
        vmux_err_t err = arp_send_ip(n, f, next_hop);
        if (err != VMUX_SUCCESS)
            return err;
    }
    count->tx_packets++;
    return VMUX_SUCCESS;
}
