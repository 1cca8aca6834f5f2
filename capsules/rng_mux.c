#include "capsules/rng_mux.h"

#include <string.h>

#include "kernel/wipe.h"

/* The client in slot i, which is attached: rr_next() and serving name
 * only attached slots (detach clears both). */
static struct rng_mux_client *client_at(struct rng_mux *mux, int i)
{
    return container_of(mux->clients.entries[i], struct rng_mux_client, entry);
}

/* End c's request: it reads the bytes (NULL on failure) during the call;
 * then they are wiped. */
static void finish(struct rng_mux_client *c, const uint8_t *bytes, size_t len, vmux_err_t status)
{
    struct rng_mux *mux = c->mux;
    bool ok = status == VMUX_SUCCESS;
    if (!ok) {
        bytes = NULL;
        len = 0;
    }
    c->want = 0;
    rr_clear_pending(&mux->rr, c->entry.index);
    mux->counters.bytes += (uint32_t)len;
    tally_count(&c->requests, &mux->counters.requests, ok ? TALLY_DELIVERED : TALLY_FAILED, 1);
    c->ops->random_done(c, bytes, len, status);
}

/* Start the next client's fill, round robin, if the source is free. */
static void do_work(struct deferred_call *dc)
{
    struct rng_mux *mux = container_of(dc, struct rng_mux, work);
    while (mux->serving == RNG_MUX_IDLE) {
        int i = rr_next(&mux->rr);
        if (i < 0)
            return;
        struct rng_mux_client *c = client_at(mux, i);
        vmux_err_t err = hil_entropy_fill(mux->source, mux->buf, c->want);
        if (err != VMUX_SUCCESS) {
            finish(c, NULL, 0, err);
            continue;
        }
        mux->serving = i;
        mux->counters.fills++;
        if (mux->watchdog)
            hil_alarm_set(mux->watchdog, hil_alarm_now(mux->watchdog), mux->watchdog_ticks);
    }
}

/* The fill in flight is over (or given up): hand it over, then wipe. */
static void fill_over(struct rng_mux *mux, size_t filled, vmux_err_t status)
{
    int i = mux->serving;
    mux->serving = RNG_MUX_IDLE;
    if (mux->watchdog)
        hil_alarm_disarm(mux->watchdog);
    if (i >= 0)
        finish(client_at(mux, i), mux->buf, filled, status);
    wipe(mux->buf, sizeof mux->buf);
    deferred_call_raise(&mux->work); /* the next request, from the loop */
}

static void fill_done(struct hil_entropy_client *self, uint8_t *buf, size_t filled,
                      vmux_err_t status)
{
    struct rng_mux *mux = container_of(self, struct rng_mux, source_client);
    (void)buf;
    if (mux->serving == RNG_MUX_IDLE) {
        mux->counters.spurious++; /* nothing in flight: a second completion */
        return;
    }
    fill_over(mux, filled, status);
}

static void watchdog_fired(struct hil_alarm_client *self)
{
    struct rng_mux *mux = container_of(self, struct rng_mux, watchdog_client);
    if (mux->serving == RNG_MUX_IDLE ||
        hil_entropy_cancel(mux->source) == VMUX_ALREADY)
        return; /* its fill_done is on its way */
    mux->counters.timeouts++;
    fill_over(mux, 0, VMUX_FAIL);
}

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct rng_mux *mux = container_of(self, struct rng_mux, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&mux->clients, gone, &at)) != NULL)
        rng_mux_detach(container_of(e, struct rng_mux_client, entry));
}

vmux_err_t rng_mux_init(struct rng_mux *mux, struct hil_entropy *source,
                        struct client_entry **client_storage, uint32_t *rr_words,
                        unsigned client_capacity)
{
    if (source == NULL || client_storage == NULL || rr_words == NULL || client_capacity == 0 ||
        client_capacity > UINT16_MAX)
        return VMUX_INVALID;
    memset(mux, 0, sizeof *mux);
    mux->source = source;
    client_table_init(&mux->clients, client_storage, client_capacity);
    rr_init(&mux->rr, rr_words, client_capacity);
    mux->serving = RNG_MUX_IDLE;
    mux->source_client.fill_done = fill_done;
    hil_entropy_set_client(source, &mux->source_client);
    mux->departures.client_gone = client_gone;
    client_observe(&mux->departures);
    return deferred_call_register(&mux->work, do_work);
}

void rng_mux_set_watchdog(struct rng_mux *mux, struct hil_alarm *alarm, uint32_t timeout_us)
{
    mux->watchdog = alarm;
    mux->watchdog_client.fired = watchdog_fired;
    hil_alarm_set_client(alarm, &mux->watchdog_client);
    mux->watchdog_ticks = hil_alarm_timeout_ticks(alarm, timeout_us);
}

vmux_err_t rng_mux_attach(struct rng_mux *mux, struct rng_mux_client *c, client_id_t id,
                          const struct rng_mux_client_ops *ops)
{
    if (c == NULL || ops == NULL || ops->random_done == NULL)
        return VMUX_INVALID;
    vmux_err_t err = client_table_attach(&mux->clients, c, sizeof *c, &c->entry, id);
    if (err == VMUX_SUCCESS) {
        c->mux = mux;
        c->ops = ops;
    }
    return err;
}

void rng_mux_detach(struct rng_mux_client *c)
{
    if (c == NULL || !c->entry.attached)
        return;
    struct rng_mux *mux = c->mux;
    if (c->want)
        tally_count(&c->requests, &mux->counters.requests, TALLY_DEPARTED, 1);
    rr_clear_pending(&mux->rr, c->entry.index);
    /* Its fill completes for nobody: the next client to take this slot
     * must not get those bytes. */
    if (mux->serving == (int)c->entry.index)
        mux->serving = RNG_MUX_GONE;
    client_table_remove(&mux->clients, &c->entry);
    c->want = 0;
}

vmux_err_t rng_mux_get(struct rng_mux_client *c, size_t len)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (len == 0 || len > RNG_MUX_CHUNK)
        return VMUX_SIZE;
    if (c->want)
        return VMUX_BUSY;
    c->want = (uint8_t)len;
    tally_count(&c->requests, &c->mux->counters.requests, TALLY_TAKEN, 1);
    rr_set_pending(&c->mux->rr, c->entry.index);
    deferred_call_raise(&c->mux->work);
    return VMUX_SUCCESS;
}
