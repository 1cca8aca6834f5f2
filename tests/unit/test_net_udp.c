/*
 * UDP mux: the virtualization policy, clause by clause. Confidentiality:
 * datagrams reach only the port's holder, ports are exclusive, reserved
 * ports need the capability, the source port is always the binding's,
 * frames are wiped between clients, a departed client leaves nothing.
 * Availability: sends go round robin, n-1 turns at most.
 */
#include "test_net_fixture.h"

static struct probe a, b, c, d;
static struct udp_binding a1, a2, a3, b1, c1, d1;

static int setup(void **state)
{
    net_setup(state);
    memset(&a1, 0, sizeof a1);
    memset(&a2, 0, sizeof a2);
    memset(&a3, 0, sizeof a3);
    memset(&b1, 0, sizeof b1);
    memset(&c1, 0, sizeof c1);
    memset(&d1, 0, sizeof d1);
    probe_attach(&a, 1, sizeof a.hold);
    probe_attach(&b, 2, sizeof b.hold);
    probe_attach(&c, 3, sizeof c.hold);
    probe_attach(&d, 4, sizeof d.hold);
    host_announces(peer_mac, PEER_IP);
    return 0;
}

static const struct udp_endpoint peer_echo = { PEER_IP, 7777 };

/* A datagram from the peer to one of our ports. */
static void peer_sends(unsigned port, const char *text)
{
    uint8_t f[NET_FRAME_MAX];
    inject(f, udp_frame(f, PEER_IP, 4321, OUR_IP, port, text, strlen(text)));
}

/* ------------------------------------------------------------ receive */

static void confidentiality_udp_datagram_reaches_only_the_bound_client(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 6000, NULL), VMUX_SUCCESS);
    probe_listen(&a);
    probe_listen(&b);
    memset(b.rx, 0xaa, sizeof b.rx);

    peer_sends(5000, "for a only");
    assert_int_equal(a.receives_done, 1);
    assert_int_equal(a.rx_status, VMUX_SUCCESS);
    assert_int_equal(a.rx_got, 10);
    assert_memory_equal(a.rx, "for a only", 10);
    assert_int_equal(a.rx_info.from.ip, PEER_IP);
    assert_int_equal(a.rx_info.from.port, 4321);
    assert_int_equal(a.rx_info.port, 5000);
    assert_int_equal(b.receives_done, 0);
    for (size_t i = 0; i < sizeof b.rx; i++)
        assert_int_equal(b.rx[i], 0xaa);

    /* Nobody on 7000: dropped, counted, seen by no one. */
    probe_listen(&a);
    peer_sends(7000, "lost");
    assert_int_equal(mux.counters.no_port, 1);
    assert_int_equal(a.receives_done, 1);
    assert_int_equal(b.receives_done, 0);
    assert_int_equal(mux.counters.rx.n[TALLY_TAKEN], 1);
}

static void confidentiality_udp_full_hold_drops_for_that_client_only(void **state)
{
    (void)state;
    struct probe small;
    struct udp_binding s1 = { 0 };
    probe_attach(&small, 9, 2 * (UDP_MUX_HOLD_RECORD + 40));
    assert_int_equal(udp_mux_bind(&small.c, &s1, 5000, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 6000, NULL), VMUX_SUCCESS);
    probe_listen(&b);
    char text[41];
    for (int i = 0; i < 3; i++) {
        memset(text, 'x' + i, 40);
        text[40] = 0;
        peer_sends(5000, text);
    }
    assert_int_equal(small.c.counters.dropped_full, 1);
    assert_int_equal(mux.counters.dropped_full, 1);
    assert_int_equal(b.receives_done, 0); /* never to anyone else */

    /* The two that fit come out in order; the third is gone. */
    probe_listen(&small);
    pump();
    assert_int_equal(small.receives_done, 1);
    assert_int_equal(small.rx[0], 'x');
    probe_listen(&small);
    pump();
    assert_int_equal(small.receives_done, 2);
    assert_int_equal(small.rx[0], 'y');
    probe_listen(&small);
    pump();
    assert_int_equal(small.receives_done, 2);
    udp_mux_detach(&small.c);
}

static void short_receive_buffer_gets_size_and_the_rest_is_dropped(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    peer_sends(5000, "0123456789");
    peer_sends(5000, "next");
    assert_int_equal(udp_mux_receive(&a.c, a.rx, 4), VMUX_SUCCESS);
    assert_int_equal(a.receives_done, 0); /* never from inside the request */
    pump();
    assert_int_equal(a.receives_done, 1);
    assert_int_equal(a.rx_status, VMUX_SIZE);
    assert_int_equal(a.rx_got, 4);
    assert_int_equal(a.rx_info.datagram_len, 10);
    assert_memory_equal(a.rx, "0123", 4);
    assert_int_equal(a.c.counters.truncated, 1);
    probe_listen(&a);
    pump();
    assert_int_equal(a.rx_status, VMUX_SUCCESS);
    assert_int_equal(a.rx_got, 4);
    assert_memory_equal(a.rx, "next", 4);
}

/* ------------------------------------------------------------ ports */

static void confidentiality_udp_bind_is_exclusive(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 5000, NULL), VMUX_BUSY);
    assert_int_equal(udp_mux_bind(&a.c, &a2, 5000, NULL), VMUX_ALREADY);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5001, NULL), VMUX_INVALID); /* a1 is bound */
    assert_int_equal(udp_binding_port(&a1), 5000);

    /* After a lets go, b may have it, and from then on only b hears it. */
    assert_int_equal(udp_mux_unbind(&a1), VMUX_SUCCESS);
    assert_int_equal(udp_mux_unbind(&a1), VMUX_OFF);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 5000, NULL), VMUX_SUCCESS);
    probe_listen(&a);
    probe_listen(&b);
    peer_sends(5000, "b now");
    assert_int_equal(b.receives_done, 1);
    assert_int_equal(a.receives_done, 0);
}

static void confidentiality_udp_reserved_ports_need_capability(void **state)
{
    (void)state;
    static const uint32_t forged[4]; /* zeroes: not a minted capability */
    const cap_udp_reserved_port_t *cap = test_board_cap_udp_reserved_port();
    assert_int_equal(udp_mux_bind(&a.c, &a1, 53, NULL), VMUX_RESERVE);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 1, NULL), VMUX_RESERVE);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 1023, NULL), VMUX_RESERVE);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 53, (const cap_udp_reserved_port_t *)forged),
                     VMUX_RESERVE);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 0, cap), VMUX_INVALID);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 1024, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 53, cap), VMUX_SUCCESS);
    /* Holding the capability does not take a port from its holder. */
    assert_int_equal(udp_mux_bind(&c.c, &c1, 53, cap), VMUX_BUSY);
    assert_int_equal(udp_mux_bind(&c.c, &c1, 1024, cap), VMUX_BUSY);
}

static void per_client_port_limit_and_bad_requests(void **state)
{
    (void)state;
    static struct udp_binding many[FIXTURE_PORTS_PER_CLIENT + 1];
    memset(many, 0, sizeof many);
    for (unsigned i = 0; i < FIXTURE_PORTS_PER_CLIENT; i++)
        assert_int_equal(udp_mux_bind(&a.c, &many[i], (uint16_t)(2000 + i), NULL),
                         VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&a.c, &many[FIXTURE_PORTS_PER_CLIENT], 3000, NULL),
                     VMUX_NOMEM);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 3000, NULL), VMUX_SUCCESS);

    uint8_t buf[8] = { 0 };
    struct udp_endpoint zero_ip = { 0, 7 }, zero_port = { PEER_IP, 0 };
    assert_int_equal(udp_mux_send(&b1, NULL, buf, 1), VMUX_INVALID);
    assert_int_equal(udp_mux_send(&b1, &zero_ip, buf, 1), VMUX_INVALID);
    assert_int_equal(udp_mux_send(&b1, &zero_port, buf, 1), VMUX_INVALID);
    assert_int_equal(udp_mux_send(&b1, &peer_echo, NULL, 0), VMUX_INVALID);
    assert_int_equal(udp_mux_send(&b1, &peer_echo, buf, UDP_PAYLOAD_MAX + 1), VMUX_SIZE);
    assert_int_equal(udp_mux_send(&c1, &peer_echo, buf, 1), VMUX_OFF); /* never bound */
    assert_int_equal(udp_mux_receive(&b.c, NULL, 4), VMUX_INVALID);
    assert_int_equal(udp_mux_receive(&b.c, buf, 0), VMUX_SIZE);
    probe_listen(&b);
    assert_int_equal(udp_mux_receive(&b.c, b.rx, 4), VMUX_BUSY);

    /* One id, one client. */
    struct probe twin;
    memset(&twin, 0, sizeof twin);
    assert_int_equal(udp_mux_attach(&mux, &twin.c, client_process(1, 1), &probe_ops, twin.hold,
                                    sizeof twin.hold),
                     VMUX_ALREADY);
    assert_int_equal(udp_mux_attach(&mux, &a.c, client_process(7, 1), &probe_ops, a.hold,
                                    sizeof a.hold),
                     VMUX_ALREADY);
    assert_int_equal(net.counters.udp.tx_datagrams, 0);
}

/* ------------------------------------------------------------ send */

/* The UDP header of frame f (with a 20-byte IP header). */
static const uint8_t *udp_of(const uint8_t *f) { return f + 14 + 20; }

static void confidentiality_udp_source_port_is_always_the_binding(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&a.c, &a2, 5001, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 6000, NULL), VMUX_SUCCESS);
    static const uint8_t hello[] = "hello";
    assert_int_equal(udp_mux_send(&a1, &peer_echo, hello, 5), VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&a2, &peer_echo, hello, 5), VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&b1, &peer_echo, hello, 5), VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&b1, &peer_echo, hello, 5), VMUX_BUSY);
    pump();

    unsigned seen[3] = { 0 };
    uint8_t f[NET_FRAME_MAX];
    size_t len;
    while ((len = take(f)) > 0) {
        const uint8_t *u = udp_of(f);
        assert_int_equal(get16(f + 12), 0x0800);
        assert_memory_equal(f, peer_mac, 6);
        assert_memory_equal(f + 6, our_mac, 6);
        assert_int_equal(get32(f + 14 + 12), OUR_IP);
        assert_int_equal(get32(f + 14 + 16), PEER_IP);
        assert_int_equal(ref_checksum(f + 14, 20), 0);
        assert_int_equal(get16(u + 2), 7777);
        assert_int_equal(get16(u + 4), 8 + 5);
        assert_memory_equal(u + 8, hello, 5);
        assert_int_equal(ref_udp_checksum(OUR_IP, PEER_IP, u, 13), 0);
        unsigned sport = get16(u);
        assert_true(sport == 5000 || sport == 5001 || sport == 6000);
        seen[sport == 5000 ? 0 : sport == 5001 ? 1 : 2]++;
    }
    assert_int_equal(seen[0], 1);
    assert_int_equal(seen[1], 1);
    assert_int_equal(seen[2], 1);

    /* An unbound handle sends nothing, from any port. */
    assert_int_equal(udp_mux_unbind(&a1), VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&a1, &peer_echo, hello, 5), VMUX_OFF);
    pump();
    assert_nothing_sent();
}

static void send_done_returns_the_buffer_to_its_client_later(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    static const uint8_t payload[300] = { 1, 2, 3 };
    assert_int_equal(udp_mux_send(&a1, &peer_echo, payload, sizeof payload), VMUX_SUCCESS);
    assert_int_equal(a.sends_done, 0); /* never from inside the request */
    sim_settle();
    /* Copied and on the wire, but not done until the NIC says so. */
    assert_int_equal(a.sends_done, 0);
    pump();
    assert_int_equal(a.sends_done, 1);
    assert_ptr_equal(a.done_buf, payload);
    assert_int_equal(a.done_len, sizeof payload);
    assert_ptr_equal(a.done_binding, &a1);
    assert_int_equal(a.done_status, VMUX_SUCCESS);
    assert_int_equal(b.sends_done, 0);
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 14 + 20 + 8 + sizeof payload);
    assert_int_equal(a.c.counters.tx.n[TALLY_DELIVERED], 1);
    assert_int_equal(net.counters.udp.tx_datagrams, 1);
}

/* ------------------------------------------------------------ destinations */

/* Where a datagram may go (docs/net.md): refused at once, with its error
 * and its counter, and nothing on the wire; or sent, a broadcast as an
 * Ethernet broadcast. */
static void destinations_nowhere_self_loopback_multicast_refused_and_counted(void **state)
{
    (void)state;
    static const struct {
        uint32_t ip;
        vmux_err_t err;
    } refused[] = {
        { 0x00000000u, VMUX_INVALID },   /* 0.0.0.0 */
        { 0x00010203u, VMUX_INVALID },   /* 0.1.2.3: "this network" */
        { OUR_IP, VMUX_INVALID },        /* the board itself: no loopback path */
        { 0x7f000001u, VMUX_INVALID },   /* 127.0.0.1 */
        { 0x7fabcdefu, VMUX_INVALID },   /* 127/8 */
        { 0xe0000001u, VMUX_NOSUPPORT }, /* 224.0.0.1 */
        { 0xeffffffau, VMUX_NOSUPPORT }, /* 239.255.255.250 */
        { 0xf0000001u, VMUX_NOSUPPORT }, /* 240.0.0.1: reserved */
    };
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct udp_endpoint to = { refused[i].ip, 7777 };
        assert_int_equal(udp_mux_send(&a1, &to, (const uint8_t *)"x", 1), refused[i].err);
    }
    pump();
    assert_nothing_sent();
    assert_int_equal(a.sends_done, 0);
    assert_int_equal(mux.counters.to_nowhere, 2);
    assert_int_equal(mux.counters.to_self, 1);
    assert_int_equal(mux.counters.to_loopback, 2);
    assert_int_equal(mux.counters.to_multicast, 3);
    assert_int_equal(mux.counters.tx.n[TALLY_TAKEN], 0);
}

static void destinations_broadcasts_go_out_as_ethernet_broadcasts(void **state)
{
    (void)state;
    static const uint32_t broadcasts[] = { 0xffffffffu, (OUR_IP & NETMASK) | ~NETMASK };
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    for (unsigned i = 0; i < 2; i++) {
        struct udp_endpoint to = { broadcasts[i], 7777 };
        assert_int_equal(udp_mux_send(&a1, &to, (const uint8_t *)"all", 3), VMUX_SUCCESS);
        pump();
        uint8_t f[NET_FRAME_MAX];
        assert_true(take(f) >= 14 + 20 + 8 + 3); /* padded to the minimum frame */
        for (unsigned k = 0; k < 6; k++)
            assert_int_equal(f[k], 0xff); /* no ARP: the link's broadcast */
        assert_int_equal((uint32_t)f[30] << 24 | (uint32_t)f[31] << 16 | (uint32_t)f[32] << 8 | f[33],
                         broadcasts[i]);
        assert_int_equal(a.done_status, VMUX_SUCCESS);
    }
    assert_int_equal(a.c.counters.tx.n[TALLY_DELIVERED], 2);
}

/* A datagram from a loopback source is a martian: nobody gets it, and no
 * answer goes out to it. */
static void loopback_source_from_the_wire_dropped_as_bad_source(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    probe_listen(&a);
    uint8_t f[NET_FRAME_MAX];
    inject(f, udp_frame(f, 0x7f000001u, 4321, OUR_IP, 5000, "martian", 7));
    assert_int_equal(net.counters.ipv4.bad_source, 1);
    assert_int_equal(a.receives_done, 0);
    assert_int_equal(mux.counters.arrived, 0);
}

static void confidentiality_udp_frames_are_wiped_between_clients(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&b.c, &b1, 6000, NULL), VMUX_SUCCESS);
    static uint8_t secret[1000];
    memset(secret, 0x5e, sizeof secret);
    assert_int_equal(udp_mux_send(&a1, &peer_echo, secret, sizeof secret), VMUX_SUCCESS);
    pump();
    assert_true(frames_all_wiped());

    /* b's short datagram lands in a frame a used: padding is zero. */
    static const uint8_t one = 0x11;
    assert_int_equal(udp_mux_send(&b1, &peer_echo, &one, 1), VMUX_SUCCESS);
    pump();
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 14 + 20 + 8 + sizeof secret);
    memset(f, 0x77, sizeof f);
    assert_int_equal(take(f), 60); /* padded to the Ethernet minimum */
    assert_int_equal(udp_of(f)[8], 0x11);
    for (size_t i = 14 + 20 + 8 + 1; i < 60; i++)
        assert_int_equal(f[i], 0);
    assert_true(frames_all_wiped());
}

static void unbind_cancels_a_queued_send_from_the_loop(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    static const uint8_t payload[4] = { 9, 9, 9, 9 };
    assert_int_equal(udp_mux_send(&a1, &peer_echo, payload, 4), VMUX_SUCCESS);
    assert_int_equal(udp_mux_unbind(&a1), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5001, NULL), VMUX_BUSY); /* until done */
    assert_int_equal(a.sends_done, 0);
    pump();
    assert_int_equal(a.sends_done, 1);
    assert_int_equal(a.done_status, VMUX_CANCEL);
    assert_ptr_equal(a.done_buf, payload);
    assert_nothing_sent();
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5001, NULL), VMUX_SUCCESS);
}

/* ------------------------------------------------------------ fairness */

/* a on 1100, b on 2200, c on 3300, d on 4400: port / 1100 names the client. */
static void bind_one_port_each(void)
{
    struct probe *who[] = { &a, &b, &c, &d };
    struct udp_binding *binding[] = { &a1, &b1, &c1, &d1 };
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(udp_mux_bind(&who[i]->c, binding[i], (uint16_t)(1100 * (i + 1)), NULL),
                         VMUX_SUCCESS);
}

static void availability_udp_send_round_robin_n_minus_one_turns(void **state)
{
    (void)state;
    /* a has three sends waiting when b, c and d queue one each: none of
     * them waits behind more than n - 1 = 3 datagrams. */
    bind_one_port_each();
    assert_int_equal(udp_mux_bind(&a.c, &a2, 1101, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&a.c, &a3, 1102, NULL), VMUX_SUCCESS);
    static const uint8_t x = 1;
    struct udp_binding *order[] = { &a1, &a2, &a3, &b1, &c1, &d1 };
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(udp_mux_send(order[i], &peer_echo, &x, 1), VMUX_SUCCESS);
    pump();

    unsigned wire[6];
    uint8_t f[NET_FRAME_MAX];
    for (unsigned i = 0; i < 6; i++) {
        assert_true(take(f) > 0);
        wire[i] = get16(udp_of(f)) / 1100; /* 1 = a, 2 = b, 3 = c, 4 = d */
    }
    assert_nothing_sent();
    static const unsigned expected[6] = { 1, 2, 3, 4, 1, 1 };
    assert_memory_equal(wire, expected, sizeof wire);
}

static void availability_udp_greedy_clients_cannot_starve_a_newcomer(void **state)
{
    (void)state;
    /* a, b and c send again from every send_done, enough to keep every
     * UDP frame busy; d, the highest slot, joins late and still goes out
     * within n - 1 = 3 datagrams of the others. */
    bind_one_port_each();
    static const uint8_t x = 1;
    struct probe *greedy[] = { &a, &b, &c };
    struct udp_binding *port[] = { &a1, &b1, &c1 };
    for (unsigned i = 0; i < 3; i++) {
        greedy[i]->greedy = true;
        assert_int_equal(udp_mux_send(port[i], &peer_echo, &x, 1), VMUX_SUCCESS);
    }
    uint8_t f[NET_FRAME_MAX];
    for (unsigned i = 0; i < 6; i++) {
        sim_advance(sim_net_wire_ns(60));
        while (take(f) > 0)
            assert_int_not_equal(get16(udp_of(f)), 4400);
    }
    assert_int_equal(udp_mux_send(&d1, &peer_echo, &x, 1), VMUX_SUCCESS);
    unsigned others_before_d = 0;
    bool d_sent = false;
    for (unsigned i = 0; i < 20 && !d_sent; i++) {
        sim_advance(sim_net_wire_ns(60));
        while (!d_sent && take(f) > 0) {
            if (get16(udp_of(f)) == 4400)
                d_sent = true;
            else
                others_before_d++;
        }
    }
    assert_true(d_sent);
    /* Frames already queued when d asked may go first: the 3 UDP frames,
     * plus the n - 1 turns of the round robin bound that follow. */
    assert_true(others_before_d <= FIXTURE_FRAMES - 2 + 3);
    for (unsigned i = 0; i < 3; i++)
        greedy[i]->greedy = false;
    sim_advance(MS);
}

/* ------------------------------------------------------------ departure */

static void confidentiality_udp_client_departure_releases_ports(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&a.c, &a2, 5001, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&a.c, &a3, 5002, NULL), VMUX_SUCCESS);
    /* a leaves a datagram held, one waiting for ARP in a frame, one
     * queued behind it. */
    peer_sends(5000, "held for a");
    static uint8_t secret[64];
    memset(secret, 0x5e, sizeof secret);
    struct udp_endpoint unknown = { 0x0a000009u, 9 };
    assert_int_equal(udp_mux_send(&a2, &unknown, secret, sizeof secret), VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&a3, &peer_echo, secret, sizeof secret), VMUX_SUCCESS);
    pump();
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 60); /* the ARP request */
    assert_nothing_sent();
    assert_false(frames_all_wiped());

    client_departed(client_process(1, 1));
    assert_false(a.c.entry.attached);
    assert_true(frames_all_wiped());
    for (size_t i = 0; i < sizeof a.hold; i++)
        assert_int_equal(a.hold[i], 0);

    /* Its ports are free for others, its handles are dead. */
    assert_int_equal(udp_mux_bind(&b.c, &b1, 5001, NULL), VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&a1, &peer_echo, secret, 1), VMUX_OFF);
    probe_listen(&b);
    peer_sends(5000, "nobody");
    assert_int_equal(mux.counters.no_port, 1);
    peer_sends(5001, "to b");
    assert_int_equal(b.receives_done, 1);

    /* The host answers at last: nothing of a's goes out, no callback. */
    inject(f, arp_frame(f, our_mac, 2, (const uint8_t[6]){ 2, 0, 0, 0, 0, 9 }, 0x0a000009u,
                        our_mac, OUR_IP));
    sim_advance(5 * SECOND);
    assert_nothing_sent();
    assert_int_equal(a.sends_done, 0);
    assert_int_equal(a.receives_done, 0);

    /* The same slot, restarted, is a new client with nothing of the old. */
    struct probe *again = &a;
    memset(again, 0, sizeof *again);
    assert_int_equal(udp_mux_attach(&mux, &again->c, client_process(1, 2), &probe_ops,
                                    again->hold, sizeof again->hold),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_send(&a3, &peer_echo, secret, 1), VMUX_OFF);
    assert_int_equal(udp_mux_bind(&again->c, &a1, 5001, NULL), VMUX_BUSY);
}

static void departure_with_a_frame_on_the_wire_wipes_it_when_it_returns(void **state)
{
    (void)state;
    assert_int_equal(udp_mux_bind(&a.c, &a1, 5000, NULL), VMUX_SUCCESS);
    static uint8_t secret[500];
    memset(secret, 0x5e, sizeof secret);
    assert_int_equal(udp_mux_send(&a1, &peer_echo, secret, sizeof secret), VMUX_SUCCESS);
    sim_settle(); /* copied and lent to the NIC */
    assert_false(frames_all_wiped());
    client_departed(client_process(1, 1));
    pump();
    assert_true(frames_all_wiped());
    assert_int_equal(a.sends_done, 0);
    uint8_t f[NET_FRAME_MAX];
    assert_int_equal(take(f), 14 + 20 + 8 + sizeof secret); /* it was on the wire */
}

/* ------------------------------------------------------------ scale */

static void sixty_four_bindings_are_found_without_a_scan(void **state)
{
    (void)state;
    static struct probe many[FIXTURE_CLIENTS];
    static struct udp_binding bind[64];
    memset(bind, 0, sizeof bind);
    udp_mux_detach(&a.c);
    udp_mux_detach(&b.c);
    udp_mux_detach(&c.c);
    udp_mux_detach(&d.c);
    for (unsigned i = 0; i < FIXTURE_CLIENTS; i++)
        probe_attach(&many[i], 20 + i, sizeof many[i].hold);
    for (unsigned i = 0; i < 64; i++)
        assert_int_equal(udp_mux_bind(&many[i % FIXTURE_CLIENTS].c, &bind[i],
                                      (uint16_t)(40000 + i), NULL),
                         VMUX_SUCCESS);
    uint32_t lookups = mux.ports.stats.lookups, probes = mux.ports.stats.probes;

    for (unsigned i = 0; i < 64; i++) {
        char text[8];
        text[0] = (char)i;
        uint8_t f[NET_FRAME_MAX];
        assert_int_equal(sim_net_inject(&nic, f, udp_frame(f, PEER_IP, 1, OUR_IP, 40000 + i,
                                                           text, 1)),
                         VMUX_SUCCESS);
        sim_settle();
    }
    assert_int_equal(mux.counters.rx.n[TALLY_TAKEN], 64);
    for (unsigned i = 0; i < FIXTURE_CLIENTS; i++)
        assert_int_equal(many[i].c.hold.count, 8 * (UDP_MUX_HOLD_RECORD + 1));

    /* A scan would look at 32 entries on average; hashing, about one. */
    assert_int_equal(mux.ports.stats.lookups - lookups, 64);
    assert_true(mux.ports.stats.probes - probes <= 2 * 64);
    assert_true(mux.ports.stats.probes_max <= 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        NET_TEST(confidentiality_udp_datagram_reaches_only_the_bound_client),
        NET_TEST(confidentiality_udp_full_hold_drops_for_that_client_only),
        NET_TEST(short_receive_buffer_gets_size_and_the_rest_is_dropped),
        NET_TEST(confidentiality_udp_bind_is_exclusive),
        NET_TEST(confidentiality_udp_reserved_ports_need_capability),
        NET_TEST(per_client_port_limit_and_bad_requests),
        NET_TEST(confidentiality_udp_source_port_is_always_the_binding),
        NET_TEST(send_done_returns_the_buffer_to_its_client_later),
        NET_TEST(destinations_nowhere_self_loopback_multicast_refused_and_counted),
        NET_TEST(destinations_broadcasts_go_out_as_ethernet_broadcasts),
        NET_TEST(loopback_source_from_the_wire_dropped_as_bad_source),
        NET_TEST(confidentiality_udp_frames_are_wiped_between_clients),
        NET_TEST(unbind_cancels_a_queued_send_from_the_loop),
        NET_TEST(availability_udp_send_round_robin_n_minus_one_turns),
        NET_TEST(availability_udp_greedy_clients_cannot_starve_a_newcomer),
        NET_TEST(confidentiality_udp_client_departure_releases_ports),
        NET_TEST(departure_with_a_frame_on_the_wire_wipes_it_when_it_returns),
        NET_TEST(sixty_four_bindings_are_found_without_a_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
