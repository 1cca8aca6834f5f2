/*
 * Entropy HIL: a source of random bytes (a hardware TRNG, the host's
 * getrandom(), or a deterministic generator seeded from one).
 *
 * fill(buf, len): split phase (hil/hil.h). VMUX_SUCCESS: the source now
 *   owns buf, and fill_done(buf, filled, status) follows from the loop,
 *   never from inside fill(). With VMUX_SUCCESS, filled == len; with an
 *   error, filled is 0 and what buf holds is unspecified (the caller
 *   wipes it). Checked at the request: VMUX_INVALID for a NULL buffer,
 *   VMUX_SIZE for len 0, VMUX_OFF for a source not ready (no client, or
 *   a generator not seeded yet), VMUX_BUSY while a fill is in flight.
 * cancel(): ends the fill in flight: no fill_done follows, and the source
 *   writes buf no more (VMUX_SUCCESS). VMUX_ALREADY when nothing is in
 *   flight, or when its fill_done is already on its way (it will come).
 *   Any other answer is not allowed: a caller must be able to take its
 *   buffer back from a source that never completes.
 *
 * What the bytes are worth is each source's to say, in its header: a
 * consumer that needs secrets must know where they come from.
 */
#ifndef VMUX_HIL_ENTROPY_H
#define VMUX_HIL_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

struct hil_entropy;

struct hil_entropy_client {
    void (*fill_done)(struct hil_entropy_client *self, uint8_t *buf, size_t filled,
                      vmux_err_t status);
};

struct hil_entropy_ops {
    vmux_err_t (*fill)(struct hil_entropy *e, uint8_t *buf, size_t len);
    vmux_err_t (*cancel)(struct hil_entropy *e);
};

struct hil_entropy {
    const struct hil_entropy_ops *ops;
    struct hil_entropy_client *client;
};

static inline void hil_entropy_set_client(struct hil_entropy *e, struct hil_entropy_client *c)
{
    e->client = c;
}
static inline vmux_err_t hil_entropy_fill(struct hil_entropy *e, uint8_t *buf, size_t len)
{
    return e->ops->fill(e, buf, len);
}
static inline vmux_err_t hil_entropy_cancel(struct hil_entropy *e)
{
    return e->ops->cancel(e);
}

#endif
