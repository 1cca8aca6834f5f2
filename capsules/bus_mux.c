#include "capsules/bus_mux.h"

#include <string.h>

#define NOBODY (-1)

static struct bus_client *client_at(const struct bus_mux *m, int slot)
{
    struct client_entry *e = slot < 0 ? NULL : client_table_at(&m->clients, (unsigned)slot);
    return e ? container_of(e, struct bus_client, entry) : NULL;
}

/* Between turns: nobody holds the bus, the watchdog rests. */
static void end_turn(struct bus_mux *m)
{
    m->holder = NOBODY;
    m->running = false;
    hil_alarm_disarm(m->watchdog);
    deferred_call_raise(&m->work); /* the next turn, from the loop */
}

/* c's operation is over: its slot in the round robin is free again
 * before its callback, which may queue the next. */
static void finish(struct bus_mux *m, struct bus_client *c, vmux_err_t status)
{
    c->queued = false;
    rr_clear_pending(&m->rr, c->entry.index);
    tally_count(&c->ops, &m->counters.ops, status ? TALLY_FAILED : TALLY_DELIVERED, 1);
    m->ops->finish(c, status);
}

/* Start the holder's next operation, or the next client's turn. */
static void do_work(struct deferred_call *dc)
{
    struct bus_mux *m = container_of(dc, struct bus_mux, work);
    if (m->running)
        return;
    int slot = m->holder;
    if (slot == NOBODY) {
        slot = rr_next(&m->rr);
        if (slot < 0)
            return;
        m->holder = (int16_t)slot;
        m->counters.turns++;
        hil_alarm_set(m->watchdog, hil_alarm_now(m->watchdog), m->timeout_ticks);
    } else if (!rr_is_pending(&m->rr, (unsigned)slot)) {
        return; /* a held turn waits for the holder's next operation */
    }
    struct bus_client *c = client_at(m, slot);
    m->running = true;
    vmux_err_t err = m->ops->start(m, c);
    if (err != VMUX_SUCCESS) {
        m->ops->recover(m, c);
        end_turn(m);
        finish(m, c, err);
    }
}

static void watchdog_fired(struct hil_alarm_client *self)
{
    struct bus_mux *m = container_of(self, struct bus_mux, watchdog_client);
    struct bus_client *c = client_at(m, m->holder);
    if (c == NULL)
        return;
    bool running = m->running;
    m->counters.timeouts++;
    m->ops->recover(m, c);
    end_turn(m);
    if (running) {
        finish(m, c, VMUX_FAIL);
    } else {
        c->cut = true;
        m->counters.cut++;
    }
}

vmux_err_t bus_mux_init(struct bus_mux *m, const struct bus_mux_ops *ops,
                        struct client_entry **storage, uint32_t *rr_words, unsigned capacity,
                        struct hil_alarm *watchdog, uint32_t timeout_us)
{
    if (storage == NULL || rr_words == NULL || watchdog == NULL || capacity == 0 ||
        capacity > INT16_MAX)
        return VMUX_INVALID;
    memset(m, 0, sizeof *m);
    m->ops = ops;
    client_table_init(&m->clients, storage, capacity);
    rr_init(&m->rr, rr_words, capacity);
    m->holder = NOBODY;
    m->watchdog = watchdog;
    m->watchdog_client.fired = watchdog_fired;
    hil_alarm_set_client(watchdog, &m->watchdog_client);
    m->timeout_ticks = hil_alarm_timeout_ticks(watchdog, timeout_us);
    return deferred_call_register(&m->work, do_work);
}

vmux_err_t bus_mux_attach(struct bus_mux *m, struct bus_client *c, client_id_t id)
{
    if (c->entry.attached)
        return VMUX_ALREADY;
    memset(c, 0, sizeof *c);
    c->mux = m;
    return client_table_add(&m->clients, &c->entry, id);
}

void bus_mux_detach(struct bus_client *c)
{
    if (!c->entry.attached)
        return;
    struct bus_mux *m = c->mux;
    if (bus_mux_has_turn(c)) {
        m->ops->recover(m, c); /* the driver lets go of c's buffers */
        end_turn(m);
    }
    rr_clear_pending(&m->rr, c->entry.index);
    if (c->queued)
        tally_count(&c->ops, &m->counters.ops, TALLY_DEPARTED, 1);
    c->queued = false;
    client_table_remove(&m->clients, &c->entry);
}

vmux_err_t bus_mux_request(struct bus_client *c)
{
    if (!c->entry.attached)
        return VMUX_OFF;
    if (c->queued)
        return VMUX_BUSY;
    if (c->cut) {
        c->cut = false;
        return VMUX_CANCEL;
    }
    struct bus_mux *m = c->mux;
    c->queued = true;
    tally_count(&c->ops, &m->counters.ops, TALLY_TAKEN, 1);
    rr_set_pending(&m->rr, c->entry.index);
    deferred_call_raise(&m->work);
    return VMUX_SUCCESS;
}

struct bus_client *bus_mux_running(const struct bus_mux *m)
{
    return m->running ? client_at(m, m->holder) : NULL;
}

bool bus_mux_has_turn(const struct bus_client *c)
{
    return c->entry.attached && c->mux->holder == (int)c->entry.index;
}

bool bus_mux_complete(struct bus_mux *m, vmux_err_t status, bool keep)
{
    struct bus_client *c = bus_mux_running(m);
    if (c == NULL) {
        m->counters.spurious++;
        return false;
    }
    m->running = false;
    if (keep && status == VMUX_SUCCESS)
        deferred_call_raise(&m->work); /* the holder's next, when it comes */
    else
        end_turn(m);
    finish(m, c, status);
    return true;
}

void bus_mux_end_turn(struct bus_client *c)
{
    if (bus_mux_has_turn(c) && !c->mux->running)
        end_turn(c->mux);
}
