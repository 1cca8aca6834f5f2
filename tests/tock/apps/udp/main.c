/*
 * tock-udp: the UDP driver (0x30002) as a Tock app (libtock-c's udp)
 * uses it: the interface list (command 1 into read-write allow 1), the
 * largest payload (command 4), a bind (command 3, the endpoint in bytes
 * 18-35 of read-write allow 2), a datagram received (upcall 0 with its
 * length, the sender in bytes 0-17 of allow 2), and a send back to the
 * sender (command 2: read-only allow 0 the payload, read-write allow 1
 * the source and destination; upcall 1 with the status). Endpoints are
 * 16 bytes of IPv6 address and a port; the boards are IPv4, so their
 * addresses are IPv4-mapped. As in Tock's code, a port the app gives is
 * read low byte first, and the sender's port the kernel writes is high
 * byte first. Prints "listening" once bound and "echoed N bytes" after
 * each reply (its checks end with the first); the test sends from the host through QEMU's forwarding.
 */
#include "../../tock.h"

#define UDP 0x30002u
#define PORT 2008u

struct endpoint {
    uint8_t addr[16];
    uint8_t port[2];
};

static volatile uint32_t received, received_len, sent, sent_status;

static void on_receive(int len, int unused1, int unused2, void *data)
{
    (void)unused1, (void)unused2, (void)data;
    received_len = (uint32_t)len;
    received++;
}

static void on_sent(int status, int unused1, int unused2, void *data)
{
    (void)unused1, (void)unused2, (void)data;
    sent_status = (uint32_t)status;
    sent++;
}

static void copy(void *to, const void *from, unsigned n)
{
    uint8_t *t = to;
    const uint8_t *f = from;
    while (n--)
        *t++ = *f++;
}

int main(void)
{
    static struct endpoint iface, bound, rx_cfg[2], tx_cfg[2];
    static uint8_t rx[512], tx[512];

    tock_allow_rw(UDP, 1, &iface, 16);
    struct tock_ret r = tock_command(UDP, 1, 1, 0);
    tock_allow_rw(UDP, 1, 0, 0);
    TOCK_EXPECT("one_interface", r.r0 == TOCK_SUCCESS_U32 && r.r1 == 1);
    TOCK_EXPECT("interface_is_ipv4_mapped", iface.addr[10] == 0xff && iface.addr[11] == 0xff);
    r = tock_command(UDP, 4, 0, 0);
    TOCK_EXPECT("max_payload", r.r0 == TOCK_SUCCESS_U32 && r.r1 >= 256);

    copy(bound.addr, iface.addr, 16);
    bound.port[0] = PORT & 0xff; /* low byte first */
    bound.port[1] = PORT >> 8;
    rx_cfg[1] = bound; /* (a datagram's arrival writes zeroes there) */
    tock_allow_rw(UDP, 2, rx_cfg, sizeof rx_cfg);
    TOCK_EXPECT_EQ("bind", tock_command(UDP, 3, 0, 0).r0, TOCK_SUCCESS);
    r = tock_command(UDP, 3, 0, 0);
    TOCK_EXPECT("bind_again_busy", r.r0 == TOCK_FAILURE && r.r1 == TOCK_BUSY);
    tock_allow_rw(UDP, 0, rx, sizeof rx);
    tock_subscribe(UDP, 0, on_receive, 0);
    tock_subscribe(UDP, 1, on_sent, 0);
    tock_print("listening\n");

    for (uint32_t seen = 0;;) {
        while (received == seen)
            tock_yield();
        seen = received;
        uint32_t n = received_len;
        copy(tx, rx, n);
        tx_cfg[0] = bound;                        /* from where it is bound */
        copy(tx_cfg[1].addr, rx_cfg[0].addr, 16); /* to the sender */
        tx_cfg[1].port[0] = rx_cfg[0].port[1];    /* written high byte first */
        tx_cfg[1].port[1] = rx_cfg[0].port[0];
        tock_allow_ro(UDP, 0, tx, n);
        tock_allow_rw(UDP, 1, tx_cfg, sizeof tx_cfg);
        uint32_t before = sent;
        r = tock_command(UDP, 2, 0, 0);
        if (r.r0 == TOCK_SUCCESS_U32)
            while (sent == before)
                tock_yield();
        tock_allow_rw(UDP, 1, 0, 0);
        if (seen == 1) {
            TOCK_EXPECT("sender_is_ipv4_mapped", rx_cfg[0].addr[10] == 0xff);
            TOCK_EXPECT_EQ("send_queued", r.r0, TOCK_SUCCESS_U32);
            TOCK_EXPECT_EQ("send_done_status", sent_status, 0);
            tock_done();
        }
        if (r.r0 == TOCK_SUCCESS_U32 && sent_status == 0) {
            tock_print("echoed ");
            tock_print_dec(n);
            tock_print(" bytes\n");
        } else {
            tock_print("FAIL send: ");
            tock_print_hex(r.r0 == TOCK_SUCCESS_U32 ? sent_status : r.r1);
            tock_print("\n");
        }
    }
}
