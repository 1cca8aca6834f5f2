#include "kernel/ring.h"

#include "kernel/wipe.h"

void ring_init(struct ring *r, uint8_t *storage, size_t size)
{
    r->bytes = storage;
    r->size = size;
    r->head = 0;
    r->count = 0;
}

size_t ring_push(struct ring *r, const uint8_t *data, size_t len)
{
    size_t n = len < ring_space(r) ? len : ring_space(r);
    size_t tail = r->head + r->count;   /* head < size, count <= size */
    if (tail >= r->size)
        tail -= r->size;
    for (size_t i = 0; i < n; i++) {
        r->bytes[tail] = data[i];
        tail = tail + 1 == r->size ? 0 : tail + 1;
    }
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
    for (size_t i = 0; i < n; i++) {
        if (out)
            out[i] = r->bytes[r->head];
        r->bytes[r->head] = 0;
        r->head = r->head + 1 == r->size ? 0 : r->head + 1;
    }
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
