#include "kernel/rr.h"

#include <string.h>

void rr_init(struct rr *r, uint32_t *pending_words, unsigned n)
{
    r->pending = pending_words;
    r->n = (uint16_t)n;
    r->last = (uint16_t)(n ? n - 1 : 0);
    memset(pending_words, 0, RR_WORDS(n) * sizeof(uint32_t));
}

bool rr_any_pending(const struct rr *r)
{
    if (r->n <= 32u)
        return r->pending[0] != 0;
    for (unsigned w = 0; w < RR_WORDS(r->n); w++)
        if (r->pending[w])
            return true;
    return false;
}

/* More than one word of slots (not inlined: rr_next's one-word path
 * then needs no stack frame). The start word from start on, then the
 * words after it, wrapping around, and last the start word whole (its
 * bits below start). Bits at n and above are never set. */
__attribute__((noinline)) static int rr_next_wide(struct rr *r)
{
    if (r->n == 0)
        return -1;
    unsigned words = RR_WORDS(r->n);
    unsigned start = r->last + 1u < r->n ? r->last + 1u : 0u;
    unsigned w = start / 32u;
    uint32_t bits = r->pending[w] & (~0u << (start % 32u));
    for (unsigned i = 0; i <= words; i++) {
        if (bits) {
            unsigned found = w * 32u + (unsigned)__builtin_ctz(bits);
            r->last = (uint16_t)found;
            return (int)found;
        }
        w = w + 1u < words ? w + 1u : 0u;
        bits = r->pending[w];
    }
    return -1;
}

int rr_next(struct rr *r)
{
    if (r->n - 1u >= 32u) /* none, or more than one word */
        return rr_next_wide(r);
    /* One word (the usual case, and the scheduler's): the first bit at or
     * after start, else the first bit at all. Bits at n and above are
     * never set. */
    uint32_t bits = r->pending[0];
    if (bits == 0)
        return -1;
    unsigned start = r->last + 1u < r->n ? r->last + 1u : 0u;
    uint32_t after = bits >> start;
    unsigned found = after ? start + (unsigned)__builtin_ctz(after) : (unsigned)__builtin_ctz(bits);
    r->last = (uint16_t)found;
    return (int)found;
}
