#include "capsules/drivers/driver_common.h"

#include <string.h>

void driver_grant_init(const struct syscall_driver *d, struct process *p, void *state)
{
    struct driver_owner *o = state;
    o->driver = d;
    o->id = process_client(p);
}

struct process *driver_owner_process(const struct driver_owner *o)
{
    return process_of_client(o->id);
}

bool driver_owner_upcall(const struct driver_owner *o, unsigned num, uint32_t a, uint32_t b,
                         uint32_t c)
{
    struct process *p = driver_owner_process(o);
    return p != NULL && process_schedule_upcall(p, o->driver, num, a, b, c);
}

/*
 * The part [offset, offset+len) of an allowed buffer that exists, as a
 * pointer and a count (0 when none). The allow was checked against the
 * process's memory when it was made; it is checked again here, because
 * the process may have moved its break since.
 */
static size_t window(struct process *p, const uint8_t *buf, size_t have, size_t offset,
                     size_t len, bool rw)
{
    if (buf == NULL || offset >= have)
        return 0;
    size_t n = have - offset < len ? have - offset : len;
    return process_may_access(p, (uintptr_t)buf + offset, n, rw) ? n : 0;
}

size_t driver_copy_out(struct process *p, const struct syscall_driver *d, unsigned num,
                       size_t offset, const void *src, size_t len, size_t *have)
{
    size_t buf_len;
    uint8_t *buf = process_allowed_rw(p, d, num, &buf_len);
    if (have)
        *have = buf_len;
    size_t n = window(p, buf, buf_len, offset, len, true);
    if (n)
        memcpy(buf + offset, src, n);
    return n;
}

size_t driver_copy_in(struct process *p, const struct syscall_driver *d, unsigned num,
                      size_t offset, void *dst, size_t len, size_t *have)
{
    size_t buf_len;
    const uint8_t *buf = process_allowed_ro(p, d, num, &buf_len);
    if (have)
        *have = buf_len;
    size_t n = window(p, buf, buf_len, offset, len, false);
    if (n)
        memcpy(dst, buf + offset, n);
    return n;
}
