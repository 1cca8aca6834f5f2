#include "capsules/net/ethernet.h"

#include <string.h>

#include "capsules/net/netif.h"
#include "capsules/net/wire.h"

const uint8_t eth_broadcast[NET_MAC_SIZE] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Header field offsets. */
enum { AT_DST = 0, AT_SRC = 6, AT_TYPE = 12 };

void ethernet_input(struct netif *n, const uint8_t *frame, size_t len)
{
    struct eth_counters *count = &n->counters.eth;
    count->rx_frames++;
    if (len < ETH_HEADER_LEN) {
        count->truncated++;
        return;
    }
    if (memcmp(frame + AT_DST, n->mac, NET_MAC_SIZE) != 0 &&
        memcmp(frame + AT_DST, eth_broadcast, NET_MAC_SIZE) != 0) {
        count->not_for_us++;
        return;
    }
    const uint8_t *payload = frame + ETH_HEADER_LEN;
    size_t payload_len = len - ETH_HEADER_LEN;
    switch (wire_get16(frame + AT_TYPE)) {
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
    memcpy(f->data + AT_DST, dst, NET_MAC_SIZE);
    memcpy(f->data + AT_SRC, n->mac, NET_MAC_SIZE);
    wire_put16(f->data + AT_TYPE, type);
    if (f->len < ETH_FRAME_MIN) {
        memset(f->data + f->len, 0, ETH_FRAME_MIN - f->len);
        f->len = ETH_FRAME_MIN;
    }
    netif_queue(n, f);
}
