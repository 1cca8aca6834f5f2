/*
 * What the two halves of the Cortex-M3 process code share: process.c
 * (the switch, trap, system call and upcall paths, compiled for speed)
 * and process_setup.c (start-up, allocation, release and the fault
 * record, compiled for size: Makefile, LM3S_HOT).
 */
#ifndef VMUX_ARCH_CORTEX_M3_PROCESS_CONTEXT_H
#define VMUX_ARCH_CORTEX_M3_PROCESS_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cortex-m3/mpu.h"
#include "arch/cortex-m3/process.h"
#include "kernel/process.h"

#define XPSR_THUMB (1u << 24)
#define XPSR_ALIGNED (1u << 9)  /* the hardware padded the frame by a word */
#define FRAME_WORDS 8u  /* CM3_PROCESS_RAM_MIN bytes */

/* The context of a process. The assembly knows the first two fields:
 * r4-r11 at offset 0, PSP at offset 32. */
struct cm3_process {
    uint32_t r4_r11[8];
    uint32_t psp;
    bool in_use;
    uintptr_t entry;            /* the first instruction (Thumb bit set) */
    uintptr_t binary;           /* r0 at entry: the app's binary */
    struct cm3_mpu_config mpu;
    uintptr_t mpu_break;        /* the break mpu was computed for; 0 none */
    struct cm3_fault fault;
};

extern struct cm3_process cm3_pool[PROCESS_MAX];
extern const struct cm3_slice_timer *cm3_slice_timer;
extern cm3_report_fn cm3_reporter;
extern struct cm3_process *cm3_mpu_owner;   /* whose regions the MPU holds */
extern struct process *cm3_running;         /* inside run(), for the fault path */

/* arch_process_ops (cm3_arch_ops, process.c) */
vmux_err_t cm3_start(struct process *p);
void cm3_release(struct process *p);

/* The fault path (process.c's assembly calls the first; fault.c has the
 * second). */
void cm3_process_fault_record(const uint32_t *frame, uint32_t exc_return, const uint32_t *r4_r11);
__attribute__((noreturn)) void arch_fault_report(const uint32_t *frame, uint32_t exc_return,
                                                 const uint32_t *r4_r11);

#endif
