/*
 * Ethernet, IPv4, ICMP and UDP receive checks: every malformed or
 * foreign frame is dropped with its own counter (and only that one),
 * nothing reaches a client, nothing crashes; valid corner cases (options,
 * padding, broadcast, no checksum) get through. ICMP echo replies are
 * checked field by field against an independent checksum.
 */
#include "test_net_fixture.h"

static struct probe a;
static struct udp_binding a1;

static int setup(void **state)
{
    net_setup(state);
    probe_bound(&a, 1, &a1, 5000);
    probe_listen(&a);
    host_announces(peer_mac, PEER_IP);
    return 0;
}

/* Every counter of a dropped or refused input. */
static uint32_t drops(void)
{
    const struct net_counters *n = &net.counters;
    return n->eth.truncated + n->eth.not_for_us + n->eth.unknown_ethertype +
           n->ipv4.truncated + n->ipv4.bad_version + n->ipv4.bad_header_length +
           n->ipv4.bad_total_length + n->ipv4.bad_checksum + n->ipv4.fragments +
           n->ipv4.bad_source + n->ipv4.not_for_us + n->ipv4.unknown_protocol +
           n->icmp.truncated + n->icmp.bad_checksum + n->icmp.other_types +
           n->icmp.echo_to_broadcast + n->icmp.echo_dropped_busy +
           n->udp.truncated + n->udp.bad_length + n->udp.bad_checksum +
           mux.counters.port_zero + mux.counters.no_port + mux.counters.dropped_full;
}

/* ------------------------------------------------------------ spoilers */

static uint8_t *ip(uint8_t *f) { return f + 14; }
static uint8_t *udp(uint8_t *f) { return f + 14 + 20; }

static void reseal_ip(uint8_t *f)
{
    size_t ihl = (ip(f)[0] & 15u) * 4u;
    put16(ip(f) + 10, 0);
    put16(ip(f) + 10, ref_checksum(ip(f), ihl));
}

static void reseal_udp(uint8_t *f)
{
    size_t len = get16(udp(f) + 4);
    put16(udp(f) + 6, 0);
    put16(udp(f) + 6, ref_udp_checksum(get32(ip(f) + 12), get32(ip(f) + 16), udp(f), len));
}

static void ip_short(uint8_t *f, size_t *len) { (void)f; *len = 14 + 19; }
static void version_6(uint8_t *f, size_t *len) { (void)len; ip(f)[0] = 0x65; reseal_ip(f); }
static void ihl_4(uint8_t *f, size_t *len) { (void)len; ip(f)[0] = 0x44; reseal_ip(f); }
static void ihl_past_data(uint8_t *f, size_t *len) { (void)len; ip(f)[0] = 0x4f; }
static void total_too_long(uint8_t *f, size_t *len) { put16(ip(f) + 2, (unsigned)(*len - 14 + 1)); reseal_ip(f); }
static void total_too_short(uint8_t *f, size_t *len) { (void)len; put16(ip(f) + 2, 19); reseal_ip(f); }
static void ip_checksum(uint8_t *f, size_t *len) { (void)len; ip(f)[10] ^= 0x01; }
static void more_fragments(uint8_t *f, size_t *len) { (void)len; ip(f)[6] = 0x20; reseal_ip(f); }
static void fragment_offset(uint8_t *f, size_t *len) { (void)len; put16(ip(f) + 6, 0x0001); reseal_ip(f); }
static void dst_other(uint8_t *f, size_t *len) { (void)len; put32(ip(f) + 16, 0x0a00004du); reseal_ip(f); reseal_udp(f); }
static void src_broadcast(uint8_t *f, size_t *len) { (void)len; put32(ip(f) + 12, 0xffffffffu); reseal_ip(f); reseal_udp(f); }
static void src_subnet_broadcast(uint8_t *f, size_t *len) { (void)len; put32(ip(f) + 12, 0x0a0000ffu); reseal_ip(f); reseal_udp(f); }
static void src_multicast(uint8_t *f, size_t *len) { (void)len; put32(ip(f) + 12, 0xe0000001u); reseal_ip(f); reseal_udp(f); }
static void protocol_tcp(uint8_t *f, size_t *len) { (void)len; ip(f)[9] = 6; reseal_ip(f); }
static void udp_short(uint8_t *f, size_t *len) { *len = 14 + 20 + 7; put16(ip(f) + 2, 27); reseal_ip(f); }
static void udp_length_long(uint8_t *f, size_t *len) { (void)len; put16(udp(f) + 4, 100); }
static void udp_length_7(uint8_t *f, size_t *len) { (void)len; put16(udp(f) + 4, 7); }
static void udp_checksum(uint8_t *f, size_t *len) { (void)len; udp(f)[8] ^= 0x40; }
static void port_zero(uint8_t *f, size_t *len) { (void)len; put16(udp(f) + 2, 0); reseal_udp(f); }
static void port_unbound(uint8_t *f, size_t *len) { (void)len; put16(udp(f) + 2, 5001); reseal_udp(f); }
static void eth_other_mac(uint8_t *f, size_t *len) { (void)len; f[5] = 0x09; }
static void eth_multicast(uint8_t *f, size_t *len) { (void)len; memcpy(f, (const uint8_t[6]){ 1, 0, 0x5e, 0, 0, 1 }, 6); }
static void eth_ipv6(uint8_t *f, size_t *len) { (void)len; put16(f + 12, ETHERTYPE_IPV6); }
static void eth_vlan(uint8_t *f, size_t *len) { (void)len; put16(f + 12, 0x8100); }
static void eth_8023(uint8_t *f, size_t *len) { (void)len; put16(f + 12, 0x0040); }

static const struct bad_case {
    const char *what;
    void (*spoil)(uint8_t *f, size_t *len);
    uint32_t *counter;
} bad_cases[] = {
    { "IPv4 header cut short", ip_short, &net.counters.ipv4.truncated },
    { "version 6", version_6, &net.counters.ipv4.bad_version },
    { "IHL 4", ihl_4, &net.counters.ipv4.bad_header_length },
    { "IHL past the data", ihl_past_data, &net.counters.ipv4.truncated },
    { "total length past the data", total_too_long, &net.counters.ipv4.bad_total_length },
    { "total length inside the header", total_too_short, &net.counters.ipv4.bad_total_length },
    { "header checksum", ip_checksum, &net.counters.ipv4.bad_checksum },
    { "more fragments", more_fragments, &net.counters.ipv4.fragments },
    { "fragment offset", fragment_offset, &net.counters.ipv4.fragments },
    { "another host", dst_other, &net.counters.ipv4.not_for_us },
    { "broadcast source", src_broadcast, &net.counters.ipv4.bad_source },
    { "subnet broadcast source", src_subnet_broadcast, &net.counters.ipv4.bad_source },
    { "multicast source", src_multicast, &net.counters.ipv4.bad_source },
    { "TCP", protocol_tcp, &net.counters.ipv4.unknown_protocol },
    { "UDP header cut short", udp_short, &net.counters.udp.truncated },
    { "UDP length past the packet", udp_length_long, &net.counters.udp.bad_length },
    { "UDP length under the header", udp_length_7, &net.counters.udp.bad_length },
    { "UDP checksum", udp_checksum, &net.counters.udp.bad_checksum },
    { "port 0", port_zero, &mux.counters.port_zero },
    { "unbound port", port_unbound, &mux.counters.no_port },
    { "another MAC", eth_other_mac, &net.counters.eth.not_for_us },
    { "multicast MAC", eth_multicast, &net.counters.eth.not_for_us },
    { "IPv6", eth_ipv6, &net.counters.eth.unknown_ethertype },
    { "VLAN tag", eth_vlan, &net.counters.eth.unknown_ethertype },
    { "802.3 length", eth_8023, &net.counters.eth.unknown_ethertype },
};

static size_t good_datagram(uint8_t *f)
{
    return udp_frame(f, PEER_IP, 4321, OUR_IP, 5000, "payload", 7);
}

static void each_bad_input_has_its_own_counter_and_reaches_nobody(void **state)
{
    (void)state;
    for (unsigned i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *bc = &bad_cases[i];
        uint8_t f[NET_FRAME_MAX];
        size_t len = good_datagram(f);
        bc->spoil(f, &len);
        uint32_t before = *bc->counter, all_before = drops();
        inject(f, len);
        if (*bc->counter != before + 1 || drops() != all_before + 1)
            fail_msg("%s: counter %u -> %u, all drops %u -> %u", bc->what, before,
                     *bc->counter, all_before, drops());
        assert_int_equal(a.receives_done, 0);
        assert_nothing_sent();
    }
    /* The unspoilt datagram still gets through. */
    uint8_t f[NET_FRAME_MAX];
    inject(f, good_datagram(f));
    assert_int_equal(a.receives_done, 1);
    assert_memory_equal(a.rx, "payload", 7);
}

static void ethernet_shorter_than_its_header_is_counted(void **state)
{
    (void)state;
    static const uint8_t stub[10] = { 0 };
    ethernet_input(&net, stub, sizeof stub);
    assert_int_equal(net.counters.eth.truncated, 1);
}

/* ------------------------------------------------------------ accepted */

static void expect_payload(const char *text)
{
    size_t len = strlen(text);
    assert_int_equal(a.rx_got, len);
    assert_memory_equal(a.rx, text, len);
    probe_listen(&a);
}

static void options_padding_broadcast_and_no_checksum_are_accepted(void **state)
{
    (void)state;
    uint8_t f[NET_FRAME_MAX];

    /* Options: one more header word, skipped. */
    uint8_t udp_part[8 + 3];
    size_t len = udp_frame(f, PEER_IP, 1, OUR_IP, 5000, "opt", 3);
    memcpy(udp_part, udp(f), sizeof udp_part);
    uint8_t g[NET_FRAME_MAX];
    memcpy(g, f, 34);
    ip(g)[0] = 0x46;
    put16(ip(g) + 2, 24 + sizeof udp_part);
    memcpy(g + 34, (const uint8_t[4]){ 1, 1, 1, 0 }, 4); /* NOP NOP NOP EOL */
    memcpy(g + 38, udp_part, sizeof udp_part);
    reseal_ip(g);
    inject(g, len + 4);
    expect_payload("opt");

    /* Ethernet padding past the IP total length is not payload. */
    len = udp_frame(f, PEER_IP, 1, OUR_IP, 5000, "p", 1);
    memset(f + len, 0xee, 60 - len);
    inject(f, 60);
    expect_payload("p");

    /* A UDP length shorter than the IP payload: the rest is ignored. */
    len = udp_frame(f, PEER_IP, 1, OUR_IP, 5000, "abcdef", 6);
    put16(udp(f) + 4, 8 + 3);
    reseal_udp(f);
    inject(f, len);
    expect_payload("abc");

    /* Sent to everyone, or to our subnet: the port's holder gets it. */
    len = udp_frame(f, PEER_IP, 1, 0xffffffffu, 5000, "all", 3);
    memcpy(f, all_ones_mac, 6);
    inject(f, len);
    expect_payload("all");
    len = udp_frame(f, PEER_IP, 1, 0x0a0000ffu, 5000, "net", 3);
    inject(f, len);
    expect_payload("net");

    /* No checksum (zero): allowed by RFC 768, counted. */
    len = udp_frame(f, PEER_IP, 1, OUR_IP, 5000, "raw", 3);
    put16(udp(f) + 6, 0);
    inject(f, len);
    expect_payload("raw");
    assert_int_equal(net.counters.udp.no_checksum, 1);

    /* Don't-fragment is not a fragment. */
    len = udp_frame(f, PEER_IP, 1, OUR_IP, 5000, "df", 2);
    ip(f)[6] = 0x40;
    reseal_ip(f);
    inject(f, len);
    expect_payload("df");
    assert_int_equal(a.receives_done, 7);
    assert_int_equal(net.counters.ipv4.fragments, 0);
}

/* ------------------------------------------------------------ ICMP */

static size_t echo_request(uint8_t *f, uint32_t dst, const uint8_t *data, size_t len)
{
    uint8_t m[200];
    m[0] = 8;
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, 0xbeef);   /* identifier */
    put16(m + 6, 0x0102);   /* sequence */
    memcpy(m + 8, data, len);
    put16(m + 2, ref_checksum(m, 8 + len));
    return ipv4_frame(f, PEER_IP, dst, 1, m, 8 + len);
}

static void echo_request_gets_a_correct_reply(void **state)
{
    (void)state;
    uint8_t data[37]; /* odd: the checksum's padding byte matters */
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(0xa0 + i);
    uint8_t f[NET_FRAME_MAX];
    inject(f, echo_request(f, OUR_IP, data, sizeof data));

    uint8_t r[NET_FRAME_MAX];
    size_t len = take(r);
    assert_int_equal(len, 14 + 20 + 8 + sizeof data);
    assert_memory_equal(r, peer_mac, 6);
    assert_memory_equal(r + 6, our_mac, 6);
    assert_int_equal(get16(r + 12), 0x0800);
    const uint8_t *h = r + 14;
    assert_int_equal(h[0], 0x45);
    assert_int_equal(get16(h + 2), 20 + 8 + sizeof data);
    assert_int_equal(get16(h + 6), 0x4000); /* DF, no fragment */
    assert_int_equal(h[8], 64);
    assert_int_equal(h[9], 1);
    assert_int_equal(get32(h + 12), OUR_IP);
    assert_int_equal(get32(h + 16), PEER_IP);
    assert_int_equal(ref_checksum(h, 20), 0);
    const uint8_t *m = h + 20;
    assert_int_equal(m[0], 0);
    assert_int_equal(m[1], 0);
    assert_int_equal(get16(m + 4), 0xbeef);
    assert_int_equal(get16(m + 6), 0x0102);
    assert_memory_equal(m + 8, data, sizeof data);
    assert_int_equal(ref_checksum(m, 8 + sizeof data), 0);
    assert_int_equal(net.counters.icmp.echo_replies_sent, 1);
    assert_true(frames_all_wiped());
}

static void bad_or_other_icmp_is_counted_and_unanswered(void **state)
{
    (void)state;
    uint8_t f[NET_FRAME_MAX];
    static const uint8_t d[4] = { 1, 2, 3, 4 };
    size_t len = echo_request(f, OUR_IP, d, 4);
    uint8_t g[NET_FRAME_MAX];

    memcpy(g, f, len);
    g[34 + 9] ^= 1; /* a data bit: the ICMP checksum no longer holds */
    inject(g, len);
    assert_int_equal(net.counters.icmp.bad_checksum, 1);

    inject(g, ipv4_frame(g, PEER_IP, OUR_IP, 1, (const uint8_t[7]){ 8 }, 7));
    assert_int_equal(net.counters.icmp.truncated, 1);

    uint8_t ts[20] = { 13 }; /* timestamp request */
    put16(ts + 2, ref_checksum(ts, sizeof ts));
    inject(g, ipv4_frame(g, PEER_IP, OUR_IP, 1, ts, sizeof ts));
    assert_int_equal(net.counters.icmp.other_types, 1);

    inject(g, echo_request(g, 0xffffffffu, d, 4));
    assert_int_equal(net.counters.icmp.echo_to_broadcast, 1);
    assert_nothing_sent();
    assert_int_equal(net.counters.icmp.echo_requests, 1);
}

static void echo_while_the_reply_frame_is_busy_is_dropped(void **state)
{
    (void)state;
    uint8_t f[NET_FRAME_MAX];
    static const uint8_t d[1000] = { 0 };
    size_t len = echo_request(f, OUR_IP, d, 100);
    /* Both arrive at once; the first reply is still on the wire. */
    assert_int_equal(sim_net_inject(&nic, f, len), VMUX_SUCCESS);
    assert_int_equal(sim_net_inject(&nic, f, len), VMUX_SUCCESS);
    pump();
    assert_int_equal(net.counters.icmp.echo_replies_sent, 1);
    assert_int_equal(net.counters.icmp.echo_dropped_busy, 1);
    uint8_t r[NET_FRAME_MAX];
    assert_int_equal(take(r), len);
    assert_nothing_sent();
}

/* ------------------------------------------------------------ garbage */

static uint32_t rng = 1;
static uint32_t next_random(void)
{
    rng = rng * 1664525u + 1013904223u; /* Numerical Recipes' LCG */
    return rng >> 8;
}

static void garbage_frames_crash_nothing_and_reach_nobody(void **state)
{
    (void)state;
    enum { FRAMES = 3000 };
    uint32_t rx_before = net.counters.eth.rx_frames;
    for (unsigned n = 0; n < FRAMES; n++) {
        uint8_t f[NET_FRAME_MAX];
        size_t len = 14 + next_random() % 120;
        for (size_t i = 0; i < len; i++)
            f[i] = (uint8_t)next_random();
        memcpy(f, our_mac, 6);
        unsigned kind = n % 4;
        if (kind == 0)
            put16(f + 12, 0x0806);
        if (kind >= 1)
            put16(f + 12, 0x0800);
        if (kind >= 2 && len >= 34) {
            /* A valid IPv4 header over random insides, so ICMP and UDP
             * see garbage too. */
            ip(f)[0] = 0x45;
            put16(ip(f) + 2, (unsigned)(len - 14));
            put16(ip(f) + 6, 0);
            ip(f)[9] = kind == 2 ? 1 : 17;
            put32(ip(f) + 12, PEER_IP);
            put32(ip(f) + 16, OUR_IP);
            reseal_ip(f);
            if (kind == 3 && len >= 42)
                put16(udp(f) + 4, (unsigned)(len - 34)); /* right length */
        }
        assert_int_equal(sim_net_inject(&nic, f, len), VMUX_SUCCESS);
        sim_settle();
        while (take(f) > 0)
            ;
    }
    pump();
    assert_int_equal(net.counters.eth.rx_frames - rx_before, FRAMES);
    assert_int_equal(a.receives_done, 0);
    assert_int_equal(mux.counters.rx.n[TALLY_TAKEN], 0);
    assert_true(net.counters.udp.bad_checksum > 0);
    assert_true(net.counters.icmp.bad_checksum > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NET_TEST(each_bad_input_has_its_own_counter_and_reaches_nobody),
        NET_TEST(ethernet_shorter_than_its_header_is_counted),
        NET_TEST(options_padding_broadcast_and_no_checksum_are_accepted),
        NET_TEST(echo_request_gets_a_correct_reply),
        NET_TEST(bad_or_other_icmp_is_counted_and_unanswered),
        NET_TEST(echo_while_the_reply_frame_is_busy_is_dropped),
        NET_TEST(garbage_frames_crash_nothing_and_reach_nobody),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
