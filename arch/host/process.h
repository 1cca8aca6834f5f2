/*
 * Host architecture for processes: each process is a shared object run
 * on a host thread of its own, one thread at a time (kernel/arch_process.h).
 *
 * Execution. The kernel thread and the process threads pass one baton:
 * only its holder runs, the others wait on their semaphore. run() hands
 * the baton to the process and waits until the process traps: it calls
 * the syscall entry (host_syscall_entry), it faults (a SIGSEGV, SIGBUS,
 * SIGILL or SIGFPE on its thread), or its time slice runs out and the
 * kernel takes the baton back with HOST_PREEMPT_SIGNAL. The slice is CPU
 * time of the process's thread, so a loaded host, which keeps the thread
 * waiting for a core, takes nothing from it. A preempted process resumes
 * where it was when it next runs.
 *
 * Memory. The loader (arch/host/loader.h) gives each process a page-aligned
 * RAM quota with a guard page below it; the thread's stack is the bottom
 * of the quota, up to the initial break (glibc keeps the thread's control
 * block at the top of that stack, so it is process memory too). Signal
 * handlers run on a separate alternate stack, so a stack overflow is a
 * fault like any other.
 *
 * This is isolation by convention: a process shares the board's address
 * space, and nothing stops a deliberate attacker. What is caught is what
 * crashes: a fault ends the faulting process and the board goes on.
 */
#ifndef VMUX_ARCH_HOST_PROCESS_H
#define VMUX_ARCH_HOST_PROCESS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/arch_process.h"
#include "userland/include/vmux/host_syscall.h"

#define HOST_PREEMPT_SIGNAL SIGUSR1

extern const struct arch_process_ops host_arch_ops;

/* What a process needs from its loader. Memory belongs to the loader and
 * must stay mapped until host_process_free(). */
struct host_process_config {
    void (*entry)(void);            /* VMUX_HOST_ENTRY_SYMBOL */
    void *stack;                    /* lowest byte of the thread's stack */
    size_t stack_size;              /* at least PTHREAD_STACK_MIN */
    void *signal_stack;             /* the thread's alternate signal stack */
    size_t signal_stack_size;
    /* Writable segments of the object and a copy of their contents as
     * loaded; each start restores them, so a restart begins with fresh
     * globals. A range with size 0 is unused. */
    struct {
        void *at;
        const void *initial;
        size_t size;
    } data[2];
};

/* A context from the fixed pool (PROCESS_MAX), for process_create();
 * NULL when all are taken. */
void *host_process_alloc(const struct host_process_config *config);
/* End the process's thread if it still has one and return the context to
 * the pool (the loader unloading the app). */
void host_process_free(void *context);

/* The function the loader stores into the app's VMUX_HOST_SYSCALL_SYMBOL.
 * Called on a process thread: traps into the kernel with the class and
 * registers and returns the result registers, or runs an upcall the
 * kernel delivered and then returns (zero registers). Called on any other
 * thread it fails at once (r0 = RET_FAILURE, r1 = VMUX_FAIL). */
struct vmux_regs host_syscall_entry(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2,
                                    uintptr_t r3);

/* ------------------------------------------------------------ inspection */

#define HOST_FAULT_RETURNED (-1) /* host_fault.signo: the app's entry returned */

struct host_fault {
    int signo;        /* 0: never faulted; HOST_FAULT_RETURNED */
    uintptr_t addr;   /* si_addr */
    uintptr_t pc;     /* 0 when unknown; the entry for HOST_FAULT_RETURNED */
};

/* The last fault of p's current or previous life. */
struct host_fault host_process_last_fault(const struct process *p);
/* How many threads were started for p (one per start or restart). */
unsigned host_process_threads_started(const struct process *p);
/* Does p have a live thread now? */
bool host_process_has_thread(const struct process *p);

#endif
