/*
 * Host processes on threads, one running at a time: the baton.
 *
 * Each process context has two semaphores, to_process and to_kernel, and
 * an atomic baton word that says who holds the baton and, once the process
 * gives it back, why:
 *
 *   KERNEL     the kernel holds it; the process thread is parked
 *   RUNNING    the process holds it (set by run() before it posts)
 *   PREEMPT    the process still holds it, but its slice is over: the
 *              kernel asked for it back and signalled the thread
 *   SYSCALL    given back: a system call is in call
 *   FAULT      given back: a fault is in fault
 *   PREEMPTED  given back: the slice was over
 *
 * Handshake. run() stores RUNNING, posts to_process and waits on to_kernel
 * until the deadline. The process gives the baton back by storing a trap
 * state and posting to_kernel, exactly once per run:
 *
 *   - a system call or a fault takes the baton whatever it was (an atomic
 *     exchange of RUNNING or PREEMPT for SYSCALL or FAULT): a trap that
 *     comes as the slice ends is still that trap;
 *   - a preemption only turns PREEMPT into PREEMPTED, by compare-and-swap.
 *
 * When the deadline passes, the kernel tries RUNNING -> PREEMPT by
 * compare-and-swap. If that fails, the process has trapped already (its
 * post is made or about to be). If it succeeds, the kernel signals the
 * thread (HOST_PREEMPT_SIGNAL). Either way it then waits on to_kernel
 * without a deadline, and reads the reason from the baton word.
 *
 * Why the kernel always gets exactly one post. While the baton word is
 * RUNNING or PREEMPT, the process holds the baton, and every path that
 * gives it back changes the word away from RUNNING/PREEMPT before posting.
 * An exchange or a successful CAS is done once only per run, so one post;
 * the kernel's own CAS only moves RUNNING to PREEMPT, so it can never
 * take a second reason. Semaphores count, so a post before the kernel
 * waits is not lost.
 *
 * Why a PREEMPT is always answered. Who notices it depends on where the
 * process thread is:
 *
 *   - in app code (in_entry == 0): the signal handler runs and does
 *     PREEMPT -> PREEMPTED, posts, and waits to be resumed;
 *   - in our own code on the process thread (in_entry == 1: the syscall
 *     entry, the start routine, or a handler): the handler does nothing,
 *     so that it never runs semaphore code re-entered over our own; our
 *     code checks the word itself at each point where it could have
 *     become PREEMPT: right after being woken (wait_baton()), and after
 *     clearing in_entry on the way back to app code (leave_entry()). The
 *     latter clears the flag *before* it reads the word, so a PREEMPT set
 *     after the read is followed by a signal that finds in_entry == 0.
 *
 * A signal that arrives late (after its slice ended some other way) finds
 * the word not PREEMPT, or in_entry set, and does nothing. The kernel
 * resets nothing on the thread's behalf; the thread resumes where it
 * stopped: in the app, in the entry, or in the handler.
 *
 * Ending a thread. The thread's start routine marks a sigsetjmp point
 * before it first waits for the baton. To end the process, the kernel
 * (holding the baton) sets ending and posts to_process: the thread is
 * parked in wait_baton() (in the entry, in a handler or in the start
 * routine), wakes, sees ending and siglongjmps back to the start routine,
 * which returns; release() joins it. No unwinding through app frames
 * (the app has no unwind tables to trust), nothing leaks, and the stack
 * can carry a fresh thread for a restart.
 *
 * Faults. SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGTRAP are handled on the
 * thread's alternate stack. On a process thread that holds the baton the
 * handler records the signal, the address and the pc, gives the baton
 * back with FAULT and parks until the process is released: it never
 * returns into the app. Anywhere else (the kernel thread, or a process
 * thread parked in our code) the previous action is restored and the
 * instruction faults again: a kernel fault is a crash. Such a signal sent
 * with kill() and caught by a process thread is ignored.
 */
#include "arch/host/process.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

enum baton {
    BATON_KERNEL,
    BATON_RUNNING,
    BATON_PREEMPT,
    BATON_SYSCALL,
    BATON_FAULT,
    BATON_PREEMPTED,
};

struct host_process {
    bool in_use;
    struct host_process_config config;

    /* the thread of the current life */
    pthread_t thread;
    bool has_thread;
    unsigned threads_started;
    sem_t to_process, to_kernel;
    atomic_int baton;
    /* Set while the process thread runs our code rather than the app's
     * (see the top of the file). Only that thread and its handlers touch
     * it. */
    volatile sig_atomic_t in_entry;
    /* Set by the kernel before it posts to_process to end the thread. The
     * semaphore orders it (and everything below) between the threads. */
    bool ending;
    sigjmp_buf exit_point;
    stack_t previous_altstack; /* the thread's own, put back as it ends */

    /* the trap, written by its side before it posts */
    struct arch_syscall call;
    struct syscall_return ret;
    struct upcall upcall;
    bool upcall_pending;
    struct host_fault fault;
};

static struct host_process pool[PROCESS_MAX];
/* The context of the process this thread runs; NULL on the kernel thread. */
static _Thread_local struct host_process *current;

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
#define FAULT_SIGNALS (sizeof fault_signals / sizeof fault_signals[0])
static struct sigaction previous_fault_action[FAULT_SIGNALS];
/* What a process thread may receive: everything else goes to the kernel. */
static sigset_t process_thread_mask;

/* ------------------------------------------------------------ process side */

/* Park until the kernel hands the baton back, then hold it. Runs on the
 * process thread with in_entry set or inside a handler. */
static void wait_baton(struct host_process *hp)
{
    for (;;) {
        while (sem_wait(&hp->to_process) != 0)
            if (errno != EINTR)
                abort();
        if (hp->ending) {
            hp->in_entry = 1; /* a pending preemption after the jump is stale */
            siglongjmp(hp->exit_point, 1);
        }
        /* The kernel stored RUNNING before it posted; if the slice has
         * ended since (the host was slow to wake us), give it back. */
        int expected = BATON_PREEMPT;
        if (!atomic_compare_exchange_strong(&hp->baton, &expected, BATON_PREEMPTED))
            return;
        sem_post(&hp->to_kernel);
    }
}

/* Give the baton back for a system call or a fault, then park. */
static void trap(struct host_process *hp, enum baton reason)
{
    atomic_exchange(&hp->baton, reason);
    sem_post(&hp->to_kernel);
    wait_baton(hp);
}

/* Answer a PREEMPT: give the baton back and park. False when the word is
 * not PREEMPT (nothing asked, or the request was answered already). */
static bool yield_preempted(struct host_process *hp)
{
    int expected = BATON_PREEMPT;
    if (!atomic_compare_exchange_strong(&hp->baton, &expected, BATON_PREEMPTED))
        return false;
    sem_post(&hp->to_kernel);
    wait_baton(hp);
    return true;
}

/* Back to app code: clear in_entry first, then look for a PREEMPT that
 * the handler (which ignored it while in_entry was set) will not see. */
static void leave_entry(struct host_process *hp)
{
    for (;;) {
        hp->in_entry = 0;
        atomic_signal_fence(memory_order_seq_cst);
        if (atomic_load(&hp->baton) != BATON_PREEMPT)
            return;
        hp->in_entry = 1;
        atomic_signal_fence(memory_order_seq_cst);
        yield_preempted(hp);
    }
}

struct vmux_regs host_syscall_entry(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2,
                                    uintptr_t r3)
{
    struct host_process *hp = current;
    if (hp == NULL)
        return (struct vmux_regs){ RET_FAILURE, VMUX_FAIL, 0, 0 };
    hp->in_entry = 1;
    atomic_signal_fence(memory_order_seq_cst);
    hp->call = (struct arch_syscall){ class_id, { r0, r1, r2, r3 } };
    /* what the kernel does not write comes back as the app passed it */
    hp->ret = (struct syscall_return){ { r0, r1, r2, r3 } };
    hp->upcall_pending = false;
    trap(hp, BATON_SYSCALL);
    if (hp->upcall_pending) {
        /* TRD104: the upcall runs, then the yield returns (no values) */
        struct upcall u = hp->upcall;
        hp->upcall_pending = false;
        leave_entry(hp);
        ((vmux_upcall_fn)u.fn)(u.args[0], u.args[1], u.args[2], u.appdata);
        return (struct vmux_regs){ 0, 0, 0, 0 };
    }
    struct vmux_regs out = { hp->ret.r[0], hp->ret.r[1], hp->ret.r[2], hp->ret.r[3] };
    leave_entry(hp);
    return out;
}

static void on_preempt_signal(int signo, siginfo_t *info, void *context)
{
    (void)signo, (void)info, (void)context;
    struct host_process *hp = current;
    if (hp == NULL || hp->in_entry)
        return; /* the kernel thread, or our code: it checks by itself */
    hp->in_entry = 1;
    yield_preempted(hp); /* nothing when the request is stale */
    hp->in_entry = 0;    /* back to the app code we interrupted */
}

static uintptr_t context_pc(const void *context)
{
    const ucontext_t *uc = context;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static void on_fault_signal(int signo, siginfo_t *info, void *context)
{
    struct host_process *hp = current;
    bool sent = info->si_code <= 0; /* kill(), raise(): not an instruction's */
    if (hp != NULL && sent)
        return; /* sent at the board, and a process thread caught it: not a fault */
    int holder = hp ? atomic_load(&hp->baton) : BATON_KERNEL;
    if (holder != BATON_RUNNING && holder != BATON_PREEMPT) {
        /* The kernel thread, or a process thread that does not hold the
         * baton (parked in our code): a kernel fault. Put the previous
         * action back; the instruction faults again and that action
         * applies. */
        for (unsigned i = 0; i < FAULT_SIGNALS; i++)
            if (fault_signals[i] == signo)
                sigaction(signo, &previous_fault_action[i], NULL);
        if (sent)
            raise(signo); /* nothing would repeat it */
        return;
    }
    hp->in_entry = 1;
    hp->fault = (struct host_fault){ signo, (uintptr_t)info->si_addr, context_pc(context) };
    for (;;)
        trap(hp, BATON_FAULT); /* returns only if run again; never resume */
}

/* The thread of one life of a process. */
static void *process_thread(void *arg)
{
    struct host_process *volatile hp = arg;
    current = hp;
    hp->in_entry = 1;
    stack_t altstack = { .ss_sp = hp->config.signal_stack,
                         .ss_size = hp->config.signal_stack_size };
    sigaltstack(&altstack, &hp->previous_altstack);
    pthread_sigmask(SIG_SETMASK, &process_thread_mask, NULL);
    if (sigsetjmp(hp->exit_point, 1) == 0) {
        wait_baton(hp);
        leave_entry(hp);
        hp->config.entry();
        /* An entry must end with the exit system call. */
        hp->in_entry = 1;
        hp->fault = (struct host_fault){ HOST_FAULT_RETURNED, 0, (uintptr_t)hp->config.entry };
        for (;;)
            trap(hp, BATON_FAULT);
    }
    /* ended by release(): back here from wait_baton(). The thread's own
     * alternate stack (a sanitizer runtime's, which it unmaps at thread
     * exit) goes back, or none. */
    if (hp->previous_altstack.ss_sp == NULL)
        hp->previous_altstack.ss_flags = SS_DISABLE;
    sigaltstack(&hp->previous_altstack, NULL);
    current = NULL;
    return NULL;
}

/* Install the handlers, or put them back: a test framework (cmocka) or
 * a sanitizer may have put its own in since. Another handler found in
 * place of ours becomes the previous action a kernel fault goes to. */
static bool install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    /* neither handler is interrupted by the other */
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, HOST_PREEMPT_SIGNAL);
    for (unsigned i = 0; i < FAULT_SIGNALS; i++)
        sigaddset(&sa.sa_mask, fault_signals[i]);
    struct sigaction now;
    sa.sa_sigaction = on_preempt_signal;
    if (sigaction(HOST_PREEMPT_SIGNAL, NULL, &now) != 0 ||
        (now.sa_sigaction != on_preempt_signal && sigaction(HOST_PREEMPT_SIGNAL, &sa, NULL) != 0))
        return false;
    sa.sa_sigaction = on_fault_signal;
    for (unsigned i = 0; i < FAULT_SIGNALS; i++) {
        if (sigaction(fault_signals[i], NULL, &now) != 0)
            return false;
        if (now.sa_sigaction == on_fault_signal)
            continue;
        if (sigaction(fault_signals[i], &sa, NULL) != 0)
            return false;
        previous_fault_action[i] = now;
    }
    /* Built once, before the first thread: threads read it as they start. */
    static bool mask_built;
    if (!mask_built) {
        sigfillset(&process_thread_mask);
        sigdelset(&process_thread_mask, HOST_PREEMPT_SIGNAL);
        for (unsigned i = 0; i < FAULT_SIGNALS; i++)
            sigdelset(&process_thread_mask, fault_signals[i]);
        mask_built = true;
    }
    return true;
}

/* ------------------------------------------------------------ kernel side */

static void end_thread(struct host_process *hp)
{
    if (!hp->has_thread)
        return;
    hp->ending = true;
    sem_post(&hp->to_process);
    pthread_join(hp->thread, NULL);
    hp->has_thread = false;
    sem_destroy(&hp->to_process);
    sem_destroy(&hp->to_kernel);
}

static vmux_err_t host_start(struct process *p)
{
    struct host_process *hp = p->arch;
    if (hp == NULL || !hp->in_use)
        return VMUX_INVALID;
    if (!install_handlers())
        return VMUX_FAIL;
    end_thread(hp);
    process_wipe_ram(p); /* its stack and heap: the thread is gone */
    for (unsigned i = 0; i < 2; i++)
        if (hp->config.data[i].size)
            memcpy(hp->config.data[i].at, hp->config.data[i].initial, hp->config.data[i].size);
    if (sem_init(&hp->to_process, 0, 0) != 0 || sem_init(&hp->to_kernel, 0, 0) != 0)
        return VMUX_FAIL;
    atomic_store(&hp->baton, BATON_KERNEL);
    hp->ending = false;
    hp->upcall_pending = false;

    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    if (rc == 0) {
        rc = pthread_attr_setstack(&attr, hp->config.stack, hp->config.stack_size);
        if (rc == 0) {
            /* Born with every signal blocked; it sets its own mask. */
            sigset_t all, old;
            sigfillset(&all);
            pthread_sigmask(SIG_SETMASK, &all, &old);
            rc = pthread_create(&hp->thread, &attr, process_thread, hp);
            pthread_sigmask(SIG_SETMASK, &old, NULL);
        }
        pthread_attr_destroy(&attr);
    }
    if (rc != 0) {
        sem_destroy(&hp->to_process);
        sem_destroy(&hp->to_kernel);
        return VMUX_FAIL;
    }
    hp->has_thread = true;
    hp->threads_started++;
    return VMUX_SUCCESS;
}

static void wait_kernel(struct host_process *hp)
{
    while (sem_wait(&hp->to_kernel) != 0)
        if (errno != EINTR)
            abort();
}

static const char *fault_name(int signo)
{
    switch (signo) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGTRAP: return "SIGTRAP";
    default: return "signal";
    }
}

static void report_fault(const struct process *p, const struct host_fault *f)
{
    if (f->signo == HOST_FAULT_RETURNED)
        fprintf(stderr, "vmux: process %s faulted: returned from its entry point (0x%" PRIxPTR ")\n",
                p->name, f->pc);
    else
        fprintf(stderr, "vmux: process %s faulted: %s at 0x%" PRIxPTR " (pc 0x%" PRIxPTR ")\n",
                p->name, fault_name(f->signo), f->addr, f->pc);
}

static uint64_t clock_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec monotonic_in(uint64_t ns)
{
    uint64_t at = clock_ns(CLOCK_MONOTONIC) + ns;
    return (struct timespec){ (time_t)(at / 1000000000u), (long)(at % 1000000000u) };
}

/* The slice is CPU time of the process's thread, not time on the wall:
 * on a loaded host, the time the thread waits for a core (to wake up, or
 * between two of the host's own slices) is not taken from it. So a
 * process gets the same work done in a slice however busy the machine
 * is, and what a test sees does not depend on the load. The kernel waits
 * for the trap until the wall clock could have given the whole slice,
 * then reads the thread's clock, and waits again for what is left. */
static enum arch_trap host_run(struct process *p, uint32_t timeslice_us, struct arch_syscall *call)
{
    struct host_process *hp = p->arch;
    if (hp == NULL || !hp->in_use || !hp->has_thread)
        return ARCH_TRAP_FAULT;
    clockid_t cpu;
    bool cpu_clock = pthread_getcpuclockid(hp->thread, &cpu) == 0;
    uint64_t slice = (uint64_t)timeslice_us * 1000u, used = 0;
    uint64_t start = cpu_clock ? clock_ns(cpu) : 0;

    atomic_store(&hp->baton, BATON_RUNNING);
    sem_post(&hp->to_process);
    for (;;) {
        struct timespec deadline = monotonic_in(slice - used);
        if (sem_clockwait(&hp->to_kernel, CLOCK_MONOTONIC, &deadline) == 0)
            break; /* it trapped */
        if (errno == EINTR)
            continue;
        used = cpu_clock ? clock_ns(cpu) - start : slice;
        if (used < slice)
            continue;
        int expected = BATON_RUNNING;
        if (atomic_compare_exchange_strong(&hp->baton, &expected, BATON_PREEMPT))
            pthread_kill(hp->thread, HOST_PREEMPT_SIGNAL);
        wait_kernel(hp); /* exactly one post comes, whoever gave the baton back */
        break;
    }
    int reason = atomic_exchange(&hp->baton, BATON_KERNEL);
    switch (reason) {
    case BATON_SYSCALL:
        *call = hp->call;
        return ARCH_TRAP_SYSCALL;
    case BATON_FAULT:
        report_fault(p, &hp->fault);
        return ARCH_TRAP_FAULT;
    default:
        return ARCH_TRAP_TIMESLICE;
    }
}

static void host_set_return(struct process *p, const struct syscall_return *ret, unsigned regs)
{
    struct host_process *hp = p->arch;
    for (unsigned i = 0; i < regs; i++)
        hp->ret.r[i] = ret->r[i];
}

static void host_push_upcall(struct process *p, const struct upcall *u)
{
    struct host_process *hp = p->arch;
    hp->upcall = *u;
    hp->upcall_pending = true;
}

static void host_release(struct process *p)
{
    struct host_process *hp = p->arch;
    if (hp != NULL && hp->in_use)
        end_thread(hp);
}

const struct arch_process_ops host_arch_ops = {
    .start = host_start,
    .run = host_run,
    .set_return = host_set_return,
    .push_upcall = host_push_upcall,
    .release = host_release,
};

/* ------------------------------------------------------------ contexts */

void *host_process_alloc(const struct host_process_config *config)
{
    if (config == NULL || config->entry == NULL || config->stack == NULL ||
        config->stack_size < (size_t)PTHREAD_STACK_MIN || config->signal_stack == NULL ||
        config->signal_stack_size < (size_t)MINSIGSTKSZ)
        return NULL;
    for (unsigned i = 0; i < PROCESS_MAX; i++) {
        struct host_process *hp = &pool[i];
        if (hp->in_use)
            continue;
        memset(hp, 0, sizeof *hp);
        hp->in_use = true;
        hp->config = *config;
        return hp;
    }
    return NULL;
}

void host_process_free(void *context)
{
    struct host_process *hp = context;
    if (hp == NULL || !hp->in_use)
        return;
    end_thread(hp);
    hp->in_use = false;
}

/* ------------------------------------------------------------ inspection */

struct host_fault host_process_last_fault(const struct process *p)
{
    const struct host_process *hp = p->arch;
    return hp ? hp->fault : (struct host_fault){ 0, 0, 0 };
}

unsigned host_process_threads_started(const struct process *p)
{
    const struct host_process *hp = p->arch;
    return hp ? hp->threads_started : 0;
}

bool host_process_has_thread(const struct process *p)
{
    const struct host_process *hp = p->arch;
    return hp && hp->has_thread;
}
