/*
 * Isolated nonvolatile storage: driver 0x50004, Tock's
 * (capsules/extra/src/isolated_nonvolatile_storage_driver.rs). Each app
 * has its own region of regions_region_bytes() bytes, bound to its
 * stable identity (capsules/storage/regions.h): the same app finds the
 * same data after a restart, a reboot or in another process slot, and
 * no other app can reach it.
 *
 *   command 1           the region's size: upcall 0 (status, size, 0)
 *   command 2, offset   read min(allow, 512) bytes at offset into
 *                       read-write allow 0: upcall 1 (status, bytes, 0)
 *   command 3, offset   write min(allow, 512) bytes of read-only allow 0
 *                       at offset: upcall 2 (status, bytes, 0)
 *   other               NOSUPPORT
 * Each command answers Success, or BUSY while this process's previous
 * one runs, or NOSUPPORT when the board gives the process no storage
 * identity, or when its TBF's storage permissions (if it has them) deny
 * it its own id (read: read permission, write: modify permission, as
 * Tock). Everything else comes in the upcall's status, as in Tock:
 * RESERVE nothing allowed, INVALID a range outside the region, NOMEM
 * no region left to give it, SIZE the allow shrank under way (the count
 * is what was done), FAIL a device error.
 *
 * The first command of an app with no region yet allocates one (first
 * come, first served: NOMEM for the app when none is free), erased
 * (HIL_BLOCK_ERASED bytes, as Tock's erased flash). A process's region
 * is its own window on the storage mux (storage_mux_attach_part), so
 * the mux itself refuses anything outside it; bytes go through the
 * mux's block buffer, copied from and to the allows that are there when
 * each block's turn comes, and the mux wipes that buffer after every
 * turn. A write of part of a block reads the block and writes it back
 * in one turn. When the process ends, its region is detached (an
 * operation under way is cut where it is) and no upcall follows.
 */
#ifndef VMUX_CAPSULES_DRIVERS_ISOLATED_STORAGE_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_ISOLATED_STORAGE_DRIVER_H

#include "capsules/storage/regions.h"
#include "kernel/syscall_driver.h"
#include "kernel/tally.h"

#define ISOLATED_STORAGE_DRIVER_NUM 0x50004u
#define ISOLATED_STORAGE_MAX_LEN 512u   /* bytes per read or write, as Tock's BUF_LEN */

enum isolated_storage_command {
    ISOLATED_CMD_SIZE = 1,
    ISOLATED_CMD_READ = 2,
    ISOLATED_CMD_WRITE = 3,
};

#define ISOLATED_UPCALL_SIZE 0u
#define ISOLATED_UPCALL_READ 1u
#define ISOLATED_UPCALL_WRITE 2u
#define ISOLATED_ALLOW_RW_READ 0u
#define ISOLATED_ALLOW_RO_WRITE 0u

struct isolated_storage_counters {
    struct tally ops;             /* commands accepted, how they ended */
    uint32_t no_identity;         /* NOSUPPORT: no storage identity, or denied */
    uint32_t outside;             /* INVALID: a range outside the region */
};

struct isolated_storage_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct regions *regions;
    storage_identify_fn identify;
    struct isolated_storage_counters counters;
};

void isolated_storage_driver_init(struct isolated_storage_driver *d, struct regions *regions,
                                  storage_identify_fn identify);

/* Bytes of each region. */
uint32_t isolated_storage_region_bytes(const struct isolated_storage_driver *d);

#endif
