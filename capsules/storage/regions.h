/*
 * Isolated regions: the board's area of a block device cut into slots,
 * each one app's region, bound to the app's stable identity (Tock's
 * ShortId when it has one, else its package name: struct storage_name),
 * never to a process slot or a life. The isolated storage driver
 * (capsules/drivers/isolated_storage_driver.h) gives each process the
 * region of its identity as a window of its own on the storage mux.
 *
 * Layout. Slot s is 1 + region_blocks blocks from block s * (1 +
 * region_blocks) of the area: a header block, then the region. Header:
 *    0  u32 magic REGION_MAGIC     4  u32 region_blocks
 *    8  u32 short_id (0: none)    12  name, 24 bytes, NUL padded
 *   36  u32 crc32 of bytes 0..35, then zeroes
 * A slot without a valid header is free, and its region is erased
 * (HIL_BLOCK_ERASED): a region is erased before its header is written
 * and its header erased only after its region, so a power cut at any
 * point leaves either an owned region or a free, erased one.
 *
 * Confidentiality. Only the identity named in a header gets that
 * region. When the board says an identity is no longer installed
 * (installed() at mounting), its region is erased, then its header: the
 * app's data goes with it, and whoever takes the slot next starts from
 * erased blocks. A new identity never inherits anything.
 *
 * Availability. Slots are finite and cannot be shared: the first app to
 * ask for storage takes a free slot, first come first served; when none
 * is free, allocation answers NOMEM to the app asking, and no region is
 * ever taken from an app that holds one. Requests to allocate are
 * served one at a time, round robin between the clients asking
 * (kernel/rr.h).
 *
 * Wiring, in a board:
 *
 *     static struct region_slot slots[4];
 *     static struct client_entry *region_clients[8];
 *     static uint32_t region_rr[RR_WORDS(8)];
 *     static struct regions regions;
 *     regions_init(&regions, &storage_mux, regions_id, &cap_window, 256, 4 * 9, slots, 4, 8,
 *                  region_clients, region_rr, 8, board_app_installed);
 *     regions_mount(&regions);
 */
#ifndef VMUX_CAPSULES_STORAGE_REGIONS_H
#define VMUX_CAPSULES_STORAGE_REGIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/storage/storage_mux.h"
#include "capsules/storage/storage_permissions.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/rr.h"

#define REGION_MAGIC 0x31734976u     /* "vIs1" */

/* An app as storage knows it. */
struct storage_name {
    uint32_t short_id;                 /* 0: none; then the name decides */
    char name[STORAGE_NAME_MAX + 1];
};

struct region_slot {
    bool owned;                        /* a valid header, or unreadable: taken */
    bool reclaim;                      /* its app is gone: to be erased */
    struct storage_name owner;
};

struct region_request;

struct region_request_ops {
    /* Allocation ended: slot, or status NOMEM (no free slot) or FAIL. */
    void (*allocated)(struct region_request *r, int slot, vmux_err_t status);
};

struct region_request {
    struct client_entry entry;
    struct regions *regions;
    const struct region_request_ops *ops;
    struct storage_name who;
    bool queued;
};

struct regions_counters {
    uint32_t allocated;        /* regions given to a new identity */
    uint32_t reclaimed;        /* regions of apps no longer installed, erased */
    uint32_t refused;          /* allocations with no free slot (NOMEM) */
    uint32_t bad_headers;      /* headers that did not check at mounting */
    uint32_t errors;           /* device errors */
};

struct regions {
    struct storage_client area;
    struct region_slot *slots;
    unsigned slot_count;
    uint32_t region_blocks;
    bool (*installed)(const struct storage_name *who);
    bool mounted;
    /* the work under way: mounting, reclaiming, allocating */
    uint8_t job;
    unsigned slot;                 /* the slot worked on */
    uint32_t block;                /* its block being erased */
    int running;                   /* the request's client slot; -1 none, -2 departed */
    struct storage_name who;       /* whose region is being made */
    struct deferred_call work;
    struct client_table clients;
    struct rr rr;
    struct client_observer departures;
    struct regions_counters counters;
};

/* The area is [first, first + slot_count * (1 + region_blocks)) of the
 * device. INVALID for missing storage or no slots; then as
 * storage_mux_attach. installed: NULL keeps every region. */
vmux_err_t regions_init(struct regions *r, struct storage_mux *mux, client_id_t id,
                        const cap_storage_window_t *cap, uint32_t first,
                        struct region_slot *slots, unsigned slot_count, uint32_t region_blocks,
                        struct client_entry **clients, uint32_t *rr_words,
                        unsigned client_capacity,
                        bool (*installed)(const struct storage_name *who));

/* Read every header, erase the regions of apps no longer installed;
 * allocations wait until it is done. */
void regions_mount(struct regions *r);
bool regions_mounted(const struct regions *r);

/* The slot of who's region, -1 when it has none (yet). */
int regions_find(const struct regions *r, const struct storage_name *who);

/* The block of the area where slot's region begins. */
uint32_t regions_region_first(const struct regions *r, unsigned slot);

/* Allocate a region for who (erased, then its header written), or find
 * the one it has: allocated() follows, and req is free again. BUSY while
 * queued, NOMEM when the queue is full. */
vmux_err_t regions_allocate(struct regions *r, struct region_request *req, client_id_t id,
                            const struct storage_name *who, const struct region_request_ops *ops);
/* Leave the queue; harmless when not queued. An allocation under way
 * completes without a callback. */
void regions_cancel(struct region_request *req);

/* The storage name of an identity: its ShortId and package name. */
void storage_name_of(struct storage_name *out, const struct storage_identity *id);
bool storage_name_same(const struct storage_name *a, const struct storage_name *b);

#endif
