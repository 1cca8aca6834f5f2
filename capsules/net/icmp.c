#include "capsules/net/icmp.h"

#include <string.h>

#include "capsules/net/checksum.h"
#include "capsules/net/netif.h"
#include "capsules/net/wire.h"

enum { AT_TYPE = 0, AT_CODE = 1, AT_CHECKSUM = 2 };

/* The reply is the request with another type and checksum: identifier,
 * sequence number and data are echoed as they came. Returns the counter
 * of how it went. */
static uint32_t *reply_to_echo(struct netif *n, const struct ipv4_packet *p)
{
    struct icmp_counters *count = &n->counters.icmp;
    struct netif_frame *f = netif_take(n, NETIF_ROLE_ICMP, NULL);
    if (f == NULL)
        return &count->echo_dropped_busy;
    uint8_t *m = f->data + IPV4_PAYLOAD_OFFSET;
    memcpy(m, p->payload, p->len);
    m[AT_TYPE] = ICMP_ECHO_REPLY;
    m[AT_CODE] = 0;
    wire_put16(m + AT_CHECKSUM, 0);
    wire_put16(m + AT_CHECKSUM, inet_checksum(m, p->len));
    if (ipv4_output(n, f, IPV4_PROTO_ICMP, p->src, p->len) != VMUX_SUCCESS) {
        netif_release(n, f, VMUX_FAIL);
        return &count->echo_unroutable;
    }
    return &count->echo_replies_sent;
}

/* NULL for an echo request we answer, else the counter of why not. */
static uint32_t *check(struct icmp_counters *count, const struct ipv4_packet *p)
{
    if (p->len < ICMP_HEADER_LEN)
        return &count->truncated;
    if (inet_checksum(p->payload, p->len) != 0)
        return &count->bad_checksum;
    if (p->payload[AT_TYPE] != ICMP_ECHO_REQUEST)
        return &count->other_types;
    count->echo_requests++;
    if (p->broadcast)
        return &count->echo_to_broadcast;
    return NULL;
}

void icmp_input(struct netif *n, const struct ipv4_packet *p)
{
    n->counters.icmp.rx_messages++;
    if (!net_dropped(check(&n->counters.icmp, p)))
        (*reply_to_echo(n, p))++;
}
