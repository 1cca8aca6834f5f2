/*
 * rr: the one round-robin scheduler every vmux multiplexer uses.
 *
 * A mux numbers its clients 0..n-1 and keeps one bit per client: set while
 * that client has work queued. rr_next() returns the first pending client
 * strictly after the one it returned last, wrapping around, and remembers
 * it as the last one served.
 *
 * Bound on waiting: from the moment client i becomes pending, rr_next()
 * returns other clients at most n-1 times before it returns i, because the
 * cursor only moves forward around the ring and never passes a pending
 * client. There is no "lowest index first".
 *
 * The mux owns the storage (static or in a grant). rr_next() does not clear
 * the pending bit: the mux clears it when the client has nothing left.
 *
 *     static uint32_t uart_pending_bits[RR_WORDS(8)];
 *     static struct rr uart_rr;
 *     rr_init(&uart_rr, uart_pending_bits, 8);
 *     rr_set_pending(&uart_rr, 3);
 *     int next = rr_next(&uart_rr);    // 3
 */
#ifndef VMUX_KERNEL_RR_H
#define VMUX_KERNEL_RR_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/bitmap.h"

#define RR_WORDS(n) (((n) + 31u) / 32u)

struct rr {
    uint32_t *pending;  /* RR_WORDS(n) words, owned by the mux */
    uint16_t n;         /* number of client slots */
    uint16_t last;      /* slot returned by the last rr_next(); n-1 at start */
};

void rr_init(struct rr *r, uint32_t *pending_words, unsigned n);

static inline void rr_set_pending(struct rr *r, unsigned i)
{
    if (i < r->n)
        bitmap_set(r->pending, i);
}

static inline void rr_clear_pending(struct rr *r, unsigned i)
{
    if (i < r->n)
        bitmap_clear(r->pending, i);
}

static inline bool rr_is_pending(const struct rr *r, unsigned i)
{
    return i < r->n && bitmap_test(r->pending, i);
}

bool rr_any_pending(const struct rr *r);

/* Next pending slot after the last served, or -1 when none is pending. */
int rr_next(struct rr *r);

#endif
