/*
 * What the syscall drivers in capsules/drivers/ share.
 *
 * The owner. Each driver keeps, at the head of its per-process state (its
 * grant), which driver the state belongs to and which process, in this
 * life, owns it. A mux callback only hands back the mux client struct
 * embedded in that state; from it the driver finds the process again, and
 * finds nothing once the process has ended or restarted (a new
 * generation is another client). The grant lives as long as that life,
 * so the owner's id is also the client id the driver attaches to its mux
 * with.
 *
 * Buffers. No driver lends process memory to a mux or to hardware: the
 * process could withdraw or swap an allowed buffer at any time, and a
 * lower layer would go on using the old one. Data goes through kernel
 * buffers (in the grant, or in the driver), and an allowed buffer is
 * looked up again each time it is touched, with driver_copy_in/out, which
 * copy only what fits. So allow_changed needs no work in any driver, and
 * a read-only allow is only ever read.
 */
#ifndef VMUX_CAPSULES_DRIVERS_DRIVER_COMMON_H
#define VMUX_CAPSULES_DRIVERS_DRIVER_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/client.h"
#include "kernel/syscall_driver.h"

struct driver_owner {
    const struct syscall_driver *driver;
    client_id_t id;
};

/* The grant_init of every driver whose per-process state starts with a
 * struct driver_owner: records the driver and the process. */
void driver_grant_init(const struct syscall_driver *d, struct process *p, void *state);

/* The owning process while it lives, in the same life; NULL otherwise. */
struct process *driver_owner_process(const struct driver_owner *o);

/* Queue upcall num of the owner's driver, if the owner lives. */
bool driver_owner_upcall(const struct driver_owner *o, unsigned num, uint32_t a, uint32_t b,
                         uint32_t c);

/*
 * Copy len bytes of src into read-write allow num of d, starting offset
 * bytes into it. The buffer is looked up now, so a buffer withdrawn or
 * swapped since the operation began is never written: the one allowed
 * now is, as far as it reaches. Returns the bytes copied; *have (if not
 * NULL) gets the buffer's whole length, 0 when nothing is allowed.
 */
size_t driver_copy_out(struct process *p, const struct syscall_driver *d, unsigned num,
                       size_t offset, const void *src, size_t len, size_t *have);

/* The same from read-only allow num into the kernel buffer dst. */
size_t driver_copy_in(struct process *p, const struct syscall_driver *d, unsigned num,
                      size_t offset, void *dst, size_t len, size_t *have);

/* The status convention of upcall arguments: 0 for success, else the
 * error code. */
static inline uint32_t driver_statuscode(vmux_err_t err)
{
    return (uint32_t)err;
}

/*
 * The end of an operation that hands len bytes of src back to the owner:
 * copy them into read-write allow num as it is now (driver_copy_out),
 * and queue upcall `upcall` with (status, bytes copied, 0). The status
 * becomes NOMEM when there were bytes and no buffer is allowed, SIZE
 * when the buffer did not take them all. Nothing when the owner is gone.
 * Returns the bytes copied.
 */
size_t driver_owner_return(const struct driver_owner *o, unsigned upcall, unsigned num,
                           const void *src, size_t len, vmux_err_t status);

static inline size_t driver_min(size_t a, size_t b)
{
    return a < b ? a : b;
}

#endif
