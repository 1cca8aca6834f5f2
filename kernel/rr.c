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
    for (unsigned w = 0; w < RR_WORDS(r->n); w++)
        if (r->pending[w])
            return true;
    return false;
}

/* First pending slot in [from, to), or -1. */
static int first_pending_in(const struct rr *r, unsigned from, unsigned to)
{
    while (from < to) {
        unsigned word = from / 32u, bit = from % 32u;
        uint32_t bits = r->pending[word] >> bit;
        if (bits) {
            unsigned found = from + (unsigned)__builtin_ctz(bits);
            return found < to ? (int)found : -1;
        }
        from = (word + 1u) * 32u;
    }
    return -1;
}

int rr_next(struct rr *r)
{
    if (r->n == 0)
        return -1;
    unsigned start = (r->last + 1u) % r->n;
    int found = first_pending_in(r, start, r->n);
    if (found < 0)
        found = first_pending_in(r, 0, start);
    if (found >= 0)
        r->last = (uint16_t)found;
    return found;
}
