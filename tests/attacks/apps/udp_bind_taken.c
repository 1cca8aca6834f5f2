/*
 * Attack: take a port another client holds. K_PARAM is the victim's port.
 * Results (error code, or 0xffff when accepted):
 *   K_FIRST_RESULT + 0   bind the victim's port                  BUSY
 *   K_FIRST_RESULT + 1   bind it again (a retry changes nothing) BUSY
 *   K_FIRST_RESULT + 2   bind the victim's port on another address INVALID
 *   K_FIRST_RESULT + 3   bind a free port (K_PARAM + 1)          0xffff
 *   K_FIRST_RESULT + 4   from there, bind the victim's port      BUSY (and keeps its own)
 * K_CYCLES counts datagrams it received (the test sends none to it).
 */
#include "tests/attacks/attack.h"

static volatile uint8_t cfg[UDP_CONFIG_SIZE], rx[64];

static regs_t bind(uint32_t ip, uint16_t port)
{
    fill(cfg, 0, sizeof cfg);
    endpoint(cfg + UDP_ENDPOINT_SIZE, ip, port);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, cfg, sizeof cfg);
    return command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0);
}

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    uint16_t victim = (uint16_t)get(K_PARAM);
    arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    result(0, bind(0x0a000001u, victim));
    result(1, bind(0x0a000001u, victim));
    result(2, bind(0x0a000063u, victim));
    result(3, bind(0x0a000001u, (uint16_t)(victim + 1)));
    result(4, bind(0x0a000001u, victim));
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, rx, sizeof rx);
    put(K_DONE, 1);
    for (;;) {
        wait_for(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
        count(K_CYCLES);
    }
}
