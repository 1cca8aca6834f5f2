/*
 * UDP driver 0x30002 through scripted processes over the UDP mux on a
 * simulated NIC (tests/unit/test_net_fixture.h: the test is the peer,
 * 10.0.0.2, injecting frames and reading what the stack transmits).
 *
 * Tock's interface: a round trip with the sender's endpoint in the
 * receive configuration; the policy: ports exclusive between processes
 * and kernel clients, reserved ports refused, sends only from the
 * binding, datagrams only to their port's process; a process's end
 * releasing its port and dropping its send; every refusal.
 */
#include "test_net_fixture.h"

#include "capsules/drivers/udp_driver.h"
#include "tests/unit/test_driver_common.h"

#define UDP UDP_DRIVER_NUM
#define PEER_PORT 4321
/* where things are in each process's RAM (below its break, at 1 KiB) */
#define TX_AT 0
#define CFG_AT 544
#define RXCFG_AT 592
#define RX_AT 640
#define RX_LEN 256

static struct udp_driver drv;
static struct harness_process hp[3];

static int setup(void **state)
{
    net_setup(state);
    udp_driver_init(&drv, &mux);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    static const char *const names[3] = { "alpha", "beta", "gamma" };
    for (unsigned i = 0; i < 3; i++) {
        assert_non_null(harness_spawn(&hp[i], names[i], RESTART_NEVER));
        td_subscribe(&hp[i], UDP, UDP_UPCALL_RECEIVED);
        td_subscribe(&hp[i], UDP, UDP_UPCALL_SENT);
    }
    host_announces(peer_mac, PEER_IP);
    return 0;
}

/* ------------------------------------------------------------ endpoints */

/* An endpoint as a process writes it: ::ffff:ip, port low byte first. */
static void endpoint(uint8_t b[18], uint32_t ip, unsigned port)
{
    memset(b, 0, 10);
    b[10] = b[11] = 0xff;
    put32(b + 12, ip);
    b[16] = (uint8_t)port;
    b[17] = (uint8_t)(port >> 8);
}

static struct syscall_return udp(unsigned i, uint32_t cmd, syscall_reg_t a)
{
    return td_command(&hp[i], UDP, cmd, a, 0);
}

/* Command 3 with ep in bytes 18..35 of a 36-byte receive configuration. */
static struct syscall_return bind_raw(unsigned i, const uint8_t ep[18])
{
    uint8_t *cfg = td_fill(&hp[i], RXCFG_AT, 0, UDP_CONFIG_SIZE);
    memcpy(cfg + UDP_ENDPOINT_SIZE, ep, UDP_ENDPOINT_SIZE);
    td_allow(&hp[i], false, UDP, UDP_ALLOW_RW_RX_CFG, RXCFG_AT, UDP_CONFIG_SIZE);
    return udp(i, UDP_CMD_BIND, 0);
}

static struct syscall_return bind_port(unsigned i, unsigned port)
{
    uint8_t ep[18];
    endpoint(ep, OUR_IP, port);
    return bind_raw(i, ep);
}

/* Command 2 from src to dst with len bytes of data. */
static struct syscall_return send_raw(unsigned i, const uint8_t src[18], const uint8_t dst[18],
                                      const void *data, size_t len)
{
    memcpy(&hp[i].ram[CFG_AT], src, UDP_ENDPOINT_SIZE);
    memcpy(&hp[i].ram[CFG_AT + UDP_ENDPOINT_SIZE], dst, UDP_ENDPOINT_SIZE);
    td_allow(&hp[i], false, UDP, UDP_ALLOW_RW_CFG, CFG_AT, UDP_CONFIG_SIZE);
    if (len)
        memcpy(&hp[i].ram[TX_AT], data, len);
    td_allow(&hp[i], true, UDP, UDP_ALLOW_RO_TX, TX_AT, len);
    return udp(i, UDP_CMD_SEND, 0);
}

/* From our address and sport to the peer's 7777. */
static struct syscall_return send_from(unsigned i, unsigned sport, const char *text)
{
    uint8_t src[18], dst[18];
    endpoint(src, OUR_IP, sport);
    endpoint(dst, PEER_IP, 7777);
    return send_raw(i, src, dst, text, strlen(text));
}

/* Share RX_LEN bytes (canary 0xee) as the receive buffer, and a receive
 * configuration (canary 0xcc, which the bind left there). */
static uint8_t *receive_into(unsigned i, size_t len)
{
    td_fill(&hp[i], RX_AT, 0xee, RX_LEN);
    td_allow(&hp[i], false, UDP, UDP_ALLOW_RW_RX, RX_AT, len);
    return &hp[i].ram[RX_AT];
}

static void peer_sends(unsigned port, const char *text)
{
    uint8_t f[NET_FRAME_MAX];
    inject(f, udp_frame(f, PEER_IP, PEER_PORT, OUR_IP, port, text, strlen(text)));
}

static void expect_received(unsigned i, size_t len)
{
    td_expect_upcall(&hp[i], UDP, UDP_UPCALL_RECEIVED, (uint32_t)len, 0, 0);
}

static void expect_sent(unsigned i, vmux_err_t status)
{
    td_expect_upcall(&hp[i], UDP, UDP_UPCALL_SENT, status, 0, 0);
}

/* The next transmitted frame is a UDP datagram from us to the peer with
 * sound checksums; returns its UDP segment and sets *len (payload). */
static const uint8_t *take_datagram(uint8_t *f, size_t *len)
{
    size_t n = take(f);
    assert_true(n >= 14 + 20 + 8);
    assert_int_equal(get16(f + 12), 0x0800);
    assert_memory_equal(f, peer_mac, 6);
    assert_int_equal(f[14 + 9], 17);
    assert_int_equal(get32(f + 14 + 12), OUR_IP);
    assert_int_equal(get32(f + 14 + 16), PEER_IP);
    assert_int_equal(ref_checksum(f + 14, 20), 0);
    const uint8_t *u = f + 14 + 20;
    *len = get16(u + 4) - 8u;
    assert_int_equal(ref_udp_checksum(OUR_IP, PEER_IP, u, 8 + *len), 0);
    return u;
}

/* ------------------------------------------------------------ interface */

static void udp_bind_receive_send_round_trip(void **state)
{
    (void)state;
    td_assert_success(bind_port(0, 5000));
    uint8_t *rx = receive_into(0, 64);
    peer_sends(5000, "ping");
    expect_received(0, 4);
    assert_memory_equal(rx, "ping", 4);
    assert_true(td_all(rx + 4, 0xee, RX_LEN - 4));
    /* the sender, in Tock's layout: ::ffff:10.0.0.2, port high byte
     * first, then zeroes over the bound endpoint */
    const uint8_t *cfg = &hp[0].ram[RXCFG_AT];
    uint8_t sender[18];
    endpoint(sender, PEER_IP, 0);
    assert_memory_equal(cfg, sender, 16);
    assert_int_equal(cfg[16], PEER_PORT >> 8);
    assert_int_equal(cfg[17], PEER_PORT & 0xff);
    assert_true(td_all(cfg + 18, 0, 18));

    /* the answer goes back to the sender, from the bound port */
    uint8_t src[18], dst[18];
    endpoint(src, OUR_IP, 5000);
    endpoint(dst, PEER_IP, PEER_PORT);
    struct syscall_return r = send_raw(0, src, dst, "pong!", 5);
    td_assert_u32(r, 0);
    memcpy(&hp[0].ram[TX_AT], "XXXXX", 5); /* copied when asked: too late */
    pump();
    uint8_t f[NET_FRAME_MAX];
    size_t len;
    const uint8_t *u = take_datagram(f, &len);
    assert_int_equal(get16(u), 5000);
    assert_int_equal(get16(u + 2), PEER_PORT);
    assert_int_equal(len, 5);
    assert_memory_equal(u + 8, "pong!", 5);
    assert_nothing_sent();
    expect_sent(0, VMUX_SUCCESS);
    assert_int_equal(td_pending(&hp[0]), 0);
    /* the next one may go */
    td_assert_u32(send_from(0, 5000, "again"), 0);
    pump();
    take_datagram(f, &len);
    expect_sent(0, VMUX_SUCCESS);
}

static void udp_interfaces_and_max_payload(void **state)
{
    (void)state;
    td_assert_u32(udp(0, UDP_CMD_MAX_PAYLOAD, 0), UDP_DRIVER_MAX_PAYLOAD);
    td_assert_u32(udp(0, UDP_CMD_MAX_PAYLOAD, 0), 512);
    uint8_t ours[18];
    endpoint(ours, OUR_IP, 0);
    /* exactly n * 16 bytes; the count is returned whatever n is */
    uint8_t *list = td_fill(&hp[0], CFG_AT, 0xee, 32);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_CFG, CFG_AT, 16);
    td_assert_u32(udp(0, UDP_CMD_INTERFACES, 1), 1);
    assert_memory_equal(list, ours, 16);
    assert_true(td_all(list + 16, 0xee, 16));
    td_fill(&hp[0], CFG_AT, 0xee, 32);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_CFG, CFG_AT, 32);
    td_assert_u32(udp(0, UDP_CMD_INTERFACES, 2), 1);
    assert_memory_equal(list, ours, 16);
    assert_true(td_all(list + 16, 0xee, 16));
    td_assert_failure(udp(0, UDP_CMD_INTERFACES, 1), VMUX_INVALID);
    td_assert_failure(udp(0, UDP_CMD_INTERFACES, 3), VMUX_INVALID);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_CFG, 0, 0);
    td_assert_u32(udp(0, UDP_CMD_INTERFACES, 0), 1);
    td_assert_failure(udp(0, UDP_CMD_INTERFACES, 1), VMUX_INVALID);
}

static void udp_unbind_and_rebind(void **state)
{
    (void)state;
    td_assert_success(bind_port(0, 5000));
    /* to another port: the old one is free at once */
    td_assert_success(bind_port(0, 5001));
    td_assert_success(bind_port(1, 5000));
    /* to a taken one: refused, and the old port is kept */
    td_assert_failure(bind_port(0, 5000), VMUX_BUSY);
    receive_into(0, 64);
    peer_sends(5001, "kept");
    expect_received(0, 4);
    td_assert_u32(send_from(0, 5001, "x"), 0);
    pump();
    expect_sent(0, VMUX_SUCCESS);
    uint8_t f[NET_FRAME_MAX];
    size_t len;
    assert_int_equal(get16(take_datagram(f, &len)), 5001);
    /* the all-zero endpoint unbinds (twice is fine) */
    uint8_t zero[18] = { 0 };
    td_assert_success(bind_raw(0, zero));
    td_assert_success(bind_raw(0, zero));
    td_assert_failure(send_from(0, 5001, "x"), VMUX_RESERVE);
    peer_sends(5001, "nobody");
    assert_int_equal(mux.counters.no_port, 1);
    assert_int_equal(td_pending(&hp[0]), 0);
    td_assert_success(bind_port(2, 5001));
}

/* ------------------------------------------------------------ policy */

static struct probe kernel_client;

static void confidentiality_udp_process_cannot_bind_a_bound_port(void **state)
{
    (void)state;
    memset(&kernel_client, 0, sizeof kernel_client);
    struct udp_binding kb = { 0 }, kb2 = { 0 };
    assert_int_equal(udp_mux_attach(&mux, &kernel_client.c, client_register_kernel("svc"),
                                    &probe_ops, kernel_client.hold, sizeof kernel_client.hold),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&kernel_client.c, &kb, 6000, NULL), VMUX_SUCCESS);

    /* held by another process, by a kernel client, by itself */
    td_assert_success(bind_port(0, 5000));
    td_assert_failure(bind_port(1, 5000), VMUX_BUSY);
    td_assert_failure(bind_port(1, 6000), VMUX_BUSY);
    td_assert_failure(bind_port(0, 5000), VMUX_BUSY);
    /* nor can the kernel client take the process's, even with the cap */
    assert_int_equal(udp_mux_bind(&kernel_client.c, &kb2, 5000,
                                  test_board_cap_udp_reserved_port()),
                     VMUX_BUSY);

    /* the holders alone hear their ports */
    uint8_t *rx1 = receive_into(1, 64);
    receive_into(0, 64);
    probe_listen(&kernel_client);
    peer_sends(5000, "zero's");
    peer_sends(6000, "kernel's");
    expect_received(0, 6);
    assert_int_equal(kernel_client.receives_done, 1);
    assert_memory_equal(kernel_client.rx, "kernel's", 8);
    assert_int_equal(td_pending(&hp[1]), 0);
    assert_true(td_all(rx1, 0xee, RX_LEN));
    td_assert_success(bind_port(1, 5001)); /* a free one is fine */
    udp_mux_detach(&kernel_client.c);
}

static void confidentiality_udp_process_cannot_send_from_another_port(void **state)
{
    (void)state;
    td_assert_success(bind_port(0, 5000));
    td_assert_success(bind_port(1, 6000));
    uint8_t src[18], dst[18];
    endpoint(dst, PEER_IP, 7777);
    /* another process's port, any other port, another address */
    td_assert_failure(send_from(0, 6000, "spoof"), VMUX_INVALID);
    td_assert_failure(send_from(0, 5001, "spoof"), VMUX_INVALID);
    td_assert_failure(send_from(0, 53, "spoof"), VMUX_INVALID);
    endpoint(src, PEER_IP, 5000);
    td_assert_failure(send_raw(0, src, dst, "spoof", 5), VMUX_INVALID);
    memset(src, 0, sizeof src);
    src[16] = 5000 & 0xff;
    src[17] = 5000 >> 8;
    td_assert_failure(send_raw(0, src, dst, "spoof", 5), VMUX_INVALID); /* :: */
    /* the port in network order is another port (5000 = 0x1388) */
    endpoint(src, OUR_IP, 0x8813);
    td_assert_failure(send_raw(0, src, dst, "spoof", 5), VMUX_INVALID);
    /* a process with no port has none to send from */
    td_assert_failure(send_from(2, 6000, "spoof"), VMUX_RESERVE);
    pump();
    assert_nothing_sent();
    assert_int_equal(mux.counters.tx.n[TALLY_TAKEN], 0);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(td_pending(&hp[i]), 0);
    /* from its own: out, with its port */
    td_assert_u32(send_from(0, 5000, "mine"), 0);
    pump();
    uint8_t f[NET_FRAME_MAX];
    size_t len;
    assert_int_equal(get16(take_datagram(f, &len)), 5000);
    assert_nothing_sent();
    expect_sent(0, VMUX_SUCCESS);
}

static void confidentiality_udp_process_refused_reserved_port(void **state)
{
    (void)state;
    td_assert_failure(bind_port(0, 53), VMUX_RESERVE);
    td_assert_failure(bind_port(0, 1), VMUX_RESERVE);
    td_assert_failure(bind_port(0, 1023), VMUX_RESERVE);
    td_assert_failure(send_from(0, 53, "dns?"), VMUX_RESERVE);
    /* a kernel client with the capability has it; the process hears
     * nothing of it */
    memset(&kernel_client, 0, sizeof kernel_client);
    struct udp_binding kb = { 0 };
    assert_int_equal(udp_mux_attach(&mux, &kernel_client.c, client_register_kernel("dns"),
                                    &probe_ops, kernel_client.hold, sizeof kernel_client.hold),
                     VMUX_SUCCESS);
    assert_int_equal(udp_mux_bind(&kernel_client.c, &kb, 53,
                                  test_board_cap_udp_reserved_port()),
                     VMUX_SUCCESS);
    td_assert_failure(bind_port(0, 53), VMUX_RESERVE);
    uint8_t *rx = receive_into(0, 64);
    peer_sends(53, "query");
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_true(td_all(rx, 0xee, RX_LEN));
    td_assert_success(bind_port(0, 1024)); /* the first unreserved */
    udp_mux_detach(&kernel_client.c);
}

/* The peer sends text to port, which process `to` holds: `to` gets it,
 * `other` sees nothing, in its buffer or its receive configuration. */
static void only_holder_hears(unsigned to, unsigned other, unsigned port, const char *text)
{
    size_t len = strlen(text);
    uint8_t *mine = receive_into(to, 64);
    uint8_t *theirs = receive_into(other, 64);
    memset(&hp[other].ram[RXCFG_AT], 0xcc, UDP_CONFIG_SIZE);
    peer_sends(port, text);
    expect_received(to, len);
    assert_memory_equal(mine, text, len);
    assert_int_equal(td_pending(&hp[other]), 0);
    assert_true(td_all(theirs, 0xee, RX_LEN));
    assert_true(td_all(&hp[other].ram[RXCFG_AT], 0xcc, UDP_CONFIG_SIZE));
}

static void confidentiality_udp_datagram_reaches_only_its_process(void **state)
{
    (void)state;
    td_assert_success(bind_port(0, 5000));
    td_assert_success(bind_port(1, 6000));
    only_holder_hears(0, 1, 5000, "for alpha");
    only_holder_hears(1, 0, 6000, "for beta");

    /* nobody's port: nobody */
    peer_sends(7000, "stray");
    assert_int_equal(mux.counters.no_port, 1);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(td_pending(&hp[i]), 0);
}

/* Tock's behaviour (its driver copies a datagram only into a buffer at
 * least as long, and drops it otherwise), each drop counted: refused by
 * the driver, or oversized (longer than the process's hold) by the mux. */
static void udp_datagram_that_does_not_fit_is_dropped(void **state)
{
    (void)state;
    td_assert_success(bind_port(0, 5000));
    memset(&hp[0].ram[RXCFG_AT], 0xcc, UDP_CONFIG_SIZE);
    uint8_t *rx = receive_into(0, 4);
    peer_sends(5000, "too long");
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_true(td_all(rx, 0xee, RX_LEN));
    assert_true(td_all(&hp[0].ram[RXCFG_AT], 0xcc, UDP_CONFIG_SIZE));
    peer_sends(5000, "fits");
    expect_received(0, 4);
    assert_memory_equal(rx, "fits", 4);
    /* no buffer: 0 bytes, so only an empty datagram is delivered */
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_RX, 0, 0);
    peer_sends(5000, "none");
    assert_int_equal(td_pending(&hp[0]), 0);
    peer_sends(5000, "");
    expect_received(0, 0);
    /* a receive configuration of another size is left alone */
    receive_into(0, 64);
    memset(&hp[0].ram[RXCFG_AT], 0xcc, UDP_CONFIG_SIZE);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_RX_CFG, RXCFG_AT, 20);
    peer_sends(5000, "hello");
    expect_received(0, 5);
    assert_true(td_all(&hp[0].ram[RXCFG_AT], 0xcc, UDP_CONFIG_SIZE));
    /* the largest payload, and one more byte (buffer: all of RAM below
     * the break) */
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_RX, 0, 1024);
    char big[UDP_DRIVER_MAX_PAYLOAD + 2];
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = 0;
    peer_sends(5000, big);
    assert_int_equal(td_pending(&hp[0]), 0);
    big[UDP_DRIVER_MAX_PAYLOAD] = 0;
    peer_sends(5000, big);
    expect_received(0, UDP_DRIVER_MAX_PAYLOAD);
    assert_true(td_all(hp[0].ram, 'b', UDP_DRIVER_MAX_PAYLOAD));
    /* every drop counted: "too long" and "none" by the driver, the 513
     * bytes by the mux */
    assert_int_equal(drv.rx.n[TALLY_TAKEN], 6);
    assert_int_equal(drv.rx.n[TALLY_DELIVERED], 4);
    assert_int_equal(drv.rx.n[TALLY_REFUSED], 2);
    assert_int_equal(mux.counters.oversized, 1);
    assert_int_equal(mux.counters.arrived, 7);
}

/* Where a process may send (docs/net.md): not to a broadcast (RESERVE,
 * counted by the driver), nor where nobody may (the mux's refusals, at
 * once); a unicast goes. */
static void udp_process_destinations_broadcast_refused_unicast_sent(void **state)
{
    (void)state;
    static const struct {
        uint32_t ip;
        vmux_err_t err;
    } refused[] = {
        { 0xffffffffu, VMUX_RESERVE },                   /* limited broadcast */
        { (OUR_IP & NETMASK) | ~NETMASK, VMUX_RESERVE }, /* the subnet's */
        { OUR_IP, VMUX_INVALID },                        /* the board itself */
        { 0x7f000001u, VMUX_INVALID },                   /* loopback */
        { 0x00000001u, VMUX_INVALID },                   /* 0.0.0.1 */
        { 0xe0000001u, VMUX_NOSUPPORT },                 /* multicast */
    };
    td_assert_success(bind_port(0, 5000));
    uint8_t src[18], dst[18];
    endpoint(src, OUR_IP, 5000);
    for (unsigned i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        endpoint(dst, refused[i].ip, 7777);
        td_assert_failure(send_raw(0, src, dst, "x", 1), refused[i].err);
    }
    pump();
    assert_nothing_sent();
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_int_equal(drv.broadcast_refused, 2);
    assert_int_equal(mux.counters.to_self + mux.counters.to_loopback + mux.counters.to_nowhere +
                         mux.counters.to_multicast,
                     4);
    /* a host on the link */
    endpoint(dst, PEER_IP, 7777);
    td_assert_u32(send_raw(0, src, dst, "x", 1), 0);
    pump();
    expect_sent(0, VMUX_SUCCESS);
}

/* ------------------------------------------------------------ life cycle */

static void lifecycle_udp_process_end_releases_ports(void **state)
{
    (void)state;
    td_assert_success(bind_port(0, 5000));
    receive_into(0, 64);
    /* a send queued: dropped at the end, without an upcall */
    td_assert_u32(send_from(0, 5000, "last words"), 0);
    td_end_long_life(&hp[0], false);
    hp[0].upcall_count = 0;
    peer_sends(5000, "too late");
    pump();
    assert_nothing_sent();
    assert_int_equal(hp[0].upcall_count, 0);
    assert_int_equal(mux.counters.no_port, 1);

    /* the port is free for another process */
    td_assert_success(bind_port(1, 5000));
    receive_into(1, 64);
    peer_sends(5000, "beta's now");
    expect_received(1, 10);

    /* alpha again, a new generation: it holds nothing */
    assert_int_equal(process_start(test_board_cap_process_management(), hp[0].process),
                     VMUX_SUCCESS);
    assert_int_equal(hp[0].process->state, PROCESS_READY); /* a new life, at once */
    td_subscribe(&hp[0], UDP, UDP_UPCALL_RECEIVED);
    td_subscribe(&hp[0], UDP, UDP_UPCALL_SENT);
    td_assert_failure(send_from(0, 5000, "still mine?"), VMUX_RESERVE);
    td_assert_failure(bind_port(0, 5000), VMUX_BUSY);
    pump();
    assert_nothing_sent();

    /* beta ends: alpha's new life may have the port */
    process_end(hp[1].process, true, -1);
    td_assert_success(bind_port(0, 5000));
    receive_into(0, 64);
    peer_sends(5000, "hello again");
    expect_received(0, 11);
    td_assert_u32(send_from(0, 5000, "hi"), 0);
    pump();
    uint8_t f[NET_FRAME_MAX];
    size_t len;
    assert_int_equal(get16(take_datagram(f, &len)), 5000);
    expect_sent(0, VMUX_SUCCESS);
}

/* ------------------------------------------------------------ refusals */

static void udp_bad_arguments(void **state)
{
    (void)state;
    uint8_t ep[18];
    /* bind: no configuration, wrong sizes, not our address, port 0 */
    td_assert_failure(udp(0, UDP_CMD_BIND, 0), VMUX_INVALID);
    endpoint(ep, OUR_IP, 5000);
    memcpy(&hp[0].ram[RXCFG_AT + 18], ep, 18);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_RX_CFG, RXCFG_AT, 35);
    td_assert_failure(udp(0, UDP_CMD_BIND, 0), VMUX_INVALID);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_RX_CFG, RXCFG_AT, 37);
    td_assert_failure(udp(0, UDP_CMD_BIND, 0), VMUX_INVALID);
    endpoint(ep, PEER_IP, 5000);
    td_assert_failure(bind_raw(0, ep), VMUX_INVALID);
    endpoint(ep, OUR_IP, 5000);
    ep[0] = 0xfe; /* an IPv6 address, not one of ours */
    td_assert_failure(bind_raw(0, ep), VMUX_INVALID);
    td_assert_failure(bind_port(0, 0), VMUX_INVALID);

    /* send: unbound; then no configuration, short ones, bad destinations */
    td_assert_failure(send_from(0, 5000, "x"), VMUX_RESERVE);
    td_assert_success(bind_port(0, 5000));
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_CFG, 0, 0);
    td_assert_failure(udp(0, UDP_CMD_SEND, 0), VMUX_INVALID);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_CFG, CFG_AT, 18);
    td_assert_failure(udp(0, UDP_CMD_SEND, 0), VMUX_INVALID);
    td_allow(&hp[0], false, UDP, UDP_ALLOW_RW_CFG, CFG_AT, 35);
    td_assert_failure(udp(0, UDP_CMD_SEND, 0), VMUX_INVALID);
    uint8_t src[18], dst[18];
    endpoint(src, OUR_IP, 5000);
    endpoint(dst, PEER_IP, 7777);
    dst[10] = 0; /* not IPv4-mapped */
    td_assert_failure(send_raw(0, src, dst, "x", 1), VMUX_INVALID);
    endpoint(dst, PEER_IP, 0);
    td_assert_failure(send_raw(0, src, dst, "x", 1), VMUX_INVALID);
    endpoint(dst, 0, 7777);
    td_assert_failure(send_raw(0, src, dst, "x", 1), VMUX_INVALID);
    /* payload: one byte over the maximum, then the maximum */
    endpoint(dst, PEER_IP, 7777);
    static uint8_t big[UDP_DRIVER_MAX_PAYLOAD + 1];
    memset(big, 'p', sizeof big);
    td_assert_failure(send_raw(0, src, dst, big, sizeof big), VMUX_SIZE);
    pump();
    assert_nothing_sent();
    assert_int_equal(td_pending(&hp[0]), 0); /* no upcall for any refusal */
    td_assert_u32(send_raw(0, src, dst, big, UDP_DRIVER_MAX_PAYLOAD), 0);
    /* one send at a time, and no rebinding under it */
    td_assert_failure(send_raw(0, src, dst, "x", 1), VMUX_BUSY);
    td_assert_failure(bind_port(0, 5001), VMUX_BUSY);
    pump();
    uint8_t f[NET_FRAME_MAX];
    size_t len;
    const uint8_t *u = take_datagram(f, &len);
    assert_int_equal(len, UDP_DRIVER_MAX_PAYLOAD);
    assert_memory_equal(u + 8, big, len);
    expect_sent(0, VMUX_SUCCESS);
    /* no payload allowed: an empty datagram, as in Tock */
    td_assert_u32(send_raw(0, src, dst, NULL, 0), 0);
    pump();
    take_datagram(f, &len);
    assert_int_equal(len, 0);
    expect_sent(0, VMUX_SUCCESS);

    td_assert_failure(udp(0, 5, 0), VMUX_NOSUPPORT);
    td_assert_failure(udp(0, 0x100, 0), VMUX_NOSUPPORT);
    td_assert_success(udp(0, 0, 0)); /* exists */
    assert_int_equal(td_pending(&hp[0]), 0);
}

#define T(f) NET_TEST(f)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(udp_bind_receive_send_round_trip),
        T(udp_interfaces_and_max_payload),
        T(udp_unbind_and_rebind),
        T(confidentiality_udp_process_cannot_bind_a_bound_port),
        T(confidentiality_udp_process_cannot_send_from_another_port),
        T(confidentiality_udp_process_refused_reserved_port),
        T(confidentiality_udp_datagram_reaches_only_its_process),
        T(udp_datagram_that_does_not_fit_is_dropped),
        T(udp_process_destinations_broadcast_refused_unicast_sent),
        T(lifecycle_udp_process_end_releases_ports),
        T(udp_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
