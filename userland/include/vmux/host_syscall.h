/*
 * The host board's system call entry: the register ABI as a C call.
 *
 * On a microcontroller, a process traps with `svc N` (N = the class,
 * TRD104) and arguments in r0-r3, and finds results in r0-r3. On the host
 * board a process is a shared object run by the vmux program, and it
 * traps by calling this one function: the class and four argument
 * registers in, four result registers out, each register pointer-sized.
 *
 *     struct vmux_regs out = vmux_host_syscall(2, 0x1, 1, (uintptr_t)len, 0);
 *     // command 1 of driver 0x1; out.r0 is the return variant
 *
 * Any userspace library can target the host board by calling it.
 *
 * Linking: an app defines nothing itself; libvmux (or another library)
 * provides the variable below, and the board's loader stores the entry
 * into it (found with dlsym) before the app starts. Upcalls run on the
 * process's own stack, from inside a yield: fn(arg0, arg1, arg2, appdata),
 * after which the yield returns.
 *
 * The app's entry point is the symbol VMUX_HOST_ENTRY_SYMBOL, a
 * `void (void)` function that must not return (it ends with the exit
 * system call).
 */
#ifndef VMUX_USERLAND_HOST_SYSCALL_H
#define VMUX_USERLAND_HOST_SYSCALL_H

#include <stdint.h>

struct vmux_regs {
    uintptr_t r0, r1, r2, r3;
};

typedef struct vmux_regs (*vmux_host_syscall_fn)(uint32_t class_id, uintptr_t r0, uintptr_t r1,
                                                 uintptr_t r2, uintptr_t r3);

/* Set by the board's loader before the entry point runs. */
extern vmux_host_syscall_fn vmux_host_syscall;

#define VMUX_HOST_SYSCALL_SYMBOL "vmux_host_syscall"
#define VMUX_HOST_ENTRY_SYMBOL "vmux_host_entry"

/* Upcall functions have this shape on every board. */
typedef void (*vmux_upcall_fn)(uint32_t arg0, uint32_t arg1, uint32_t arg2, uintptr_t appdata);

#endif
