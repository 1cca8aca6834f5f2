#include "kernel/ring.h"

#include <string.h>

#include "kernel/wipe.h"

void ring_init(struct ring *r, uint8_t *storage, size_t size)
{
    r->bytes = storage;
    r->size = size;
    r->head = 0;
    r->count = 0;
}

/* Bytes move in at most two pieces: up to the end of the storage, then
 * from its start. */
size_t ring_push(struct ring *r, const uint8_t *data, size_t len)
{
    size_t n = len < ring_space(r) ? len : ring_space(r);
    if (n == 0)
        return 0;
    size_t tail = r->head + r->count;   /* head < size, count <= size */
    if (tail >= r->size)
        tail -= r->size;
    size_t first = r->size - tail < n ? r->size - tail : n;
    memcpy(r->bytes + tail, data, first);
    memcpy(r->bytes, data + first, n - first);
    r->count += n;
    return n;
}

const uint8_t *ring_front(const struct ring *r, size_t *n)
{
    size_t to_end = r->size - r->head;
    *n = r->count < to_end ? r->count : to_end;
    return &r->bytes[r->head];
}

/* Take up to n bytes off the front, copied to out unless it is NULL; their
 * place in the ring is wiped. */
static size_t take(struct ring *r, uint8_t *out, size_t n)
{
    if (n > r->count)
        n = r->count;
    if (n == 0)
        return 0;
    size_t first = r->size - r->head < n ? r->size - r->head : n;
    if (out) {
        memcpy(out, r->bytes + r->head, first);
        memcpy(out + first, r->bytes, n - first);
    }
    wipe(r->bytes + r->head, first);
    wipe(r->bytes, n - first);
    r->head += first;
    if (r->head == r->size)
        r->head = 0;
    if (n > first)
        r->head = n - first;
    r->count -= n;
    if (r->count == 0)
        r->head = 0;
    return n;
}

void ring_drop(struct ring *r, size_t n)
{
    take(r, NULL, n);
}

size_t ring_pop(struct ring *r, uint8_t *out, size_t max)
{
    return take(r, out, max);
}

void ring_clear(struct ring *r)
{
    wipe(r->bytes, r->size);
    r->head = 0;
    r->count = 0;
}
