/*
 * ring: the one bounded byte FIFO used by every component (held receive
 * bytes in muxes, hardware FIFOs in simulated peripherals).
 *
 * The owner provides the storage. Bytes taken out are wiped in the
 * storage, so a ring that carried one client's data holds none of it once
 * drained.
 */
#ifndef VMUX_KERNEL_RING_H
#define VMUX_KERNEL_RING_H

#include <stddef.h>
#include <stdint.h>

struct ring {
    uint8_t *bytes;
    size_t size;
    size_t head;    /* index of the oldest byte */
    size_t count;
};

void ring_init(struct ring *r, uint8_t *storage, size_t size);

static inline size_t ring_count(const struct ring *r) { return r->count; }
static inline size_t ring_space(const struct ring *r) { return r->size - r->count; }

/* Append up to len bytes; returns how many fit. */
size_t ring_push(struct ring *r, const uint8_t *data, size_t len);

/* Take up to max of the oldest bytes into out (wiping them in the ring). */
size_t ring_pop(struct ring *r, uint8_t *out, size_t max);

/* The oldest bytes that lie in one piece (for a single write()); *n gets
 * their count, 0 when empty. They stay in the ring until dropped. */
const uint8_t *ring_front(const struct ring *r, size_t *n);

/* Discard the n oldest bytes (at most the count), wiping them. */
void ring_drop(struct ring *r, size_t n);

/* Drop everything and wipe the storage. */
void ring_clear(struct ring *r);

#endif
