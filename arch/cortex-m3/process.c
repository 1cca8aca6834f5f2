/*
 * Processes on Cortex-M3: context switch, trap paths and upcalls
 * (process.h has the design; process_setup.c starts, allocates and
 * releases them and records faults; fault.c writes the report).
 */
#include "arch/cortex-m3/process.h"

#include <stddef.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/cortex_m3.h"
#include "arch/cortex-m3/process_context.h"
#include "kernel/deferred.h"
#include "kernel/process_internal.h"

/* Why the last run ended (cm3_trap.reason; the assembly uses the numbers). */
enum {
    TRAP_NONE = 0,
    TRAP_SYSCALL = 1,
    TRAP_SLICE = 2,
    TRAP_INTERRUPT = 3,
    TRAP_FAULT = 4,
    TRAP_TURN_OVER = 5,  /* a yield handled in the SVCall handler ended the turn */
};

struct cm3_process cm3_pool[PROCESS_MAX];
const struct cm3_slice_timer *cm3_slice_timer;
cm3_report_fn cm3_reporter;
static struct cm3_process_stats stats;
struct cm3_process *cm3_mpu_owner;
struct process *cm3_running;

/* Written by the handlers, read by run(); one block, so that run() and
 * the assembly reach every field from one base address (the assembly
 * uses the offsets: reason 0, class 4, slice_over 8, kernel_work 12). */
struct cm3_trap {
    volatile uint32_t reason;      /* why the last run ended: TRAP_* */
    volatile uint32_t class_id;    /* for TRAP_SYSCALL: the svc immediate */
    volatile uint32_t slice_over;  /* the slice timer went off */
    /* Set by an interrupt that left a deferred call pending, whatever it
     * interrupted; cleared by run() just before it looks for deferred
     * calls (as it starts, and before process_next_after_yield()).
     * Checked on the way into the process, so work raised between the
     * kernel's decision to run a process and the svc that enters it is
     * not left waiting for the slice's end. */
    volatile uint32_t kernel_work;
};
struct cm3_trap cm3_trap;
/* For svcall_handler: where struct process keeps queue_count. */
__attribute__((used)) const uint32_t cm3_queue_count_offset = offsetof(struct process, queue_count);
_Static_assert(__builtin_offsetof(struct cm3_trap, class_id) == 4 &&
                   __builtin_offsetof(struct cm3_trap, slice_over) == 8 &&
                   __builtin_offsetof(struct cm3_trap, kernel_work) == 12,
               "the assembly knows these offsets");

void cm3_switch_to_process(struct cm3_process *ctx);
void cm3_return_to_kernel(void);
void arch_fault_entry(void);
uint32_t cm3_after_irq(uint32_t exc_return);

/* ------------------------------------------------------------ assembly */

/*
 * Thread mode, privileged, on MSP. Loads the process's r4-r11 and PSP
 * and enters it through `svc 0xff`; execution comes back after the svc
 * when the process traps (r0, the context, comes back with the kernel's
 * stacked frame), and the process's r4-r11 and PSP are saved.
 */
__attribute__((naked, used)) void cm3_switch_to_process(struct cm3_process *ctx)
{
    (void)ctx;
    __asm__ volatile(
        "push {r4-r12, lr}\n\t"
        "ldr r1, [r0, #32]\n\t"
        "msr psp, r1\n\t"
        "ldmia r0, {r4-r11}\n\t"
        "svc #0xff\n\t"
        "stmia r0, {r4-r11}\n\t"
        "mrs r1, psp\n\t"
        "str r1, [r0, #32]\n\t"
        "pop {r4-r12, pc}\n\t");
}

/*
 * Handler mode, r0 = the reason: back to the kernel's Thread mode on MSP,
 * privileged, where cm3_switch_to_process() left off. r4-r11 must still
 * hold the process's values.
 */
__attribute__((naked, used)) void cm3_return_to_kernel(void)
{
    __asm__ volatile(
        "ldr r1, =cm3_trap\n\t"
        "str r0, [r1]\n\t"              /* reason */
        "movs r0, #0\n\t"           /* CONTROL: privileged (the exception */
        "msr control, r0\n\t"      /* return synchronises; no isb needed) */
        "mvn lr, #6\n\t"            /* EXC_RETURN 0xFFFFFFF9: Thread mode, MSP */
        "bx lr\n\t"
        ".ltorg\n\t");
}

/*
 * SVCall. From the kernel (EXC_RETURN bit 2 clear: the svc 0xff of
 * cm3_switch_to_process): drop privilege and return to the process on
 * PSP, unless its slice is already over. From a process: the class is
 * the low byte of the svc halfword before the stacked pc. Yield and exit
 * (they end the turn: the kernel may switch) go back to the kernel with
 * the class recorded. Every other class is handled here, in Handler
 * mode on the main stack (cm3_fast_syscall: the process's r4-r11 stay in
 * their registers, C preserves them), and the process resumes at once,
 * unless the call left the kernel work or ended the slice: then back to
 * the kernel with that reason.
 */
__attribute__((naked)) void svcall_handler(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "bne 4f\n\t"
        "ldr r2, =cm3_trap\n\t"
        "ldr r1, [r2, #8]\n\t"         /* slice_over */
        "cbnz r1, 2f\n\t"
        "ldr r1, [r2, #12]\n\t"        /* kernel_work */
        "cbnz r1, 3f\n\t"
        "movs r0, #1\n\t"         /* CONTROL.nPRIV: unprivileged */
        "msr control, r0\n\t"
        "mvn lr, #2\n\t"          /* EXC_RETURN 0xFFFFFFFD: Thread mode, PSP */
        "bx lr\n"
        "2:\n\t"
        "movs r0, #2\n\t"         /* TRAP_SLICE */
        "b cm3_return_to_kernel\n"
        "3:\n\t"
        "movs r0, #3\n\t"         /* TRAP_INTERRUPT */
        "b cm3_return_to_kernel\n"
        "4:\n\t"
        "mrs r0, psp\n\t"
        "ldr r1, [r0, #24]\n\t"
        "ldrb r1, [r1, #-2]\n\t"
        "cbnz r1, 7f\n\t"
        /* yield: here only a wait or no-wait with an upcall queued */
        "ldr r2, [r0]\n\t"         /* the kind */
        "cmp r2, #1\n\t"
        "bhi 5f\n\t"
        "ldr r2, =cm3_running\n\t"
        "ldr r2, [r2]\n\t"
        "ldr r3, =cm3_queue_count_offset\n\t"
        "ldr r3, [r3]\n\t"
        "ldrb r2, [r2, r3]\n\t"   /* its queue_count */
        "cbz r2, 5f\n\t"
        "b 8f\n"
        "7:\n\t"
        "cmp r1, #6\n\t"          /* exit */
        "beq 5f\n"
        "8:\n\t"
        "push {r4, lr}\n\t"       /* lr: EXC_RETURN; r4 keeps 8-byte alignment */
        "bl cm3_fast_syscall\n\t"
        "pop {r4, lr}\n\t"
        "cbnz r0, 6f\n\t"
        "bx lr\n"                 /* back to the process */
        "6:\n\t"
        "b cm3_return_to_kernel\n"
        "5:\n\t"
        "ldr r2, =cm3_trap\n\t"
        "str r1, [r2, #4]\n\t"         /* class_id */
        "movs r0, #1\n\t"         /* TRAP_SYSCALL */
        "b cm3_return_to_kernel\n\t"
        ".ltorg\n\t");
}

/*
 * Every interrupt of the chip (arch.h): its handler from arch_irq_handlers,
 * then cm3_after_irq, and, if it interrupted a process and there is work
 * for the kernel, back to the kernel.
 */
__attribute__((naked)) void arch_irq_entry(void)
{
    __asm__ volatile(
        "push {r0, lr}\n\t"
        "mrs r0, ipsr\n\t"
        "sub r0, r0, #16\n\t"
        "ldr r1, =arch_irq_handlers\n\t"
        "ldr r1, [r1, r0, lsl #2]\n\t"
        "blx r1\n\t"
        "ldr r0, [sp, #4]\n\t"     /* EXC_RETURN */
        "bl cm3_after_irq\n\t"
        "pop {r1, lr}\n\t"
        "tst lr, #4\n\t"          /* back to the kernel's own code: done */
        "it eq\n\t"
        "bxeq lr\n\t"
        "cmp r0, #0\n\t"
        "it eq\n\t"
        "bxeq lr\n\t"
        "b cm3_return_to_kernel\n\t"
        ".ltorg\n\t");
}

/*
 * The four fault vectors (startup.c). The hardware stacked the frame on
 * the stack in use (EXC_RETURN bit 2: the process stack); r4-r11 are
 * saved next to it, on the main stack, for cm3_process_fault_record,
 * which returns only for a process's fault: back to the kernel with
 * TRAP_FAULT. The kernel's own faults end in fault.c's panic.
 */
__attribute__((naked)) void arch_fault_entry(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "push {r4-r11}\n\t"
        "mov r2, sp\n\t"
        "bl cm3_process_fault_record\n\t"
        "add sp, sp, #32\n\t"
        "movs r0, #4\n\t"           /* TRAP_FAULT */
        "b cm3_return_to_kernel\n\t");
}

/* ------------------------------------------------------------ handlers' C */

void cm3_process_slice_expired(void)
{
    cm3_trap.slice_over = 1;
}

/* After each interrupt handler: note work for the kernel; for one that
 * came while a process ran, why that process should stop (TRAP_NONE: it
 * goes on). */
__attribute__((used)) uint32_t cm3_after_irq(uint32_t exc_return)
{
    bool work = deferred_call_pending();
    if (work)
        cm3_trap.kernel_work = 1;
    if (!(exc_return & 4u))
        return TRAP_NONE;
    stats.process_interrupts++;
    if (cm3_trap.slice_over)
        return TRAP_SLICE;
    return work ? TRAP_INTERRUPT : TRAP_NONE;
}

/* ------------------------------------------------------------ ops */

static void update_mpu(struct process *p, struct cm3_process *cp);

/*
 * A system call that returns at once (every class but yield and exit),
 * from svcall_handler, in Handler mode: frame is the process's stacked
 * r0-r3, r12, lr, pc, xpsr. Returns TRAP_NONE to resume the process, or
 * why the kernel must run first (the reason run() then sees): the call
 * changed the process's state, the slice is over, or a deferred call is
 * pending (raised by an interrupt or by the call itself).
 */
__attribute__((used)) uint32_t cm3_fast_syscall(uint32_t *frame, uint32_t class_id)
{
    struct process *p = cm3_running;
    if (class_id == SYSCALL_COMMAND) {
        /* the commonest call, without the dispatcher's detours; only the
         * registers its variant defines are written (TRD104) */
        p->counters.syscalls++;
        struct syscall_return r = process_command(p, frame[0], frame[1], frame[2], frame[3]);
        unsigned n = syscall_variant_regs(r.r[0]);
        frame[0] = (uint32_t)r.r[0];
        frame[1] = n > 1 ? (uint32_t)r.r[1] : frame[1];
        if (n > 2) {
            frame[2] = (uint32_t)r.r[2];
            if (n > 3)
                frame[3] = (uint32_t)r.r[3];
        }
    } else if (class_id == SYSCALL_YIELD) {
        /* A wait or no-wait with an upcall queued (svcall_handler checked):
         * it only runs the upcall. */
        struct cm3_process *cp = p->arch;
        cp->psp = (uint32_t)(uintptr_t)frame; /* where the upcall's frame goes */
        uint32_t ran = p->counters.upcalls_delivered;
        process_syscall_yield(p, frame[0], frame[1], frame[2]);
        stats.syscalls++;
        if (p->counters.upcalls_delivered == ran)
            return TRAP_TURN_OVER; /* only null upcalls were queued */
        /* the upcall's frame may sit elsewhere than the svc's: the
         * exception return unstacks from PSP */
        __asm__ volatile("msr psp, %0" : : "r"(cp->psp) : "memory");
        goto resume;
    } else {
        struct cm3_process *cp = p->arch;
        cp->psp = (uint32_t)(uintptr_t)frame; /* where set_return writes */
        process_syscall(p, class_id, frame[0], frame[1], frame[2], frame[3]);
        /* A memop may have moved the break: usable at once. p's regions
         * are the MPU's (run() loaded them before entering p). */
        if (p->state == PROCESS_READY && cp->mpu_break != p->app_break)
            update_mpu(p, cp);
    }
    stats.syscalls++;
resume:
    if (p->state != PROCESS_READY)
        return TRAP_INTERRUPT; /* a driver changed it: the kernel decides */
    if (cm3_trap.slice_over)
        return TRAP_SLICE;
    /* work an interrupt or the call itself raised */
    if (deferred_call_pending())
        return TRAP_INTERRUPT;
    return TRAP_NONE;
}

/* p's break moved since its regions were computed (or they never were):
 * compute them again, and load them if the MPU holds p's. Off the switch
 * path: the break moves only when a process starts or asks (memop). */
static __attribute__((noinline)) void update_mpu(struct process *p, struct cm3_process *cp)
{
    cm3_mpu_configure(&cp->mpu, p->flash_start, p->flash_end, p->ram_start, p->ram_end,
                      p->app_break);
    cp->mpu_break = p->app_break;
    if (cm3_mpu_owner == cp) {
        cm3_mpu_apply(&cp->mpu);
        stats.mpu_break_updates++;
    }
}

static inline __attribute__((always_inline)) void load_mpu(struct process *p,
                                                           struct cm3_process *cp)
{
    if (cp->mpu_break != p->app_break)
        update_mpu(p, cp);
    if (cm3_mpu_owner != cp) {
        cm3_mpu_apply(&cp->mpu);
        stats.mpu_reprograms++;
        cm3_mpu_owner = cp;
    }
}

static enum arch_trap cm3_run(struct process *p, uint32_t timeslice_us, struct arch_syscall *call)
{
    (void)call; /* every system call is passed to process_syscall() here */
    struct cm3_process *cp;
    /* Cleared, then work already pending noted again: an interrupt that
     * raised it after the board's loop decided to run p and before this
     * clear would otherwise be forgotten, and wait for the end of p's
     * slice. One after the clear sets the flag itself. */
    cm3_trap.kernel_work = 0;
    if (deferred_call_pending())
        cm3_trap.kernel_work = 1;
next_process:
    cp = p->arch;
    if (cp == NULL)
        return ARCH_TRAP_FAULT;
    stats.switches++;
    load_mpu(p, cp);
    cm3_running = p;
    /* The slice timer is not stopped when a process traps: arming it
     * again restarts it, and a time-out that came while the kernel ran
     * only set cm3_trap.slice_over, cleared here after arming. The board stops
     * it before sleeping (cm3_process_idle). */
    cm3_slice_timer->arm(timeslice_us);
    cm3_trap.slice_over = 0;
    for (;;) {
        cm3_trap.reason = TRAP_NONE;
        cm3_switch_to_process(cp);
        if (cm3_trap.reason == TRAP_TURN_OVER)
            goto turn_over;
        if (cm3_trap.reason != TRAP_SYSCALL)
            break;
        const uint32_t *frame = (const uint32_t *)(uintptr_t)cp->psp;
        stats.syscalls++;
        uint32_t class_id = cm3_trap.class_id;
        if (class_id == SYSCALL_YIELD)
            process_syscall_yield(p, frame[0], frame[1], frame[2]);
        else
            process_syscall(p, class_id, frame[0], frame[1], frame[2], frame[3]);
        /* Yield and exit end the turn (they block, end, or give the CPU
         * away): on to the next process at once if the kernel has no
         * work. The others return at once (TRD104) and the slice goes
         * on, unless it is over, the kernel has work, or a driver changed
         * the process's state. */
        if (class_id == SYSCALL_YIELD || class_id == SYSCALL_EXIT) {
turn_over:
            /* Cleared before process_next_after_yield() looks for
             * deferred calls: work raised after its look sets it again. */
            cm3_trap.kernel_work = 0;
            p = process_next_after_yield();
            if (p != NULL)
                goto next_process;
            cm3_running = NULL;
            return ARCH_TRAP_HANDLED;
        }
        if (p->state != PROCESS_READY) {
            cm3_trap.reason = TRAP_INTERRUPT; /* a driver changed it: the kernel decides */
            break;
        }
        /* A memop may have moved the break: usable at once. p's regions
         * are the MPU's (load_mpu above). */
        if (class_id == SYSCALL_MEMOP && cp->mpu_break != p->app_break)
            update_mpu(p, cp);
    }
    cm3_running = NULL;
    switch (cm3_trap.reason) {
    case TRAP_FAULT:
        stats.faults++;
        if (cm3_reporter != NULL)
            cm3_fault_report(p, &cp->fault, cm3_reporter);
        return ARCH_TRAP_FAULT;
    case TRAP_INTERRUPT:
        stats.interrupt_preempts++;
        return ARCH_TRAP_TIMESLICE;
    default:
        stats.slice_expiries++;
        return ARCH_TRAP_TIMESLICE;
    }
}

void cm3_process_idle(void)
{
    if (cm3_slice_timer != NULL)
        cm3_slice_timer->disarm();
}

static void cm3_set_return(struct process *p, const struct syscall_return *ret, unsigned regs)
{
    struct cm3_process *cp = p->arch;
    uint32_t *frame = (uint32_t *)(uintptr_t)cp->psp;
    for (unsigned i = 0; i < regs; i++)
        frame[i] = (uint32_t)ret->r[i];
}

static void cm3_push_upcall(struct process *p, const struct upcall *u)
{
    struct cm3_process *cp = p->arch;
    const uint32_t *old = (const uint32_t *)(uintptr_t)cp->psp;
    uint32_t resume = old[6], r12 = old[4];
    /* The stack pointer at the svc: above the frame and its padding. */
    uint32_t sp = cp->psp + FRAME_WORDS * 4u + ((old[7] & XPSR_ALIGNED) ? 4u : 0u);
    uint32_t *frame = (uint32_t *)(uintptr_t)(sp - FRAME_WORDS * 4u);
    frame[0] = u->args[0];
    frame[1] = u->args[1];
    frame[2] = u->args[2];
    frame[3] = (uint32_t)u->appdata;
    frame[4] = r12;
    frame[5] = resume | 1u;
    frame[6] = (uint32_t)u->fn & ~1u;
    frame[7] = XPSR_THUMB;
    cp->psp = (uint32_t)(uintptr_t)frame;
}

const struct arch_process_ops cm3_arch_ops = {
    .start = cm3_start,
    .run = cm3_run,
    .set_return = cm3_set_return,
    .push_upcall = cm3_push_upcall,
    .release = cm3_release,
};

const struct cm3_process_stats *cm3_process_stats(void)
{
    return &stats;
}
