#include "capsules/storage/kv_store.h"

#include <string.h>

#include "kernel/wipe.h"

#define RUNNING_NONE (-1)
#define RUNNING_GONE (-2)   /* its client detached; it runs to its end */
#define BLOCK_LIVE 1u       /* the newest image of a segment in the log */

static void room_step(struct kv_store *kv);
static void lookup_next(struct kv_store *kv);

static struct kv_client *client_of(struct client_entry *e)
{
    return e ? container_of(e, struct kv_client, entry) : NULL;
}

static uint32_t pos_of(const struct kv_store *kv, uint32_t seq)
{
    return seq % kv->n;
}

static uint32_t free_blocks(const struct kv_store *kv)
{
    return kv->n - (kv->next_seq - kv->tail);
}

static uint32_t reserve_for(uint32_t n)
{
    return n / 5u + 3u;
}

uint32_t kv_store_capacity(uint32_t n)
{
    return n < KV_BLOCKS_MIN ? 0 : (n - reserve_for(n)) * KV_LOG_ROOM / 2u;
}

/* ------------------------------------------------------------ owners */

static struct kv_owner *owner_find(struct kv_store *kv, uint32_t id)
{
    for (unsigned i = 0; i < kv->cfg.owner_capacity; i++)
        if (kv->cfg.owners[i].reserved && kv->cfg.owners[i].id == id)
            return &kv->cfg.owners[i];
    return NULL;
}

/* A reservation of the default quota for id; force: even past the
 * capacity (what a mount finds on the medium is there already). */
static struct kv_owner *owner_reserve(struct kv_store *kv, uint32_t id, bool force)
{
    struct kv_owner *o = owner_find(kv, id);
    if (o)
        return o;
    uint32_t quota = kv->cfg.default_quota;
    if (!force && quota > kv->capacity - kv->reserved_total)
        return NULL;
    for (unsigned i = 0; i < kv->cfg.owner_capacity; i++) {
        o = &kv->cfg.owners[i];
        if (o->reserved)
            continue;
        *o = (struct kv_owner){ id, quota, 0, false, true };
        kv->reserved_total += quota;
        return o;
    }
    return NULL;
}

/* Could id's records grow by delta bytes? */
static bool owner_can_take(struct kv_store *kv, uint32_t id, int32_t delta)
{
    const struct kv_owner *o = owner_find(kv, id);
    if (o)
        return delta <= 0 || o->used + (uint32_t)delta <= o->quota;
    if (delta > (int32_t)kv->cfg.default_quota || kv->cfg.default_quota > kv->capacity - kv->reserved_total)
        return false;
    for (unsigned i = 0; i < kv->cfg.owner_capacity; i++)
        if (!kv->cfg.owners[i].reserved)
            return true;
    return false;
}

/* id's records grow (or shrink) by delta; an owner left with nothing
 * and no grant gives its reservation back. False when id has no slot
 * and none can be had (mounting a store that holds more owners than the
 * table). */
static bool charge(struct kv_store *kv, uint32_t id, int32_t delta)
{
    struct kv_owner *o = delta > 0 ? owner_reserve(kv, id, true) : owner_find(kv, id);
    if (o == NULL)
        return delta <= 0;
    o->used = delta < 0 && (uint32_t)-delta > o->used ? 0 : o->used + (uint32_t)delta;
    if (o->used == 0 && !o->granted) {
        kv->reserved_total -= o->quota;
        o->reserved = false;
    }
    return true;
}

vmux_err_t kv_store_grant(struct kv_store *kv, uint32_t id, uint32_t quota)
{
    struct kv_owner *o = owner_find(kv, id);
    if (o && o->granted)
        return VMUX_ALREADY;
    if (quota > kv->capacity - kv->reserved_total + (o ? o->quota : 0))
        return VMUX_NOMEM;
    if (o == NULL && (o = owner_reserve(kv, id, true)) == NULL)
        return VMUX_NOMEM;
    kv->reserved_total = kv->reserved_total - o->quota + quota;
    o->quota = quota;
    o->granted = true;
    return VMUX_SUCCESS;
}

bool kv_store_owner(const struct kv_store *kv, unsigned i, struct kv_owner *out)
{
    if (i >= kv->cfg.owner_capacity || !kv->cfg.owners[i].reserved)
        return false;
    *out = kv->cfg.owners[i];
    return true;
}

/* ------------------------------------------------------------ index */

static unsigned home_of(const struct kv_store *kv, uint64_t fp)
{
    return (unsigned)(fp ^ (fp >> 32)) & (kv->cfg.index_capacity - 1u);
}

/* The next used slot with fingerprint fp from *probe on, moving *probe
 * past it; -1 at an unused slot or after a whole round. */
static int index_next(const struct kv_store *kv, uint64_t fp, unsigned *probe, unsigned *steps)
{
    unsigned mask = kv->cfg.index_capacity - 1u;
    while (*steps < kv->cfg.index_capacity) {
        const struct kv_entry *e = &kv->cfg.index[*probe];
        if (!e->used)
            return -1;
        unsigned at = *probe;
        *probe = (*probe + 1u) & mask;
        (*steps)++;
        if (e->fingerprint == fp)
            return (int)at;
    }
    return -1;
}

static int index_insert(struct kv_store *kv, uint64_t fp)
{
    if (kv->keys >= kv->cfg.index_capacity)
        return -1;
    unsigned mask = kv->cfg.index_capacity - 1u, i = home_of(kv, fp);
    while (kv->cfg.index[i].used)
        i = (i + 1u) & mask;
    kv->cfg.index[i] = (struct kv_entry){ .fingerprint = fp, .used = 1 };
    kv->keys++;
    return (int)i;
}

/* Remove slot i, moving up the entries after it that would no longer be
 * found (linear probing's backward shift). */
static void index_remove(struct kv_store *kv, unsigned i)
{
    unsigned mask = kv->cfg.index_capacity - 1u;
    for (unsigned j = (i + 1u) & mask; kv->cfg.index[j].used && j != i; j = (j + 1u) & mask) {
        unsigned home = home_of(kv, kv->cfg.index[j].fingerprint);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            kv->cfg.index[i] = kv->cfg.index[j];
            i = j;
        }
    }
    memset(&kv->cfg.index[i], 0, sizeof kv->cfg.index[i]);
    kv->keys--;
}

/* The entry of the record at (block, offset) with fingerprint fp. */
static int index_at(const struct kv_store *kv, uint64_t fp, uint16_t block, uint16_t offset)
{
    unsigned probe = home_of(kv, fp), steps = 0;
    int slot;
    while ((slot = index_next(kv, fp, &probe, &steps)) >= 0)
        if (kv->cfg.index[slot].block == block && kv->cfg.index[slot].offset == offset)
            return slot;
    return -1;
}

/* A key whose record cannot be read back any more. */
static void lose(struct kv_store *kv, unsigned slot)
{
    charge(kv, kv->cfg.index[slot].owner, -(int32_t)kv->cfg.index[slot].size);
    index_remove(kv, slot);
    kv->counters.lost++;
}

/* ------------------------------------------------------------ I/O */

static void io_then(struct kv_store *kv, void (*then)(struct kv_store *, vmux_err_t),
                    vmux_err_t err)
{
    kv->then = then;
    if (err != VMUX_SUCCESS) {
        kv->early = err; /* the step sees it from the loop, not from here */
        deferred_call_raise(&kv->work);
    }
}

static void io_read(struct kv_store *kv, uint32_t pos,
                    void (*then)(struct kv_store *, vmux_err_t))
{
    kv->counters.blocks_read++;
    io_then(kv, then, storage_mux_read(&kv->blocks, pos, kv->io, 0));
}

static void resume(struct kv_store *kv, vmux_err_t status)
{
    void (*then)(struct kv_store *, vmux_err_t) = kv->then;
    kv->then = NULL;
    if (then)
        then(kv, status);
}

static void block_read_done(struct storage_client *c, uint32_t block, uint8_t *buf,
                            vmux_err_t status)
{
    (void)block, (void)buf;
    resume(container_of(c, struct kv_store, blocks), status);
}

static void block_write_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    (void)block;
    resume(container_of(c, struct kv_store, blocks), status);
}

static void block_erase_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    (void)block;
    resume(container_of(c, struct kv_store, blocks), status);
}

static const struct storage_client_ops block_ops = {
    .read_done = block_read_done,
    .write_done = block_write_done,
    .erase_done = block_erase_done,
};

/* ------------------------------------------------------------ the open segment */

static void commit_done(struct kv_store *kv, vmux_err_t status)
{
    uint32_t pos = pos_of(kv, kv->next_seq);
    kv->next_seq++; /* the position is spent either way */
    if (status == VMUX_SUCCESS) {
        if (kv->seg_pos != KV_NOWHERE)
            kv->cfg.block_state[kv->seg_pos] = 0; /* the image it replaces */
        kv->seg_pos = pos;
        kv->cfg.block_state[pos] = BLOCK_LIVE;
        kv->seg_durable = kv->seg_used;
        kv->seg_rewrite = false;
    } else {
        /* What is there now is unknown: the next commit rewrites the
         * segment as it was, so no image with the failed record is ever
         * its newest. */
        kv->counters.write_errors++;
        kv->cfg.block_state[pos] = 0;
        wipe(kv->seg + KV_LOG_HEADER + kv->seg_durable, KV_LOG_ROOM - kv->seg_durable);
        kv->seg_used = kv->seg_durable;
        kv->seg_rewrite = true;
    }
    void (*then)(struct kv_store *, vmux_err_t) = kv->commit_then;
    kv->commit_then = NULL;
    then(kv, status);
}

/* Write the open segment's image to the next block of the log. */
static void commit(struct kv_store *kv, void (*then)(struct kv_store *, vmux_err_t))
{
    /* A commit of the oldest block's records frees it once it is done. */
    struct kv_log_header h = { kv->next_seq, kv->seg_id, kv->tail + kv->collecting,
                               kv->seg_used };
    kv_log_seal_header(kv->seg, &h);
    kv->commit_then = then;
    kv->counters.blocks_written++;
    io_then(kv, commit_done,
            storage_mux_write(&kv->blocks, pos_of(kv, kv->next_seq), kv->seg, 0));
}

/* The open segment is over (its newest image is final): point its keys
 * there and begin the next. Only between requests' commits. */
static void seal(struct kv_store *kv)
{
    struct kv_record r;
    for (uint16_t off = 0; off < kv->seg_used && kv_log_record(kv->seg, kv->seg_used, off, &r);
         off += r.size) {
        if (r.type != KV_REC_SET)
            continue;
        int slot = index_at(kv, kv_log_fingerprint(r.key, r.key_len), KV_IN_SEGMENT, off);
        if (slot >= 0)
            kv->cfg.index[slot].block = (uint16_t)kv->seg_pos;
    }
    wipe(kv->seg, HIL_BLOCK_SIZE);
    kv->seg_id = kv->next_seq;
    kv->seg_used = kv->seg_durable = 0;
    kv->seg_pos = KV_NOWHERE;
}

static void make_room_for(struct kv_store *kv, uint16_t size)
{
    if (size > KV_LOG_ROOM - kv->seg_used)
        seal(kv);
}

/* ------------------------------------------------------------ requests */

static void finish(struct kv_store *kv, vmux_err_t status)
{
    int slot = kv->running;
    kv->running = RUNNING_NONE;
    struct kv_client *c = slot >= 0 ? client_of(client_table_at(&kv->clients, (unsigned)slot)) : NULL;
    if (status == VMUX_NOMEM)
        kv->counters.nomem++;
    if (c) {
        c->queued = false;
        rr_clear_pending(&kv->rr, c->entry.index);
        tally_count(&c->requests, &kv->counters.requests,
                    status == VMUX_SUCCESS ? TALLY_DELIVERED : TALLY_FAILED, 1);
        bool value = kv->op == KV_GET && status == VMUX_SUCCESS;
        c->ops->done(c, (enum kv_op)kv->op, status, value ? kv->value : NULL,
                     value ? kv->value_len : 0);
    }
    wipe(kv->key, sizeof kv->key);
    wipe(kv->value, sizeof kv->value);
    wipe(&kv->perms, sizeof kv->perms);
    kv->key_len = kv->value_len = 0;
    deferred_call_raise(&kv->work);
}

/* --- collecting: the oldest block's live records move forward */

static bool skip_free(struct kv_store *kv)
{
    while (kv->tail != kv->next_seq && kv->cfg.block_state[pos_of(kv, kv->tail)] != BLOCK_LIVE)
        kv->tail++;
    return kv->tail != kv->next_seq && pos_of(kv, kv->tail) != kv->seg_pos;
}

/* Is the SET at off of the victim the live record of its key? */
static int live_at(struct kv_store *kv, const struct kv_record *r, uint16_t off)
{
    if (r->type != KV_REC_SET)
        return -1;
    return index_at(kv, kv_log_fingerprint(r->key, r->key_len),
                    (uint16_t)pos_of(kv, kv->tail), off);
}

/* The victim is beyond reading: what only it held is lost. */
static void gc_lose_victim(struct kv_store *kv)
{
    uint16_t pos = (uint16_t)pos_of(kv, kv->tail);
    for (unsigned i = 0; i < kv->cfg.index_capacity; i++)
        while (kv->cfg.index[i].used && kv->cfg.index[i].block == pos)
            lose(kv, i);
    kv->cfg.block_state[pos] = 0;
    kv->tail++;
}

static void gc_committed(struct kv_store *kv, vmux_err_t status)
{
    kv->collecting = false;
    if (status == VMUX_SUCCESS) {
        struct kv_log_header h;
        struct kv_record r;
        kv_log_header_ok(kv->io, &h);
        uint16_t to = kv->at;
        for (uint16_t off = 0; off < h.used && kv_log_record(kv->io, h.used, off, &r);
             off += r.size) {
            int slot = live_at(kv, &r, off);
            if (slot >= 0) {
                kv->cfg.index[slot].block = KV_IN_SEGMENT;
                kv->cfg.index[slot].offset = to;
                to += r.size;
            } else if (r.type == KV_REC_DEL) {
                charge(kv, r.owner, -(int32_t)r.size); /* every older record of its key is gone */
            }
        }
        kv->cfg.block_state[pos_of(kv, kv->tail)] = 0;
        kv->tail++;
        kv->counters.gc_steps++;
    }
    kv->gc_retried = false;
    if (status != VMUX_SUCCESS)
        finish(kv, status);
    else
        room_step(kv);
}

static void gc_read(struct kv_store *kv, vmux_err_t status)
{
    struct kv_log_header h;
    struct kv_record r;
    if (status != VMUX_SUCCESS) {
        kv->counters.read_errors++;
        if (!kv->gc_retried) {
            kv->gc_retried = true; /* once more: it may pass */
            room_step(kv);
            return;
        }
    }
    kv->gc_retried = false;
    if (status != VMUX_SUCCESS || !kv_log_header_ok(kv->io, &h) || h.seq != kv->tail) {
        kv->counters.bad_blocks += status == VMUX_SUCCESS;
        gc_lose_victim(kv);
        room_step(kv);
        return;
    }
    uint16_t live = 0, off;
    for (off = 0; off < h.used && kv_log_record(kv->io, h.used, off, &r); off += r.size)
        if (live_at(kv, &r, off) >= 0)
            live += r.size;
    if (off < h.used)
        kv->counters.bad_records++;
    make_room_for(kv, live);
    kv->at = kv->seg_used; /* where the copies begin */
    for (off = 0; off < h.used && kv_log_record(kv->io, h.used, off, &r); off += r.size) {
        if (live_at(kv, &r, off) < 0)
            continue;
        memcpy(kv->seg + KV_LOG_HEADER + kv->seg_used, kv->io + KV_LOG_HEADER + off, r.size);
        kv->seg_used += r.size;
    }
    kv->counters.gc_bytes += live;
    kv->collecting = true;
    commit(kv, gc_committed);
}

/* --- before a change: the segment rewritten if a commit failed, and
 * free blocks enough */

static void rewritten(struct kv_store *kv, vmux_err_t status)
{
    if (status != VMUX_SUCCESS)
        finish(kv, VMUX_FAIL);
    else
        room_step(kv);
}

static void decide(struct kv_store *kv);

static void lookup_start(struct kv_store *kv)
{
    uint64_t fp = kv_log_fingerprint(kv->key, kv->key_len);
    kv->found = -1;
    kv->probe = home_of(kv, fp);
    kv->steps = 0;
    lookup_next(kv);
}

static void room_step(struct kv_store *kv)
{
    if (kv->seg_rewrite) {
        commit(kv, rewritten);
        return;
    }
    uint32_t goal = kv->op == KV_GC ? kv->gc_goal : kv->reserve;
    if (free_blocks(kv) < goal && skip_free(kv)) {
        io_read(kv, pos_of(kv, kv->tail), gc_read);
        return;
    }
    if (kv->op == KV_GC)
        finish(kv, VMUX_SUCCESS);
    else if (free_blocks(kv) < 2)
        finish(kv, VMUX_NOMEM); /* never reached with the quotas kept */
    else
        lookup_start(kv);
}

/* --- finding the key */

static void lookup_read(struct kv_store *kv, vmux_err_t status)
{
    struct kv_log_header h;
    struct kv_entry *e = &kv->cfg.index[kv->cand_slot];
    if (status != VMUX_SUCCESS) {
        kv->counters.read_errors++;
        finish(kv, VMUX_FAIL);
        return;
    }
    if (!kv_log_header_ok(kv->io, &h) || pos_of(kv, h.seq) != e->block ||
        !kv_log_record(kv->io, h.used, e->offset, &kv->rec) || kv->rec.size != e->size ||
        kv->rec.type != KV_REC_SET) {
        kv->counters.bad_blocks++;
        lose(kv, (unsigned)kv->cand_slot); /* slots moved: look again */
        lookup_start(kv);
        return;
    }
    if (kv->rec.key_len == kv->key_len && memcmp(kv->rec.key, kv->key, kv->key_len) == 0) {
        kv->found = kv->cand_slot;
        decide(kv);
        return;
    }
    lookup_next(kv);
}

static void lookup_next(struct kv_store *kv)
{
    uint64_t fp = kv_log_fingerprint(kv->key, kv->key_len);
    int slot;
    while ((slot = index_next(kv, fp, &kv->probe, &kv->steps)) >= 0) {
        struct kv_entry *e = &kv->cfg.index[slot];
        if (e->block != KV_IN_SEGMENT) {
            kv->cand_slot = slot;
            io_read(kv, e->block, lookup_read);
            return;
        }
        if (kv_log_record(kv->seg, kv->seg_used, e->offset, &kv->rec) &&
            kv->rec.key_len == kv->key_len && memcmp(kv->rec.key, kv->key, kv->key_len) == 0) {
            kv->found = slot;
            break;
        }
    }
    decide(kv);
}

/* --- the change itself */

static void changed(struct kv_store *kv, vmux_err_t status)
{
    if (status != VMUX_SUCCESS) {
        finish(kv, VMUX_FAIL);
        return;
    }
    uint16_t off = kv->at, size = kv->rec.size;
    uint32_t owner = kv->rec.owner;
    if (kv->op == KV_DELETE) {
        struct kv_entry *e = &kv->cfg.index[kv->found];
        charge(kv, e->owner, (int32_t)size - (int32_t)e->size); /* the tombstone stays its */
        index_remove(kv, (unsigned)kv->found);
    } else {
        int slot = kv->found;
        if (slot < 0) {
            slot = index_insert(kv, kv_log_fingerprint(kv->key, kv->key_len));
            charge(kv, owner, size);
        } else if (kv->cfg.index[slot].owner == owner) {
            charge(kv, owner, (int32_t)size - (int32_t)kv->cfg.index[slot].size);
        } else {
            charge(kv, kv->cfg.index[slot].owner, -(int32_t)kv->cfg.index[slot].size);
            charge(kv, owner, size);
        }
        struct kv_entry *e = &kv->cfg.index[slot];
        e->owner = owner;
        e->block = KV_IN_SEGMENT;
        e->offset = off;
        e->size = size;
    }
    kv->counters.user_bytes += size;
    finish(kv, VMUX_SUCCESS);
}

/* NOSUPPORT, counted: by permissions, or because the key is (not) there.
 * The client gets the same answer for both; the counters tell them apart
 * for the board. */
static vmux_err_t refuse(uint32_t *counter)
{
    (*counter)++;
    return VMUX_NOSUPPORT;
}

/* Permissions, existence, quota: may the request go ahead? */
static vmux_err_t judge(struct kv_store *kv, uint32_t *owner, uint16_t *size)
{
    const struct kv_entry *e = kv->found >= 0 ? &kv->cfg.index[kv->found] : NULL;
    const struct storage_permissions *p = &kv->perms;
    struct kv_store_counters *n = &kv->counters;
    if (kv->op == KV_GET || kv->op == KV_DELETE) {
        if (e == NULL)
            return refuse(&n->absent);
        if (kv->op == KV_GET)
            return storage_may_read(p, e->owner) ? VMUX_SUCCESS : refuse(&n->denied);
        if (!storage_may_modify(p, e->owner))
            return refuse(&n->denied);
        *owner = e->owner;
        *size = kv_record_size(kv->key_len, 0);
        return VMUX_SUCCESS;
    }
    if (!storage_write_id(p, owner)) {
        n->no_write_id++;
        return VMUX_INVALID;
    }
    if ((kv->op == KV_ADD && e) || (kv->op == KV_UPDATE && !e))
        return refuse(&n->absent);
    if (e && !storage_may_modify(p, e->owner))
        return refuse(&n->denied);
    *size = kv_record_size(kv->key_len, kv->value_len);
    int32_t delta = (int32_t)*size - (e && e->owner == *owner ? (int32_t)e->size : 0);
    if ((e == NULL && kv->keys >= kv->cfg.index_capacity) || !owner_can_take(kv, *owner, delta))
        return VMUX_NOMEM;
    return VMUX_SUCCESS;
}

static void decide(struct kv_store *kv)
{
    uint32_t owner = 0;
    uint16_t size = 0;
    vmux_err_t err = judge(kv, &owner, &size);
    if (err != VMUX_SUCCESS) {
        finish(kv, err);
        return;
    }
    if (kv->op == KV_GET) {
        kv->value_len = (uint8_t)kv->rec.value_len;
        memcpy(kv->value, kv->rec.value, kv->rec.value_len);
        finish(kv, VMUX_SUCCESS);
        return;
    }
    make_room_for(kv, size);
    kv->at = kv->seg_used;
    bool del = kv->op == KV_DELETE;
    kv->seg_used += kv_log_append(kv->seg, kv->seg_used, del ? KV_REC_DEL : KV_REC_SET, owner,
                                  kv->key, kv->key_len, kv->value, del ? 0 : kv->value_len);
    kv->rec.owner = owner;
    kv->rec.size = size;
    commit(kv, changed);
}

static void start(struct kv_store *kv, struct kv_client *c)
{
    kv->running = (int)c->entry.index;
    kv->op = c->op;
    kv->key_len = c->key_len;
    if (c->key_len)
        memcpy(kv->key, c->key, c->key_len);
    kv->value_len = c->value_len;
    if (c->value_len)
        memcpy(kv->value, c->value, c->value_len);
    kv->perms = *c->perms;
    kv->gc_goal = (uint16_t)(kv->n / 2u > kv->reserve ? kv->n / 2u : kv->reserve);
    if (kv->op == KV_GET)
        lookup_start(kv);
    else
        room_step(kv);
}

/* ------------------------------------------------------------ mounting */

static void mounted(struct kv_store *kv)
{
    kv->mounted = true;
    deferred_call_raise(&kv->work);
}

/* One record of a segment image, in log order, into the index. */
static void replay_record(struct kv_store *kv, const struct kv_record *r, uint16_t block,
                          uint16_t off)
{
    uint64_t fp = kv_log_fingerprint(r->key, r->key_len);
    unsigned probe = home_of(kv, fp), steps = 0;
    int slot = index_next(kv, fp, &probe, &steps);
    if (slot >= 0) { /* an older record of the key: no longer its */
        charge(kv, kv->cfg.index[slot].owner, -(int32_t)kv->cfg.index[slot].size);
        if (r->type == KV_REC_DEL)
            index_remove(kv, (unsigned)slot);
    } else if (r->type == KV_REC_SET) {
        slot = index_insert(kv, fp);
    }
    /* a tombstone is charged to its key's owner until collected */
    bool charged = (r->type == KV_REC_DEL || slot >= 0) && charge(kv, r->owner, r->size);
    if (!charged) { /* more keys or owners than the board's tables hold */
        kv->counters.mount_dropped++;
        if (r->type == KV_REC_SET && slot >= 0)
            index_remove(kv, (unsigned)slot);
        return;
    }
    if (r->type == KV_REC_SET)
        kv->cfg.index[slot] = (struct kv_entry){ fp, r->owner, block, off, r->size, 1 };
}

/* Replay the segment image in buf at pos; open: it is the open segment. */
static void replay(struct kv_store *kv, const uint8_t *buf, uint32_t pos, bool open)
{
    struct kv_log_header h;
    struct kv_record r;
    kv_log_header_ok(buf, &h);
    uint16_t off = 0;
    for (; off < h.used && kv_log_record(buf, h.used, off, &r); off += r.size)
        replay_record(kv, &r, (uint16_t)(open ? KV_IN_SEGMENT : pos), off);
    if (off < h.used)
        kv->counters.bad_records++;
    kv->cfg.block_state[pos] = BLOCK_LIVE;
    if (open) {
        kv->seg_id = h.segment;
        kv->seg_used = kv->seg_durable = off;
        kv->seg_pos = pos;
        wipe(kv->seg + KV_LOG_HEADER + off, KV_LOG_ROOM - off);
    }
}

static void walk_read(struct kv_store *kv, vmux_err_t status)
{
    struct kv_log_header h, c;
    if (status != VMUX_SUCCESS) {
        kv->counters.read_errors++;
    } else if (kv_log_header_ok(kv->io, &h) && h.seq == kv->at) {
        if (kv->cand && kv_log_header_ok(kv->seg, &c) && c.segment != h.segment)
            replay(kv, kv->seg, kv->cand_pos, false);
        uint8_t *t = kv->seg; /* the newest image of its segment so far */
        kv->seg = kv->io;
        kv->io = t;
        kv->cand = true;
        kv->cand_pos = pos_of(kv, h.seq);
    } else {
        kv->counters.bad_blocks++;
    }
    if (kv->at++ != kv->next_seq - 1u) {
        io_read(kv, pos_of(kv, kv->at), walk_read);
        return;
    }
    if (kv->cand)
        replay(kv, kv->seg, kv->cand_pos, true);
    else
        seal(kv);
    mounted(kv);
}

static void scan_read(struct kv_store *kv, vmux_err_t status)
{
    struct kv_log_header h;
    if (status != VMUX_SUCCESS)
        kv->counters.read_errors++;
    else if (kv_log_header_ok(kv->io, &h) && pos_of(kv, h.seq) == kv->at &&
             (!kv->has_best || h.seq > kv->best_seq)) {
        kv->has_best = true;
        kv->best_seq = h.seq;
        kv->best_tail = h.tail;
    }
    if (++kv->at < kv->n) {
        io_read(kv, kv->at, scan_read);
        return;
    }
    if (!kv->has_best) { /* a new store */
        kv->next_seq = kv->tail = 0;
        seal(kv);
        mounted(kv);
        return;
    }
    kv->next_seq = kv->best_seq + 1u;
    kv->tail = kv->next_seq - kv->best_tail > kv->n ? kv->next_seq - kv->n : kv->best_tail;
    kv->at = kv->tail;
    kv->cand = false;
    io_read(kv, pos_of(kv, kv->at), walk_read);
}

void kv_store_mount(struct kv_store *kv)
{
    kv->mounted = false;
    kv->at = 0;
    kv->has_best = false;
    io_read(kv, 0, scan_read);
}

bool kv_store_mounted(const struct kv_store *kv)
{
    return kv->mounted;
}

/* ------------------------------------------------------------ clients */

static void work(struct deferred_call *dc)
{
    struct kv_store *kv = container_of(dc, struct kv_store, work);
    if (kv->early != VMUX_SUCCESS) {
        vmux_err_t err = kv->early;
        kv->early = VMUX_SUCCESS;
        resume(kv, err);
        return;
    }
    if (!kv->mounted || kv->then || kv->running != RUNNING_NONE)
        return;
    int i = rr_next(&kv->rr);
    if (i >= 0)
        start(kv, client_of(client_table_at(&kv->clients, (unsigned)i)));
}

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct kv_store *kv = container_of(self, struct kv_store, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&kv->clients, gone, &at)) != NULL)
        kv_store_detach(client_of(e));
}

vmux_err_t kv_store_init(struct kv_store *kv, struct storage_mux *mux, client_id_t id,
                         const cap_storage_window_t *cap, uint32_t first, uint32_t count,
                         const struct kv_config *cfg)
{
    if (cfg == NULL || count < KV_BLOCKS_MIN || count >= KV_IN_SEGMENT || cfg->index == NULL ||
        cfg->index_capacity == 0 || (cfg->index_capacity & (cfg->index_capacity - 1u)) ||
        cfg->owners == NULL || cfg->owner_capacity == 0 || cfg->block_state == NULL ||
        cfg->clients == NULL || cfg->rr_words == NULL || cfg->client_capacity == 0)
        return VMUX_INVALID;
    memset(kv, 0, sizeof *kv);
    kv->cfg = *cfg;
    kv->n = count;
    kv->reserve = reserve_for(count);
    kv->capacity = kv_store_capacity(count);
    memset(cfg->index, 0, cfg->index_capacity * sizeof *cfg->index);
    memset(cfg->owners, 0, cfg->owner_capacity * sizeof *cfg->owners);
    memset(cfg->block_state, 0, count);
    kv->seg = kv->bufs[0];
    kv->io = kv->bufs[1];
    kv->seg_pos = KV_NOWHERE;
    kv->running = RUNNING_NONE;
    client_table_init(&kv->clients, cfg->clients, cfg->client_capacity);
    rr_init(&kv->rr, cfg->rr_words, cfg->client_capacity);
    vmux_err_t err = deferred_call_register(&kv->work, work);
    if (err != VMUX_SUCCESS)
        return err;
    kv->departures.client_gone = client_gone;
    client_observe(&kv->departures);
    return storage_mux_attach(mux, &kv->blocks, id, cap, first, count, &block_ops);
}

vmux_err_t kv_store_attach(struct kv_store *kv, struct kv_client *c, client_id_t id,
                           const struct storage_permissions *perms,
                           const struct kv_client_ops *ops)
{
    if (c == NULL || perms == NULL || ops == NULL || ops->done == NULL)
        return VMUX_INVALID;
    if (c->entry.attached)
        return VMUX_ALREADY;
    memset(c, 0, sizeof *c);
    c->kv = kv;
    c->ops = ops;
    c->perms = perms;
    return client_table_add(&kv->clients, &c->entry, id);
}

void kv_store_detach(struct kv_client *c)
{
    if (c == NULL || !c->entry.attached)
        return;
    struct kv_store *kv = c->kv;
    if (kv->running == (int)c->entry.index)
        kv->running = RUNNING_GONE;
    rr_clear_pending(&kv->rr, c->entry.index);
    if (c->queued)
        tally_count(&c->requests, &kv->counters.requests, TALLY_DEPARTED, 1);
    c->queued = false;
    client_table_remove(&kv->clients, &c->entry);
}

vmux_err_t kv_store_request(struct kv_client *c, enum kv_op op, const uint8_t *key,
                            size_t key_len, const uint8_t *value, size_t value_len)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (op < KV_GET || op > KV_GC)
        return VMUX_INVALID;
    bool with_value = op == KV_SET || op == KV_ADD || op == KV_UPDATE;
    if (op != KV_GC && (key == NULL || key_len == 0 || key_len > KV_KEY_MAX))
        return VMUX_SIZE;
    if (with_value && (value_len > KV_VALUE_MAX || (value_len && value == NULL)))
        return VMUX_SIZE;
    if (c->queued)
        return VMUX_BUSY;
    c->queued = true;
    c->op = (uint8_t)op;
    c->key = key;
    c->key_len = op == KV_GC ? 0 : (uint8_t)key_len;
    c->value = with_value ? value : NULL;
    c->value_len = with_value ? (uint8_t)value_len : 0;
    tally_count(&c->requests, &c->kv->counters.requests, TALLY_TAKEN, 1);
    rr_set_pending(&c->kv->rr, c->entry.index);
    deferred_call_raise(&c->kv->work);
    return VMUX_SUCCESS;
}
