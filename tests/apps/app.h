/*
 * A minimal runtime for the test apps: freestanding, no libc, built
 * -fPIC -shared -nostdlib (see the Makefile). Each app is one translation
 * unit, so this header holds the one definition of vmux_host_syscall,
 * which the loader fills in before the entry runs.
 */
#ifndef VMUX_TESTS_APPS_APP_H
#define VMUX_TESTS_APPS_APP_H

#include <stdint.h>

#include "kernel/syscall.h"
#include "tests/apps/probe.h"
#include "userland/include/vmux/host_syscall.h"

vmux_host_syscall_fn vmux_host_syscall;

/* The entry point every app defines. */
void vmux_host_entry(void);

static inline struct vmux_regs command(uint32_t cmd, uintptr_t a, uintptr_t b)
{
    return vmux_host_syscall(SYSCALL_COMMAND, PROBE_DRIVER, cmd, a, b);
}

static inline void report(uintptr_t a, uintptr_t b)
{
    command(PROBE_REPORT, a, b);
}

static inline struct vmux_regs subscribe(uint32_t num, vmux_upcall_fn fn, uintptr_t appdata)
{
    return vmux_host_syscall(SYSCALL_SUBSCRIBE, PROBE_DRIVER, num, (uintptr_t)fn, appdata);
}

static inline struct vmux_regs allow_rw(uint32_t num, void *buf, uintptr_t len)
{
    return vmux_host_syscall(SYSCALL_ALLOW_RW, PROBE_DRIVER, num, (uintptr_t)buf, len);
}

static inline struct vmux_regs memop(uint32_t op, uintptr_t arg)
{
    return vmux_host_syscall(SYSCALL_MEMOP, op, arg, 0, 0);
}

static inline void yield_wait(void)
{
    vmux_host_syscall(SYSCALL_YIELD, YIELD_WAIT, 0, 0, 0);
}

static inline void yield_no_wait(volatile uint8_t *flag)
{
    vmux_host_syscall(SYSCALL_YIELD, YIELD_NO_WAIT, (uintptr_t)flag, 0, 0);
}

static inline __attribute__((noreturn)) void exit_with(uint32_t kind, uintptr_t code)
{
    vmux_host_syscall(SYSCALL_EXIT, kind, code, 0, 0);
    __builtin_unreachable();
}

#endif
