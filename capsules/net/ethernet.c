#include "capsules/net/ethernet.h"

#include <string.h>

#include "capsules/net/netif.h"
#include "capsules/net/wire.h"

const uint8_t eth_broadcast[NET_MAC_SIZE] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

bool eth_parse(const uint8_t *frame, size_t len, struct eth_header *out)
{
    if (len < ETH_HEADER_LEN)
        return false;
    memcpy(out->dst, frame, NET_MAC_SIZE);
    memcpy(out->src, frame + 6, NET_MAC_SIZE);
    out->type = wire_get16(frame + 12);
    return true;
}

void eth_write(uint8_t *frame, const uint8_t dst[NET_MAC_SIZE],
               const uint8_t src[NET_MAC_SIZE], uint16_t type)
{
    memcpy(frame, dst, NET_MAC_SIZE);
    memcpy(frame + 6, src, NET_MAC_SIZE);
    wire_put16(frame + 12, type);
}

void ethernet_input(struct netif *n, const uint8_t *frame, size_t len)
{
    struct eth_counters *count = &n->counters.eth;
    struct eth_header h;
    count->rx_frames++;
    if (!eth_parse(frame, len, &h)) {
        count->truncated++;
        return;
    }
    if (memcmp(h.dst, n->mac, NET_MAC_SIZE) != 0 &&
        memcmp(h.dst, eth_broadcast, NET_MAC_SIZE) != 0) {
        count->not_for_us++;
        return;
    }
    const uint8_t *payload = frame + ETH_HEADER_LEN;
    size_t payload_len = len - ETH_HEADER_LEN;
    switch (h.type) {
    case ETHERTYPE_ARP:
        arp_input(n, payload, payload_len);
        break;
    case ETHERTYPE_IPV4:
        ipv4_input(n, payload, payload_len);
        break;
    default:
        count->unknown_ethertype++;
        break;
    }
}

void ethernet_output(struct netif *n, struct netif_frame *f,
                     const uint8_t dst[NET_MAC_SIZE], uint16_t type)
{
    eth_write(f->data, dst, n->mac, type);
    if (f->len < ETH_FRAME_MIN) {
        memset(f->data + f->len, 0, ETH_FRAME_MIN - f->len);
        f->len = ETH_FRAME_MIN;
    }
    netif_queue(n, f);
}
