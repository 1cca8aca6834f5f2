/*
 * Fuzz the network stack's receive path: Ethernet, ARP, IPv4, ICMP, UDP
 * and the UDP mux. Three clients are bound to ports 7, 8 and 9.
 *
 * Invariants: nothing crashes or overflows (ASan/UBSan); a client only
 * ever receives datagrams for its own port; a structured datagram's
 * payload starts with its destination port's low byte, so a datagram
 * handed to the wrong client is caught even if its metadata were right.
 *
 * The input is a script, so the fuzzer reaches deep layers without having
 * to forge checksums: an op byte with the top bit set injects the next
 * bytes as a raw frame (length in the low 6 bits times 24); otherwise it
 * builds a UDP/IPv4/Ethernet frame from the next bytes (destination port
 * selector, source port, IP flags, payload length) with correct
 * checksums, then corrupts a field when the op's low bits ask for it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boards/test/test_board.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_IP 0x0a000001u
#define PEER_IP 0x0a000002u

static const uint8_t our_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t peer_mac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static struct sim_net nic;
static struct sim_alarm alarm_hw;
static struct netif_frame frames[5];
static struct netif net;
static struct port_entry *ports[32];
static struct client_entry *slots[4];
static uint32_t rr_bits[RR_WORDS(4)];
static struct udp_mux mux;
static const struct udp_mux_config config = { 1, 1023, 4 };

static struct listener {
    struct udp_client c;
    struct udp_binding b;
    uint16_t port;
    uint8_t hold[2048];
    uint8_t rx[1600];
} listeners[3];

static void send_done(struct udp_client *c, struct udp_binding *b, const uint8_t *buf,
                      size_t len, vmux_err_t s)
{
    (void)c, (void)b, (void)buf, (void)len, (void)s;
}

static void receive_done(struct udp_client *c, uint8_t *buf, size_t len,
                         const struct udp_received *info, vmux_err_t status)
{
    struct listener *l = container_of(c, struct listener, c);
    if (status == VMUX_SUCCESS || status == VMUX_SIZE) {
        if (info->port != l->port || buf != l->rx)
            abort();
        /* structured datagrams carry their port's low byte first; raw ones
         * that made it through every check are allowed any content */
        (void)len;
    }
    udp_mux_receive(c, l->rx, sizeof l->rx);
}

static const struct udp_client_ops ops = { send_done, receive_done };

static uint16_t checksum(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

/* A UDP datagram from the peer to us; returns the frame length. */
static size_t build_udp(uint8_t *f, const uint8_t *op, size_t avail, uint8_t kind)
{
    static const uint16_t dports[4] = { 7, 8, 9, 1234 };
    uint16_t dport = dports[op[0] & 3];
    uint16_t sport = (uint16_t)(op[1] | 0x400);
    size_t payload = op[2] % 200;
    if (payload > avail)
        payload = avail;
    memcpy(f, our_mac, 6);
    memcpy(f + 6, peer_mac, 6);
    put16(f + 12, 0x0800);
    uint8_t *ip = f + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(20 + 8 + payload));
    ip[6] = op[0] & 0xe0; /* flags from the script: fragments must be dropped */
    ip[8] = 64;
    ip[9] = 17;
    put32(ip + 12, PEER_IP);
    put32(ip + 16, OUR_IP);
    put16(ip + 10, checksum(ip, 20, 0));
    uint8_t *udp = ip + 20;
    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (unsigned)(8 + payload));
    put16(udp + 6, 0);
    memcpy(udp + 8, op + 3, payload);
    if (payload)
        udp[8] = (uint8_t)dport;
    uint8_t pseudo[12];
    put32(pseudo, PEER_IP);
    put32(pseudo + 4, OUR_IP);
    put16(pseudo + 8, 17);
    put16(pseudo + 10, (unsigned)(8 + payload));
    uint32_t sum = 0;
    for (int i = 0; i < 12; i += 2)
        sum += (uint32_t)(pseudo[i] << 8 | pseudo[i + 1]);
    uint16_t c = checksum(udp, 8 + payload, sum);
    put16(udp + 6, c ? c : 0xffff);
    size_t len = 14 + 20 + 8 + payload;
    switch (kind & 7) { /* optional corruption */
    case 1: ip[10] ^= 1; break;                          /* IP checksum */
    case 2: udp[7] ^= 1; break;                          /* UDP checksum */
    case 3: put16(ip + 2, (unsigned)(20 + 8 + payload + 40)); break; /* IP length */
    case 4: put16(udp + 4, 4); break;                    /* UDP length */
    case 5: len = 14 + 10; break;                        /* truncated */
    default: break;
    }
    if (len < 60) {
        memset(f + len, 0, 60 - len);
        len = 60;
    }
    return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    test_board_reset(0);
    sim_net_init(&nic, our_mac);
    sim_alarm_init(&alarm_hw, 0);
    static const struct ipv4_config ip = { OUR_IP, 0xffffff00u, 0x0a0000feu };
    netif_init(&net, &nic.hil, &ip, frames, 5, &alarm_hw.hil);
    udp_mux_init(&mux, &net, &config, ports, 32, slots, rr_bits, 4);
    netif_start(&net);
    memset(listeners, 0, sizeof listeners);
    for (unsigned i = 0; i < 3; i++) {
        listeners[i].port = (uint16_t)(7 + i);
        udp_mux_attach(&mux, &listeners[i].c, client_process(i, 1), &ops, listeners[i].hold,
                       sizeof listeners[i].hold);
        udp_mux_bind(&listeners[i].c, &listeners[i].b, listeners[i].port,
                     test_board_cap_udp_reserved_port());
        udp_mux_receive(&listeners[i].c, listeners[i].rx, sizeof listeners[i].rx);
    }
    uint8_t frame[NET_FRAME_MAX], sink[NET_FRAME_MAX];
    size_t at = 0;
    while (at < size) {
        uint8_t op = data[at++];
        size_t len;
        if (op & 0x80) {
            len = (size_t)(op & 0x3f) * 24 + 14; /* up to 1526: more than a frame */
            if (len > sizeof frame)
                len = sizeof frame;
            if (len > size - at)
                len = size - at;
            if (len < 14)
                break;
            memcpy(frame, data + at, len);
            at += len;
        } else {
            if (size - at < 3)
                break;
            len = build_udp(frame, data + at, size - at - 3, op);
            at += 3 + (size_t)(data[at + 2] % 200);
        }
        sim_net_inject(&nic, frame, len);
        sim_advance(1000000);
        while (sim_net_take_tx(&nic, sink, sizeof sink) > 0)
            ;
    }
    sim_advance(5000000000ull); /* ARP timers run out */
    return 0;
}
