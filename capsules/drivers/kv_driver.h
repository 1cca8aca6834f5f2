/*
 * Key-value store: driver 0x50003, Tock's (capsules/extra/src/
 * kv_driver.rs), over the store (capsules/storage/kv_store.h), with the
 * storage permissions the board gives each process (from its TBF header,
 * or the board's table).
 *
 *   command 1   get the key of read-only allow 0 into read-write allow 0
 *   command 2   set it to the value of read-only allow 1
 *   command 3   delete it
 *   command 4   add it (only if it does not exist)
 *   command 5   update it (only if it exists)
 *   command 6   collect free space now
 *   other       NOSUPPORT
 *   subscribe 0  done: (status, value length, 0) for a get, (status, 0, 0)
 *                otherwise
 * The command answers Success once the request is queued; INVALID for a
 * process with no storage permissions (Tock's answer); SIZE a key
 * (1..KV_KEY_MAX bytes) or value (up to KV_VALUE_MAX) out of range; BUSY
 * while its previous request runs. The upcall's status is the store's
 * (NOSUPPORT: no such key, or not this process's to read or change;
 * NOMEM: its quota, or the store, is full; INVALID: no write id), or
 * for a get SIZE when the value did not fit the allow (what fits is
 * copied; the length says how long it is) and RESERVE when nothing was
 * allowed for it.
 *
 * Key and value are copied from the allows into the process's grant
 * when the command is made, and the value of a get into the allow that
 * is there at completion. When the process ends its request is dropped
 * (one under way completes in the store, without an upcall) and its
 * copies wiped.
 */
#ifndef VMUX_CAPSULES_DRIVERS_KV_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_KV_DRIVER_H

#include "capsules/storage/kv_store.h"
#include "kernel/syscall_driver.h"

#define KV_DRIVER_NUM 0x50003u

#define KV_UPCALL_DONE 0u
#define KV_ALLOW_RO_KEY 0u
#define KV_ALLOW_RO_VALUE 1u
#define KV_ALLOW_RW_VALUE 0u

struct kv_driver_counters {
    uint32_t no_permissions;       /* INVALID: no storage permissions */
    uint32_t too_long;             /* SIZE: key or value out of range */
    uint32_t truncated;            /* gets whose value did not fit the allow */
};

struct kv_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct kv_store *kv;
    storage_identify_fn identify;
    struct kv_driver_counters counters;
};

void kv_driver_init(struct kv_driver *d, struct kv_store *kv, storage_identify_fn identify);

#endif
