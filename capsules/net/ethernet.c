#include "capsules/net/ethernet.h"

#include <string.h>

#include "capsules/net/netif.h"
#include "capsules/net/wire.h"

const uint8_t eth_broadcast[NET_MAC_SIZE] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Header field offsets. */
enum { AT_DST = 0, AT_SRC = 6, AT_TYPE = 12 };

/* NULL for an ARP or IPv4 frame to our MAC or to broadcast, else the
 * counter of why not. */
static uint32_t *check(struct netif *n, const uint8_t *frame, size_t len)
{
    struct eth_counters *count = &n->counters.eth;
    if (len < ETH_HEADER_LEN)
        return &count->truncated;
    if (memcmp(frame + AT_DST, n->mac, NET_MAC_SIZE) != 0 &&
        memcmp(frame + AT_DST, eth_broadcast, NET_MAC_SIZE) != 0)
        return &count->not_for_us;
    uint16_t type = wire_get16(frame + AT_TYPE);
    if (type != ETHERTYPE_ARP && type != ETHERTYPE_IPV4)
        return &count->unknown_ethertype;
    return NULL;
}

void ethernet_input(struct netif *n, const uint8_t *frame, size_t len)
{
    n->counters.eth.rx_frames++;
    if (net_dropped(check(n, frame, len)))
        return;
    const uint8_t *payload = frame + ETH_HEADER_LEN;
    size_t payload_len = len - ETH_HEADER_LEN;
    if (wire_get16(frame + AT_TYPE) == ETHERTYPE_ARP)
        arp_input(n, payload, payload_len);
    else
        ipv4_input(n, payload, payload_len);
}

void ethernet_output(struct netif *n, struct netif_frame *f,
                     const uint8_t dst[NET_MAC_SIZE], uint16_t type)
{
    memcpy(f->data + AT_DST, dst, NET_MAC_SIZE);
    memcpy(f->data + AT_SRC, n->mac, NET_MAC_SIZE);
    wire_put16(f->data + AT_TYPE, type);
    /* Padding: the frame was wiped when it was last freed, and its sender
     * wrote only its first len bytes, so the rest is zeroes already. */
    if (f->len < ETH_FRAME_MIN)
        f->len = ETH_FRAME_MIN;
    netif_queue(n, f);
}
