/*
 * Processes: the kernel's table of isolated userspace clients, their
 * memory and grants, their upcalls, their life cycle and their scheduling.
 *
 * Portable: everything that depends on the CPU (running a process until
 * it traps, delivering an upcall on its stack, memory protection) is
 * behind kernel/arch_process.h, which arch/host and arch/cortex-m3
 * implement.
 *
 * Identity. A process occupies a slot; each start of a slot bumps its
 * generation, so process_client() is a new client_id_t after a restart
 * and nothing of the previous life (ports, key slots, channels, handles)
 * matches it.
 *
 * Memory. A process owns a RAM quota [ram_start, ram_end). It may use
 * [ram_start, app_break); memop brk/sbrk move app_break. The kernel
 * allocates grants downward from ram_end; kernel_break is the lowest
 * granted byte. The two never cross: whichever asks last gets NOMEM, and
 * only that process is affected. Flash [flash_start, flash_end) is
 * readable. A host process may also use the writable segments of its
 * shared object (extra_rw).
 *
 * Grants. A syscall driver's per-process state, with its upcall and allow
 * slots, lives in a grant allocated on the process's first use of the
 * driver, from that process's own quota. Grants are freed when the
 * process ends.
 *
 * Upcalls. A driver calls process_schedule_upcall(); the upcall waits in
 * the process's bounded queue until the process yields. A full queue
 * drops the upcall and counts it. Every upcall scheduled is counted
 * once more where it ends: delivered, dropped (queue full), replaced (a
 * subscribe discarded it), unsubscribed (a yield skipped it: nothing was
 * subscribed) or ended (queued when the process ended or was stopped);
 * scheduled = the five + what is queued.
 *
 * Scheduling. process_run_next() picks the next process that can run,
 * round robin from the one after the last run (kernel/rr.h), runs it for
 * at most one time slice, and handles the trap that ended the slice.
 */
#ifndef VMUX_KERNEL_PROCESS_H
#define VMUX_KERNEL_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/capability.h"
#include "kernel/client.h"
#include "kernel/errors.h"
#include "kernel/rr.h"
#include "kernel/syscall.h"

#ifndef PROCESS_MAX
#define PROCESS_MAX 8u
#endif
#define PROCESS_DRIVERS_MAX 16u
#define PROCESS_UPCALL_QUEUE 16u
#define PROCESS_NAME_MAX 24u
#define PROCESS_FLASH_REGIONS_MAX 4u  /* writeable flash regions a TBF may name */

struct process;
struct syscall_driver;

enum process_state {
    PROCESS_EMPTY,        /* slot unused */
    PROCESS_READY,        /* can run: start, after a syscall, after preemption */
    PROCESS_YIELDED,      /* in yield-wait: runs when an upcall is queued */
    PROCESS_WAITING_FOR,  /* in yield-wait-for a particular upcall */
    PROCESS_STOPPED,      /* stopped by management; keeps its state */
    PROCESS_ENDED,        /* exited or faulted; may be restarted */
};

enum process_restart_policy {
    RESTART_NEVER,
    RESTART_WITH_BACKOFF,
};

struct memory_range {
    uintptr_t start, end;  /* [start, end) */
};

struct upcall {
    uintptr_t fn;
    uintptr_t appdata;
    uint32_t args[3];
    uint32_t driver;
    uint32_t subscribe;
};

struct process_counters {
    uint32_t syscalls;
    uint32_t upcalls_scheduled;
    uint32_t upcalls_delivered;
    uint32_t upcalls_dropped;     /* queue full */
    uint32_t upcalls_replaced;    /* queued, discarded by a subscribe to its slot */
    uint32_t upcalls_unsubscribed; /* queued with no function, skipped by a yield */
    uint32_t upcalls_ended;       /* queued when the process ended or was stopped */
    uint32_t bad_syscalls;        /* unknown class, bad arguments */
    uint32_t grant_nomem;         /* a grant did not fit */
    uint32_t restarts;
    uint32_t restarts_held;       /* restarts the back-off held back */
    uint32_t timeslices_expired;
};

struct process {
    /* identity */
    char name[PROCESS_NAME_MAX];
    uint16_t slot;
    uint16_t generation;
    enum process_state state;
    int exit_code;
    bool faulted;

    /* memory */
    uintptr_t ram_start, ram_end;
    uintptr_t app_break, initial_break;
    /* The end of the highest RAM buffer ever allowed in this life: brk
     * may not go below it (Tock's allow high-water mark), so a buffer the
     * kernel holds never leaves the process's memory. */
    uintptr_t allow_high_water;
    uintptr_t kernel_break;
    uintptr_t flash_start, flash_end;
    struct memory_range extra_rw[2];
    uintptr_t stack_top, heap_start;  /* hints reported by memop 10/11 */
    /* flash the app's TBF names as writeable regions (memop 7-9) */
    struct memory_range flash_regions[PROCESS_FLASH_REGIONS_MAX];
    uint8_t flash_region_count;

    /* one grant pointer per registered driver, NULL until first use */
    void *grants[PROCESS_DRIVERS_MAX];

    /* upcalls */
    struct upcall queue[PROCESS_UPCALL_QUEUE];
    uint8_t queue_head, queue_count;
    uint32_t wait_driver, wait_subscribe;  /* for PROCESS_WAITING_FOR */
    bool yield_no_wait_flag;               /* a no-wait yield awaits its flag */
    uintptr_t yield_flag_addr;

    /* life cycle: see "Restarts" above process_end() */
    enum process_restart_policy restart_policy;
    bool restart_wanted;     /* ended or stopped, to start again when the back-off allows */
    uint32_t backoff_ms;     /* the back-off of its next restart; 0 after a long life */
    uint64_t started_ms;     /* its life began; UINT64_MAX until timed */
    uint64_t restart_at_ms;  /* the earliest start of its next life; UINT64_MAX until timed */

    void *arch;          /* the architecture's per-process context */
    struct process_counters counters;
};

/* ------------------------------------------------------------ setup */

/* Register a syscall driver (boards only, before processes start).
 * NOMEM when PROCESS_DRIVERS_MAX are registered; ALREADY for a number
 * registered before. */
vmux_err_t process_register_driver(const struct syscall_driver *driver);

/* The description a loader gives for a new process. */
struct process_image {
    const char *name;
    uintptr_t ram_start, ram_end;    /* quota, grants included */
    uintptr_t initial_break;         /* first break: stack and data below it */
    uintptr_t flash_start, flash_end;
    struct memory_range extra_rw[2];
    uintptr_t stack_top, heap_start;
    enum process_restart_policy restart_policy;
    /* writeable flash regions (inside [flash_start, flash_end)) */
    struct memory_range flash_regions[PROCESS_FLASH_REGIONS_MAX];
    unsigned flash_region_count;
};

/* Create a process in a free slot and make it ready (arch_process_start
 * sets up its entry). NOMEM when every slot is taken; RESERVE or BUSY
 * when its name is not free (process_name_check()). When the
 * architecture cannot start it, its error, *out = NULL and the slot stays
 * free (the caller still owns arch_context). */
vmux_err_t process_create(const cap_process_management_t *cap, const struct process_image *image,
                          void *arch_context, struct process **out);

/* Names. What the host sees under a name must come from that client (the
 * UART mux announces each channel by its client's name), so a new process
 * may not take a kernel client's name or one the board reserves
 * (client_name_reserved(): RESERVE), nor another process's (BUSY).
 * SUCCESS when name is free; else *why (unless why is NULL) says why not,
 * for the loader's report. process_create() checks the same. A process
 * keeps the first PROCESS_NAME_MAX - 1 characters of its name: a loader
 * that may be given a longer one cuts it before it asks. */
vmux_err_t process_name_check(const char *name, const char **why);

struct process *process_at(unsigned slot);
struct process *process_find(const char *name);
struct process *process_of_client(client_id_t id);

static inline client_id_t process_client(const struct process *p)
{
    return client_process(p->slot, p->generation);
}

/* ------------------------------------------------------------ for drivers */

/*
 * Queue upcall subscribe_num of driver for p with three arguments. Nothing
 * is queued when the process never subscribed (or subscribed the null
 * upcall), except that a yield-wait-for on exactly this upcall completes.
 * Returns false when the upcall was dropped (queue full, process gone).
 */
bool process_schedule_upcall(struct process *p, const struct syscall_driver *driver,
                             unsigned subscribe_num, uint32_t a, uint32_t b, uint32_t c);

/* The buffer the process shared with read-write allow num of driver
 * (NULL and *len = 0 when none). Valid until the process changes that
 * allow or ends; the driver must re-fetch it after any upcall. */
uint8_t *process_allowed_rw(struct process *p, const struct syscall_driver *driver,
                            unsigned num, size_t *len);
const uint8_t *process_allowed_ro(struct process *p, const struct syscall_driver *driver,
                                  unsigned num, size_t *len);

/* The driver's per-process state, allocating the grant on first use.
 * NULL (and the process's grant_nomem counter) when it does not fit. */
void *process_grant(struct process *p, const struct syscall_driver *driver);

/* Bytes a grant of driver takes from a process's quota. */
size_t process_grant_size(const struct syscall_driver *driver);

/* Of the live processes holding a grant of driver for which pending()
 * says yes, the next one after the one this returned last, round robin
 * (kernel/rr.h); NULL when none. For drivers that serve processes in turn. */
struct process *process_next_with_grant(const struct syscall_driver *driver,
                                        bool (*pending)(struct process *p, void *state,
                                                        void *ctx),
                                        void *ctx);

/* ------------------------------------------------------------ syscalls */

/* Handle one trap of process p: class and r0..r3 as the ABI defines.
 * Sets the result registers through the architecture, or blocks the
 * process (yield), or ends it (exit). */
void process_syscall(struct process *p, uint32_t class_id, syscall_reg_t r0, syscall_reg_t r1,
                     syscall_reg_t r2, syscall_reg_t r3);

/* process_syscall() of a yield (class 0): an architecture may call it
 * directly, to keep the yield of every switch short. */
void process_syscall_yield(struct process *p, syscall_reg_t kind, syscall_reg_t r1,
                           syscall_reg_t r2);

/* Is [addr, addr+len) inside memory p may write (rw) or read (!rw)? */
bool process_may_access(const struct process *p, uintptr_t addr, size_t len, bool rw);

/* ------------------------------------------------------------ life cycle */

/*
 * Restarts. Every start after the first goes through one back-off, on
 * the clock the board passes to process_restart_due(): a restart after a
 * fault or exit under RESTART_WITH_BACKOFF, an exit-restart (whatever
 * the policy: the process asked for it), and a start by management. A
 * life shorter than 100 ms is quick: the next start waits 100 ms after
 * its end, doubling with each quick life in a row up to 10 s. A life of
 * 100 ms or more clears the back-off: its restart comes at once (at the
 * board's next process_restart_due()). So a process restarts at most 10
 * times a second, however it loops. Each restart the back-off held back
 * is counted (restarts_held, shown by ps).
 */

/* End a process: it faulted (with a report already printed by the
 * architecture) or exited, or management stopped it for good. Its
 * pending operations are cancelled, every mux releases its resources
 * (client_departed), its grants are freed. Then the restart policy
 * applies. */
void process_end(struct process *p, bool faulted, int exit_code);

/* The board's: told when a process exits with exit-terminate (its code
 * in p->exit_code), after its resources are released; NULL: nobody. A
 * fault is reported by the architecture instead, a restart by ps. */
void process_set_exit_reporter(void (*exited)(const struct process *p));

/* Management (needs the capability): stop keeps the process's memory but
 * releases its resources like an end; start starts a stopped or ended
 * process as a new generation: at once, or when its back-off is over
 * (SUCCESS either way; a process already waiting for its restart keeps
 * waiting). */
vmux_err_t process_stop(const cap_process_management_t *cap, struct process *p);
vmux_err_t process_start(const cap_process_management_t *cap, struct process *p);

/* ------------------------------------------------------------ scheduling */

/* Run the next runnable process for at most one time slice and handle
 * its trap (an architecture may go on to the next ones while they yield
 * and the kernel has no work: process_next_after_yield()). Returns false
 * when no process could run. */
bool process_run_ready(void);

/* Restart the processes whose back-off is over at now_ms (a life is
 * timed from the first call after it started to the first call after it
 * ended). Returns at once when no start or end waits to be timed and no
 * restart waits, which process_restart_waiting() tells cheaply, so a
 * board need not read its clock on every turn. */
void process_restart_due(uint64_t now_ms);
bool process_restart_waiting(void);

/* process_restart_due(now_ms), then process_run_ready(). */
bool process_run_next(uint64_t now_ms);

/* True when some process can run now. */
bool process_any_runnable(void);

/* Time slice given to each process, in microseconds. */
void process_set_timeslice_us(uint32_t us);
uint32_t process_timeslice_us(void);

/* Time slices that ran out, summed over the processes there are: how a
 * board or test running on a virtual clock tells a run that used its
 * whole slice from one that ended in a trap. */
uint32_t process_slices_expired(void);

/* Forget every process and driver (tests, board re-init). */
void process_reset(void);

#endif
