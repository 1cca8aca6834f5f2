/*
 * A UDP echo written the way libvmux's vmux_udp_recv and vmux_udp_send_to
 * work (userland/libvmux/udp.c), which userland/apps/udp_echo uses: for
 * each datagram it allows a receive buffer, subscribes again, waits for
 * the datagram, withdraws the buffer, sends it back and waits for the
 * send. Under a flood, datagrams meet it between two receives: with no
 * buffer allowed, with the buffer too short, queued just before a
 * subscribe. K_PARAM: the port. With K_PARAM2 set, the receive buffer
 * cycles through 512, 64 and 16 bytes.
 *
 * Keys: K_PHASE 1 once bound; K_CYCLES datagrams received;
 * K_FIRST_RESULT echoes that went out (status 0); K_FIRST_RESULT + 1
 * echoes that failed (other statuses, or the send refused).
 */
#include "tests/attacks/attack.h"

static volatile uint8_t rx[UDP_DRIVER_MAX_PAYLOAD];
static volatile uint8_t rx_cfg[UDP_CONFIG_SIZE], tx_cfg[UDP_CONFIG_SIZE];

void vmux_host_entry(void)
{
    static const uintptr_t sizes[] = { sizeof rx, 64, 16 };
    uint16_t port = (uint16_t)get(K_PARAM);
    fill(rx_cfg, 0, sizeof rx_cfg);
    endpoint(rx_cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, port);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, rx_cfg, sizeof rx_cfg);
    if (!succeeded(command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0)))
        park();
    arm(UDP_DRIVER_NUM, UDP_UPCALL_SENT);
    put(K_PHASE, 1);
    for (uintptr_t round = 0;; round++) {
        uintptr_t size = get(K_PARAM2) ? sizes[round % 3] : sizeof rx;
        allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, rx, size);
        arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED); /* again, each time: as libvmux does */
        regs_t got = wait_for(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
        allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, 0, 0);
        count(K_CYCLES);
        if (udp_echo_back(tx_cfg, rx_cfg, port, rx, got.r0))
            count(K_FIRST_RESULT);
        else
            count(K_FIRST_RESULT + 1);
    }
}
