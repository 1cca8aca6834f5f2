/*
 * The host board's simulated hardware core: a clock, timed events and
 * file-descriptor watches.
 *
 * Simulated peripherals behave like hardware: a request starts an
 * operation, and its completion is a timed event. When the event comes
 * due, its handler plays the part of an interrupt: it raises the
 * peripheral's deferred call, and the kernel loop runs the driver's bottom
 * half, the same path as on a microcontroller.
 *
 * The clock has two modes:
 *   SIM_CLOCK_REAL     host CLOCK_MONOTONIC since sim_init(); sim_wait()
 *                      sleeps in poll() until the next event or fd.
 *   SIM_CLOCK_VIRTUAL  time stands still until a test or a board advances
 *                      it with sim_advance() (or sim_idle()); fully
 *                      deterministic.
 * The start offset lets tests begin near a counter wrap-around.
 */
#ifndef VMUX_CHIPS_SIM_SIM_H
#define VMUX_CHIPS_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

enum sim_clock_mode { SIM_CLOCK_REAL, SIM_CLOCK_VIRTUAL };

void sim_init(enum sim_clock_mode mode, uint64_t start_ns);
enum sim_clock_mode sim_clock_mode(void);
uint64_t sim_now_ns(void);

struct sim_event {
    uint64_t at_ns;
    void (*fire)(struct sim_event *self);
    struct sim_event *next;
    bool scheduled;
};

/* (Re)schedule ev at absolute time at_ns; an event in the past fires at
 * the next sim_run_due(). */
void sim_event_schedule(struct sim_event *ev, uint64_t at_ns,
                        void (*fire)(struct sim_event *self));
void sim_event_cancel(struct sim_event *ev);
/* Earliest scheduled time, false when nothing is scheduled. */
bool sim_next_event(uint64_t *at_ns);
/* Fire every event due at the current time, in time order. */
unsigned sim_run_due(void);

/* Watch a file descriptor; ready() is called from sim_wait(). */
struct sim_fd_watch {
    int fd;
    short events;          /* POLLIN, POLLOUT */
    void (*ready)(struct sim_fd_watch *self, short revents);
    struct sim_fd_watch *next;
};
void sim_fd_watch_add(struct sim_fd_watch *w);
void sim_fd_watch_remove(struct sim_fd_watch *w);

/* Extra poll sources with their own fd sets (libslirp). */
struct sim_poll_hook {
    /* Add fds to pfds starting at *n (capacity max); may lower *timeout_ms. */
    void (*fill)(struct sim_poll_hook *self, void *pfds, unsigned *n, unsigned max,
                 int *timeout_ms);
    /* Handle poll results; error is true when poll() failed. */
    void (*dispatch)(struct sim_poll_hook *self, void *pfds, bool error);
    struct sim_poll_hook *next;
};
void sim_poll_hook_add(struct sim_poll_hook *h);
void sim_poll_hook_remove(struct sim_poll_hook *h);

/*
 * Wait for something to happen: up to the next event (real mode), or at
 * most max_wait_ns. Polls watched fds and runs due events. In virtual
 * mode it never sleeps: it polls fds without blocking.
 */
void sim_wait(uint64_t max_wait_ns);

/*
 * Idle until something happens, for a board running on the virtual clock
 * (in real mode: sim_wait()). Nothing is due before the next event: wait
 * on the host's clock up to the time left until it (at most max_wait_ns),
 * an fd that becomes ready ending the wait early, then move virtual time
 * forward by the time waited, never past the event. So an idle board
 * keeps the real pace for its peers outside (a terminal, a socket), and
 * its own events still happen at exact virtual times: a slow or loaded
 * host delays them on the wall clock, never in virtual time.
 */
void sim_idle(uint64_t max_wait_ns);

/* Virtual mode: move time forward by ns, firing events and running the
 * kernel loop at each event's time, in order. */
void sim_advance(uint64_t ns);

/* Run due events and the kernel loop until nothing is pending at the
 * current time (bounded); returns how many rounds ran. */
unsigned sim_settle(void);

/* Drop every event and watch (between tests). */
void sim_reset(void);

#endif
