/*
 * Tallies: how the units of one path ended, so that nothing is lost
 * without a count (docs/security.md, "Conservation").
 *
 * A component that takes a unit on (a byte to send, bytes or a datagram
 * held for a client, a sample asked for, an operation queued) counts it
 * in `taken` and, once done with it, in exactly one ending:
 *   delivered  handed to its client, or put on the wire
 *   failed     ended with an error status its client was given
 *   refused    dropped because its client could not take it (a buffer
 *              too short), with no callback
 *   departed   dropped because its client went away first
 * so that at any moment taken = delivered + failed + refused + departed
 * + in flight, and in flight is 0 once the path is idle. Units dropped
 * before anyone took them (a frame for no channel, a datagram for no
 * port, a full hold) are counted where they are dropped, under their
 * own names.
 *
 * Ownership: a mux keeps a tally per client, in the client's struct
 * (gone with it), and one for all its clients (departed ones included);
 * tally_count adds to both. A syscall driver keeps one for all processes
 * (tally_add). The management channel shows them (`stats`, `clients`).
 *
 *     tally_count(&c->tx, &mux->tx, TALLY_TAKEN, len);      // accepted
 *     ...
 *     tally_count(&c->tx, &mux->tx, TALLY_DELIVERED, sent); // on the wire
 */
#ifndef VMUX_KERNEL_TALLY_H
#define VMUX_KERNEL_TALLY_H

#include <stdint.h>

enum tally_field {
    TALLY_TAKEN,
    TALLY_DELIVERED,
    TALLY_FAILED,
    TALLY_REFUSED,
    TALLY_DEPARTED,
    TALLY_FIELDS
};

struct tally {
    uint32_t n[TALLY_FIELDS];
};

static inline void tally_count(struct tally *client, struct tally *all, enum tally_field f,
                               uint32_t units)
{
    client->n[f] += units;
    all->n[f] += units;
}

/* Count units under f in one tally (a component with no per-client view). */
static inline void tally_add(struct tally *t, enum tally_field f, uint32_t units)
{
    t->n[f] += units;
}

/* Taken and not ended yet. */
static inline uint32_t tally_in_flight(const struct tally *t)
{
    return t->n[TALLY_TAKEN] - t->n[TALLY_DELIVERED] - t->n[TALLY_FAILED] -
           t->n[TALLY_REFUSED] - t->n[TALLY_DEPARTED];
}

#endif
