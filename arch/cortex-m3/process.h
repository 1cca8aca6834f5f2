/*
 * Processes on Cortex-M3 (kernel/arch_process.h): unprivileged code on
 * the process stack (PSP), isolated by the MPU (mpu.h), trapping into the
 * kernel, which runs privileged on the main stack (MSP).
 *
 * Context switch. run(p) calls cm3_switch_to_process() in Thread mode: it
 * pushes the kernel's callee-saved registers on the main stack, loads
 * p's r4-r11 and PSP from p's context, and executes `svc 0xff`. The
 * SVCall handler, seeing a call from the main stack, sets CONTROL.nPRIV
 * and returns with EXC_RETURN 0xFFFFFFFD (Thread mode, PSP): the
 * hardware unstacks p's frame (r0-r3, r12, lr, pc, xPSR) from its stack
 * and p runs. The kernel's own frame of that svc stays on the main stack
 * until a trap returns to it.
 *
 * System calls that return at once (subscribe, command, the allows,
 * memop: TRD104 says they never block) are handled in the SVCall handler
 * itself, in Handler mode on the main stack (cm3_fast_syscall: the
 * process's r4-r11 stay in their registers, since C code preserves
 * them), and the process goes on with its slice at once, as long as the
 * call did not change its state, the slice is not over and no deferred
 * call is pending (after a memop the MPU is reloaded first if the break
 * moved); otherwise back to the kernel as for an interrupt. Command has
 * its own path there (process_command() inline, only the variant's
 * registers written). Handler mode holds off interrupts for the length
 * of the call: every call there is short and never waits. Yield and
 * exit go back to the kernel thread (yield through
 * process_syscall_yield()) and end the turn: they block, end the
 * process, or give the CPU to the next one (yield-no-wait is the
 * cooperative yield). run() then asks process_next_after_yield() for the
 * next process and switches to it directly; when the kernel has work
 * first, or no process is ready, it returns ARCH_TRAP_HANDLED.
 *
 * Traps. Every way back to the kernel ends in the same two steps,
 * privileged again (CONTROL.nPRIV = 0) and a return with EXC_RETURN
 * 0xFFFFFFF9 (Thread mode, MSP), which unstacks the kernel's frame:
 * cm3_switch_to_process() continues after its svc, stores r4-r11 (still
 * p's: no handler on the way changes them) and PSP into p's context, and
 * returns to run() with the reason the handler recorded:
 *   - `svc N` from the process, for yield and exit (or a fast call that
 *     left the kernel work): class N (the immediate of the svc halfword
 *     before the stacked pc), r0-r3 from the frame, handled as above;
 *   - an interrupt while the process runs: every IRQ enters through
 *     arch_irq_entry (arch.h), which calls the driver's handler (its top
 *     half) and then, if it interrupted a process, ends the slice when
 *     the slice timer has expired or a deferred call is pending:
 *     ARCH_TRAP_TIMESLICE. So the kernel runs a bottom half no later than
 *     the end of the interrupt that raised it: a process spinning in a
 *     loop delays I/O by nothing, and its own CPU time by at most one
 *     slice. Interrupts that raise nothing (SysTick's timebase read, an
 *     interrupt handled whole in its top half) return to the process;
 *   - a fault taken from the process stack (MemManage, BusFault,
 *     UsageFault, HardFault): ARCH_TRAP_FAULT, with the fault status
 *     (CFSR, MMFAR, BFAR, HFSR) and registers recorded and cleared; run()
 *     prints the report through the reporter the board installed. A
 *     fault in kernel code (Thread mode on MSP, or any handler) is still
 *     the panic of fault.c.
 * The slice timer (struct cm3_slice_timer, the board's: GPTM 2A on the
 * lm3s6965) is armed before each switch to a process and left running
 * when it traps (arming again restarts it; a time-out while the kernel
 * runs only sets a flag cleared at the next switch); the board calls
 * cm3_process_idle() before it sleeps, which stops it. Its interrupt
 * calls cm3_process_slice_expired().
 *
 * Priorities. SVCall, the faults and every interrupt keep the reset
 * priority 0, so no handler preempts another: a handler only ever
 * interrupts Thread mode, and EXC_RETURN bit 2 says whether that was a
 * process. A fault inside a handler escalates to HardFault and panics.
 *
 * Returns and upcalls. set_return writes the registers the return
 * variant defines (r0 up to r3) into the stacked frame and no others.
 * push_upcall replaces the frame of the pending yield with one that
 * enters fn(a0, a1, a2, appdata) with lr = the address after the svc
 * (Thumb bit set) and r12 as the process left it, placed so that the
 * stack pointer the function sees, and the one the code after the svc
 * gets back when it returns, is the one the process had when it trapped
 * (the hardware's alignment padding, xPSR bit 9, is folded in). lr of
 * the yield is not preserved, as in Tock: a yield that runs an upcall
 * clobbers what any call may clobber (r0-r3, r12, lr).
 *
 * Entry, as Tock's: start() builds a first frame: pc = the entry point,
 * r0 = the start of the app's binary in flash (after its TBF header and
 * protected trailer: where libtock-c's crt0 and libvmux's read their
 * startup header), r1 = the start of its RAM, r2 = the size of its RAM
 * quota (grants at the top included), r3 = its initial break; lr = 0,
 * r4-r11 = 0; the frame sits right below the initial break. The app's
 * crt0 (userland/libvmux/crt0_arm.c) moves the stack where it wants it
 * (docs/syscalls.md).
 *
 * Memory protection. Before running a process other than the one that ran
 * last, the MPU gets its regions (mpu.h); for the same process only
 * when its break moved. Both are counted (cm3_process_stats).
 */
#ifndef VMUX_ARCH_CORTEX_M3_PROCESS_H
#define VMUX_ARCH_CORTEX_M3_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch_process.h"

extern const struct arch_process_ops cm3_arch_ops;

/* For process_set_accessible_end(): how far p reaches with its break at
 * brk (cm3_mpu_ram_end). */
uintptr_t cm3_process_accessible_end(const struct process *p, uintptr_t brk);

/* A one-shot timer for time slices (the board's). */
struct cm3_slice_timer {
    /* Interrupt after us; arming again restarts it and forgets a
     * time-out not yet taken. */
    void (*arm)(uint32_t us);
    void (*disarm)(void);
};

/* Where fault reports go: one line at a time, without its newline. */
typedef void (*cm3_report_fn)(const char *line);

/* Set up the MPU and the slice timer; report may be NULL (no reports).
 * false when the MPU is missing or too small. */
bool cm3_process_init(const struct cm3_slice_timer *timer, cm3_report_fn report);

/* The slice timer's interrupt handler calls this. */
void cm3_process_slice_expired(void);

/* The kernel is about to sleep: stop the slice timer, so it does not
 * wake the CPU for a process that is not running. */
void cm3_process_idle(void);

/* The least RAM below its initial break a process can start with: its
 * first exception frame (start() fails with less). */
#define CM3_PROCESS_RAM_MIN 32u

/* A context from the fixed pool for process_create(): entry is the
 * address of the app's first instruction (Thumb bit optional), binary
 * what r0 holds there (at or below entry, inside the app's flash). NULL
 * when the pool is empty. */
void *cm3_process_alloc(uintptr_t entry, uintptr_t binary);
void cm3_process_free(void *context);

struct cm3_fault {
    uint32_t exception;     /* 3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault; 0 none */
    uint32_t cfsr, hfsr, mmfar, bfar;
    uint32_t frame[8];      /* r0-r3, r12, lr, pc, xpsr (zero when unreadable: a
                             * frame the process could not have written, such
                             * as one meant for its grants, is never read) */
    bool frame_valid;
    uint32_t r4_r11[8];
    uint32_t psp;
};

/* The last fault of p (exception 0 when it never faulted). */
struct cm3_fault cm3_process_last_fault(const struct process *p);

/* fault.c, for the fault handlers. Record the fault being handled: its
 * exception, the fault status registers (then cleared), the frame at
 * frame (read only when frame_valid) and r4-r11. */
void cm3_fault_record(struct cm3_fault *f, const uint32_t *frame, const uint32_t *r4_r11,
                      bool frame_valid);

/* The fault report, one line at a time through to: the same text as a
 * kernel fault's panic, but for process p. The first line names the
 * process, the exception and the kind of fault, and for an access the
 * address and whose memory it is; then pc, lr, sp, xpsr, r0-r3, r12,
 * r4-r11, CFSR with its bits named, and HFSR. */
void cm3_fault_report(const struct process *p, const struct cm3_fault *f, cm3_report_fn to);

struct cm3_process_stats {
    uint32_t switches;           /* run() calls */
    uint32_t mpu_reprograms;     /* full reloads: a different process ran */
    uint32_t mpu_break_updates;  /* same process, its break moved */
    uint32_t syscalls;
    uint32_t slice_expiries;     /* the slice timer ended a run */
    uint32_t interrupt_preempts; /* an interrupt with work for the kernel did */
    uint32_t process_interrupts; /* interrupts taken while a process ran */
    uint32_t faults;
};

const struct cm3_process_stats *cm3_process_stats(void);

#endif
