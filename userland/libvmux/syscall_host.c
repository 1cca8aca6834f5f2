/*
 * System call backend for the host board: a trap is a call through
 * vmux_host_syscall, which the board's loader sets (dlsym) before the
 * app's entry point runs. Upcalls run inside that call, during a yield.
 */
#include <stddef.h>

#include "compiler.h"
#include "syscall.h"

VMUX_EXPORT vmux_host_syscall_fn vmux_host_syscall = NULL;

struct vmux_regs vmux_trap(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2,
                           uintptr_t r3)
{
    return vmux_host_syscall(class_id, r0, r1, r2, r3);
}
