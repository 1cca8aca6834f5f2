/*
 * A well-behaved UDP service: binds port K_PARAM and echoes every
 * datagram back to its sender, from that port.
 *
 * Keys: K_PHASE 1 once bound; K_CYCLES datagrams echoed; K_BAD failures;
 * K_FIRST_RESULT the bind's result (0 or the error).
 */
#include "tests/attacks/attack.h"

static volatile uint8_t rx[UDP_DRIVER_MAX_PAYLOAD];
static volatile uint8_t rx_cfg[UDP_CONFIG_SIZE], tx_cfg[UDP_CONFIG_SIZE];

void vmux_host_entry(void)
{
    uint16_t port = (uint16_t)get(K_PARAM);
    fill(rx_cfg, 0, sizeof rx_cfg);
    endpoint(rx_cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, port);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, rx_cfg, sizeof rx_cfg);
    regs_t r = command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0);
    put(K_FIRST_RESULT, succeeded(r) ? 0 : r.r1);
    if (!succeeded(r))
        park();
    arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    arm(UDP_DRIVER_NUM, UDP_UPCALL_SENT);
    put(K_PHASE, 1);
    for (;;) {
        allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, rx, sizeof rx);
        regs_t got = wait_for(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
        if (!udp_echo_back(tx_cfg, rx_cfg, port, rx, got.r0))
            count(K_BAD);
        count(K_CYCLES);
    }
}
