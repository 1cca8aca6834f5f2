#include "capsules/storage/storage_mux.h"

#include <string.h>

#include "kernel/wipe.h"

static struct storage_mux *mux_of(struct bus_mux *b)
{
    return container_of(b, struct storage_mux, bus);
}

static struct storage_client *client_of(struct bus_client *b)
{
    return container_of(b, struct storage_client, bus);
}

static void wipe_buffer(struct storage_mux *m)
{
    if (!m->buffer_used)
        return;
    wipe(m->buffer, sizeof m->buffer);
    m->buffer_used = false;
    m->counters.wipes++;
}

static vmux_err_t start(struct bus_mux *b, struct bus_client *bc)
{
    struct storage_mux *m = mux_of(b);
    struct storage_client *c = client_of(bc);
    uint32_t block = c->first + c->block;
    uint8_t *buf = c->buf;
    if (buf == NULL && c->op != STORAGE_ERASE) {
        buf = m->buffer;
        m->buffer_used = true;
        if (c->op == STORAGE_WRITE)
            c->ops->fill(c, c->block, buf);
    }
    switch (c->op) {
    case STORAGE_READ:
        return hil_block_read(m->device, block, buf);
    case STORAGE_WRITE:
        return hil_block_write(m->device, block, buf);
    default:
        return hil_block_erase(m->device, block);
    }
}

/* The turn is over abnormally (watchdog, detach, failed start): the
 * device lets go of the buffer, then the buffer is wiped. */
static void recover(struct bus_mux *b, struct bus_client *bc)
{
    struct storage_mux *m = mux_of(b);
    (void)bc;
    hil_block_abort(m->device);
    wipe_buffer(m);
}

static void finish(struct bus_client *bc, vmux_err_t status)
{
    struct storage_client *c = client_of(bc);
    struct storage_mux *m = mux_of(bc->mux);
    uint8_t *buf = c->buf ? c->buf : m->buffer;
    switch (c->op) {
    case STORAGE_READ:
        c->ops->read_done(c, c->block, buf, status);
        break;
    case STORAGE_WRITE:
        c->ops->write_done(c, c->block, status);
        break;
    default:
        c->ops->erase_done(c, c->block, status);
        break;
    }
    if (!bus_mux_has_turn(bc))
        wipe_buffer(m);
}

static const struct bus_mux_ops storage_bus_ops = { start, recover, finish };

/* The device's completion of the operation on it. */
static void device_done(struct storage_mux *m, vmux_err_t status)
{
    struct bus_client *bc = bus_mux_running(&m->bus);
    bool keep = bc != NULL && (client_of(bc)->flags & STORAGE_HOLD);
    bus_mux_complete(&m->bus, status, keep);
}

static void device_read_done(struct hil_block_client *self, uint32_t block, uint8_t *buf,
                             vmux_err_t status)
{
    (void)block, (void)buf;
    device_done(container_of(self, struct storage_mux, device_client), status);
}

static void device_write_done(struct hil_block_client *self, uint32_t block, const uint8_t *buf,
                              vmux_err_t status)
{
    (void)block, (void)buf;
    device_done(container_of(self, struct storage_mux, device_client), status);
}

static void device_erase_done(struct hil_block_client *self, uint32_t block, vmux_err_t status)
{
    (void)block;
    device_done(container_of(self, struct storage_mux, device_client), status);
}

vmux_err_t storage_mux_init(struct storage_mux *m, struct hil_block *device,
                            struct client_entry **storage, uint32_t *rr_words, unsigned capacity,
                            struct hil_alarm *watchdog, uint32_t timeout_us)
{
    if (device == NULL)
        return VMUX_INVALID;
    memset(m, 0, sizeof *m);
    m->device = device;
    m->device_blocks = hil_block_count(device);
    m->device_client.read_done = device_read_done;
    m->device_client.write_done = device_write_done;
    m->device_client.erase_done = device_erase_done;
    hil_block_set_client(device, &m->device_client);
    return bus_mux_init(&m->bus, &storage_bus_ops, storage, rr_words, capacity, watchdog,
                        timeout_us);
}

static vmux_err_t attach(struct storage_mux *m, struct storage_client *c, client_id_t id,
                         uint32_t first, uint32_t count, const struct storage_client_ops *ops)
{
    if (ops == NULL || !ops->read_done || !ops->write_done || !ops->erase_done)
        return VMUX_INVALID;
    vmux_err_t err = bus_mux_attach(&m->bus, &c->bus, id);
    if (err != VMUX_SUCCESS)
        return err;
    c->ops = ops;
    c->first = first;
    c->count = count;
    return VMUX_SUCCESS;
}

vmux_err_t storage_mux_attach(struct storage_mux *m, struct storage_client *c, client_id_t id,
                              const cap_storage_window_t *cap, uint32_t first, uint32_t count,
                              const struct storage_client_ops *ops)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (count == 0 || first > m->device_blocks || count > m->device_blocks - first)
        return VMUX_INVALID;
    return attach(m, c, id, first, count, ops);
}

vmux_err_t storage_mux_attach_part(struct storage_client *parent, struct storage_client *c,
                                   client_id_t id, uint32_t offset, uint32_t count,
                                   const struct storage_client_ops *ops)
{
    if (!parent->bus.entry.attached)
        return VMUX_OFF;
    if (count == 0 || offset > parent->count || count > parent->count - offset)
        return VMUX_INVALID;
    return attach(mux_of(parent->bus.mux), c, id, parent->first + offset, count, ops);
}

void storage_mux_detach(struct storage_client *c)
{
    bus_mux_detach(&c->bus);
}

static vmux_err_t request(struct storage_client *c, enum storage_op op, uint32_t block,
                          uint8_t *buf, unsigned flags)
{
    if (!c->bus.entry.attached)
        return VMUX_OFF;
    if (block >= c->count) {
        mux_of(c->bus.mux)->counters.outside++;
        return VMUX_INVALID;
    }
    if ((flags & ~STORAGE_HOLD) || (op == STORAGE_WRITE && buf == NULL && c->ops->fill == NULL))
        return VMUX_INVALID;
    if (c->bus.queued)
        return VMUX_BUSY;
    c->op = (uint8_t)op;
    c->flags = (uint8_t)flags;
    c->block = block;
    c->buf = buf;
    return bus_mux_request(&c->bus);
}

vmux_err_t storage_mux_read(struct storage_client *c, uint32_t block, uint8_t *buf,
                            unsigned flags)
{
    return request(c, STORAGE_READ, block, buf, flags);
}

vmux_err_t storage_mux_write(struct storage_client *c, uint32_t block, uint8_t *buf,
                             unsigned flags)
{
    return request(c, STORAGE_WRITE, block, buf, flags);
}

vmux_err_t storage_mux_erase(struct storage_client *c, uint32_t block, unsigned flags)
{
    return request(c, STORAGE_ERASE, block, NULL, flags);
}

void storage_mux_release(struct storage_client *c)
{
    if (!bus_mux_has_turn(&c->bus) || c->bus.queued)
        return;
    bus_mux_end_turn(&c->bus);
    wipe_buffer(mux_of(c->bus.mux));
}
