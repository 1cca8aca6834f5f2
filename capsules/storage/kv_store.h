/*
 * Key-value store: Tock's KV semantics (get, set, add, update, delete,
 * with storage permissions) over a window of a block device, log
 * structured, crash consistent, with a quota for every owner.
 *
 * Clients. Kernel components and processes (through the KV syscall
 * driver, capsules/drivers/kv_driver.h) attach a struct kv_client with
 * their storage permissions (capsules/storage/storage_permissions.h:
 * kernel components need cap_storage_kernel_t for theirs). Each has at
 * most one request queued (BUSY otherwise); requests are served one at
 * a time, round robin between clients (kernel/rr.h), so nobody waits
 * more than N-1 other requests.
 *
 * Semantics, as Tock's KV (kernel/src/hil/kv.rs):
 *   get     the value; NOSUPPORT when the key does not exist or the
 *           client may not read its owner's items (the same answer: a
 *           client cannot learn that a key it may not read exists)
 *   set     create or overwrite; add: create only (NOSUPPORT when the
 *           key exists); update: overwrite only (NOSUPPORT when it does
 *           not). Overwriting needs modify permission on the key's
 *           owner (NOSUPPORT otherwise). The item then belongs to the
 *           writer's write id; INVALID for a client without one.
 *   delete  needs modify permission (NOSUPPORT otherwise, or missing)
 *   gc      collect free space now (Tock's garbage collect)
 * Keys are 1..KV_KEY_MAX bytes, values 0..KV_VALUE_MAX (SIZE otherwise).
 *
 * Quotas. Space is finite and cannot be shared, so each owner (write
 * id) has a quota of bytes, its records as they lie in the log
 * (KV_REC_OVERHEAD + key + value each; a delete leaves a tombstone of
 * KV_REC_OVERHEAD + key charged to the key's owner until the log's tail
 * passes it). The board grants quotas to the ids it names
 * (kv_store_grant); any other owner reserves the default quota with its
 * first item, first come first served, and keeps the reservation while
 * it has anything in the store. The quotas reserved never exceed the
 * store's capacity, so whatever one owner does, every other keeps its
 * whole quota: a request that would pass its owner's quota, or that
 * needs a reservation when none is left, answers NOMEM to that client
 * alone. The capacity is what the log can always collect into: half of
 * the window's room, less a reserve of free blocks (kv_store_capacity).
 *
 * The log (the format is capsules/storage/kv_log.h). A request that
 * changes something appends one record to the open segment and writes
 * its image to the next block of the circular log; it is acknowledged
 * (SUCCESS) only once that write is done. Garbage collection copies the
 * live records of the oldest block forward before the log would run
 * out of free blocks, and drops its tombstones, so every block is
 * written once a lap (wear spreads evenly) and the reserve never runs
 * dry. A power cut at any point leaves a store that mounts again with
 * every acknowledged request in it, the request in flight wholly or not
 * at all, nothing else, and every record still its owner's.
 *
 * Mounting (kv_store_mount) reads the window twice (the newest block,
 * then the log from its tail); requests made meanwhile wait. A block
 * that does not read, or fails its checks, is skipped and counted; a
 * record that fails its crc ends its block's replay, counted.
 *
 * Index. The store keeps, in RAM the board provides, one entry per key:
 * a 64-bit fingerprint of the key, its owner, where its record is. A
 * request verifies the key itself in the record before using it; the
 * fingerprint alone decides only during mounting, so two keys whose
 * fingerprints collide would merge there (the later survives; the
 * fingerprint is not cryptographic). The index's capacity is the most
 * keys the store holds (NOMEM for a new key beyond).
 *
 * Buffers. A request's key and value are copied into the store's own
 * staging buffers when it starts and its result is lent to the client
 * in done() only; the staging buffers are wiped after each request, and
 * the two block buffers hold only this store's blocks. A client that
 * detaches gets no callback; its request in progress runs to its end
 * (the log stays consistent) and is counted departed.
 *
 * Wiring, in a board:
 *
 *     static struct kv_entry kv_index[64];
 *     static struct kv_owner kv_owners[8];
 *     static uint8_t kv_blocks[64];
 *     static struct client_entry *kv_slots[8];
 *     static uint32_t kv_rr[RR_WORDS(8)];
 *     static struct kv_store kv;
 *     kv_store_init(&kv, &storage_mux, kv_id, &cap_window, 0, 64,
 *                   &(struct kv_config){ kv_index, 64, kv_owners, 8, kv_blocks, 512,
 *                                        kv_slots, kv_rr, 8 });
 *     kv_store_grant(&kv, 0, 1024);                 // the kernel's own keys
 *     kv_store_mount(&kv);
 *     kv_store_attach(&kv, &ticker_kv, ticker_id, &ticker_perms, &ticker_kv_ops);
 *     kv_store_request(&ticker_kv, KV_SET, key, 5, value, 4);
 */
#ifndef VMUX_CAPSULES_STORAGE_KV_STORE_H
#define VMUX_CAPSULES_STORAGE_KV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/storage/kv_log.h"
#include "capsules/storage/storage_mux.h"
#include "capsules/storage/storage_permissions.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

/* Tock's command numbers (capsules/extra/src/kv_driver.rs). */
enum kv_op { KV_GET = 1, KV_SET = 2, KV_DELETE = 3, KV_ADD = 4, KV_UPDATE = 5, KV_GC = 6 };

#define KV_BLOCKS_MIN 16u

/* One key: what the store remembers of it in RAM. */
struct kv_entry {
    uint64_t fingerprint;
    uint32_t owner;
    uint16_t block;        /* position in the window, or KV_IN_SEGMENT */
    uint16_t offset;       /* of its record among the block's records */
    uint16_t size;         /* of its record */
    uint8_t used;
};
#define KV_IN_SEGMENT 0xffffu

/* One owner's share. */
struct kv_owner {
    uint32_t id;
    uint32_t quota;        /* bytes */
    uint32_t used;         /* bytes of its records in the log */
    bool granted;          /* by the board: reserved even when empty */
    bool reserved;         /* the slot is in use */
};

struct kv_config {
    struct kv_entry *index;
    unsigned index_capacity;        /* a power of two; the most keys */
    struct kv_owner *owners;
    unsigned owner_capacity;        /* the most owners with a reservation */
    uint8_t *block_state;           /* one byte per block of the window */
    uint32_t default_quota;         /* bytes, for owners the board names not */
    struct client_entry **clients;
    uint32_t *rr_words;
    unsigned client_capacity;
};

struct kv_client;

struct kv_client_ops {
    /* The request ended. A get's value (value_len bytes) is lent for the
     * call only; NULL otherwise. */
    void (*done)(struct kv_client *c, enum kv_op op, vmux_err_t status, const uint8_t *value,
                 size_t value_len);
};

struct kv_client {
    struct client_entry entry;
    struct kv_store *kv;
    const struct kv_client_ops *ops;
    const struct storage_permissions *perms;
    /* the queued request */
    bool queued;
    uint8_t op;
    const uint8_t *key, *value;
    uint8_t key_len;
    uint8_t value_len;
    struct tally requests;
};

struct kv_store_counters {
    struct tally requests;          /* every client's, departed ones' too */
    uint32_t nomem;                 /* refused: quota, capacity, index */
    uint32_t denied;                /* refused by permissions (NOSUPPORT) */
    uint32_t absent;                /* NOSUPPORT: no such key (an add: the key is there) */
    uint32_t no_write_id;           /* INVALID: a write by a client without a write id */
    uint32_t blocks_written;        /* images and erases */
    uint32_t blocks_read;
    uint32_t user_bytes;            /* record bytes appended by requests */
    uint32_t gc_steps;              /* oldest blocks collected */
    uint32_t gc_bytes;              /* record bytes copied forward */
    uint32_t write_errors;          /* commits the device failed */
    uint32_t read_errors;
    uint32_t bad_blocks;            /* blocks that failed their checks */
    uint32_t bad_records;           /* records that failed theirs */
    uint32_t lost;                  /* keys whose record could not be read back */
    uint32_t mount_dropped;         /* records a full index or owner table refused */
};

struct kv_store {
    struct storage_client blocks;   /* its window on the device */
    struct kv_config cfg;
    uint32_t n;                     /* blocks in the window */
    uint32_t reserve;               /* free blocks the log keeps for collecting */
    uint32_t capacity;              /* bytes all quotas may add up to */
    uint32_t reserved_total;        /* bytes of the quotas reserved */
    unsigned keys;
    /* the log */
    bool mounted;
    uint32_t next_seq;              /* the next block written gets it */
    uint32_t tail;                  /* blocks of lower seq are free */
    /* the open segment */
    uint32_t seg_id;
    uint16_t seg_used, seg_durable;
    uint32_t seg_pos;               /* its newest image's position; KV_NOWHERE none */
    bool seg_rewrite;               /* a commit failed: rewrite it first */
    uint8_t *seg, *io;              /* bufs[0], bufs[1], in either order */
    /* the request in progress */
    int running;                    /* client slot; -1 none, -2 departed */
    uint8_t op;
    uint8_t key[KV_KEY_MAX], key_len;
    uint8_t value[KV_VALUE_MAX], value_len;
    struct storage_permissions perms;
    int found;                      /* its key's index slot, -1 none */
    int cand_slot;                  /* lookup: the entry being read */
    unsigned probe, steps;          /* lookup: where in the index */
    struct kv_record rec;           /* the record found, or appended */
    uint16_t gc_goal;               /* gc request: free blocks to reach */
    bool gc_retried;                /* the oldest block failed to read once */
    bool collecting;                /* the commit carries the oldest block's records */
    /* the step waiting for the device */
    void (*then)(struct kv_store *kv, vmux_err_t status);
    void (*commit_then)(struct kv_store *kv, vmux_err_t status);
    uint32_t at;                    /* mounting: position or seq */
    uint32_t cand_pos;              /* mounting: the segment image in seg */
    bool cand;
    uint32_t best_seq, best_tail;
    bool has_best;
    vmux_err_t early;               /* an I/O refused at once, for the loop */
    struct deferred_call work;
    struct client_table clients;
    struct rr rr;
    struct client_observer departures;
    struct kv_store_counters counters;
    uint8_t bufs[2][HIL_BLOCK_SIZE];
};
#define KV_NOWHERE 0xffffffffu

/* INVALID for a window under KV_BLOCKS_MIN blocks or over 65535, an
 * index capacity that is not a power of two, missing storage; then as
 * storage_mux_attach and client_table. */
vmux_err_t kv_store_init(struct kv_store *kv, struct storage_mux *mux, client_id_t id,
                         const cap_storage_window_t *cap, uint32_t first, uint32_t count,
                         const struct kv_config *cfg);

/* Reserve quota bytes for owner id (before mounting): NOMEM when the
 * capacity or the owner table has no room, ALREADY when granted. */
vmux_err_t kv_store_grant(struct kv_store *kv, uint32_t id, uint32_t quota);

/* Start mounting; requests are served once it is done. */
void kv_store_mount(struct kv_store *kv);
bool kv_store_mounted(const struct kv_store *kv);

/* NOMEM when the table is full, ALREADY when attached, INVALID without
 * permissions. perms must outlive the attachment. */
vmux_err_t kv_store_attach(struct kv_store *kv, struct kv_client *c, client_id_t id,
                           const struct storage_permissions *perms,
                           const struct kv_client_ops *ops);
void kv_store_detach(struct kv_client *c);

/* Queue a request. key (and value, for set, add, update) must stay as
 * they are until done() or detach: they are copied when it starts. OFF
 * not attached, BUSY one queued, INVALID unknown op, SIZE key or value
 * length out of range. */
vmux_err_t kv_store_request(struct kv_client *c, enum kv_op op, const uint8_t *key,
                            size_t key_len, const uint8_t *value, size_t value_len);

/* The bytes all quotas may add up to, for a window of n blocks. */
uint32_t kv_store_capacity(uint32_t n);

/* Owner slot i (for reports): false past the table or when unused. */
bool kv_store_owner(const struct kv_store *kv, unsigned i, struct kv_owner *out);

#endif
