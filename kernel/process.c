/*
 * Processes, on the system call and switch paths: drivers, memory and
 * grants, upcall queues and the round-robin scheduler. Setup and the life
 * cycle are in kernel/process_life.c, the system call classes in
 * kernel/syscall.c.
 */
#include "kernel/process.h"

#include <string.h>

#include "kernel/arch_process.h"
#include "kernel/deferred.h"
#include "kernel/process_internal.h"
#include "kernel/syscall_driver.h"
#include "kernel/wipe.h"

struct process process_table[PROCESS_MAX];
const struct syscall_driver *process_drivers[PROCESS_DRIVERS_MAX];
unsigned process_driver_count;
static uint32_t ready_words[RR_WORDS(PROCESS_MAX)];
struct rr process_ready = { ready_words, PROCESS_MAX, PROCESS_MAX - 1 };
bool process_restart_pending;
const struct arch_process_ops *process_arch;
static uint32_t timeslice_us = 10000;
/* The process arch->run() is running (process_next_after_yield() moves it). */
static struct process *running;

static uintptr_t (*accessible_end_fn)(const struct process *p, uintptr_t brk);

void process_set_accessible_end(uintptr_t (*fn)(const struct process *p, uintptr_t brk))
{
    accessible_end_fn = fn;
}

uintptr_t process_accessible_end(const struct process *p, uintptr_t brk)
{
    return accessible_end_fn ? accessible_end_fn(p, brk) : brk;
}

/* ------------------------------------------------------------ drivers */

const struct syscall_driver *process_last_driver;
static unsigned last_driver;

const struct syscall_driver *process_find_driver_scan(uint32_t number)
{
    for (unsigned i = 0; i < process_driver_count; i++)
        if (process_drivers[i]->number == number) {
            last_driver = i;
            return process_last_driver = process_drivers[i];
        }
    return NULL;
}

int process_driver_index(const struct syscall_driver *driver)
{
    if (process_last_driver == driver)
        return (int)last_driver;
    for (unsigned i = 0; i < process_driver_count; i++)
        if (process_drivers[i] == driver)
            return (int)i;
    return -1;
}

/* ------------------------------------------------------------ memory */

static bool range_contains(uintptr_t start, uintptr_t end, uintptr_t addr, size_t len)
{
    return addr >= start && addr <= end && len <= end - addr;
}

bool process_may_access(const struct process *p, uintptr_t addr, size_t len, bool rw)
{
    if (len == 0)
        return true;
    if (addr + len < addr)
        return false;
    if (range_contains(p->ram_start, p->app_break, addr, len))
        return true;
    for (unsigned i = 0; i < 2; i++)
        if (p->extra_rw[i].end > p->extra_rw[i].start &&
            range_contains(p->extra_rw[i].start, p->extra_rw[i].end, addr, len))
            return true;
    return !rw && range_contains(p->flash_start, p->flash_end, addr, len);
}

/* ------------------------------------------------------------ grants */

/*
 * A grant, in the process's RAM quota:
 *   struct grant_header | upcall slots | rw allow slots | ro allow slots | state
 */
struct grant_header {
    uint32_t size;
    uint32_t driver_number;
};

static size_t align_up(size_t n)
{
    return (n + GRANT_ALIGN - 1) & ~(size_t)(GRANT_ALIGN - 1);
}

static size_t grant_bytes(const struct syscall_driver *d)
{
    return align_up(sizeof(struct grant_header) + d->upcall_count * sizeof(struct upcall_slot) +
                    (d->allow_rw_count + d->allow_ro_count) * sizeof(struct allow_slot) +
                    d->state_size);
}

size_t process_grant_size(const struct syscall_driver *driver)
{
    return grant_bytes(driver);
}

struct upcall_slot *grant_upcalls(void *grant)
{
    return (struct upcall_slot *)((char *)grant + sizeof(struct grant_header));
}

struct allow_slot *grant_allows(void *grant, const struct syscall_driver *d, bool read_only)
{
    struct allow_slot *rw = (struct allow_slot *)(grant_upcalls(grant) + d->upcall_count);
    return read_only ? rw + d->allow_rw_count : rw;
}

void *process_grant_state(void *grant, const struct syscall_driver *d)
{
    return grant_allows(grant, d, true) + d->allow_ro_count;
}

void *process_grant_raw(struct process *p, const struct syscall_driver *d)
{
    int i = process_driver_index(d);
    if (i < 0)
        return NULL;
    if (p->grants[i])
        return p->grants[i];
    size_t bytes = grant_bytes(d);
    uintptr_t base = (p->kernel_break - bytes) & ~(uintptr_t)(GRANT_ALIGN - 1);
    if (bytes > p->kernel_break - p->ram_start ||
        base < process_accessible_end(p, p->app_break)) {
        p->counters.grant_nomem++;
        return NULL; /* only this process runs out */
    }
    p->kernel_break = base;
    memset((void *)base, 0, bytes);
    struct grant_header *h = (struct grant_header *)base;
    h->size = (uint32_t)bytes;
    h->driver_number = d->number;
    p->grants[i] = h;
    if (d->grant_init)
        d->grant_init(d, p, process_grant_state(h, d));
    return h;
}

void *process_grant(struct process *p, const struct syscall_driver *d)
{
    void *g = process_grant_raw(p, d);
    return g ? process_grant_state(g, d) : NULL;
}

static const uint8_t *allowed(struct process *p, const struct syscall_driver *d, unsigned num,
                              bool read_only, size_t *len)
{
    *len = 0;
    int i = process_driver_index(d);
    if (i < 0 || p->grants[i] == NULL)
        return NULL;
    if (num >= (read_only ? d->allow_ro_count : d->allow_rw_count))
        return NULL;
    struct allow_slot *slot = &grant_allows(p->grants[i], d, read_only)[num];
    if (slot->len == 0)
        return NULL;
    /* The process may have moved its break below the buffer since it
     * allowed it: what it can no longer reach, the kernel no longer uses. */
    if (!process_may_access(p, slot->addr, slot->len, !read_only))
        return NULL;
    *len = slot->len;
    return (const uint8_t *)slot->addr;
}

uint8_t *process_allowed_rw(struct process *p, const struct syscall_driver *d, unsigned num,
                            size_t *len)
{
    return (uint8_t *)(uintptr_t)allowed(p, d, num, false, len);
}

const uint8_t *process_allowed_ro(struct process *p, const struct syscall_driver *d,
                                  unsigned num, size_t *len)
{
    return allowed(p, d, num, true, len);
}

/* ------------------------------------------------------------ upcalls */

void process_set_ready(struct process *p)
{
    p->state = PROCESS_READY;
    rr_set_pending(&process_ready, p->slot);
}

/* The i-th upcall of p's queue, oldest first. */
static struct upcall *queue_at(struct process *p, unsigned i)
{
    return &p->queue[(p->queue_head + i) % PROCESS_UPCALL_QUEUE];
}

static bool queue_push(struct process *p, const struct upcall *u)
{
    if (p->queue_count >= PROCESS_UPCALL_QUEUE) {
        p->counters.upcalls_dropped++;
        return false;
    }
    *queue_at(p, p->queue_count++) = *u;
    return true;
}

static bool queue_pop_any(struct process *p, struct upcall *out)
{
    if (p->queue_count == 0)
        return false;
    *out = p->queue[p->queue_head];
    wipe(&p->queue[p->queue_head], sizeof p->queue[0]);
    p->queue_head = (uint8_t)((p->queue_head + 1) % PROCESS_UPCALL_QUEUE);
    p->queue_count--;
    return true;
}

bool process_queue_pop(struct process *p, struct upcall *out)
{
    /* Null upcalls wait only for yield-wait-for: a plain yield drops them. */
    while (queue_pop_any(p, out)) {
        if (out->fn != 0)
            return true;
        p->counters.upcalls_unsubscribed++;
    }
    return false;
}

bool process_queue_take(struct process *p, uint32_t driver, uint32_t subscribe,
                        struct upcall *out)
{
    for (unsigned i = 0; i < p->queue_count; i++) {
        struct upcall *u = queue_at(p, i);
        if (u->driver != driver || u->subscribe != subscribe)
            continue;
        *out = *u;
        /* close the gap, keeping the others in order; wipe the last */
        for (; i + 1 < p->queue_count; i++)
            *queue_at(p, i) = *queue_at(p, i + 1);
        p->queue_count--;
        wipe(queue_at(p, i), sizeof p->queue[0]);
        return true;
    }
    return false;
}

void process_queue_drop_matching(struct process *p, uint32_t driver, uint32_t subscribe)
{
    struct upcall u;
    while (process_queue_take(p, driver, subscribe, &u))
        p->counters.upcalls_replaced++;
}

void process_deliver_upcall(struct process *p, const struct upcall *u)
{
    p->counters.upcalls_delivered++;
    process_arch->push_upcall(p, u);
}

void process_deliver_waited(struct process *p, uint32_t a, uint32_t b, uint32_t c)
{
    p->counters.upcalls_delivered++;
    /* yield-wait-for returns the upcall's three values in r0-r2, no
     * variant; r3 keeps the process's value (Tock's YieldWaitFor) */
    process_arch->set_return(p, &(struct syscall_return){ { a, b, c, 0 } }, 3);
}

bool process_schedule_upcall(struct process *p, const struct syscall_driver *d,
                             unsigned subscribe_num, uint32_t a, uint32_t b, uint32_t c)
{
    if (p == NULL || !process_live(p))
        return false;
    p->counters.upcalls_scheduled++;
    if (p->state == PROCESS_WAITING_FOR && p->wait_driver == d->number &&
        p->wait_subscribe == subscribe_num) {
        process_deliver_waited(p, a, b, c);
        process_set_ready(p);
        return true;
    }
    void *g = process_grant_raw(p, d);
    if (g == NULL || subscribe_num >= d->upcall_count) {
        p->counters.upcalls_dropped++;
        return false;
    }
    struct upcall_slot *slot = &grant_upcalls(g)[subscribe_num];
    /* With the null upcall subscribed the event is still queued, so that a
     * later yield-wait-for on it returns it (as Tock does; synchronous
     * libraries wait without subscribing); yield-wait and no-wait skip it. */
    struct upcall u = { slot->fn, slot->appdata, { a, b, c }, d->number, subscribe_num };
    if (p->state == PROCESS_YIELDED && u.fn != 0) {
        process_deliver_upcall(p, &u);
        process_set_ready(p);
        return true;
    }
    return queue_push(p, &u);
}

/* ------------------------------------------------------------ table */

struct process *process_of_client(client_id_t id)
{
    if (!client_is_process(id) || client_index(id) >= PROCESS_MAX)
        return NULL;
    struct process *p = &process_table[client_index(id)];
    if (!process_live(p) || p->generation != client_generation(id))
        return NULL;
    return p;
}

/* ------------------------------------------------------------ scheduling */

bool process_restart_waiting(void)
{
    return process_restart_pending;
}

bool process_any_runnable(void)
{
    return rr_any_pending(&process_ready);
}

struct process *process_next_after_yield(void)
{
    if (deferred_call_pending() || process_restart_pending)
        return NULL;
    int slot = rr_next(&process_ready);
    if (slot < 0)
        return NULL;
    return running = &process_table[slot];
}

bool process_run_ready(void)
{
    int slot = rr_next(&process_ready);
    if (slot < 0)
        return false;
    struct process *p = running = &process_table[slot];
    struct arch_syscall call;
    enum arch_trap trap = process_arch->run(p, timeslice_us, &call);
    p = running; /* the architecture may have gone on to others */
    running = NULL;
    switch (trap) {
    case ARCH_TRAP_SYSCALL:
        process_syscall(p, call.class_id, call.r[0], call.r[1], call.r[2], call.r[3]);
        break;
    case ARCH_TRAP_HANDLED:
        break;
    case ARCH_TRAP_TIMESLICE:
        p->counters.timeslices_expired++;
        break;
    case ARCH_TRAP_FAULT:
        process_end(p, true, -1);
        break;
    }
    return true;
}

/* A process that blocks in yield leaves the ready set. */
void process_block(struct process *p, enum process_state state)
{
    p->state = state;
    rr_clear_pending(&process_ready, p->slot);
}

void process_set_return(struct process *p, const struct syscall_return *ret)
{
    process_arch->set_return(p, ret, syscall_variant_regs(ret->r[0]));
}



void process_set_timeslice_us(uint32_t us)
{
    timeslice_us = us ? us : 1;
}

uint32_t process_timeslice_us(void)
{
    return timeslice_us;
}
