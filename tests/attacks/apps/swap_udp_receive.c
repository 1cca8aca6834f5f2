/*
 * Attack: swap, then withdraw, the receive buffer while a datagram is on
 * its way. Binds port K_PARAM. Round 1: receive into A, swap in B
 * (K_PHASE 1: the test sends "datagram-1"). Round 2: receive into A,
 * withdraw it (K_PHASE 2: the test sends "datagram-2", which has nowhere
 * to go, then sets K_PARAM2). Round 3: receive into C (K_PHASE 3: the
 * test sends "datagram-3"). Results:
 *   K_FIRST_RESULT + 0      round 1's length
 *   K_FIRST_RESULT + 1      1 if A holds only its canary after round 1
 *   K_FIRST_RESULT + 2      1 if B holds "datagram-1"
 *   K_FIRST_RESULT + 3      round 3's length
 *   K_FIRST_RESULT + 4      1 if C holds "datagram-3" (datagram-2 was dropped)
 *   K_FIRST_RESULT + 5      1 if A holds only its canary at the end
 */
#include "tests/attacks/attack.h"

static volatile uint8_t a[32], b[32], c[32], cfg[UDP_CONFIG_SIZE];

static int holds(const volatile uint8_t *p, const char *s)
{
    for (unsigned i = 0; s[i]; i++)
        if (p[i] != (uint8_t)s[i])
            return 0;
    return 1;
}

void vmux_host_entry(void)
{
    arm(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    fill(a, 0xaa, sizeof a);
    fill(b, 0xbb, sizeof b);
    fill(c, 0xcc, sizeof c);
    fill(cfg, 0, sizeof cfg);
    endpoint(cfg + UDP_ENDPOINT_SIZE, 0x0a000001u, (uint16_t)get(K_PARAM));
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX_CFG, cfg, sizeof cfg);
    if (!succeeded(command(UDP_DRIVER_NUM, UDP_CMD_BIND, 0, 0)))
        count(K_BAD);

    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, a, sizeof a);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, b, sizeof b);
    put(K_PHASE, 1);
    regs_t r = wait_for(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    put(K_FIRST_RESULT + 0, r.r0);
    put(K_FIRST_RESULT + 1, all(a, 0xaa, sizeof a));
    put(K_FIRST_RESULT + 2, holds(b, "datagram-1"));

    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, a, sizeof a);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, 0, 0);
    put(K_PHASE, 2);
    while (get(K_PARAM2) == 0)
        yield_no_wait(0);
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_RX, c, sizeof c);
    put(K_PHASE, 3);
    r = wait_for(UDP_DRIVER_NUM, UDP_UPCALL_RECEIVED);
    put(K_FIRST_RESULT + 3, r.r0);
    put(K_FIRST_RESULT + 4, holds(c, "datagram-3"));
    put(K_FIRST_RESULT + 5, all(a, 0xaa, sizeof a));
    put(K_DONE, 1);
    park();
}
