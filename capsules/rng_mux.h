/*
 * RNG mux: one source of random bytes (hil/entropy.h) shared by many
 * clients, kernel components and processes alike.
 *
 * Requests. rng_mux_get(c, len) asks for len random bytes, 1 to
 * RNG_MUX_CHUNK (VMUX_SIZE otherwise; a client that wants more asks
 * again). Each client has at most one request queued (VMUX_BUSY).
 * random_done(c, bytes, len, status) follows from the kernel loop, never
 * from inside the request.
 *
 * Fairness. Clients with a request queued are served round robin
 * (kernel/rr.h); one request is one turn, so with N attached clients at
 * most N-1 other requests are served between a request and its own.
 * A client that asks again from random_done waits behind every other
 * client already queued.
 *
 * Ownership: bytes are never shared. The source fills the mux's own
 * buffer for one request at a time; random_done lends that buffer to the
 * requester, read only, for the length of the call (copy what you keep);
 * when the call returns the mux wipes it (kernel/wipe.h), and a request
 * that failed, or whose client went away, is wiped unread. No bytes are
 * handed to two clients, and no buffer outlives its request unwiped.
 *
 * A source that misbehaves (tests/unit/test_rng_mux.c):
 *   - An error, at the request or in fill_done, ends the request of the
 *     client being served, with that error and no bytes; the others'
 *     requests go on.
 *   - The next request starts from the mux's deferred call, never inside
 *     fill_done, so a fill_done that comes while nothing is in flight
 *     (a source completing twice) is counted (spurious) and ignored.
 *   - Hangs. With a watchdog alarm (rng_mux_set_watchdog, optional), a
 *     fill still in flight after the timeout is cancelled
 *     (hil_entropy_cancel): its requester gets VMUX_FAIL and the mux goes
 *     on with the next. Without a watchdog the mux waits.
 *
 * Departure. When a client detaches or its id departs (kernel/client.h),
 * its queued request is dropped without a callback; a fill in flight for
 * it completes into the mux's buffer, which is wiped unread.
 *
 * Conservation (kernel/tally.h): requests are counted per client and for
 * all, taken when accepted, then delivered (bytes handed over), failed
 * (the source's error) or departed; none is refused.
 *
 * Wiring, in a board:
 *
 *     static struct sim_entropy trng;                  // or a ctr_drbg
 *     static struct client_entry *rng_clients[8];
 *     static uint32_t rng_rr_bits[RR_WORDS(8)];
 *     static struct rng_mux rng_mux;
 *     sim_entropy_init(&trng, NULL);
 *     rng_mux_init(&rng_mux, &trng.hil, rng_clients, rng_rr_bits, 8);
 *     rng_mux_set_watchdog(&rng_mux, &rng_watchdog.hil, 100000);
 *     rng_mux_attach(&rng_mux, &nonce_maker, nonce_maker_id, &nonce_ops);
 *     rng_mux_get(&nonce_maker, 16);   // random_done(&nonce_maker, bytes, 16, SUCCESS)
 */
#ifndef VMUX_CAPSULES_RNG_MUX_H
#define VMUX_CAPSULES_RNG_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "hil/entropy.h"
#include "kernel/client.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

#define RNG_MUX_CHUNK 32u   /* bytes per request at most */

struct rng_mux_client;

struct rng_mux_client_ops {
    /* bytes: len random bytes, readable during this call only; NULL and
     * 0 when status is not VMUX_SUCCESS. */
    void (*random_done)(struct rng_mux_client *c, const uint8_t *bytes, size_t len,
                        vmux_err_t status);
};

struct rng_mux_client {
    struct client_entry entry;     /* identity and slot in the mux's table */
    struct rng_mux *mux;
    const struct rng_mux_client_ops *ops;
    uint8_t want;                  /* bytes of the queued request; 0 none */
    struct tally requests;         /* this client's */
};

struct rng_mux_counters {
    struct tally requests;         /* every client's, departed ones included */
    uint32_t fills;                /* fills the source started */
    uint32_t bytes;                /* handed out */
    uint32_t timeouts;             /* fills cancelled by the watchdog */
    uint32_t spurious;             /* fill_done with nothing in flight */
};

struct rng_mux {
    struct hil_entropy *source;
    struct hil_entropy_client source_client;
    struct client_table clients;
    struct rr rr;
    int serving;                   /* client slot being filled; RNG_MUX_IDLE, RNG_MUX_GONE */
    uint8_t buf[RNG_MUX_CHUNK];    /* the one fill in flight; wiped after each */
    struct deferred_call work;
    struct client_observer departures;
    struct rng_mux_counters counters;
    /* the optional watchdog (rng_mux_set_watchdog) */
    struct hil_alarm *watchdog;
    struct hil_alarm_client watchdog_client;
    uint32_t watchdog_ticks;
};

#define RNG_MUX_IDLE (-1)          /* nothing in flight */
#define RNG_MUX_GONE (-2)          /* in flight for a client that left */

/* INVALID for missing storage; NOMEM when no deferred call is left. */
vmux_err_t rng_mux_init(struct rng_mux *mux, struct hil_entropy *source,
                        struct client_entry **client_storage, uint32_t *rr_words,
                        unsigned client_capacity);

/* Cancel a fill still in flight after timeout_us, with alarm (the mux's
 * alone, typically a virtual alarm). */
void rng_mux_set_watchdog(struct rng_mux *mux, struct hil_alarm *alarm, uint32_t timeout_us);

/* NOMEM when the client table is full; ALREADY when attached. */
vmux_err_t rng_mux_attach(struct rng_mux *mux, struct rng_mux_client *c, client_id_t id,
                          const struct rng_mux_client_ops *ops);
/* Drops the client's request without a callback. Also done when its id
 * departs. */
void rng_mux_detach(struct rng_mux_client *c);

/* OFF when not attached; SIZE for len 0 or over RNG_MUX_CHUNK; BUSY while
 * the client's previous request is queued or in flight. */
vmux_err_t rng_mux_get(struct rng_mux_client *c, size_t len);

#endif
