#include "capsules/net/udp.h"

#include "capsules/net/checksum.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "capsules/net/wire.h"

/* The sum of the pseudo-header and the segment, checksum field included. */
static uint32_t segment_sum(const uint8_t *segment, size_t len, uint32_t src, uint32_t dst)
{
    uint8_t pseudo[12];
    wire_put32(pseudo, src);
    wire_put32(pseudo + 4, dst);
    pseudo[8] = 0;
    pseudo[9] = IPV4_PROTO_UDP;
    wire_put16(pseudo + 10, (uint16_t)len);
    return inet_sum(inet_sum(0, pseudo, sizeof pseudo), segment, len);
}

void udp_seal(uint8_t *segment, size_t len, uint32_t src, uint32_t dst)
{
    wire_put16(segment + UDP_AT_CHECKSUM, 0);
    uint16_t sum = inet_checksum_of(segment_sum(segment, len, src, dst));
    /* Zero on the wire means "no checksum"; its one's-complement twin
     * 0xffff stands for a computed zero (RFC 768). */
    wire_put16(segment + UDP_AT_CHECKSUM, sum ? sum : 0xffffu);
}

void udp_input(struct netif *n, const struct ipv4_packet *p)
{
    struct udp_counters *count = &n->counters.udp;
    count->rx_datagrams++;
    if (p->len < UDP_HEADER_LEN) {
        count->truncated++;
        return;
    }
    size_t len = wire_get16(p->payload + UDP_AT_LENGTH);
    if (len < UDP_HEADER_LEN || len > p->len) {
        count->bad_length++;
        return;
    }
    if (wire_get16(p->payload + UDP_AT_CHECKSUM) == 0) {
        count->no_checksum++;
    } else if (inet_checksum_of(segment_sum(p->payload, len, p->src, p->dst)) != 0) {
        count->bad_checksum++;
        return;
    }
    struct udp_datagram d = {
        .src_ip = p->src,
        .dst_ip = p->dst,
        .src_port = wire_get16(p->payload + UDP_AT_SRC_PORT),
        .dst_port = wire_get16(p->payload + UDP_AT_DST_PORT),
        .payload = p->payload + UDP_HEADER_LEN,
        .len = len - UDP_HEADER_LEN,
    };
    if (n->udp)
        udp_mux_deliver(n->udp, &d);
    else
        count->no_mux++;
}
