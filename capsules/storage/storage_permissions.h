/*
 * Who may read, create and change what in persistent storage: Tock's
 * storage permissions, as an app's TBF header declares them (the Storage
 * Permissions TLV, kernel/tbf.h) or as a board gives them.
 *
 *   write_id        the id of what this client creates; 0: it creates
 *                   nothing (set, add and update answer INVALID, as
 *                   Tock's)
 *   read ids        the ids whose items it may read
 *   modify ids      the ids whose items it may overwrite or delete
 *
 * An item carries the id of its last writer. Id 0 is the kernel's: only
 * a client with kernel permissions, which only the board can make
 * (storage_permissions_kernel, with cap_storage_kernel_t), may read or
 * change it, and such a client creates items of id 0 unless the board
 * gives it a write id of its own. Nothing grants access to ids not
 * listed: an app's own items are readable by it only if its write id is
 * among its read ids (Tock's rule).
 *
 * The identity of a process in storage (isolated regions, keys) comes
 * from the board (struct storage_identity): its ShortId and package name
 * from its TBF header, or the board's table for apps without one, never
 * its process slot, so a restart or another slot changes nothing.
 */
#ifndef VMUX_CAPSULES_STORAGE_STORAGE_PERMISSIONS_H
#define VMUX_CAPSULES_STORAGE_STORAGE_PERMISSIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/capability.h"
#include "kernel/errors.h"
#include "kernel/tbf.h"

#define STORAGE_IDS_MAX TBF_STORAGE_IDS_MAX
#define STORAGE_NAME_MAX TBF_NAME_MAX

struct storage_permissions {
    uint32_t write_id;
    uint8_t read_count, modify_count;
    bool kernel;                       /* only storage_permissions_kernel sets it */
    uint32_t read_ids[STORAGE_IDS_MAX];
    uint32_t modify_ids[STORAGE_IDS_MAX];
};

struct storage_identity {
    uint32_t short_id;                 /* Tock's ShortId, 0: none */
    char name[STORAGE_NAME_MAX + 1];   /* the package name */
    bool has_permissions;              /* a Storage Permissions TLV (or the board's) */
    struct storage_permissions perms;
};

struct process;

/* The board's: the storage identity of a process. False when it has
 * none (then it gets no storage). */
typedef bool (*storage_identify_fn)(const struct process *p, struct storage_identity *out);

bool storage_may_read(const struct storage_permissions *p, uint32_t id);
bool storage_may_modify(const struct storage_permissions *p, uint32_t id);
/* The id p's new items get: false when p may create none. */
bool storage_write_id(const struct storage_permissions *p, uint32_t *id);

/* Kernel permissions: items of id 0 and those of the lists; new items
 * get write_id (0: the kernel's). RESERVE without a valid capability. */
vmux_err_t storage_permissions_kernel(struct storage_permissions *p,
                                      const cap_storage_kernel_t *cap, uint32_t write_id);

/* The permissions the TBF object obj (h: its parse) declares; false
 * without a Storage Permissions TLV. */
bool storage_permissions_from_tbf(struct storage_permissions *p, const uint8_t *obj,
                                  const struct tbf_header *h);

#endif
