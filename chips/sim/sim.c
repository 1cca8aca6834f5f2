#include "chips/sim/sim.h"

#include <poll.h>
#include <stddef.h>
#include <time.h>

#include "kernel/deferred.h"

#define SIM_POLL_MAX 64u
#define SIM_SETTLE_ROUNDS 100000u

static enum sim_clock_mode clock_mode;
static uint64_t virtual_now;
static uint64_t real_origin;
static uint64_t start_offset;
static struct sim_event *events;      /* sorted by at_ns, ties in FIFO order */
static struct sim_fd_watch *watches;
static struct sim_poll_hook *hooks;

static uint64_t host_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sim_init(enum sim_clock_mode mode, uint64_t start_ns)
{
    sim_reset();
    clock_mode = mode;
    start_offset = start_ns;
    virtual_now = start_ns;
    real_origin = host_monotonic_ns();
}

enum sim_clock_mode sim_clock_mode(void)
{
    return clock_mode;
}

uint64_t sim_now_ns(void)
{
    if (clock_mode == SIM_CLOCK_VIRTUAL)
        return virtual_now;
    return start_offset + (host_monotonic_ns() - real_origin);
}

void sim_event_cancel(struct sim_event *ev)
{
    if (!ev->scheduled)
        return;
    for (struct sim_event **p = &events; *p; p = &(*p)->next) {
        if (*p == ev) {
            *p = ev->next;
            break;
        }
    }
    ev->scheduled = false;
    ev->next = NULL;
}

void sim_event_schedule(struct sim_event *ev, uint64_t at_ns,
                        void (*fire)(struct sim_event *self))
{
    sim_event_cancel(ev);
    ev->at_ns = at_ns;
    ev->fire = fire;
    struct sim_event **p = &events;
    while (*p && (*p)->at_ns <= at_ns)
        p = &(*p)->next;
    ev->next = *p;
    *p = ev;
    ev->scheduled = true;
}

bool sim_next_event(uint64_t *at_ns)
{
    if (!events)
        return false;
    *at_ns = events->at_ns;
    return true;
}

unsigned sim_run_due(void)
{
    unsigned fired = 0;
    uint64_t now = sim_now_ns();
    while (events && events->at_ns <= now) {
        struct sim_event *ev = events;
        events = ev->next;
        ev->next = NULL;
        ev->scheduled = false;
        ev->fire(ev);
        fired++;
    }
    return fired;
}

static bool watch_registered(const struct sim_fd_watch *w)
{
    for (struct sim_fd_watch *i = watches; i; i = i->next)
        if (i == w)
            return true;
    return false;
}

void sim_fd_watch_add(struct sim_fd_watch *w)
{
    for (struct sim_fd_watch *i = watches; i; i = i->next)
        if (i == w)
            return;
    w->next = watches;
    watches = w;
}

void sim_fd_watch_remove(struct sim_fd_watch *w)
{
    for (struct sim_fd_watch **p = &watches; *p; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            w->next = NULL;
            return;
        }
    }
}

void sim_poll_hook_add(struct sim_poll_hook *h)
{
    for (struct sim_poll_hook *i = hooks; i; i = i->next)
        if (i == h)
            return;
    h->next = hooks;
    hooks = h;
}

void sim_poll_hook_remove(struct sim_poll_hook *h)
{
    for (struct sim_poll_hook **p = &hooks; *p; p = &(*p)->next) {
        if (*p == h) {
            *p = h->next;
            h->next = NULL;
            return;
        }
    }
}

/* Poll the watched fds and the hooks for at most wait_ns of host time,
 * call the ready ones, run what is due. */
static void poll_fds(uint64_t wait_ns)
{
    struct pollfd pfds[SIM_POLL_MAX];
    struct sim_fd_watch *owner[SIM_POLL_MAX];
    unsigned n = 0;

    for (struct sim_fd_watch *w = watches; w && n < SIM_POLL_MAX; w = w->next) {
        pfds[n].fd = w->fd;
        pfds[n].events = w->events;
        pfds[n].revents = 0;
        owner[n++] = w;
    }
    unsigned watch_count = n;

    int timeout_ms = (int)((wait_ns + 999999u) / 1000000u);
    if (wait_ns > 3600000000000ull)
        timeout_ms = 3600000;

    for (struct sim_poll_hook *hk = hooks; hk; hk = hk->next)
        hk->fill(hk, pfds, &n, SIM_POLL_MAX, &timeout_ms);

    int rc = poll(pfds, n, timeout_ms);
    if (rc > 0) {
        /* A ready() may remove other watches: call only those still here. */
        for (unsigned i = 0; i < watch_count; i++)
            if (pfds[i].revents && watch_registered(owner[i]))
                owner[i]->ready(owner[i], pfds[i].revents);
    }
    for (struct sim_poll_hook *hk = hooks; hk; hk = hk->next)
        hk->dispatch(hk, &pfds[0], rc < 0);
    sim_run_due();
}

/* How long from now to the next event, at most max_ns. */
static uint64_t until_next_event(uint64_t max_ns)
{
    uint64_t next;
    if (sim_next_event(&next)) {
        uint64_t now = sim_now_ns();
        uint64_t until = next > now ? next - now : 0;
        if (until < max_ns)
            return until;
    }
    return max_ns;
}

void sim_wait(uint64_t max_wait_ns)
{
    uint64_t wait_ns = until_next_event(max_wait_ns);
    if (clock_mode == SIM_CLOCK_VIRTUAL || deferred_call_pending())
        wait_ns = 0;
    poll_fds(wait_ns);
}

void sim_idle(uint64_t max_wait_ns)
{
    if (clock_mode != SIM_CLOCK_VIRTUAL) {
        sim_wait(max_wait_ns);
        return;
    }
    uint64_t wait_ns = deferred_call_pending() ? 0 : until_next_event(max_wait_ns);
    uint64_t before = host_monotonic_ns();
    poll_fds(wait_ns);
    uint64_t waited = host_monotonic_ns() - before;
    sim_advance(waited < wait_ns ? waited : wait_ns);
}

unsigned sim_settle(void)
{
    unsigned rounds = 0;
    while (rounds < SIM_SETTLE_ROUNDS) {
        unsigned work = sim_run_due() + kernel_loop_once();
        if (work == 0)
            break;
        rounds++;
    }
    return rounds;
}

void sim_advance(uint64_t ns)
{
    uint64_t target = virtual_now + ns;
    sim_settle();
    uint64_t next;
    while (sim_next_event(&next) && next <= target) {
        if (next > virtual_now)
            virtual_now = next;
        sim_settle();
    }
    virtual_now = target;
    sim_settle();
}

void sim_reset(void)
{
    while (events)
        sim_event_cancel(events);
    watches = NULL;
    hooks = NULL;
}
