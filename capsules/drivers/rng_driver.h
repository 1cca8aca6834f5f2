/*
 * RNG syscall driver: driver 0x40001, compatible with Tock's RNG driver
 * (and so with libtock-c's rng), over the RNG mux (capsules/rng_mux.h).
 * Each process is a client of that mux, like a kernel component.
 *
 *   command 0           driver exists                 Success
 *   command 1, n        fill read-write allow 0 with
 *                       n random bytes                Success; BUSY while
 *                       this process's previous request runs; NOMEM when
 *                       the mux has no room for another client
 *   other                                             NOSUPPORT
 *   subscribe 0    done: (status, bytes written, 0)
 *   read-write allow 0: where the bytes go
 *
 * A request is served RNG_MUX_CHUNK bytes at a time, each chunk one turn
 * of the mux's round robin, so a process asking for many bytes does not
 * hold the others up. Each chunk is copied from the mux's buffer into the
 * allow that is there when the chunk arrives, after the bytes already
 * written, as far as it reaches; the request ends when n bytes are
 * written or the allow there is full. The upcall's status is 0 when it
 * ended so (an allow shorter than n gets what fits, as in Tock), NOMEM
 * when no buffer was allowed at a chunk's arrival, or the source's error
 * (the bytes written before it are counted). n = 0 completes at once
 * with (0, 0, 0).
 *
 * Differences from Tock, on purpose: a second command 1 while one runs
 * is BUSY (Tock restarts the count, and the first request never gets its
 * upcall); the upcall's first argument carries a status where Tock's is
 * always 0 (libtock-c ignores it).
 *
 * When a process ends, its request is dropped (the mux wipes a chunk in
 * flight unread); no upcall follows.
 *
 * The grant holds the process's RNG mux client and its request's two
 * counts, nothing else (no struct driver_owner: the mux client knows its
 * process, and the callbacks it is given, embedded in struct rng_driver,
 * lead back to the driver): a board adds every driver's grant to an
 * app's RAM where its MPU block has room (boards/lm3s6965evb/apps.h).
 */
#ifndef VMUX_CAPSULES_DRIVERS_RNG_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_RNG_DRIVER_H

#include "capsules/rng_mux.h"
#include "kernel/syscall_driver.h"

#define RNG_DRIVER_NUM 0x40001u
#define RNG_CMD_GET 1u
#define RNG_UPCALL_DONE 0u
#define RNG_ALLOW_RW_BUFFER 0u

struct rng_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct rng_mux *mux;
    struct rng_mux_client_ops ops;  /* every process's client's: leads back here */
};

void rng_driver_init(struct rng_driver *d, struct rng_mux *mux);

#endif
