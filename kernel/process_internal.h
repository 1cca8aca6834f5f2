/*
 * Shared between kernel/process.c, kernel/process_life.c and
 * kernel/syscall.c only: the process table and its state, the grant
 * layout and the process operations the system call classes need.
 */
#ifndef VMUX_KERNEL_PROCESS_INTERNAL_H
#define VMUX_KERNEL_PROCESS_INTERNAL_H

#include "kernel/process.h"
#include "kernel/syscall_driver.h"

#define GRANT_ALIGN 8u

struct arch_process_ops;

/* Defined in kernel/process.c. */
extern struct process process_table[PROCESS_MAX];
extern const struct syscall_driver *process_drivers[PROCESS_DRIVERS_MAX];
extern unsigned process_driver_count;
extern struct rr process_ready;   /* the processes that can run */
extern const struct arch_process_ops *process_arch;
/* Set when a process ended with a restart to come; cleared by
 * process_restart_due() once none is left waiting. */
extern bool process_restart_pending;

struct upcall_slot {
    uintptr_t fn;
    uintptr_t appdata;
};

struct allow_slot {
    uintptr_t addr;
    size_t len;
};

/* Can p run or wait for upcalls (not empty, stopped or ended)? */
static inline bool process_live(const struct process *p)
{
    return p->state != PROCESS_EMPTY && p->state != PROCESS_ENDED &&
           p->state != PROCESS_STOPPED;
}

/* The registered driver with that number, NULL when none is. The last
 * one found is checked first, inline: a process talks to one driver
 * several times in a row (allow, subscribe, command). */
const struct syscall_driver *process_find_driver_scan(uint32_t number);
extern const struct syscall_driver *process_last_driver;
static inline __attribute__((always_inline)) const struct syscall_driver *
process_find_driver(uint32_t number)
{
    const struct syscall_driver *d = process_last_driver;
    return d != NULL && d->number == number ? d : process_find_driver_scan(number);
}
/* The index of a registered driver in process_drivers, -1 for another. */
int process_driver_index(const struct syscall_driver *driver);

/* The grant (header first) of d for p, allocated on first use; NULL when
 * it does not fit. */
void *process_grant_raw(struct process *p, const struct syscall_driver *d);
struct upcall_slot *grant_upcalls(void *grant);
struct allow_slot *grant_allows(void *grant, const struct syscall_driver *d, bool read_only);
/* The driver's state in a grant. */
void *process_grant_state(void *grant, const struct syscall_driver *d);

bool process_queue_pop(struct process *p, struct upcall *out);
/* Remove the oldest queued upcall of (driver, subscribe) into *out. */
bool process_queue_take(struct process *p, uint32_t driver, uint32_t subscribe,
                        struct upcall *out);
void process_queue_drop_matching(struct process *p, uint32_t driver, uint32_t subscribe);
void process_deliver_upcall(struct process *p, const struct upcall *u);
/* Complete a yield-wait-for: the upcall's values come back in registers
 * (no variant) and its function is not called. */
void process_deliver_waited(struct process *p, uint32_t a, uint32_t b, uint32_t c);

void process_set_ready(struct process *p);
void process_block(struct process *p, enum process_state state);
void process_set_return(struct process *p, const struct syscall_return *ret);
/* A byte of process memory the kernel has checked (the flag of
 * yield-no-wait): every vmux architecture runs processes in the kernel's
 * address space, so the kernel stores it itself. */
static inline void process_write_byte(uintptr_t addr, uint8_t value)
{
    *(volatile uint8_t *)addr = value;
}
/* Exit-restart: end p and restart it when the back-off allows. */
void process_exit_restart(struct process *p, int exit_code);
/* The command class alone (process_syscall() without the dispatch and
 * without writing the result back): for an architecture's fast path. */
static inline __attribute__((always_inline)) struct syscall_return
process_command(struct process *p, uint32_t driver_num, uint32_t cmd, syscall_reg_t a,
                syscall_reg_t b)
{
    const struct syscall_driver *d = process_find_driver(driver_num);
    if (d == NULL)
        return syscall_failure(VMUX_NODEVICE);
    if (cmd == 0)
        return d->command_zero ? d->command_zero(d) : syscall_success();
    void *state = process_grant(p, d);
    if (state == NULL)
        return syscall_failure(VMUX_NOMEM);
    return d->command(d, p, state, cmd, a, b);
}

#endif
