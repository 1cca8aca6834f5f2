/*
 * The runtime of the attack apps (tests/attacks/apps/): freestanding,
 * no libc, built -fPIC -shared -nostdlib like tests/apps/ (see the
 * Makefile's attack block). Raw system calls to any driver, so an app can
 * pass whatever registers it likes; the rig driver (rig_abi.h) to report.
 */
#ifndef VMUX_TESTS_ATTACKS_ATTACK_H
#define VMUX_TESTS_ATTACKS_ATTACK_H

#include <stdint.h>

#include "capsules/drivers/adc_driver.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/drivers/crypto_driver.h"
#include "capsules/drivers/udp_driver.h"
#include "kernel/syscall.h"
#include "tests/attacks/rig_abi.h"
#include "userland/include/vmux/host_syscall.h"

vmux_host_syscall_fn vmux_host_syscall;

void vmux_host_entry(void);

typedef struct vmux_regs regs_t;

static inline regs_t sys(uint32_t cls, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d)
{
    return vmux_host_syscall(cls, a, b, c, d);
}

static inline regs_t command(uint32_t driver, uint32_t cmd, uintptr_t a, uintptr_t b)
{
    return sys(SYSCALL_COMMAND, driver, cmd, a, b);
}

static inline regs_t allow_rw(uint32_t driver, uint32_t num, const volatile void *p, uintptr_t len)
{
    return sys(SYSCALL_ALLOW_RW, driver, num, (uintptr_t)p, len);
}

static inline regs_t allow_ro(uint32_t driver, uint32_t num, const volatile void *p, uintptr_t len)
{
    return sys(SYSCALL_ALLOW_RO, driver, num, (uintptr_t)p, len);
}

static inline regs_t subscribe(uint32_t driver, uint32_t num, vmux_upcall_fn fn, uintptr_t data)
{
    return sys(SYSCALL_SUBSCRIBE, driver, num, (uintptr_t)fn, data);
}

static inline regs_t memop(uint32_t op, uintptr_t arg)
{
    return sys(SYSCALL_MEMOP, op, arg, 0, 0);
}

static inline void nop_upcall(uint32_t a, uint32_t b, uint32_t c, uintptr_t d)
{
    (void)a, (void)b, (void)c, (void)d;
}

/* Subscribe a no-op to (driver, num), so that its upcall is queued even
 * when it comes before the process yields for it: with nothing
 * subscribed, an upcall that finds the process elsewhere than in its
 * wait-for is dropped (docs/syscalls.md). Do it before the command, never
 * between the command and the wait (a subscribe discards what is queued). */
static inline void arm(uint32_t driver, uint32_t num)
{
    subscribe(driver, num, nop_upcall, 0);
}

/* Block until upcall (driver, num) is scheduled; its three values. */
static inline regs_t wait_for(uint32_t driver, uint32_t num)
{
    return sys(SYSCALL_YIELD, YIELD_WAIT_FOR, driver, num, 0);
}

static inline void yield_no_wait(volatile uint8_t *flag)
{
    sys(SYSCALL_YIELD, YIELD_NO_WAIT, (uintptr_t)flag, 0, 0);
}

static inline __attribute__((noreturn)) void exit_with(uint32_t kind, uintptr_t code)
{
    sys(SYSCALL_EXIT, kind, code, 0, 0);
    __builtin_unreachable();
}

/* Idle for good, without spinning: wait for an upcall nobody sends. */
static inline __attribute__((noreturn)) void park(void)
{
    for (;;)
        wait_for(RIG_DRIVER, 0);
}

static inline void put(uint32_t key, uintptr_t value)
{
    command(RIG_DRIVER, RIG_PUT, key, value);
}

static inline uintptr_t get(uint32_t key)
{
    return command(RIG_DRIVER, RIG_GET, key, 0).r1;
}

static inline uintptr_t count(uint32_t key)
{
    return command(RIG_DRIVER, RIG_COUNT, key, 0).r1;
}

/* Is the result a failure with this error? */
static inline int failed_with(regs_t r, uint32_t err)
{
    return (r.r0 == RET_FAILURE || r.r0 == RET_FAILURE_U32 || r.r0 == RET_FAILURE_2U32) &&
           r.r1 == err;
}

static inline int succeeded(regs_t r)
{
    return r.r0 >= RET_SUCCESS;
}

/* Byte loops the compiler may not turn into libc calls. */
static inline void fill(volatile uint8_t *p, uint8_t b, uintptr_t n)
{
    for (uintptr_t i = 0; i < n; i++)
        p[i] = b;
}

static inline int all(const volatile uint8_t *p, uint8_t b, uintptr_t n)
{
    for (uintptr_t i = 0; i < n; i++)
        if (p[i] != b)
            return 0;
    return 1;
}

static inline void copy(volatile uint8_t *dst, const volatile uint8_t *src, uintptr_t n)
{
    for (uintptr_t i = 0; i < n; i++)
        dst[i] = src[i];
}

/* A UDP endpoint as a process writes it: ::ffff:a.b.c.d, port low byte first. */
static inline void endpoint(volatile uint8_t *b, uint32_t ip, uint16_t port)
{
    fill(b, 0, 10);
    b[10] = b[11] = 0xff;
    b[12] = (uint8_t)(ip >> 24);
    b[13] = (uint8_t)(ip >> 16);
    b[14] = (uint8_t)(ip >> 8);
    b[15] = (uint8_t)ip;
    b[16] = (uint8_t)port;
    b[17] = (uint8_t)(port >> 8);
}

/* UDP: send len bytes of buf back to the sender of the last datagram,
 * whose endpoint the kernel wrote into rx_cfg (its port high byte
 * first), from 10.0.0.1 and port, through tx_cfg; wait for the send.
 * True when it went out (upcall 1 with status 0). */
static inline int udp_echo_back(volatile uint8_t *tx_cfg, const volatile uint8_t *rx_cfg,
                                uint16_t port, const volatile uint8_t *buf, uintptr_t len)
{
    endpoint(tx_cfg, 0x0a000001u, port);
    copy(tx_cfg + UDP_ENDPOINT_SIZE, rx_cfg, 16);
    tx_cfg[UDP_ENDPOINT_SIZE + 16] = rx_cfg[17];
    tx_cfg[UDP_ENDPOINT_SIZE + 17] = rx_cfg[16];
    allow_rw(UDP_DRIVER_NUM, UDP_ALLOW_RW_CFG, tx_cfg, UDP_CONFIG_SIZE);
    allow_ro(UDP_DRIVER_NUM, UDP_ALLOW_RO_TX, buf, len);
    return succeeded(command(UDP_DRIVER_NUM, UDP_CMD_SEND, 0, 0)) &&
           wait_for(UDP_DRIVER_NUM, UDP_UPCALL_SENT).r0 == 0;
}

/* Console: write n bytes and wait until they are out; the count written. */
static inline uint32_t console_write(const volatile void *p, uintptr_t n)
{
    arm(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_WRITE_DONE);
    allow_ro(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, p, n);
    if (!succeeded(command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_WRITE, n, 0)))
        return 0;
    return (uint32_t)wait_for(CONSOLE_DRIVER_NUM, CONSOLE_UPCALL_WRITE_DONE).r0;
}

#endif
