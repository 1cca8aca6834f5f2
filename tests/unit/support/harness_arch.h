/*
 * A scripted architecture for unit tests: plays several processes without
 * running any code. Each process has a static RAM quota; a test queues
 * the traps a process will make (system calls, a busy time slice, a
 * fault) and reads back what the kernel did: the return registers it set,
 * the upcalls it pushed, the bytes it wrote.
 */
#ifndef VMUX_TESTS_HARNESS_ARCH_H
#define VMUX_TESTS_HARNESS_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch_process.h"
#include "kernel/process.h"

#define HARNESS_RAM 4096u
#define HARNESS_FLASH 256u
#define HARNESS_SCRIPT 32u
#define HARNESS_LOG 32u

struct harness_process {
    uint8_t ram[HARNESS_RAM] __attribute__((aligned(16)));
    uint8_t flash[HARNESS_FLASH];
    struct arch_syscall script[HARNESS_SCRIPT];
    enum arch_trap script_kind[HARNESS_SCRIPT];
    unsigned script_len, script_at;
    struct syscall_return last_return;
    unsigned last_return_regs;   /* how many of its registers were written back */
    unsigned returns;
    struct upcall upcalls[HARNESS_LOG];
    unsigned upcall_count;
    unsigned starts, releases, runs;
    vmux_err_t start_error;     /* what the next start returns */
    struct process *process;
};

extern const struct arch_process_ops harness_arch_ops;

/* Reset the kernel's process table and install the harness. */
void harness_reset(void);

/* Create a process over h's memory (break 1 KiB in, flash readable). */
struct process *harness_spawn(struct harness_process *h, const char *name,
                              enum process_restart_policy policy);
/* The same, with process_create()'s answer; h is not cleared, so its
 * start_error applies. */
vmux_err_t harness_create(struct harness_process *h, const char *name,
                          enum process_restart_policy policy, struct process **out);

/* Queue a trap the process makes on one of its next runs. With no
 * script left, a run is a busy time slice. */
void harness_expect_syscall(struct harness_process *h, uint32_t class_id, syscall_reg_t r0,
                            syscall_reg_t r1, syscall_reg_t r2, syscall_reg_t r3);
void harness_expect_fault(struct harness_process *h);

/* Trap into the kernel right now, as if the process had run and made
 * this call; returns the registers the kernel set (or r[0] = 0xdead when
 * the call blocked or ended the process). */
struct syscall_return harness_call(struct harness_process *h, uint32_t class_id,
                                   syscall_reg_t r0, syscall_reg_t r1, syscall_reg_t r2,
                                   syscall_reg_t r3);

static inline uintptr_t harness_addr(struct harness_process *h, unsigned offset)
{
    return (uintptr_t)&h->ram[offset];
}

#endif
