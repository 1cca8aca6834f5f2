/*
 * Attack: send as someone else. Bound to K_PARAM2; the victim holds
 * K_PARAM. Results (error code of command 2, or 0xffff when accepted):
 *   K_FIRST_RESULT + 0   source = the victim's port          INVALID
 *   K_FIRST_RESULT + 1   source = the kernel's reserved 7    INVALID
 *   K_FIRST_RESULT + 2   source = our port, another address  INVALID
 *   K_FIRST_RESULT + 3   source = our own endpoint           0xffff (the control)
 *   K_FIRST_RESULT + 4   the control's send-done status      0
 * The destination is always the peer, 10.0.0.2:9999.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t cfg[UDP_CONFIG_SIZE], tx_cfg[UDP_CONFIG_SIZE];
static const char payload[] = "spoofed";

static regs_t send_from(uint32_t ip, uint16_t port)
{
    endpoint(tx_cfg, ip, port);
    endpoint(tx_cfg + UDP_ENDPOINT_SIZE, 0x0a000002u, 9999);
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
    uint16_t victim = (uint16_t)get(K_PARAM), ours = (uint16_t)get(K_PARAM2);
    arm(UDP_DRIVER_NUM, UDP_UPCALL_SENT);
    fill(cfg, 0, sizeof cfg);
    endpoint(cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, ours);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, cfg, sizeof cfg);
    if (!succeeded(command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0)))
        count(K_BAD);
    result(0, send_from(0x0a000001u, victim));
    result(1, send_from(0x0a000001u, 7));
    result(2, send_from(0x0a000009u, ours));
    regs_t r = send_from(0x0a000001u, ours);
    result(3, r);
    if (succeeded(r))
        put(K_FIRST_RESULT + 4, wait_for(UDP_DRIVER_NUM, UDP_UPCALL_SENT).r0);
    put(K_DONE, 1);
    park();
}
