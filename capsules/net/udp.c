#include "capsules/net/udp.h"

#include "capsules/net/checksum.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "capsules/net/wire.h"

/* The sum of the pseudo-header and the segment, checksum field included. */
static uint32_t segment_sum(const uint8_t *segment, size_t len, uint32_t src, uint32_t dst)
{
    /* The pseudo-header's 16-bit words: source, destination, zero and
     * protocol, UDP length. */
    uint32_t pseudo = (src >> 16) + (src & 0xffffu) + (dst >> 16) + (dst & 0xffffu) +
                      IPV4_PROTO_UDP + (uint32_t)len;
    return inet_sum(pseudo, segment, len);
}

void udp_seal(uint8_t *segment, size_t len, uint32_t src, uint32_t dst)
{
    wire_put16(segment + UDP_AT_CHECKSUM, 0);
    uint16_t sum = inet_checksum_of(segment_sum(segment, len, src, dst));
    /* Zero on the wire means "no checksum"; its one's-complement twin
     * 0xffff stands for a computed zero (RFC 768). */
    wire_put16(segment + UDP_AT_CHECKSUM, sum ? sum : 0xffffu);
}

/* Fill d from the segment in p. NULL when every check holds, else the
 * counter of the one that failed. */
static uint32_t *parse(struct udp_counters *count, const struct ipv4_packet *p,
                  struct udp_datagram *d)
{
    if (p->len < UDP_HEADER_LEN)
        return &count->truncated;
    size_t len = wire_get16(p->payload + UDP_AT_LENGTH);
    if (len < UDP_HEADER_LEN || len > p->len)
        return &count->bad_length;
    if (wire_get16(p->payload + UDP_AT_CHECKSUM) == 0)
        count->no_checksum++;
    else if (inet_checksum_of(segment_sum(p->payload, len, p->src, p->dst)) != 0)
        return &count->bad_checksum;
    d->src_ip = p->src;
    d->dst_ip = p->dst;
    d->src_port = wire_get16(p->payload + UDP_AT_SRC_PORT);
    d->dst_port = wire_get16(p->payload + UDP_AT_DST_PORT);
    d->payload = p->payload + UDP_HEADER_LEN;
    d->len = len - UDP_HEADER_LEN;
    return NULL;
}

void udp_input(struct netif *n, const struct ipv4_packet *p)
{
    struct udp_datagram d;
    n->counters.udp.rx_datagrams++;
    if (net_dropped(parse(&n->counters.udp, p, &d)))
        return;
    if (n->udp)
        udp_mux_deliver(n->udp, &d);
    else
        n->counters.udp.no_mux++;
}
