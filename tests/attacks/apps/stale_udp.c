/*
 * Attack: keep a UDP binding across a restart. Life 1 binds port K_PARAM
 * and asks for a restart. Life 2 sends from that port without binding,
 * and listens. Results of life 2 (error code, or 0xffff):
 *   K_FIRST_RESULT + 0   send from the old port        RESERVE (not bound)
 *   K_FIRST_RESULT + 1   datagrams received (the test sends some to the
 *                        old port): 0
 * K_PHASE 1 once life 2 listens.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t cfg[UDP_CONFIG_SIZE], tx_cfg[UDP_CONFIG_SIZE], rx[64];
static const char payload[] = "ghost";
static volatile uintptr_t received;

static void on_receive(uint32_t a, uint32_t b, uint32_t c, uintptr_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    received++;
}

void vmux_host_entry(void)
{
    uint16_t port = (uint16_t)get(K_PARAM);
    if (count(K_CYCLES) == 1) {
        fill(cfg, 0, sizeof cfg);
        endpoint(cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, port);
        allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, cfg, sizeof cfg);
        if (!succeeded(command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0)))
            count(K_BAD);
        exit_with(EXIT_RESTART, 0);
    }
    endpoint(tx_cfg, 0x0a000001u, port);
    endpoint(tx_cfg + UDP_ENDPOINT_SIZE, 0x0a000002u, 9999);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_CFG, tx_cfg, sizeof tx_cfg);
    allow_ro(UDP_DRIVER_NUM, UDP_ALLOW_RO_TX, payload, sizeof payload - 1);
    regs_t r = command(UDP_DRIVER_NUM, UDP_CMD_SEND, 0, 0);
    put(K_FIRST_RESULT + 0, succeeded(r) ? 0xffffu : r.r1);
    subscribe(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED, on_receive, 0);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, rx, sizeof rx);
    put(K_PHASE, 1);
    volatile uint8_t flag;
    while (get(K_PARAM2) == 0)
        yield_no_wait(&flag);
    put(K_FIRST_RESULT + 1, received);
    put(K_DONE, 1);
    park();
}
