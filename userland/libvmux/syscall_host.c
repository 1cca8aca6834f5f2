/*
 * System call backend for the host board: each trap is a call through
 * vmux_host_syscall, which the board's loader sets (dlsym) before the
 * app's entry point runs. Upcalls run inside that call, during a yield.
 */
#include <stddef.h>

#include "compiler.h"
#include "syscall.h"

VMUX_EXPORT vmux_host_syscall_fn vmux_host_syscall = NULL;

static struct vmux_regs trap(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2,
                             uintptr_t r3)
{
    return vmux_host_syscall(class_id, r0, r1, r2, r3);
}

struct vmux_regs vmux_trap_yield(uintptr_t r0, uintptr_t r1, uintptr_t r2)
{
    return trap(VMUX_CLASS_YIELD, r0, r1, r2, 0);
}

struct vmux_regs vmux_trap_subscribe(uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    return trap(VMUX_CLASS_SUBSCRIBE, r0, r1, r2, r3);
}

struct vmux_regs vmux_trap_command(uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    return trap(VMUX_CLASS_COMMAND, r0, r1, r2, r3);
}

struct vmux_regs vmux_trap_allow_rw(uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    return trap(VMUX_CLASS_ALLOW_RW, r0, r1, r2, r3);
}

struct vmux_regs vmux_trap_allow_ro(uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    return trap(VMUX_CLASS_ALLOW_RO, r0, r1, r2, r3);
}

struct vmux_regs vmux_trap_memop(uintptr_t r0, uintptr_t r1)
{
    return trap(VMUX_CLASS_MEMOP, r0, r1, 0, 0);
}

_Noreturn void vmux_trap_exit(uintptr_t r0, uintptr_t r1)
{
    trap(VMUX_CLASS_EXIT, r0, r1, 0, 0);
    /* A successful exit does not return (TRD104); if it did, ask again
     * for termination, forever. */
    for (;;)
        trap(VMUX_CLASS_EXIT, VMUX_EXIT_TERMINATE, r1, 0, 0);
}
