/*
 * Simulated Ethernet NIC: wire delay, split-phase transmit, the receive
 * queue and its drops, the test hooks, the crossover pair, and a real
 * round trip through libslirp to a host UDP socket on 127.0.0.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_net.h"
#include "kernel/deferred.h"

#define ETHERTYPE_TEST 0x88b5u /* IEEE local experimental */
#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_ARP 0x0806u
#define ETH_HEADER 14u
#define IP_HEADER 20u
#define UDP_HEADER 8u
#define ARP_BODY 28u
#define RX_KEEP 8u

static const uint8_t mac_a[NET_MAC_SIZE] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[NET_MAC_SIZE] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

/* A client that records what the NIC tells it. */
struct probe {
    struct hil_net_client client;
    struct hil_net *nic;
    unsigned done_count;
    uint8_t *done_frame;
    size_t done_len;
    vmux_err_t done_status;
    uint8_t *resend_frame;     /* transmit this from transmit_done, once */
    size_t resend_len;
    vmux_err_t resend_result;
    unsigned rx_count;
    uint8_t rx[RX_KEEP][NET_FRAME_MAX];
    size_t rx_len[RX_KEEP];
};

static struct sim_net nic_a, nic_b;
static struct probe probe_a, probe_b;

static void probe_transmit_done(struct hil_net_client *self, uint8_t *frame, size_t len,
                                vmux_err_t status)
{
    struct probe *p = container_of(self, struct probe, client);
    p->done_count++;
    p->done_frame = frame;
    p->done_len = len;
    p->done_status = status;
    if (p->resend_frame) {
        uint8_t *f = p->resend_frame;
        p->resend_frame = NULL;
        p->resend_result = hil_net_transmit(p->nic, f, p->resend_len);
    }
}

static void probe_frame_received(struct hil_net_client *self, const uint8_t *frame, size_t len)
{
    struct probe *p = container_of(self, struct probe, client);
    unsigned slot = p->rx_count % RX_KEEP;
    memcpy(p->rx[slot], frame, len);
    p->rx_len[slot] = len;
    p->rx_count++;
}

static void probe_attach(struct probe *p, struct sim_net *nic)
{
    memset(p, 0, sizeof *p);
    p->client.transmit_done = probe_transmit_done;
    p->client.frame_received = probe_frame_received;
    p->nic = &nic->hil;
    hil_net_set_client(&nic->hil, &p->client);
}

/* An Ethernet frame from src to dst whose payload bytes start at tag. */
static size_t make_frame(uint8_t *f, size_t len, const uint8_t *dst, const uint8_t *src,
                         uint8_t tag)
{
    memcpy(f, dst, NET_MAC_SIZE);
    memcpy(f + 6, src, NET_MAC_SIZE);
    f[12] = ETHERTYPE_TEST >> 8;
    f[13] = ETHERTYPE_TEST & 0xff;
    for (size_t i = ETH_HEADER; i < len; i++)
        f[i] = (uint8_t)(tag + i);
    return len;
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_net_init(&nic_a, mac_a), VMUX_SUCCESS);
    assert_int_equal(sim_net_init(&nic_b, mac_b), VMUX_SUCCESS);
    probe_attach(&probe_a, &nic_a);
    probe_attach(&probe_b, &nic_b);
    hil_net_set_receive_enabled(&nic_a.hil, true);
    hil_net_set_receive_enabled(&nic_b.hil, true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_net_detach(&nic_a);
    sim_net_detach(&nic_b);
    sim_reset();
    return 0;
}

/* ------------------------------------------------------------ timing */

static void wire_time_is_100_mbit_with_framing(void **state)
{
    (void)state;
    /* 8 preamble + 1514 + 4 FCS + 12 gap = 1538 bytes, 80 ns each. */
    assert_int_equal(sim_net_wire_ns(NET_FRAME_MAX), 1538u * 80u);
    /* A short frame is padded to 60 bytes before the FCS. */
    assert_int_equal(sim_net_wire_ns(NET_FRAME_MIN), (8u + 60u + 4u + 12u) * 80u);
    assert_int_equal(sim_net_wire_ns(60), sim_net_wire_ns(14));
    assert_true(sim_net_wire_ns(61) > sim_net_wire_ns(60));
}

static void mac_address_is_the_one_given(void **state)
{
    (void)state;
    uint8_t mac[NET_MAC_SIZE];
    hil_net_mac_address(&nic_b.hil, mac);
    assert_memory_equal(mac, mac_b, NET_MAC_SIZE);
}

/* ------------------------------------------------------------ pair */

static void pair_delivers_only_after_wire_delay(void **state)
{
    (void)state;
    static uint8_t frame[100];
    make_frame(frame, sizeof frame, mac_b, mac_a, 7);
    uint64_t wire = sim_net_wire_ns(sizeof frame);
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_b), VMUX_SUCCESS);

    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, sizeof frame), VMUX_SUCCESS);
    /* Nothing from inside the request, nor from the loop before the
     * frame has crossed the wire. */
    assert_int_equal(probe_a.done_count, 0);
    assert_int_equal(probe_b.rx_count, 0);
    sim_settle();
    sim_advance(wire - 1);
    assert_int_equal(probe_a.done_count, 0);
    assert_int_equal(probe_b.rx_count, 0);

    sim_advance(1);
    assert_int_equal(probe_b.rx_count, 1);
    assert_int_equal(probe_b.rx_len[0], sizeof frame);
    assert_memory_equal(probe_b.rx[0], frame, sizeof frame);
    assert_int_equal(probe_a.done_count, 1);
    assert_ptr_equal(probe_a.done_frame, frame);
    assert_int_equal(probe_a.done_len, sizeof frame);
    assert_int_equal(probe_a.done_status, VMUX_SUCCESS);
    /* The sender does not hear itself. */
    assert_int_equal(probe_a.rx_count, 0);
    assert_int_equal(nic_a.counters.tx_frames, 1);
    assert_int_equal(nic_a.counters.tx_bytes, sizeof frame);
    assert_int_equal(nic_b.counters.rx_frames, 1);
    assert_int_equal(nic_b.counters.rx_bytes, sizeof frame);
}

static void pair_is_full_duplex(void **state)
{
    (void)state;
    static uint8_t ab[NET_FRAME_MAX], ba[60];
    make_frame(ab, sizeof ab, mac_b, mac_a, 1);
    make_frame(ba, sizeof ba, mac_a, mac_b, 2);
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_b), VMUX_SUCCESS);

    assert_int_equal(hil_net_transmit(&nic_a.hil, ab, sizeof ab), VMUX_SUCCESS);
    assert_int_equal(hil_net_transmit(&nic_b.hil, ba, sizeof ba), VMUX_SUCCESS);
    /* The short frame lands first; the long one is still on the wire. */
    sim_advance(sim_net_wire_ns(sizeof ba));
    assert_int_equal(probe_a.rx_count, 1);
    assert_memory_equal(probe_a.rx[0], ba, sizeof ba);
    assert_int_equal(probe_b.done_count, 1);
    assert_int_equal(probe_b.rx_count, 0);
    assert_int_equal(probe_a.done_count, 0);

    sim_advance(sim_net_wire_ns(sizeof ab) - sim_net_wire_ns(sizeof ba));
    assert_int_equal(probe_b.rx_count, 1);
    assert_int_equal(probe_b.rx_len[0], sizeof ab);
    assert_memory_equal(probe_b.rx[0], ab, sizeof ab);
    assert_int_equal(probe_a.done_count, 1);
}

static void busy_while_a_frame_is_in_flight(void **state)
{
    (void)state;
    static uint8_t first[64], second[64];
    make_frame(first, sizeof first, mac_b, mac_a, 1);
    make_frame(second, sizeof second, mac_b, mac_a, 2);
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_b), VMUX_SUCCESS);

    assert_int_equal(hil_net_transmit(&nic_a.hil, first, sizeof first), VMUX_SUCCESS);
    assert_int_equal(hil_net_transmit(&nic_a.hil, second, sizeof second), VMUX_BUSY);
    /* Still busy after the wire time, until transmit_done has run. */
    sim_advance(sim_net_wire_ns(sizeof first) - 1);
    assert_int_equal(hil_net_transmit(&nic_a.hil, second, sizeof second), VMUX_BUSY);

    /* transmit_done may start the next frame at once. */
    probe_a.resend_frame = second;
    probe_a.resend_len = sizeof second;
    probe_a.resend_result = VMUX_FAIL;
    sim_advance(1);
    assert_int_equal(probe_a.done_count, 1);
    assert_ptr_equal(probe_a.done_frame, first);
    assert_int_equal(probe_a.resend_result, VMUX_SUCCESS);

    sim_advance(sim_net_wire_ns(sizeof second));
    assert_int_equal(probe_a.done_count, 2);
    assert_ptr_equal(probe_a.done_frame, second);
    assert_int_equal(probe_b.rx_count, 2);
    assert_memory_equal(probe_b.rx[0], first, sizeof first);
    assert_memory_equal(probe_b.rx[1], second, sizeof second);
}

static void bad_requests_start_nothing(void **state)
{
    (void)state;
    static uint8_t frame[NET_FRAME_MAX + 1];
    make_frame(frame, sizeof frame, mac_b, mac_a, 0);
    assert_int_equal(hil_net_transmit(&nic_a.hil, NULL, 60), VMUX_INVALID);
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, 0), VMUX_SIZE);
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, NET_FRAME_MIN - 1), VMUX_SIZE);
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, NET_FRAME_MAX + 1), VMUX_SIZE);
    sim_advance(1000000);
    assert_int_equal(probe_a.done_count, 0);
    assert_int_equal(nic_a.counters.tx_frames, 0);
    assert_int_equal(sim_net_take_tx(&nic_a, NULL, 0), 0);

    /* Both ends of the range are fine. */
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, NET_FRAME_MIN), VMUX_SUCCESS);
    sim_advance(sim_net_wire_ns(NET_FRAME_MIN));
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, NET_FRAME_MAX), VMUX_SUCCESS);
    sim_advance(sim_net_wire_ns(NET_FRAME_MAX));
    assert_int_equal(probe_a.done_count, 2);

    assert_int_equal(sim_net_inject(&nic_b, NULL, 60), VMUX_INVALID);
    assert_int_equal(sim_net_inject(&nic_b, frame, NET_FRAME_MIN - 1), VMUX_SIZE);
    assert_int_equal(sim_net_inject(&nic_b, frame, NET_FRAME_MAX + 1), VMUX_SIZE);
    sim_settle();
    assert_int_equal(probe_b.rx_count, 0);
}

static void connect_rejects_self_and_double_wiring(void **state)
{
    (void)state;
    struct sim_net *none = NULL;
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_a), VMUX_INVALID);
    assert_int_equal(sim_net_connect_pair(&nic_a, none), VMUX_INVALID);
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_b), VMUX_SUCCESS);
    assert_int_equal(sim_net_connect_pair(&nic_b, &nic_a), VMUX_BUSY);
    assert_int_equal(sim_net_slirp_add_udp_forward(&nic_a, 1, 7), VMUX_OFF);

    /* Unplugging either end unplugs both. */
    sim_net_detach(&nic_b);
    static uint8_t frame[60];
    make_frame(frame, sizeof frame, mac_b, mac_a, 3);
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, sizeof frame), VMUX_SUCCESS);
    sim_advance(sim_net_wire_ns(sizeof frame));
    assert_int_equal(probe_b.rx_count, 0);
    assert_int_equal(sim_net_take_tx(&nic_a, NULL, 0), sizeof frame);
}

/* ------------------------------------------------------------ receive */

static void receive_disabled_drops_and_counts(void **state)
{
    (void)state;
    static uint8_t frame[80];
    make_frame(frame, sizeof frame, mac_b, mac_a, 4);
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_b), VMUX_SUCCESS);
    hil_net_set_receive_enabled(&nic_b.hil, false);

    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, sizeof frame), VMUX_SUCCESS);
    sim_advance(sim_net_wire_ns(sizeof frame));
    assert_int_equal(sim_net_inject(&nic_b, frame, sizeof frame), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(probe_b.rx_count, 0);
    assert_int_equal(nic_b.counters.rx_dropped_disabled, 2);
    assert_int_equal(nic_b.counters.rx_frames, 0);
    /* The sender cannot tell: Ethernet has no acknowledgement. */
    assert_int_equal(probe_a.done_status, VMUX_SUCCESS);

    hil_net_set_receive_enabled(&nic_b.hil, true);
    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, sizeof frame), VMUX_SUCCESS);
    sim_advance(sim_net_wire_ns(sizeof frame));
    assert_int_equal(probe_b.rx_count, 1);
    assert_int_equal(nic_b.counters.rx_dropped_disabled, 2);
}

static void frames_queued_before_disable_still_arrive(void **state)
{
    (void)state;
    static uint8_t frame[60];
    make_frame(frame, sizeof frame, mac_b, mac_a, 5);
    assert_int_equal(sim_net_inject(&nic_b, frame, sizeof frame), VMUX_SUCCESS);
    hil_net_set_receive_enabled(&nic_b.hil, false);
    sim_settle();
    assert_int_equal(probe_b.rx_count, 1);
    assert_int_equal(nic_b.counters.rx_dropped_disabled, 0);
}

static void full_queue_drops_and_counts(void **state)
{
    (void)state;
    enum { EXTRA = 3 };
    static uint8_t frame[60];
    /* Arrivals with no loop turn in between: the queue fills. */
    for (unsigned i = 0; i < SIM_NET_RX_SLOTS + EXTRA; i++) {
        make_frame(frame, sizeof frame, mac_b, mac_a, (uint8_t)i);
        assert_int_equal(sim_net_inject(&nic_b, frame, sizeof frame), VMUX_SUCCESS);
    }
    assert_int_equal(nic_b.counters.rx_dropped_full, EXTRA);
    assert_int_equal(probe_b.rx_count, 0);

    /* One frame per loop turn, oldest first. */
    assert_int_equal(kernel_loop_once(), 1);
    assert_int_equal(probe_b.rx_count, 1);
    assert_int_equal(probe_b.rx[0][ETH_HEADER], (uint8_t)(0 + ETH_HEADER));
    /* A slot freed: one more fits. */
    make_frame(frame, sizeof frame, mac_b, mac_a, 100);
    assert_int_equal(sim_net_inject(&nic_b, frame, sizeof frame), VMUX_SUCCESS);
    assert_int_equal(nic_b.counters.rx_dropped_full, EXTRA);

    sim_settle();
    assert_int_equal(probe_b.rx_count, SIM_NET_RX_SLOTS + 1);
    assert_int_equal(nic_b.counters.rx_frames, SIM_NET_RX_SLOTS + 1);
    /* The last delivered is the late one, after the 15 that waited. */
    unsigned last = (probe_b.rx_count - 1) % RX_KEEP;
    assert_int_equal(probe_b.rx[last][ETH_HEADER], (uint8_t)(100 + ETH_HEADER));
    unsigned before = (probe_b.rx_count - 2) % RX_KEEP;
    assert_int_equal(probe_b.rx[before][ETH_HEADER],
                     (uint8_t)(SIM_NET_RX_SLOTS - 1 + ETH_HEADER));
}

static void no_client_discards_and_counts(void **state)
{
    (void)state;
    static uint8_t frame[60];
    make_frame(frame, sizeof frame, mac_b, mac_a, 6);
    hil_net_set_client(&nic_b.hil, NULL);
    assert_int_equal(sim_net_inject(&nic_b, frame, sizeof frame), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(nic_b.counters.rx_dropped_no_client, 1);
    assert_int_equal(nic_b.counters.rx_frames, 0);
}

/* ------------------------------------------------------------ hooks */

static void unattached_transmit_is_captured(void **state)
{
    (void)state;
    static uint8_t frame[200];
    uint8_t out[NET_FRAME_MAX];
    make_frame(frame, sizeof frame, mac_b, mac_a, 9);

    assert_int_equal(hil_net_transmit(&nic_a.hil, frame, sizeof frame), VMUX_SUCCESS);
    /* Not captured while still on the wire. */
    assert_int_equal(sim_net_take_tx(&nic_a, out, sizeof out), 0);
    sim_advance(sim_net_wire_ns(sizeof frame));
    assert_int_equal(probe_a.done_count, 1);
    memset(out, 0, sizeof out);
    assert_int_equal(sim_net_take_tx(&nic_a, out, sizeof out), sizeof frame);
    assert_memory_equal(out, frame, sizeof frame);
    assert_int_equal(sim_net_take_tx(&nic_a, out, sizeof out), 0);

    /* Bounded: the frames beyond the capture are lost and counted; the
     * kept ones come out oldest first, truncated to the caller's max. */
    for (unsigned i = 0; i < SIM_NET_CAPTURE_SLOTS + 2; i++) {
        make_frame(frame, sizeof frame, mac_b, mac_a, (uint8_t)i);
        assert_int_equal(hil_net_transmit(&nic_a.hil, frame, sizeof frame), VMUX_SUCCESS);
        sim_advance(sim_net_wire_ns(sizeof frame));
    }
    assert_int_equal(nic_a.counters.tx_capture_dropped, 2);
    uint8_t head[20];
    for (unsigned i = 0; i < SIM_NET_CAPTURE_SLOTS; i++) {
        assert_int_equal(sim_net_take_tx(&nic_a, head, sizeof head), sizeof frame);
        assert_int_equal(head[ETH_HEADER], (uint8_t)(i + ETH_HEADER));
    }
    assert_int_equal(sim_net_take_tx(&nic_a, head, sizeof head), 0);
}

static void injected_frame_arrives_from_the_loop(void **state)
{
    (void)state;
    static uint8_t frame[60];
    make_frame(frame, sizeof frame, mac_a, mac_b, 8);
    assert_int_equal(sim_net_inject(&nic_a, frame, sizeof frame), VMUX_SUCCESS);
    /* The injected copy is the NIC's: scribbling on ours changes nothing. */
    frame[20] ^= 0xff;
    assert_int_equal(probe_a.rx_count, 0);
    assert_int_equal(kernel_loop_once(), 1);
    assert_int_equal(probe_a.rx_count, 1);
    frame[20] ^= 0xff;
    assert_memory_equal(probe_a.rx[0], frame, sizeof frame);
}

/* ------------------------------------------------------------ libslirp */

static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const char request_text[] = "ping from the host";
static const char reply_text[] = "pong from vmux";

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint16_t ip_checksum(const uint8_t *header, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += get16(header + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static bool is_arp_request_for_guest(const uint8_t *f, size_t len)
{
    return len >= ETH_HEADER + ARP_BODY && get16(f + 12) == ETHERTYPE_ARP &&
           get16(f + ETH_HEADER + 6) == 1 && memcmp(f + ETH_HEADER + 24, guest_ip, 4) == 0;
}

/* An ARP reply to request: 10.0.2.15 is at our MAC. */
static size_t make_arp_reply(uint8_t *f, const uint8_t *request, const uint8_t *mac)
{
    const uint8_t *ask = request + ETH_HEADER;
    uint8_t *arp = f + ETH_HEADER;
    memcpy(f, request + 6, NET_MAC_SIZE);
    memcpy(f + 6, mac, NET_MAC_SIZE);
    put16(f + 12, ETHERTYPE_ARP);
    put16(arp, 1);                       /* Ethernet */
    put16(arp + 2, ETHERTYPE_IPV4);
    arp[4] = NET_MAC_SIZE;
    arp[5] = 4;
    put16(arp + 6, 2);                   /* reply */
    memcpy(arp + 8, mac, NET_MAC_SIZE);  /* sender: us */
    memcpy(arp + 14, guest_ip, 4);
    memcpy(arp + 18, ask + 8, NET_MAC_SIZE + 4); /* target: the asker */
    return ETH_HEADER + ARP_BODY;
}

struct udp_seen {
    uint8_t gateway_mac[NET_MAC_SIZE];
    uint8_t src_ip[4];
    uint16_t src_port;
    uint16_t dst_port;
    uint8_t payload[64];
    size_t payload_len;
};

/* An IPv4/UDP frame to 10.0.2.15, taken apart; false for anything else. */
static bool parse_udp_to_guest(const uint8_t *f, size_t len, struct udp_seen *out)
{
    if (len < ETH_HEADER + IP_HEADER + UDP_HEADER || get16(f + 12) != ETHERTYPE_IPV4)
        return false;
    const uint8_t *ip = f + ETH_HEADER;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ip[9] != 17 || memcmp(ip + 16, guest_ip, 4) != 0 ||
        len < ETH_HEADER + ihl + UDP_HEADER)
        return false;
    const uint8_t *udp = ip + ihl;
    size_t udp_len = get16(udp + 4);
    if (udp_len < UDP_HEADER || ETH_HEADER + ihl + udp_len > len ||
        udp_len - UDP_HEADER > sizeof out->payload)
        return false;
    memcpy(out->gateway_mac, f + 6, NET_MAC_SIZE);
    memcpy(out->src_ip, ip + 12, 4);
    out->src_port = get16(udp);
    out->dst_port = get16(udp + 2);
    out->payload_len = udp_len - UDP_HEADER;
    memcpy(out->payload, udp + UDP_HEADER, out->payload_len);
    return true;
}

/* A UDP datagram from 10.0.2.15:from_port back to where seen came from. */
static size_t make_udp_reply(uint8_t *f, const struct udp_seen *seen, const uint8_t *mac,
                             uint16_t from_port, const void *payload, size_t payload_len)
{
    uint8_t *ip = f + ETH_HEADER;
    uint8_t *udp = ip + IP_HEADER;
    memcpy(f, seen->gateway_mac, NET_MAC_SIZE);
    memcpy(f + 6, mac, NET_MAC_SIZE);
    put16(f + 12, ETHERTYPE_IPV4);
    memset(ip, 0, IP_HEADER);
    ip[0] = 0x45;                        /* version 4, 5 words */
    put16(ip + 2, (uint16_t)(IP_HEADER + UDP_HEADER + payload_len));
    put16(ip + 4, 0x1234);               /* identification */
    ip[8] = 64;                          /* TTL */
    ip[9] = 17;                          /* UDP */
    memcpy(ip + 12, guest_ip, 4);
    memcpy(ip + 16, seen->src_ip, 4);
    put16(ip + 10, ip_checksum(ip, IP_HEADER));
    put16(udp, from_port);
    put16(udp + 2, seen->src_port);
    put16(udp + 4, (uint16_t)(UDP_HEADER + payload_len));
    put16(udp + 6, 0);                   /* no checksum: allowed over IPv4 */
    memcpy(udp + UDP_HEADER, payload, payload_len);
    return ETH_HEADER + IP_HEADER + UDP_HEADER + payload_len;
}

/* The guest side of the slirp test: answers ARP, watches for UDP. */
static struct {
    struct hil_net_client client;
    uint8_t out[NET_FRAME_MAX];
    size_t out_len;               /* a frame waiting to be transmitted */
    bool tx_busy;
    unsigned arp_requests;
    bool udp_seen;
    struct udp_seen udp;
} guest;

static void guest_transmit_done(struct hil_net_client *self, uint8_t *frame, size_t len,
                                vmux_err_t status)
{
    (void)self;
    (void)frame;
    (void)len;
    assert_int_equal(status, VMUX_SUCCESS);
    guest.tx_busy = false;
}

static void guest_frame_received(struct hil_net_client *self, const uint8_t *frame, size_t len)
{
    (void)self;
    if (is_arp_request_for_guest(frame, len)) {
        guest.arp_requests++;
        guest.out_len = make_arp_reply(guest.out, frame, mac_a);
    } else if (!guest.udp_seen && parse_udp_to_guest(frame, len, &guest.udp)) {
        guest.udp_seen = true;
    }
}

static void guest_send_pending(void)
{
    if (guest.out_len == 0 || guest.tx_busy)
        return;
    assert_int_equal(hil_net_transmit(&nic_a.hil, guest.out, guest.out_len), VMUX_SUCCESS);
    guest.tx_busy = true;
    guest.out_len = 0;
}

/* Run the host board's loop on the real clock until done() or timeout. */
/* How long an event on the host's clock may take before it counts as
 * missing: a bound for a failure, generous for a loaded host, never a
 * time the test expects things to take. */
#define EVENT_BOUND_NS 30000000000ull

static bool pump_until(bool (*done)(void), uint64_t timeout_ns)
{
    uint64_t deadline = sim_now_ns() + timeout_ns;
    while (sim_now_ns() < deadline) {
        sim_wait(10000000u);
        kernel_loop_once();
        guest_send_pending();
        if (done())
            return true;
    }
    return false;
}

static int host_socket;
static char host_inbox[64];
static ssize_t host_inbox_len;
static struct sockaddr_in host_inbox_from;

static bool guest_got_udp(void)
{
    return guest.udp_seen;
}

static bool guest_idle(void)
{
    return !guest.tx_busy && guest.out_len == 0;
}

static bool host_got_reply(void)
{
    socklen_t from_len = sizeof host_inbox_from;
    host_inbox_len = recvfrom(host_socket, host_inbox, sizeof host_inbox, MSG_DONTWAIT,
                              (struct sockaddr *)&host_inbox_from, &from_len);
    return host_inbox_len > 0;
}

static int udp_socket_on(uint16_t port)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof addr), 0);
    return s;
}

static uint16_t port_of(int s)
{
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    assert_int_equal(getsockname(s, (struct sockaddr *)&addr, &len), 0);
    return ntohs(addr.sin_port);
}

/* A port that was free a moment ago. */
static uint16_t free_udp_port(void)
{
    int s = udp_socket_on(0);
    uint16_t port = port_of(s);
    close(s);
    return port;
}

static void slirp_udp_round_trip_with_host(void **state)
{
    (void)state;
    sim_init(SIM_CLOCK_REAL, 0);
    memset(&guest, 0, sizeof guest);
    guest.client.transmit_done = guest_transmit_done;
    guest.client.frame_received = guest_frame_received;
    hil_net_set_client(&nic_a.hil, &guest.client);

    assert_int_equal(sim_net_attach_slirp(&nic_a), VMUX_SUCCESS);
    assert_int_equal(sim_net_attach_slirp(&nic_a), VMUX_BUSY);
    assert_int_equal(sim_net_connect_pair(&nic_a, &nic_b), VMUX_BUSY);
    uint16_t port = free_udp_port();
    assert_int_equal(sim_net_slirp_add_udp_forward(&nic_a, port, 7), VMUX_SUCCESS);

    /* Host to guest: the datagram comes out of the NIC as a frame. */
    host_socket = udp_socket_on(0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(sendto(host_socket, request_text, sizeof request_text, 0,
                            (struct sockaddr *)&to, sizeof to),
                     (ssize_t)sizeof request_text);
    bool arrived = pump_until(guest_got_udp, EVENT_BOUND_NS);
    assert_true(arrived);
    assert_int_equal(guest.udp.dst_port, 7);
    /* The host's 127.0.0.1 appears to the guest as the gateway. */
    static const uint8_t gateway_ip[4] = { 10, 0, 2, 2 };
    assert_memory_equal(guest.udp.src_ip, gateway_ip, 4);
    assert_int_equal(guest.udp.src_port, port_of(host_socket));
    assert_int_equal(guest.udp.payload_len, sizeof request_text);
    assert_memory_equal(guest.udp.payload, request_text, sizeof request_text);
    /* Slirp had to ask who 10.0.2.15 is, and our reply was good enough. */
    assert_true(guest.arp_requests >= 1);
    assert_int_equal(nic_a.counters.slirp_guest_errors, 0);

    /* Guest to host: a reply to the address and port the frame came from. */
    assert_true(pump_until(guest_idle, EVENT_BOUND_NS));
    guest.out_len = make_udp_reply(guest.out, &guest.udp, mac_a, 7, reply_text,
                                   sizeof reply_text);
    bool replied = pump_until(host_got_reply, EVENT_BOUND_NS);
    assert_true(replied);
    assert_int_equal(host_inbox_len, (ssize_t)sizeof reply_text);
    assert_memory_equal(host_inbox, reply_text, sizeof reply_text);
    /* It comes from the forwarded port, as a reply should. */
    assert_int_equal(ntohs(host_inbox_from.sin_port), port);
    close(host_socket);
}

static void slirp_forward_to_a_taken_port_is_busy(void **state)
{
    (void)state;
    sim_init(SIM_CLOCK_REAL, 0);
    assert_int_equal(sim_net_attach_slirp(&nic_a), VMUX_SUCCESS);
    int holder = udp_socket_on(0);
    assert_int_equal(sim_net_slirp_add_udp_forward(&nic_a, port_of(holder), 7), VMUX_BUSY);
    close(holder);
    sim_net_detach(&nic_a);
    /* Detached: the port is no longer forwarded, and a fresh attach works. */
    assert_int_equal(sim_net_slirp_add_udp_forward(&nic_a, 1, 7), VMUX_OFF);
    assert_int_equal(sim_net_attach_slirp(&nic_a), VMUX_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(wire_time_is_100_mbit_with_framing, setup, teardown),
        cmocka_unit_test_setup_teardown(mac_address_is_the_one_given, setup, teardown),
        cmocka_unit_test_setup_teardown(pair_delivers_only_after_wire_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(pair_is_full_duplex, setup, teardown),
        cmocka_unit_test_setup_teardown(busy_while_a_frame_is_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_requests_start_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(connect_rejects_self_and_double_wiring, setup, teardown),
        cmocka_unit_test_setup_teardown(receive_disabled_drops_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(frames_queued_before_disable_still_arrive, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(full_queue_drops_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(no_client_discards_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(unattached_transmit_is_captured, setup, teardown),
        cmocka_unit_test_setup_teardown(injected_frame_arrives_from_the_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(slirp_udp_round_trip_with_host, setup, teardown),
        cmocka_unit_test_setup_teardown(slirp_forward_to_a_taken_port_is_busy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
