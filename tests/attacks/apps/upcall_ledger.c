/*
 * Upcalls that end every way but delivered, on cue: binds UDP port
 * K_PARAM with a 512-byte buffer, then follows K_PHASE as the test sets
 * it, reporting each phase done in K_PARAM2:
 *   1 subscribe a function and stay busy (rig commands, no yield) until
 *     K_PHASE moves on: datagrams queue, then find the queue full;
 *   2 subscribe again: what was queued is discarded (replaced);
 *   3 subscribe the null upcall and stay busy; then 4 yield-no-wait 4
 *     times: each drops the queued null upcalls (unsubscribed);
 *   5 subscribe a function, stay busy, then 6 wait for one datagram
 *     (K_CYCLES) and stay busy until the test stops it.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t rx[UDP_DRIVER_MAX_PAYLOAD];
static volatile uint8_t rx_cfg[UDP_CONFIG_SIZE];

static void busy_until(uintptr_t phase)
{
    while (get(K_PHASE) < phase)
        ;
}

static void done(uintptr_t phase)
{
    put(K_PARAM2, phase);
}

void vmux_host_entry(void)
{
    fill(rx_cfg, 0, sizeof rx_cfg);
    endpoint(rx_cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, (uint16_t)get(K_PARAM));
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, rx_cfg, sizeof rx_cfg);
    if (!succeeded(command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0)))
        park();
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, rx, sizeof rx);
    arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    done(1);
    busy_until(2);
    arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    done(2);
    busy_until(3);
    subscribe(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED, 0, 0);
    done(3);
    busy_until(4);
    for (unsigned i = 0; i < 4; i++)
        yield_no_wait(0);
    done(4);
    busy_until(5);
    arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    done(5);
    busy_until(6);
    wait_for(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    count(K_CYCLES);
    done(6);
    busy_until(7);
    park();
}
