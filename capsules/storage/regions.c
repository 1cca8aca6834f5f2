#include "capsules/storage/regions.h"

#include <string.h>

#include "kernel/crc32.h"

#define RUNNING_NONE (-1)
#define RUNNING_GONE (-2)
#define NAME_BYTES (STORAGE_NAME_MAX + 1u)
#define HEADER_CRC_AT (12u + NAME_BYTES)

enum job { JOB_NONE, JOB_SCAN, JOB_RECLAIM, JOB_ALLOCATE };

static struct region_request *request_of(struct client_entry *e)
{
    return e ? container_of(e, struct region_request, entry) : NULL;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void storage_name_of(struct storage_name *out, const struct storage_identity *id)
{
    memset(out, 0, sizeof *out);
    out->short_id = id->short_id;
    memcpy(out->name, id->name, strnlen(id->name, STORAGE_NAME_MAX));
}

bool storage_name_same(const struct storage_name *a, const struct storage_name *b)
{
    return a->short_id == b->short_id &&
           (a->short_id != 0 || strncmp(a->name, b->name, NAME_BYTES) == 0);
}

static uint32_t header_block(const struct regions *r, unsigned slot)
{
    return slot * (1u + r->region_blocks);
}

uint32_t regions_region_first(const struct regions *r, unsigned slot)
{
    return header_block(r, slot) + 1u;
}

int regions_find(const struct regions *r, const struct storage_name *who)
{
    for (unsigned s = 0; s < r->slot_count; s++)
        if (r->slots[s].owned && storage_name_same(&r->slots[s].owner, who))
            return (int)s;
    return -1;
}

bool regions_mounted(const struct regions *r)
{
    return r->mounted;
}

/* ------------------------------------------------------------ the work */

static void finish_request(struct regions *r, int slot, vmux_err_t status)
{
    int running = r->running;
    r->running = RUNNING_NONE;
    r->job = JOB_NONE;
    struct region_request *req =
        running >= 0 ? request_of(client_table_at(&r->clients, (unsigned)running)) : NULL;
    if (req) {
        req->queued = false;
        rr_clear_pending(&r->rr, req->entry.index);
        client_table_remove(&r->clients, &req->entry);
        req->ops->allocated(req, slot, status);
    }
    deferred_call_raise(&r->work);
}

static void reclaim_next(struct regions *r);

/* An erase of the slot's region failed (refused, or done with an
 * error): counted; an allocation fails, a reclaim leaves this slot. */
static void erase_failed(struct regions *r)
{
    r->counters.errors++;
    if (r->job == JOB_ALLOCATE) {
        finish_request(r, -1, VMUX_FAIL);
    } else { /* its header stays: the next mounting tries again */
        r->slot++;
        reclaim_next(r);
    }
}

/* Erase block r->block of the slot's region, or its header after the
 * last (r->block == region_blocks). */
static void erase_step(struct regions *r)
{
    uint32_t block = r->block < r->region_blocks ? regions_region_first(r, r->slot) + r->block
                                                 : header_block(r, r->slot);
    if (storage_mux_erase(&r->area, block, 0) != VMUX_SUCCESS)
        erase_failed(r);
}

/* The next region of an app no longer installed, or the end of mounting. */
static void reclaim_next(struct regions *r)
{
    for (; r->slot < r->slot_count; r->slot++) {
        if (r->slots[r->slot].reclaim) {
            r->block = 0;
            erase_step(r);
            return;
        }
    }
    r->job = JOB_NONE;
    r->mounted = true;
    deferred_call_raise(&r->work);
}

static void scan_next(struct regions *r)
{
    while (r->slot < r->slot_count) {
        if (storage_mux_read(&r->area, header_block(r, r->slot), NULL, 0) == VMUX_SUCCESS)
            return;
        r->counters.errors++;
        r->slots[r->slot++].owned = true; /* unknown: nobody gets it */
    }
    r->job = JOB_RECLAIM;
    r->slot = 0;
    reclaim_next(r);
}

static void area_read_done(struct storage_client *c, uint32_t block, uint8_t *buf,
                           vmux_err_t status)
{
    struct regions *r = container_of(c, struct regions, area);
    struct region_slot *s = &r->slots[r->slot];
    (void)block;
    if (status != VMUX_SUCCESS) {
        r->counters.errors++;
        s->owned = true; /* unknown: nobody gets it, nothing is erased */
    } else if (get32(buf) == REGION_MAGIC && get32(buf + 4) == r->region_blocks &&
               get32(buf + HEADER_CRC_AT) == crc32(0, buf, HEADER_CRC_AT) &&
               buf[12 + STORAGE_NAME_MAX] == 0) {
        s->owned = true;
        s->owner.short_id = get32(buf + 8);
        memcpy(s->owner.name, buf + 12, NAME_BYTES);
        s->reclaim = r->installed && !r->installed(&s->owner);
    } else if (get32(buf) != HIL_BLOCK_ERASED * 0x01010101u) {
        r->counters.bad_headers++; /* free: its region was erased first */
    }
    r->slot++;
    scan_next(r);
}

static void area_erase_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    struct regions *r = container_of(c, struct regions, area);
    (void)block;
    if (status != VMUX_SUCCESS) {
        erase_failed(r);
        return;
    }
    r->block++;
    if (r->job == JOB_RECLAIM) {
        if (r->block <= r->region_blocks) { /* then its header, last */
            erase_step(r);
            return;
        }
        memset(&r->slots[r->slot], 0, sizeof r->slots[r->slot]);
        r->counters.reclaimed++;
        r->slot++;
        reclaim_next(r);
        return;
    }
    if (r->block < r->region_blocks) {
        erase_step(r);
        return;
    }
    /* the region is erased: now the header makes it who's */
    if (storage_mux_write(&r->area, header_block(r, r->slot), NULL, 0) != VMUX_SUCCESS) {
        r->counters.errors++;
        finish_request(r, -1, VMUX_FAIL);
    }
}

static void area_fill(struct storage_client *c, uint32_t block, uint8_t *buf)
{
    struct regions *r = container_of(c, struct regions, area);
    (void)block;
    put32(buf, REGION_MAGIC);
    put32(buf + 4, r->region_blocks);
    put32(buf + 8, r->who.short_id);
    memcpy(buf + 12, r->who.name, NAME_BYTES);
    put32(buf + HEADER_CRC_AT, crc32(0, buf, HEADER_CRC_AT));
}

static void area_write_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    struct regions *r = container_of(c, struct regions, area);
    (void)block;
    if (status != VMUX_SUCCESS) {
        r->counters.errors++;
        finish_request(r, -1, VMUX_FAIL);
        return;
    }
    r->slots[r->slot].owned = true;
    r->slots[r->slot].owner = r->who;
    r->counters.allocated++;
    finish_request(r, (int)r->slot, VMUX_SUCCESS);
}

static const struct storage_client_ops area_ops = {
    .read_done = area_read_done,
    .write_done = area_write_done,
    .erase_done = area_erase_done,
    .fill = area_fill,
};

static void work(struct deferred_call *dc)
{
    struct regions *r = container_of(dc, struct regions, work);
    if (!r->mounted || r->job != JOB_NONE)
        return;
    int i = rr_next(&r->rr);
    if (i < 0)
        return;
    struct region_request *req = request_of(client_table_at(&r->clients, (unsigned)i));
    r->running = i;
    r->who = req->who;
    int slot = regions_find(r, &r->who);
    if (slot >= 0) {
        finish_request(r, slot, VMUX_SUCCESS);
        return;
    }
    for (r->slot = 0; r->slot < r->slot_count && r->slots[r->slot].owned; r->slot++)
        ;
    if (r->slot == r->slot_count) {
        r->counters.refused++;
        finish_request(r, -1, VMUX_NOMEM);
        return;
    }
    r->job = JOB_ALLOCATE;
    r->block = 0;
    erase_step(r);
}

/* ------------------------------------------------------------ requests */

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct regions *r = container_of(self, struct regions, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&r->clients, gone, &at)) != NULL)
        regions_cancel(request_of(e));
}

vmux_err_t regions_init(struct regions *r, struct storage_mux *mux, client_id_t id,
                        const cap_storage_window_t *cap, uint32_t first,
                        struct region_slot *slots, unsigned slot_count, uint32_t region_blocks,
                        struct client_entry **clients, uint32_t *rr_words,
                        unsigned client_capacity,
                        bool (*installed)(const struct storage_name *who))
{
    if (slots == NULL || slot_count == 0 || region_blocks == 0 || clients == NULL ||
        rr_words == NULL || client_capacity == 0)
        return VMUX_INVALID;
    memset(r, 0, sizeof *r);
    memset(slots, 0, slot_count * sizeof *slots);
    r->slots = slots;
    r->slot_count = slot_count;
    r->region_blocks = region_blocks;
    r->installed = installed;
    r->running = RUNNING_NONE;
    client_table_init(&r->clients, clients, client_capacity);
    rr_init(&r->rr, rr_words, client_capacity);
    vmux_err_t err = deferred_call_register(&r->work, work);
    if (err != VMUX_SUCCESS)
        return err;
    r->departures.client_gone = client_gone;
    client_observe(&r->departures);
    return storage_mux_attach(mux, &r->area, id, cap, first, slot_count * (1u + region_blocks),
                              &area_ops);
}

void regions_mount(struct regions *r)
{
    r->mounted = false;
    r->job = JOB_SCAN;
    r->slot = 0;
    scan_next(r);
}

vmux_err_t regions_allocate(struct regions *r, struct region_request *req, client_id_t id,
                            const struct storage_name *who, const struct region_request_ops *ops)
{
    if (req->entry.attached)
        return VMUX_BUSY;
    memset(req, 0, sizeof *req);
    req->regions = r;
    req->ops = ops;
    req->who = *who;
    vmux_err_t err = client_table_add(&r->clients, &req->entry, id);
    if (err != VMUX_SUCCESS)
        return err;
    req->queued = true;
    rr_set_pending(&r->rr, req->entry.index);
    deferred_call_raise(&r->work);
    return VMUX_SUCCESS;
}

void regions_cancel(struct region_request *req)
{
    if (!req->entry.attached)
        return;
    struct regions *r = req->regions;
    if (r->running == (int)req->entry.index)
        r->running = RUNNING_GONE;
    rr_clear_pending(&r->rr, req->entry.index);
    req->queued = false;
    client_table_remove(&r->clients, &req->entry);
}
