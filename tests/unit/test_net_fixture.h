/*
 * Shared by the tests of capsules/net: one stack on a simulated NIC that
 * is attached to nothing, so the test plays every other host on the
 * link: it injects frames (sim_net_inject) and reads what the stack
 * transmitted (sim_net_take_tx).
 *
 * The frames the tests send are built here byte by byte, and the frames
 * the stack sends are checked with a checksum written here in another
 * way (one 64-bit sum, folded once), so the stack's code checks against
 * an independent reading of the RFCs rather than against itself.
 *
 * Us: 02:00:00:00:00:01, 10.0.0.1/24, gateway 10.0.0.254.
 * Peer: 02:00:00:00:00:02, 10.0.0.2.
 */
#ifndef VMUX_TESTS_UNIT_TEST_NET_FIXTURE_H
#define VMUX_TESTS_UNIT_TEST_NET_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_net.h"
#include "kernel/client.h"

#define OUR_IP 0x0a000001u
#define PEER_IP 0x0a000002u
#define GATEWAY_IP 0x0a0000feu
#define NETMASK 0xffffff00u
#define FIXTURE_FRAMES 5u          /* ARP, ICMP and three UDP frames */
#define FIXTURE_PORTS 128u
#define FIXTURE_CLIENTS 8u
#define FIXTURE_PORTS_PER_CLIENT 8u
#define ETHERTYPE_IPV6 0x86ddu
#define MS 1000000ull
#define SECOND 1000000000ull

static const uint8_t our_mac[NET_MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t peer_mac[NET_MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t gateway_mac[NET_MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0xfe };
static const uint8_t all_ones_mac[NET_MAC_SIZE] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct sim_net nic;
static struct sim_alarm net_alarm;
static struct netif_frame frames[FIXTURE_FRAMES];
static struct netif net;
static struct port_entry *ports[FIXTURE_PORTS];
static struct client_entry *slots[FIXTURE_CLIENTS];
static uint32_t rr_bits[RR_WORDS(FIXTURE_CLIENTS)];
static struct udp_mux mux;
static const struct udp_mux_config mux_config = { 1, 1023, FIXTURE_PORTS_PER_CLIENT };

/* ------------------------------------------------------------ bytes */

static inline void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffffu);
}

static inline unsigned get16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }
static inline uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

/* RFC 1071, the slow way: every word into 64 bits, folded at the end. */
static inline uint16_t ref_checksum2(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < alen + blen; i++) {
        uint8_t byte = i < alen ? a[i] : b[i - alen];
        sum += (i % 2 == 0) ? (uint64_t)byte << 8 : byte;
    }
    while (sum > 0xffff)
        sum = (sum >> 16) + (sum & 0xffff);
    return (uint16_t)~sum;
}

static inline uint16_t ref_checksum(const uint8_t *p, size_t len)
{
    return ref_checksum2(p, len, NULL, 0);
}

/* The UDP checksum with its pseudo-header (the length field is taken
 * from the UDP header, as the receiver does). */
static inline uint16_t ref_udp_checksum(uint32_t src, uint32_t dst, const uint8_t *udp,
                                        size_t len)
{
    uint8_t pseudo[12];
    put32(pseudo, src);
    put32(pseudo + 4, dst);
    pseudo[8] = 0;
    pseudo[9] = 17;
    put16(pseudo + 10, (unsigned)len);
    return ref_checksum2(pseudo, sizeof pseudo, udp, len);
}

/* ------------------------------------------------------------ frames */

static inline size_t eth_header(uint8_t *f, const uint8_t *dst, const uint8_t *src,
                                unsigned type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
    return 14;
}

/* An IPv4 packet from the peer's MAC in frame f: header of 20 bytes, a
 * correct checksum, no fragmenting; payload copied. Returns the length. */
static inline size_t ipv4_frame(uint8_t *f, uint32_t src, uint32_t dst, unsigned proto,
                                const uint8_t *payload, size_t len)
{
    eth_header(f, our_mac, peer_mac, 0x0800);
    uint8_t *ip = f + 14;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, (unsigned)(20 + len));
    put16(ip + 4, 0x1234);
    ip[8] = 64;
    ip[9] = (uint8_t)proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    put16(ip + 10, ref_checksum(ip, 20));
    memcpy(ip + 20, payload, len);
    return 14 + 20 + len;
}

/* A UDP datagram from src:sport to dst:dport, checksummed. */
static inline size_t udp_frame(uint8_t *f, uint32_t src, unsigned sport, uint32_t dst,
                               unsigned dport, const void *data, size_t len)
{
    uint8_t udp[1500];
    put16(udp, sport);
    put16(udp + 2, dport);
    put16(udp + 4, (unsigned)(8 + len));
    put16(udp + 6, 0);
    memcpy(udp + 8, data, len);
    uint16_t sum = ref_udp_checksum(src, dst, udp, 8 + len);
    put16(udp + 6, sum ? sum : 0xffff);
    return ipv4_frame(f, src, dst, 17, udp, 8 + len);
}

static inline size_t arp_frame(uint8_t *f, const uint8_t *eth_dst, unsigned op,
                               const uint8_t *sender_mac, uint32_t sender_ip,
                               const uint8_t *target_mac, uint32_t target_ip)
{
    eth_header(f, eth_dst, sender_mac, 0x0806);
    uint8_t *a = f + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, op);
    memcpy(a + 8, sender_mac, 6);
    put32(a + 14, sender_ip);
    memcpy(a + 18, target_mac, 6);
    put32(a + 24, target_ip);
    return 14 + 28;
}

/* ------------------------------------------------------------ the link */

/* Let the simulated millisecond pass: frames cross, the loop runs. */
static inline void pump(void)
{
    sim_advance(MS);
}

static inline void inject(const uint8_t *f, size_t len)
{
    assert_int_equal(sim_net_inject(&nic, f, len), VMUX_SUCCESS);
    pump();
}

/* The next frame the stack transmitted, or 0. */
static inline size_t take(uint8_t *out)
{
    return sim_net_take_tx(&nic, out, NET_FRAME_MAX);
}

static inline void assert_nothing_sent(void)
{
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 0);
}

/* A host on the link says who it is, as ARP does; our reply is consumed. */
static inline void host_announces(const uint8_t *mac, uint32_t ip)
{
    uint8_t f[64], reply[NET_FRAME_MAX];
    inject(f, arp_frame(f, all_ones_mac, 1, mac, ip, (const uint8_t[6]){ 0 }, OUR_IP));
    assert_int_equal(take(reply), 60);
    assert_int_equal(get16(reply + 14 + 6), 2);
}

/* ------------------------------------------------------------ clients */

struct probe {
    struct udp_client c;
    uint8_t hold[4096];
    uint8_t rx[2048];
    unsigned sends_done;
    struct udp_binding *done_binding;
    const uint8_t *done_buf;
    size_t done_len;
    vmux_err_t done_status;
    unsigned receives_done;
    size_t rx_got;
    struct udp_received rx_info;
    vmux_err_t rx_status;
    bool greedy;             /* send the same again from send_done */
};

static inline void probe_send_done(struct udp_client *c, struct udp_binding *b,
                                   const uint8_t *buf, size_t len, vmux_err_t status)
{
    struct probe *p = container_of(c, struct probe, c);
    p->sends_done++;
    p->done_binding = b;
    p->done_buf = buf;
    p->done_len = len;
    p->done_status = status;
    if (p->greedy && status == VMUX_SUCCESS) {
        const struct udp_endpoint again = b->tx_to;
        assert_int_equal(udp_mux_send(b, &again, buf, len), VMUX_SUCCESS);
    }
}

static inline void probe_receive_done(struct udp_client *c, uint8_t *buf, size_t len,
                                      const struct udp_received *info, vmux_err_t status)
{
    struct probe *p = container_of(c, struct probe, c);
    assert_ptr_equal(buf, p->rx);
    p->receives_done++;
    p->rx_got = len;
    p->rx_info = *info;
    p->rx_status = status;
}

static const struct udp_client_ops probe_ops = { probe_send_done, probe_receive_done };

/* Attach p as process slot, generation 1, with a hold of hold_size. */
static inline void probe_attach(struct probe *p, unsigned slot, size_t hold_size)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(udp_mux_attach(&mux, &p->c, client_process(slot, 1), &probe_ops,
                                    p->hold, hold_size),
                     VMUX_SUCCESS);
}

/* Attach p (process slot, generation 1) and bind it to port through b. */
static inline void probe_bound(struct probe *p, unsigned slot, struct udp_binding *b,
                               uint16_t port)
{
    probe_attach(p, slot, sizeof p->hold);
    memset(b, 0, sizeof *b);
    assert_int_equal(udp_mux_bind(&p->c, b, port, NULL), VMUX_SUCCESS);
}

static inline void probe_listen(struct probe *p)
{
    assert_int_equal(udp_mux_receive(&p->c, p->rx, sizeof p->rx), VMUX_SUCCESS);
}

/* ------------------------------------------------------------ setup */

static inline int net_setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&net_alarm, 0), VMUX_SUCCESS);
    assert_int_equal(sim_net_init(&nic, our_mac), VMUX_SUCCESS);
    struct ipv4_config ip = { OUR_IP, NETMASK, GATEWAY_IP };
    assert_int_equal(netif_init(&net, &nic.hil, &ip, frames, FIXTURE_FRAMES, &net_alarm.hil),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_init(&mux, &net, &mux_config, ports, FIXTURE_PORTS, slots,
                                  rr_bits, FIXTURE_CLIENTS),
                     VMUX_SUCCESS);
    netif_start(&net);
    return 0;
}

static inline int net_teardown(void **state)
{
    (void)state;
    sim_reset();
    return 0;
}

/* A test run between the file's setup() and net_teardown(). */
#define NET_TEST(f) cmocka_unit_test_setup_teardown(f, setup, net_teardown)

/* True when no transmit frame holds a single non-zero byte. */
static inline bool frames_all_wiped(void)
{
    for (unsigned i = 0; i < FIXTURE_FRAMES; i++)
        for (size_t j = 0; j < NET_FRAME_MAX; j++)
            if (frames[i].data[j] != 0)
                return false;
    return true;
}

#endif
