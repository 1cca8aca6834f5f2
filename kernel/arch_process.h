/*
 * What the process core needs from the architecture (arch/host,
 * arch/cortex-m3, or a test harness). Everything CPU-specific about
 * running processes is behind this table, which the board installs with
 * process_set_arch(); nothing else in the kernel knows the CPU.
 */
#ifndef VMUX_KERNEL_ARCH_PROCESS_H
#define VMUX_KERNEL_ARCH_PROCESS_H

#include <stdint.h>

#include "kernel/process.h"
#include "kernel/syscall.h"

enum arch_trap {
    ARCH_TRAP_SYSCALL,     /* the process made a system call */
    ARCH_TRAP_TIMESLICE,   /* its time slice ran out */
    ARCH_TRAP_FAULT,       /* it faulted; the architecture reported it */
    ARCH_TRAP_HANDLED,     /* it made a system call the architecture already
                            * passed to process_syscall() (a yield or exit,
                            * which ends its turn) */
};

/*
 * For an architecture that passes system calls to process_syscall()
 * itself: once a yield or exit ended the running process's turn, the
 * next process to run at once, round robin, or NULL when the kernel has
 * work first (a deferred call, a restart to time) or none can run. The
 * architecture then runs the one returned in the same run() call
 * (reprogramming memory protection as for any other switch); the trap
 * run() returns is about the last process it ran. This saves a return
 * to the kernel's loop on every switch.
 */
struct process *process_next_after_yield(void);

struct arch_syscall {
    uint32_t class_id;
    syscall_reg_t r[4];
};

struct arch_process_ops {
    /* Prepare p to start at its entry point (first run, every restart).
     * Once nothing of an earlier run uses p's RAM any more, and before it
     * writes p's initial state there, start calls process_wipe_ram(p): a
     * new run (a new client) never sees what the last one left. */
    vmux_err_t (*start)(struct process *p);
    /* Run p until it traps or timeslice_us passes; for a syscall, fill
     * *call. Reprogram memory protection only when p is not the process
     * that ran last. */
    enum arch_trap (*run)(struct process *p, uint32_t timeslice_us, struct arch_syscall *call);
    /* Set the values the pending system call returns: r[0] to
     * r[regs - 1]. The process's other argument registers keep what it
     * had in them when it trapped. */
    void (*set_return)(struct process *p, const struct syscall_return *ret, unsigned regs);
    /* Have the process run u->fn(args..., appdata) when it next runs,
     * then return from its pending yield. Registers the AAPCS lets a
     * call clobber (r0-r3, r12, lr on Cortex-M) may change; the others
     * keep the process's values. */
    void (*push_upcall)(struct process *p, const struct upcall *u);
    /* The process ended: release what the architecture holds for it. */
    void (*release)(struct process *p);
};

/* Zero all of p's RAM, [ram_start, ram_end) (grants are freed already). */
void process_wipe_ram(struct process *p);

/* accessible_end of the installed architecture (brk itself without one). */
uintptr_t process_accessible_end(const struct process *p, uintptr_t brk);

void process_set_arch(const struct arch_process_ops *ops);

/*
 * Optional, for memory protection coarser than a byte (NULL: none).
 * accessible_end(p, brk) is the end of the memory p can reach when its
 * break is brk: the hardware exposes up to the next boundary of its
 * granularity. The kernel then keeps grants at or above it and refuses a
 * break whose end would reach into them, so a process never sees a grant.
 */
void process_set_accessible_end(uintptr_t (*accessible_end)(const struct process *p,
                                                            uintptr_t brk));

#endif
