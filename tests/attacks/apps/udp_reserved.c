/*
 * Attack: the kernel's reserved ports. Results (error code, or 0xffff):
 *   K_FIRST_RESULT + 0   bind 7 (the kernel's echo service)     RESERVE
 *   K_FIRST_RESULT + 1   bind 1                                 RESERVE
 *   K_FIRST_RESULT + 2   bind 1023                              RESERVE
 *   K_FIRST_RESULT + 3   send unbound, source 7                 RESERVE (not bound)
 *   K_FIRST_RESULT + 4   bind 1024, the first free one          0xffff
 *   K_FIRST_RESULT + 5   send from 1024 to the board's own port 7: INVALID
 *                        at once (nothing is sent to the board's own
 *                        address: docs/net.md)
 *   K_FIRST_RESULT + 6   its send-done status, had it been accepted
 */
#include "tests/attacks/attack.h"

static volatile uint8_t cfg[UDP_CONFIG_SIZE], tx_cfg[UDP_CONFIG_SIZE];
static const char payload[] = "to the kernel";

static regs_t bind(uint16_t port)
{
    fill(cfg, 0, sizeof cfg);
    endpoint(cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, port);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, cfg, sizeof cfg);
    return command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0);
}

static regs_t send(uint16_t from, uint32_t to_ip, uint16_t to_port)
{
    endpoint(tx_cfg, 0x0a000001u, from);
    endpoint(tx_cfg + UDP_ENDPOINT_SIZE, to_ip, to_port);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_CFG, tx_cfg, sizeof tx_cfg);
    allow_ro(UDP_DRIVER_NUM, UDP_ALLOW_RO_TX, payload, sizeof payload - 1);
    return command(UDP_DRIVER_NUM, UDP_CMD_SEND, 0, 0);
}

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    arm(UDP_DRIVER_NUM, UDP_UPCALL_SENT);
    result(0, bind(7));
    result(1, bind(1));
    result(2, bind(1023));
    result(3, send(7, 0x0a000002u, 9999));
    result(4, bind(1024));
    regs_t r = send(1024, 0x0a000001u, 7);
    result(5, r);
    if (succeeded(r))
        put(K_FIRST_RESULT + 6, wait_for(UDP_DRIVER_NUM, UDP_UPCALL_SENT).r0);
    put(K_DONE, 1);
    park();
}
