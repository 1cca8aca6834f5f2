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
 * How many of len bytes from offset fit in an allow of have bytes, which
 * process_allowed_rw/ro checked against the process's memory just now
 * (the process may have moved its break since it allowed the buffer).
 */
static size_t window(size_t have, size_t offset, size_t len, size_t *have_out)
{
    if (have_out)
        *have_out = have;
    return offset < have ? driver_min(have - offset, len) : 0;
}

size_t driver_copy_out(struct process *p, const struct syscall_driver *d, unsigned num,
                       size_t offset, const void *src, size_t len, size_t *have)
{
    size_t buf_len;
    uint8_t *buf = process_allowed_rw(p, d, num, &buf_len);
    size_t n = window(buf_len, offset, len, have);
    if (n)
        memcpy(buf + offset, src, n);
    return n;
}

size_t driver_copy_in(struct process *p, const struct syscall_driver *d, unsigned num,
                      size_t offset, void *dst, size_t len, size_t *have)
{
    size_t buf_len;
    const uint8_t *buf = process_allowed_ro(p, d, num, &buf_len);
    size_t n = window(buf_len, offset, len, have);
    if (n)
        memcpy(dst, buf + offset, n);
    return n;
}

size_t driver_owner_return(const struct driver_owner *o, unsigned upcall, unsigned num,
                           const void *src, size_t len, vmux_err_t status)
{
    struct process *p = driver_owner_process(o);
    if (p == NULL)
        return 0;
    size_t have;
    size_t copied = driver_copy_out(p, o->driver, num, 0, src, len, &have);
    if (len > 0 && have == 0)
        status = VMUX_NOMEM;
    else if (copied < len)
        status = VMUX_SIZE;
    driver_owner_upcall(o, upcall, driver_statuscode(status), (uint32_t)copied, 0);
    return copied;
}
