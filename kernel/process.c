/*
 * Processes: table, memory and grants, upcall queues, life cycle and the
 * round-robin scheduler. The system call classes are in kernel/syscall.c.
 */
#include "kernel/process.h"

#include <string.h>

#include "kernel/arch_process.h"
#include "kernel/deferred.h"
#include "kernel/process_internal.h"
#include "kernel/syscall_driver.h"
#include "kernel/wipe.h"

#define GRANT_ALIGN 8u
#define BACKOFF_FIRST_MS 100u
#define BACKOFF_MAX_MS 10000u
#define RESTART_NOT_TIMED UINT64_MAX

static struct process processes[PROCESS_MAX];
static uint16_t next_generation[PROCESS_MAX];
static const struct syscall_driver *drivers[PROCESS_DRIVERS_MAX];
static unsigned driver_count;
static uint32_t ready_words[RR_WORDS(PROCESS_MAX)];
static struct rr ready = { ready_words, PROCESS_MAX, PROCESS_MAX - 1 };
/* per driver: the cursor of process_next_with_grant() */
static uint32_t driver_rr_words[PROCESS_DRIVERS_MAX][RR_WORDS(PROCESS_MAX)];
static struct rr driver_rr[PROCESS_DRIVERS_MAX];
static uint32_t timeslice_us = 10000;
/* Set when a process ended with a restart to come; cleared by
 * process_restart_due() once none is left waiting. */
static bool restart_waiting;
/* The process arch->run() is running (process_next_after_yield() moves it). */
static struct process *running;
static const struct arch_process_ops *arch;

void process_set_arch(const struct arch_process_ops *ops)
{
    arch = ops;
}

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

vmux_err_t process_register_driver(const struct syscall_driver *driver)
{
    if (driver == NULL || driver->command == NULL)
        return VMUX_INVALID;
    if (process_find_driver(driver->number) >= 0)
        return VMUX_ALREADY;
    if (driver_count >= PROCESS_DRIVERS_MAX)
        return VMUX_NOMEM;
    rr_init(&driver_rr[driver_count], driver_rr_words[driver_count], PROCESS_MAX);
    drivers[driver_count++] = driver;
    return VMUX_SUCCESS;
}

int process_find_driver(uint32_t number)
{
    for (unsigned i = 0; i < driver_count; i++)
        if (drivers[i]->number == number)
            return (int)i;
    return -1;
}

const struct syscall_driver *process_driver_at(unsigned index)
{
    return index < driver_count ? drivers[index] : NULL;
}

static int driver_index(const struct syscall_driver *driver)
{
    for (unsigned i = 0; i < driver_count; i++)
        if (drivers[i] == driver)
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

void process_wipe_ram(struct process *p)
{
    wipe((void *)p->ram_start, p->ram_end - p->ram_start);
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

static void *grant_state(void *grant, const struct syscall_driver *d)
{
    return grant_allows(grant, d, true) + d->allow_ro_count;
}

void *process_grant_raw(struct process *p, const struct syscall_driver *d)
{
    int i = driver_index(d);
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
        d->grant_init(d, p, grant_state(h, d));
    return h;
}

void *process_grant(struct process *p, const struct syscall_driver *d)
{
    void *g = process_grant_raw(p, d);
    return g ? grant_state(g, d) : NULL;
}

static const uint8_t *allowed(struct process *p, const struct syscall_driver *d, unsigned num,
                              bool read_only, size_t *len)
{
    *len = 0;
    int i = driver_index(d);
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

/* Tell each driver the process is gone, then free every grant. */
static void free_grants(struct process *p)
{
    for (unsigned i = 0; i < driver_count; i++) {
        if (p->grants[i] && drivers[i]->process_ended)
            drivers[i]->process_ended(drivers[i], p, grant_state(p->grants[i], drivers[i]));
        rr_clear_pending(&driver_rr[i], p->slot);
        p->grants[i] = NULL;
    }
    wipe((void *)p->kernel_break, p->ram_end - p->kernel_break);
    p->kernel_break = p->ram_end & ~(uintptr_t)(GRANT_ALIGN - 1);
}

struct process *process_next_with_grant(const struct syscall_driver *d,
                                        bool (*pending)(struct process *p, void *state,
                                                        void *ctx),
                                        void *ctx)
{
    int di = driver_index(d);
    if (di < 0)
        return NULL;
    struct rr *r = &driver_rr[di];
    for (unsigned s = 0; s < PROCESS_MAX; s++) {
        struct process *p = &processes[s];
        bool live = p->state != PROCESS_EMPTY && p->state != PROCESS_ENDED &&
                    p->state != PROCESS_STOPPED;
        if (live && p->grants[di] && pending(p, grant_state(p->grants[di], d), ctx))
            rr_set_pending(r, s);
        else
            rr_clear_pending(r, s);
    }
    int next = rr_next(r);
    return next < 0 ? NULL : &processes[next];
}

/* ------------------------------------------------------------ upcalls */

static void set_ready(struct process *p)
{
    p->state = PROCESS_READY;
    rr_set_pending(&ready, p->slot);
}

static bool queue_push(struct process *p, const struct upcall *u)
{
    if (p->queue_count >= PROCESS_UPCALL_QUEUE) {
        p->counters.upcalls_dropped++;
        return false;
    }
    p->queue[(p->queue_head + p->queue_count) % PROCESS_UPCALL_QUEUE] = *u;
    p->queue_count++;
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
    while (queue_pop_any(p, out))
        if (out->fn != 0)
            return true;
    return false;
}

bool process_queue_take(struct process *p, uint32_t driver, uint32_t subscribe,
                        struct upcall *out)
{
    for (unsigned i = 0; i < p->queue_count; i++) {
        struct upcall *u = &p->queue[(p->queue_head + i) % PROCESS_UPCALL_QUEUE];
        if (u->driver != driver || u->subscribe != subscribe)
            continue;
        *out = *u;
        /* close the gap, keeping the others in order */
        for (unsigned j = i; j + 1 < p->queue_count; j++)
            p->queue[(p->queue_head + j) % PROCESS_UPCALL_QUEUE] =
                p->queue[(p->queue_head + j + 1) % PROCESS_UPCALL_QUEUE];
        p->queue_count--;
        wipe(&p->queue[(p->queue_head + p->queue_count) % PROCESS_UPCALL_QUEUE],
             sizeof p->queue[0]);
        return true;
    }
    return false;
}

void process_queue_drop_matching(struct process *p, uint32_t driver, uint32_t subscribe)
{
    struct upcall u;
    while (process_queue_take(p, driver, subscribe, &u))
        ;
}

void process_deliver_upcall(struct process *p, const struct upcall *u)
{
    p->counters.upcalls_delivered++;
    arch->push_upcall(p, u);
}

bool process_schedule_upcall(struct process *p, const struct syscall_driver *d,
                             unsigned subscribe_num, uint32_t a, uint32_t b, uint32_t c)
{
    if (p == NULL || p->state == PROCESS_EMPTY || p->state == PROCESS_ENDED ||
        p->state == PROCESS_STOPPED)
        return false;
    if (p->state == PROCESS_WAITING_FOR && p->wait_driver == d->number &&
        p->wait_subscribe == subscribe_num) {
        struct syscall_return ret = { { a, b, c, 0 } }; /* wait-for: values, no variant */
        p->counters.upcalls_delivered++;
        arch->set_return(p, &ret);
        set_ready(p);
        return true;
    }
    void *g = process_grant_raw(p, d);
    if (g == NULL || subscribe_num >= d->upcall_count)
        return false;
    struct upcall_slot *slot = &grant_upcalls(g)[subscribe_num];
    /* With the null upcall subscribed the event is still queued, so that a
     * later yield-wait-for on it returns it (as Tock does; synchronous
     * libraries wait without subscribing); yield-wait and no-wait skip it. */
    struct upcall u = { slot->fn, slot->appdata, { a, b, c }, d->number, subscribe_num };
    if (p->state == PROCESS_YIELDED && u.fn != 0) {
        process_deliver_upcall(p, &u);
        set_ready(p);
        return true;
    }
    return queue_push(p, &u);
}

/* ------------------------------------------------------------ table */

struct process *process_at(unsigned slot)
{
    if (slot >= PROCESS_MAX || processes[slot].state == PROCESS_EMPTY)
        return NULL;
    return &processes[slot];
}

struct process *process_find(const char *name)
{
    for (unsigned s = 0; s < PROCESS_MAX; s++)
        if (processes[s].state != PROCESS_EMPTY && strcmp(processes[s].name, name) == 0)
            return &processes[s];
    return NULL;
}

struct process *process_of_client(client_id_t id)
{
    if (!client_is_process(id) || client_index(id) >= PROCESS_MAX)
        return NULL;
    struct process *p = &processes[client_index(id)];
    if (p->state == PROCESS_EMPTY || p->state == PROCESS_ENDED || p->state == PROCESS_STOPPED ||
        p->generation != client_generation(id))
        return NULL;
    return p;
}

static const char *name_of_process(client_id_t id)
{
    struct process *p = process_of_client(id);
    return p ? p->name : NULL;
}

/* Start (or restart) p as a new generation of its slot. */
static vmux_err_t launch(struct process *p)
{
    p->generation = next_generation[p->slot]++;
    p->app_break = p->initial_break;
    p->kernel_break = p->ram_end & ~(uintptr_t)(GRANT_ALIGN - 1);
    p->queue_head = p->queue_count = 0;
    p->faulted = false;
    p->exit_code = 0;
    vmux_err_t err = arch->start(p);
    if (err != VMUX_SUCCESS) {
        p->state = PROCESS_ENDED;
        return err;
    }
    set_ready(p);
    return VMUX_SUCCESS;
}

vmux_err_t process_create(const cap_process_management_t *cap, const struct process_image *image,
                          void *arch_context, struct process **out)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (image == NULL || arch == NULL || image->ram_end <= image->ram_start ||
        image->initial_break < image->ram_start || image->initial_break > image->ram_end)
        return VMUX_INVALID;
    struct process *p = NULL;
    for (unsigned s = 0; s < PROCESS_MAX && p == NULL; s++)
        if (processes[s].state == PROCESS_EMPTY)
            p = &processes[s];
    if (p == NULL)
        return VMUX_NOMEM;
    unsigned slot = (unsigned)(p - processes);
    memset(p, 0, sizeof *p);
    p->slot = (uint16_t)slot;
    strncpy(p->name, image->name ? image->name : "app", PROCESS_NAME_MAX - 1);
    p->ram_start = image->ram_start;
    p->ram_end = image->ram_end;
    p->initial_break = image->initial_break;
    p->flash_start = image->flash_start;
    p->flash_end = image->flash_end;
    memcpy(p->extra_rw, image->extra_rw, sizeof p->extra_rw);
    p->stack_top = image->stack_top;
    p->heap_start = image->heap_start;
    p->restart_policy = image->restart_policy;
    p->arch = arch_context;
    if (next_generation[slot] == 0)
        next_generation[slot] = 1;
    client_set_process_namer(name_of_process);
    vmux_err_t err = launch(p);
    if (out)
        *out = p;
    return err;
}

/* ------------------------------------------------------------ life cycle */

/* Release everything the process holds, in every layer. */
static void release(struct process *p)
{
    rr_clear_pending(&ready, p->slot);
    free_grants(p);
    client_departed(process_client(p));
    struct upcall u;
    while (queue_pop_any(p, &u))
        ;
    arch->release(p);
}

void process_end(struct process *p, bool faulted, int exit_code)
{
    if (p == NULL || p->state == PROCESS_EMPTY || p->state == PROCESS_ENDED)
        return;
    p->state = PROCESS_ENDED;
    p->faulted = faulted;
    p->exit_code = exit_code;
    release(p);
    if (p->restart_policy == RESTART_WITH_BACKOFF) {
        p->backoff_ms = p->backoff_ms ? p->backoff_ms * 2 : BACKOFF_FIRST_MS;
        if (p->backoff_ms > BACKOFF_MAX_MS)
            p->backoff_ms = BACKOFF_MAX_MS;
        p->restart_at_ms = RESTART_NOT_TIMED; /* timed by the next process_restart_due() */
        restart_waiting = true;
    }
}

void process_restart_now(struct process *p)
{
    if (p->state != PROCESS_ENDED)
        process_end(p, false, 0);
    p->counters.restarts++;
    launch(p);
}

vmux_err_t process_stop(const cap_process_management_t *cap, struct process *p)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (p == NULL || p->state == PROCESS_EMPTY)
        return VMUX_INVALID;
    if (p->state == PROCESS_STOPPED)
        return VMUX_ALREADY;
    if (p->state != PROCESS_ENDED)
        release(p);
    p->state = PROCESS_STOPPED;
    return VMUX_SUCCESS;
}

vmux_err_t process_start(const cap_process_management_t *cap, struct process *p)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (p == NULL || p->state == PROCESS_EMPTY)
        return VMUX_INVALID;
    if (p->state != PROCESS_STOPPED && p->state != PROCESS_ENDED)
        return VMUX_ALREADY;
    p->backoff_ms = 0;
    p->counters.restarts++;
    return launch(p);
}

/* ------------------------------------------------------------ scheduling */

bool process_restart_waiting(void)
{
    return restart_waiting;
}

void process_restart_due(uint64_t now_ms)
{
    if (!restart_waiting)
        return;
    bool still = false;
    for (unsigned s = 0; s < PROCESS_MAX; s++) {
        struct process *p = &processes[s];
        if (p->state != PROCESS_ENDED || p->restart_policy != RESTART_WITH_BACKOFF)
            continue;
        if (p->restart_at_ms == RESTART_NOT_TIMED)
            p->restart_at_ms = now_ms + p->backoff_ms;
        if (p->restart_at_ms <= now_ms) {
            p->counters.restarts++;
            launch(p);
        }
        if (p->state == PROCESS_ENDED)
            still = true;
    }
    restart_waiting = still;
}

bool process_any_runnable(void)
{
    return rr_any_pending(&ready);
}

struct process *process_next_after_yield(void)
{
    if (deferred_call_pending() || restart_waiting)
        return NULL;
    int slot = rr_next(&ready);
    if (slot < 0)
        return NULL;
    return running = &processes[slot];
}

bool process_run_ready(void)
{
    int slot = rr_next(&ready);
    if (slot < 0)
        return false;
    struct process *p = running = &processes[slot];
    struct arch_syscall call;
    enum arch_trap trap = arch->run(p, timeslice_us, &call);
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

bool process_run_next(uint64_t now_ms)
{
    process_restart_due(now_ms);
    return process_run_ready();
}

/* A process that blocks in yield leaves the ready set. */
void process_block(struct process *p, enum process_state state)
{
    p->state = state;
    rr_clear_pending(&ready, p->slot);
}

void process_set_return(struct process *p, const struct syscall_return *ret)
{
    arch->set_return(p, ret);
}

void process_write_byte(struct process *p, uintptr_t addr, uint8_t value)
{
    arch->write_byte(p, addr, value);
}

void process_set_timeslice_us(uint32_t us)
{
    timeslice_us = us ? us : 1;
}

uint32_t process_timeslice_us(void)
{
    return timeslice_us;
}

void process_reset(void)
{
    memset(processes, 0, sizeof processes);
    memset(next_generation, 0, sizeof next_generation);
    driver_count = 0;
    rr_init(&ready, ready_words, PROCESS_MAX);
    restart_waiting = false;
}
