/*
 * ARP: answers for our address, the cache (learning, merge rule, ageing,
 * eviction), resolution of unknown next hops with the datagram waiting,
 * retries and giving up, and malformed packets.
 */
#include "test_net_fixture.h"

static const uint8_t other_mac[NET_MAC_SIZE] = { 0x02, 0, 0, 0, 0, 0x03 };
#define OTHER_IP 0x0a000003u

static struct probe a;
static struct udp_binding a1;

static int setup(void **state)
{
    net_setup(state);
    probe_bound(&a, 1, &a1, 5000);
    return 0;
}

static void arp_in(unsigned op, const uint8_t *sender_mac, uint32_t sender_ip,
                   uint32_t target_ip)
{
    uint8_t f[64];
    inject(f, arp_frame(f, all_ones_mac, op, sender_mac, sender_ip,
                        (const uint8_t[6]){ 0 }, target_ip));
}

static void expect_request_for(uint32_t ip)
{
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 60);
    assert_memory_equal(f, all_ones_mac, 6);
    assert_memory_equal(f + 6, our_mac, 6);
    assert_int_equal(get16(f + 12), 0x0806);
    const uint8_t *p = f + 14;
    assert_int_equal(get16(p), 1);
    assert_int_equal(get16(p + 2), 0x0800);
    assert_int_equal(p[4], 6);
    assert_int_equal(p[5], 4);
    assert_int_equal(get16(p + 6), 1);
    assert_memory_equal(p + 8, our_mac, 6);
    assert_int_equal(get32(p + 14), OUR_IP);
    assert_int_equal(get32(p + 24), ip);
    for (size_t i = 14 + 28; i < 60; i++)
        assert_int_equal(f[i], 0); /* padding */
}

/* ------------------------------------------------------------ answers */

static void request_for_our_address_is_answered_and_the_asker_learnt(void **state)
{
    (void)state;
    arp_in(1, peer_mac, PEER_IP, OUR_IP);
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 60);
    assert_memory_equal(f, peer_mac, 6);
    assert_memory_equal(f + 6, our_mac, 6);
    const uint8_t *p = f + 14;
    assert_int_equal(get16(p + 6), 2);
    assert_memory_equal(p + 8, our_mac, 6);
    assert_int_equal(get32(p + 14), OUR_IP);
    assert_memory_equal(p + 18, peer_mac, 6);
    assert_int_equal(get32(p + 24), PEER_IP);
    uint8_t mac[6];
    assert_true(arp_lookup(&net, PEER_IP, mac));
    assert_memory_equal(mac, peer_mac, 6);
    assert_int_equal(net.counters.arp.requests_for_us, 1);
    assert_int_equal(net.counters.arp.replies_sent, 1);
}

static void request_for_another_address_is_ignored_and_not_learnt(void **state)
{
    (void)state;
    arp_in(1, peer_mac, PEER_IP, OTHER_IP);
    assert_nothing_sent();
    uint8_t mac[6];
    assert_false(arp_lookup(&net, PEER_IP, mac));
    assert_int_equal(net.counters.arp.not_for_us, 1);
    /* A reply aimed elsewhere teaches nothing new either (RFC 826). */
    arp_in(2, other_mac, OTHER_IP, PEER_IP);
    assert_false(arp_lookup(&net, OTHER_IP, mac));
}

static void known_sender_is_updated_by_any_packet(void **state)
{
    (void)state;
    host_announces(peer_mac, PEER_IP);
    arp_in(1, other_mac, PEER_IP, OTHER_IP); /* peer moved to another NIC */
    uint8_t mac[6];
    assert_true(arp_lookup(&net, PEER_IP, mac));
    assert_memory_equal(mac, other_mac, 6);
}

static void a_busy_arp_frame_drops_the_second_reply(void **state)
{
    (void)state;
    uint8_t f[64];
    arp_frame(f, all_ones_mac, 1, peer_mac, PEER_IP, (const uint8_t[6]){ 0 }, OUR_IP);
    assert_int_equal(sim_net_inject(&nic, f, 42), VMUX_SUCCESS);
    assert_int_equal(sim_net_inject(&nic, f, 42), VMUX_SUCCESS);
    pump();
    assert_int_equal(net.counters.arp.replies_sent, 1);
    assert_int_equal(net.counters.arp.reply_dropped_busy, 1);
}

/* ------------------------------------------------------------ resolution */

static void unknown_next_hop_is_asked_for_and_the_datagram_waits(void **state)
{
    (void)state;
    static const uint8_t hi[2] = { 'h', 'i' };
    struct udp_endpoint other = { OTHER_IP, 99 };
    assert_int_equal(udp_mux_send(&a1, &other, hi, 2), VMUX_SUCCESS);
    pump();
    expect_request_for(OTHER_IP);
    assert_nothing_sent();
    assert_int_equal(a.sends_done, 0);

    uint8_t f[NET_FRAME_MAX];
    inject(f, arp_frame(f, our_mac, 2, other_mac, OTHER_IP, our_mac, OUR_IP));
    assert_int_equal(take(f), 60);
    assert_memory_equal(f, other_mac, 6);
    assert_int_equal(get16(f + 12), 0x0800);
    assert_int_equal(get32(f + 14 + 16), OTHER_IP);
    assert_int_equal(get16(f + 14 + 20 + 2), 99);
    assert_memory_equal(f + 14 + 20 + 8, hi, 2);
    assert_int_equal(a.sends_done, 1);
    assert_int_equal(a.done_status, VMUX_SUCCESS);
    assert_int_equal(net.counters.arp.replies_received, 1);

    /* Known now: the next one goes at once. */
    a.sends_done = 0;
    assert_int_equal(udp_mux_send(&a1, &other, hi, 2), VMUX_SUCCESS);
    pump();
    assert_int_equal(take(f), 60);
    assert_memory_equal(f, other_mac, 6);
    assert_int_equal(net.counters.arp.requests_sent, 1);
}

static void off_link_destination_goes_through_the_gateway(void **state)
{
    (void)state;
    static const uint8_t x = 7;
    struct udp_endpoint far = { 0x08080808u, 53 };
    assert_int_equal(udp_mux_send(&a1, &far, &x, 1), VMUX_SUCCESS);
    pump();
    expect_request_for(GATEWAY_IP);
    uint8_t f[NET_FRAME_MAX];
    inject(f, arp_frame(f, our_mac, 2, gateway_mac, GATEWAY_IP, our_mac, OUR_IP));
    assert_int_equal(take(f), 60);
    assert_memory_equal(f, gateway_mac, 6);
    assert_int_equal(get32(f + 14 + 16), 0x08080808u);
}

static void silent_next_hop_is_given_up_after_the_retries(void **state)
{
    (void)state;
    static const uint8_t x = 7;
    struct udp_endpoint other = { OTHER_IP, 99 };
    assert_int_equal(udp_mux_send(&a1, &other, &x, 1), VMUX_SUCCESS);
    pump();
    expect_request_for(OTHER_IP);
    for (unsigned i = 1; i < ARP_REQUEST_TRIES; i++) {
        sim_advance(ARP_TICK_MS * MS);
        expect_request_for(OTHER_IP);
        assert_int_equal(a.sends_done, 0);
    }
    sim_advance(ARP_TICK_MS * MS);
    assert_nothing_sent();
    assert_int_equal(a.sends_done, 1);
    assert_int_equal(a.done_status, VMUX_NOACK);
    assert_int_equal(net.counters.arp.requests_sent, ARP_REQUEST_TRIES);
    assert_int_equal(net.counters.arp.resolve_failed, 1);
    assert_int_equal(net.counters.arp.dropped_unresolved, 1);
    assert_true(frames_all_wiped());
    /* Nothing left to time: the alarm rests. */
    assert_false(net.arp.ticking);
}

/* ------------------------------------------------------------ cache */

static void resolved_entries_age_out(void **state)
{
    (void)state;
    host_announces(peer_mac, PEER_IP);
    uint8_t mac[6];
    sim_advance((ARP_LIFETIME_TICKS - 1) * ARP_TICK_MS * MS);
    assert_true(arp_lookup(&net, PEER_IP, mac));
    sim_advance(ARP_TICK_MS * MS);
    assert_false(arp_lookup(&net, PEER_IP, mac));
    assert_int_equal(net.counters.arp.expired, 1);

    /* Forgotten, so the next datagram asks again. */
    static const uint8_t x = 7;
    struct udp_endpoint peer = { PEER_IP, 99 };
    assert_int_equal(udp_mux_send(&a1, &peer, &x, 1), VMUX_SUCCESS);
    pump();
    expect_request_for(PEER_IP);
}

static void full_cache_reuses_the_oldest_resolved_entry(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ARP_ENTRIES; i++) {
        uint8_t mac[6] = { 0x02, 0, 0, 0, 1, (uint8_t)i };
        host_announces(mac, 0x0a000010u + i);
        sim_advance(ARP_TICK_MS * MS); /* the first is the oldest */
    }
    uint8_t mac[6];
    assert_true(arp_lookup(&net, 0x0a000010u, mac));
    host_announces(peer_mac, PEER_IP);
    assert_int_equal(net.counters.arp.evicted, 1);
    assert_false(arp_lookup(&net, 0x0a000010u, mac));
    assert_true(arp_lookup(&net, 0x0a000011u, mac));
    assert_true(arp_lookup(&net, PEER_IP, mac));
}

/* ------------------------------------------------------------ bad input */

static void malformed_packets_are_counted_and_teach_nothing(void **state)
{
    (void)state;
    uint8_t f[64];
    uint8_t mac[6];
    size_t len = arp_frame(f, all_ones_mac, 1, peer_mac, PEER_IP, (const uint8_t[6]){ 0 },
                           OUR_IP);
    inject(f, len - 1); /* one byte short */
    assert_int_equal(net.counters.arp.truncated, 1);

    struct { size_t at; uint8_t value; uint32_t *counter; } cases[] = {
        { 14 + 1, 6, &net.counters.arp.unsupported },    /* hardware type 6 */
        { 14 + 2, 0x86, &net.counters.arp.unsupported }, /* protocol 0x86dd */
        { 14 + 4, 8, &net.counters.arp.unsupported },    /* hardware length */
        { 14 + 5, 16, &net.counters.arp.unsupported },   /* protocol length */
        { 14 + 7, 3, &net.counters.arp.bad_op },         /* RARP request */
        { 14 + 8, 0x01, &net.counters.arp.bad_sender },  /* multicast MAC */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t bad[64];
        memcpy(bad, f, len);
        bad[cases[i].at] = cases[i].value;
        uint32_t before = *cases[i].counter;
        inject(bad, len);
        assert_int_equal(*cases[i].counter, before + 1);
    }
    inject(f, arp_frame(f, all_ones_mac, 1, peer_mac, 0, (const uint8_t[6]){ 0 }, OUR_IP));
    inject(f, arp_frame(f, all_ones_mac, 1, peer_mac, OUR_IP, (const uint8_t[6]){ 0 }, OUR_IP));
    assert_int_equal(net.counters.arp.bad_sender, 3);
    assert_nothing_sent();
    assert_false(arp_lookup(&net, PEER_IP, mac));
    assert_false(arp_lookup(&net, 0, mac));
    assert_int_equal(net.counters.arp.learned, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NET_TEST(request_for_our_address_is_answered_and_the_asker_learnt),
        NET_TEST(request_for_another_address_is_ignored_and_not_learnt),
        NET_TEST(known_sender_is_updated_by_any_packet),
        NET_TEST(a_busy_arp_frame_drops_the_second_reply),
        NET_TEST(unknown_next_hop_is_asked_for_and_the_datagram_waits),
        NET_TEST(off_link_destination_goes_through_the_gateway),
        NET_TEST(silent_next_hop_is_given_up_after_the_retries),
        NET_TEST(resolved_entries_age_out),
        NET_TEST(full_cache_reuses_the_oldest_resolved_entry),
        NET_TEST(malformed_packets_are_counted_and_teach_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
