/*
 * Processes, off the system call and switch paths: driver registration,
 * the table's look-ups by slot and name, creation, end, restart, stop and
 * start, and the restart back-off. kernel/process.c has the rest; on the
 * lm3s6965evb this file is compiled for size (Makefile, LM3S_SMALL).
 */
#include "kernel/process.h"

#include <string.h>

#include "kernel/arch_process.h"
#include "kernel/process_internal.h"
#include "kernel/syscall_driver.h"
#include "kernel/wipe.h"

#define BACKOFF_FIRST_MS 100u
#define BACKOFF_MAX_MS 10000u
#define QUICK_LIFE_MS BACKOFF_FIRST_MS /* a shorter life backs off, a longer one does not */
#define NOT_TIMED UINT64_MAX

static uint16_t next_generation[PROCESS_MAX];
static uint64_t clock_ms; /* the last now_ms given to process_restart_due() */
/* per driver: the cursor of process_next_with_grant() */
static uint32_t driver_rr_words[PROCESS_DRIVERS_MAX][RR_WORDS(PROCESS_MAX)];
static struct rr driver_rr[PROCESS_DRIVERS_MAX];

void process_set_arch(const struct arch_process_ops *ops)
{
    process_arch = ops;
}

vmux_err_t process_register_driver(const struct syscall_driver *driver)
{
    if (driver == NULL || driver->command == NULL)
        return VMUX_INVALID;
    if (process_find_driver(driver->number) != NULL)
        return VMUX_ALREADY;
    if (process_driver_count >= PROCESS_DRIVERS_MAX)
        return VMUX_NOMEM;
    rr_init(&driver_rr[process_driver_count], driver_rr_words[process_driver_count],
            PROCESS_MAX);
    process_drivers[process_driver_count++] = driver;
    return VMUX_SUCCESS;
}

void process_wipe_ram(struct process *p)
{
    wipe((void *)p->ram_start, p->ram_end - p->ram_start);
}

/* ------------------------------------------------------------ grants */

/* Tell each driver the process is gone, then free every grant. */
static void free_grants(struct process *p)
{
    for (unsigned i = 0; i < process_driver_count; i++) {
        const struct syscall_driver *d = process_drivers[i];
        if (p->grants[i] && d->process_ended)
            d->process_ended(d, p, process_grant_state(p->grants[i], d));
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
    int di = process_driver_index(d);
    if (di < 0)
        return NULL;
    struct rr *r = &driver_rr[di];
    for (unsigned s = 0; s < PROCESS_MAX; s++) {
        struct process *p = &process_table[s];
        if (process_live(p) && p->grants[di] && pending(p, process_grant_state(p->grants[di], d), ctx))
            rr_set_pending(r, s);
        else
            rr_clear_pending(r, s);
    }
    int next = rr_next(r);
    return next < 0 ? NULL : &process_table[next];
}

/* ------------------------------------------------------------ table */

struct process *process_at(unsigned slot)
{
    if (slot >= PROCESS_MAX || process_table[slot].state == PROCESS_EMPTY)
        return NULL;
    return &process_table[slot];
}

struct process *process_find(const char *name)
{
    for (unsigned s = 0; s < PROCESS_MAX; s++)
        if (process_table[s].state != PROCESS_EMPTY && strcmp(process_table[s].name, name) == 0)
            return &process_table[s];
    return NULL;
}

static const char *name_of_process(client_id_t id)
{
    struct process *p = process_of_client(id);
    return p ? p->name : NULL;
}

/* Start (or restart) p as a new generation of its slot, at now_ms
 * (NOT_TIMED: stamped by the next process_restart_due()). */
static vmux_err_t launch(struct process *p, uint64_t now_ms)
{
    p->started_ms = now_ms;
    if (now_ms == NOT_TIMED)
        process_restart_pending = true;
    p->generation = next_generation[p->slot]++;
    p->app_break = p->initial_break;
    p->allow_high_water = p->ram_start;
    p->kernel_break = p->ram_end & ~(uintptr_t)(GRANT_ALIGN - 1);
    p->queue_head = p->queue_count = 0;
    p->faulted = false;
    p->exit_code = 0;
    vmux_err_t err = process_arch->start(p);
    if (err != VMUX_SUCCESS) {
        p->state = PROCESS_ENDED;
        return err;
    }
    process_set_ready(p);
    return VMUX_SUCCESS;
}

vmux_err_t process_create(const cap_process_management_t *cap, const struct process_image *image,
                          void *arch_context, struct process **out)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (image == NULL || process_arch == NULL || image->ram_end <= image->ram_start ||
        image->initial_break < image->ram_start || image->initial_break > image->ram_end)
        return VMUX_INVALID;
    vmux_err_t refused = process_name_check(image->name, NULL);
    if (refused != VMUX_SUCCESS)
        return refused;
    struct process *p = NULL;
    for (unsigned s = 0; s < PROCESS_MAX && p == NULL; s++)
        if (process_table[s].state == PROCESS_EMPTY)
            p = &process_table[s];
    if (p == NULL)
        return VMUX_NOMEM;
    unsigned slot = (unsigned)(p - process_table);
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
    for (unsigned i = 0; i < image->flash_region_count && i < PROCESS_FLASH_REGIONS_MAX; i++) {
        const struct memory_range *r = &image->flash_regions[i];
        if (r->start >= image->flash_start && r->end <= image->flash_end && r->start < r->end)
            p->flash_regions[p->flash_region_count++] = *r;
    }
    p->arch = arch_context;
    if (next_generation[slot] == 0)
        next_generation[slot] = 1;
    client_set_process_namer(name_of_process);
    vmux_err_t err = launch(p, NOT_TIMED);
    if (err != VMUX_SUCCESS) {
        /* Never started: the slot is free again for the next app. */
        p->state = PROCESS_EMPTY;
        p = NULL;
    }
    if (out)
        *out = p;
    return err;
}

/* ------------------------------------------------------------ life cycle */

/* Release everything the process holds, in every layer. */
static void release(struct process *p)
{
    rr_clear_pending(&process_ready, p->slot);
    free_grants(p);
    client_departed(process_client(p));
    p->counters.upcalls_ended += p->queue_count;
    wipe(p->queue, sizeof p->queue);
    p->queue_head = p->queue_count = 0;
    process_arch->release(p);
}

/* p's life is over (it ended, or was stopped): everything it held is
 * released, and the next process_restart_due() times its back-off. */
static void end_life(struct process *p, enum process_state state)
{
    p->state = state;
    release(p);
    p->restart_at_ms = NOT_TIMED;
    process_restart_pending = true;
}

void process_end(struct process *p, bool faulted, int exit_code)
{
    if (p == NULL || p->state == PROCESS_EMPTY || p->state == PROCESS_ENDED)
        return;
    p->faulted = faulted;
    p->exit_code = exit_code;
    p->restart_wanted = p->restart_policy == RESTART_WITH_BACKOFF;
    end_life(p, PROCESS_ENDED);
}

void process_exit_restart(struct process *p, int exit_code)
{
    process_end(p, false, exit_code);
    p->restart_wanted = true;
}

vmux_err_t process_stop(const cap_process_management_t *cap, struct process *p)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (p == NULL || p->state == PROCESS_EMPTY)
        return VMUX_INVALID;
    if (p->state == PROCESS_STOPPED)
        return VMUX_ALREADY;
    p->restart_wanted = false;
    if (p->state == PROCESS_ENDED)
        p->state = PROCESS_STOPPED;
    else
        end_life(p, PROCESS_STOPPED);
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
    if (p->restart_wanted)
        return VMUX_SUCCESS; /* it starts when its back-off is over */
    if (p->restart_at_ms <= clock_ms) {
        p->counters.restarts++;
        return launch(p, NOT_TIMED);
    }
    /* The back-off holds: it starts when it is over (at once if the board's
     * clock has moved on since it last told us the time). */
    p->restart_wanted = true;
    if (p->restart_at_ms != NOT_TIMED)
        p->counters.restarts_held++;
    process_restart_pending = true;
    return VMUX_SUCCESS;
}

/* The back-off of a life that ended by now_ms: a quick one doubles it
 * (from BACKOFF_FIRST_MS up to BACKOFF_MAX_MS), a longer one clears it. */
static void time_end(struct process *p, uint64_t now_ms)
{
    bool quick = p->started_ms == NOT_TIMED || now_ms - p->started_ms < QUICK_LIFE_MS;
    if (!quick)
        p->backoff_ms = 0;
    else if (p->backoff_ms == 0)
        p->backoff_ms = BACKOFF_FIRST_MS;
    else if ((p->backoff_ms *= 2) > BACKOFF_MAX_MS)
        p->backoff_ms = BACKOFF_MAX_MS;
    p->restart_at_ms = now_ms + p->backoff_ms;
    if (quick && p->restart_wanted)
        p->counters.restarts_held++;
}

void process_restart_due(uint64_t now_ms)
{
    clock_ms = now_ms;
    if (!process_restart_pending)
        return;
    bool still = false;
    for (unsigned s = 0; s < PROCESS_MAX; s++) {
        struct process *p = &process_table[s];
        if (p->state == PROCESS_EMPTY)
            continue;
        if (process_live(p)) {
            if (p->started_ms == NOT_TIMED)
                p->started_ms = now_ms;
            continue;
        }
        if (p->restart_at_ms == NOT_TIMED)
            time_end(p, now_ms);
        if (!p->restart_wanted)
            continue;
        if (p->restart_at_ms <= now_ms) {
            p->counters.restarts++;
            if (launch(p, now_ms) == VMUX_SUCCESS) {
                p->restart_wanted = false;
                continue;
            }
            p->restart_at_ms = NOT_TIMED; /* a start that failed is a quick life */
            p->started_ms = NOT_TIMED;
        }
        still = true;
    }
    process_restart_pending = still;
}

uint32_t process_slices_expired(void)
{
    uint32_t n = 0;
    for (unsigned s = 0; s < PROCESS_MAX; s++)
        if (process_table[s].state != PROCESS_EMPTY)
            n += process_table[s].counters.timeslices_expired;
    return n;
}

bool process_run_next(uint64_t now_ms)
{
    process_restart_due(now_ms);
    return process_run_ready();
}

void process_reset(void)
{
    memset(process_table, 0, sizeof process_table);
    memset(next_generation, 0, sizeof next_generation);
    process_driver_count = 0;
    process_last_driver = NULL;
    rr_init(&process_ready, process_ready.pending, PROCESS_MAX);
    process_restart_pending = false;
    clock_ms = 0;
}
