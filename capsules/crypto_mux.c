#include "capsules/crypto_mux.h"

#include <string.h>

#include "kernel/wipe.h"

#define GENERATION_MASK 0xffffffu
#define RUNNING_NONE (-1)   /* the engine is idle */
#define RUNNING_GONE (-2)   /* it works for a client that has detached */

static struct crypto_mux_client *client_of(struct client_entry *e)
{
    return e ? container_of(e, struct crypto_mux_client, entry) : NULL;
}

static unsigned handle_slot(crypto_handle_t h) { return h & 0xffu; }
static uint32_t handle_generation(crypto_handle_t h) { return h >> 8; }

/* Does c hold the reservation h names right now? */
static vmux_err_t check_holder(struct crypto_mux_client *c, crypto_handle_t h)
{
    struct crypto_mux *mux = c->mux;
    if (h == 0 || handle_slot(h) >= mux->slot_count)
        return VMUX_INVALID;
    struct crypto_key_slot *s = &mux->slots[handle_slot(h)];
    if (!client_same(s->holder, c->entry.id) || s->generation != handle_generation(h)) {
        mux->counters.not_holder++;
        return VMUX_RESERVE;
    }
    return VMUX_SUCCESS;
}

/* Clear the register in the engine, then make the slot reservable. */
static void free_slot(struct crypto_mux *mux, unsigned slot)
{
    hil_crypto_clear_slot(mux->engine, slot);
    mux->slots[slot].holder = client_none();
    mux->slots[slot].generation = 0;
}

static void finish(struct crypto_mux_client *c, vmux_err_t status)
{
    const uint8_t *in = c->in;
    uint8_t *out = c->out;
    size_t len = c->len;
    c->queued = false;
    c->in = NULL;
    c->out = NULL;
    wipe(c->iv, sizeof c->iv);
    rr_clear_pending(&c->mux->op_rr, c->entry.index);
    tally_count(&c->operations, &c->mux->counters.ops,
                status == VMUX_SUCCESS ? TALLY_DELIVERED : TALLY_FAILED, 1);
    c->ops->crypt_done(c, in, out, len, status);
}

/* Start the next queued operation, round robin, if the engine is free. */
static void start_next(struct crypto_mux *mux)
{
    while (mux->running == RUNNING_NONE) {
        int i = rr_next(&mux->op_rr);
        if (i < 0)
            return;
        struct crypto_mux_client *c = client_of(client_table_at(&mux->clients, (unsigned)i));
        /* The slot may have been released since the operation was queued. */
        if (check_holder(c, c->op_handle) != VMUX_SUCCESS) {
            finish(c, VMUX_CANCEL);
            continue;
        }
        vmux_err_t err = hil_crypto_crypt(mux->engine, handle_slot(c->op_handle), c->op,
                                          c->iv, c->in, c->out, c->len);
        if (err == VMUX_SUCCESS) {
            mux->running = i;
            mux->running_slot = handle_slot(c->op_handle);
            mux->timed_out = 0;
            mux->counters.operations++;
            if (mux->watchdog)
                hil_alarm_set(mux->watchdog, hil_alarm_now(mux->watchdog), mux->watchdog_ticks);
            return;
        }
        finish(c, err);
    }
}

static void do_work(struct deferred_call *dc)
{
    start_next(container_of(dc, struct crypto_mux, work));
}

static void engine_done(struct hil_crypto_client *self, const uint8_t *in, uint8_t *out,
                        size_t len, vmux_err_t status)
{
    struct crypto_mux *mux = container_of(self, struct crypto_mux, engine_client);
    (void)in;
    (void)out;
    (void)len;
    int i = mux->running;
    if (i == RUNNING_NONE) {
        mux->counters.spurious++; /* nothing runs: a second completion */
        return;
    }
    mux->running = RUNNING_NONE;
    if (mux->watchdog)
        hil_alarm_disarm(mux->watchdog);
    if (mux->timed_out)
        status = VMUX_FAIL;
    /* RUNNING_GONE: the client detached meanwhile; nobody's to finish */
    struct client_entry *e = i >= 0 ? client_table_at(&mux->clients, (unsigned)i) : NULL;
    if (e != NULL && client_of(e)->queued)
        finish(client_of(e), status);
    deferred_call_raise(&mux->work); /* the next operation, from the loop */
}

/* The running operation has taken longer than the timeout. */
static void watchdog_fired(struct hil_alarm_client *self)
{
    struct crypto_mux *mux = container_of(self, struct crypto_mux, watchdog_client);
    if (mux->running == RUNNING_NONE)
        return; /* RUNNING_GONE still holds the engine: time it out too */
    if (mux->timed_out == 0) {
        mux->timed_out = 1;
        mux->counters.timeouts++;
        hil_alarm_set(mux->watchdog, hil_alarm_now(mux->watchdog), mux->watchdog_ticks);
        hil_crypto_clear_slot(mux->engine, mux->running_slot); /* crypt_done(CANCEL) follows */
        return;
    }
    mux->timed_out = 2; /* not even that: give it up */
    engine_done(&mux->engine_client, NULL, NULL, 0, VMUX_FAIL);
}

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct crypto_mux *mux = container_of(self, struct crypto_mux, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&mux->clients, gone, &at)) != NULL) {
        crypto_mux_detach(client_of(e));
        mux->counters.released_by_departure++;
    }
}

vmux_err_t crypto_mux_init(struct crypto_mux *mux, struct hil_crypto *engine,
                           struct client_entry **client_storage, uint32_t *rr_words,
                           unsigned client_capacity)
{
    unsigned k = hil_crypto_slot_count(engine);
    if (k == 0 || k > CRYPTO_MUX_SLOTS_MAX || client_storage == NULL || client_capacity == 0 ||
        client_capacity > UINT16_MAX)
        return VMUX_INVALID;
    memset(mux, 0, sizeof *mux);
    mux->engine = engine;
    mux->slot_count = k;
    client_table_init(&mux->clients, client_storage, client_capacity);
    rr_init(&mux->op_rr, rr_words, client_capacity);
    mux->running = RUNNING_NONE;
    mux->engine_client.crypt_done = engine_done;
    hil_crypto_set_client(engine, &mux->engine_client);
    for (unsigned s = 0; s < k; s++)
        free_slot(mux, s);
    deferred_call_register(&mux->work, do_work);
    mux->departures.client_gone = client_gone;
    client_observe(&mux->departures);
    return VMUX_SUCCESS;
}

vmux_err_t crypto_mux_attach(struct crypto_mux *mux, struct crypto_mux_client *c,
                             client_id_t id, const struct crypto_mux_client_ops *ops)
{
    if (c == NULL || ops == NULL || ops->crypt_done == NULL)
        return VMUX_INVALID;
    vmux_err_t err = client_table_attach(&mux->clients, c, sizeof *c, &c->entry, id);
    if (err == VMUX_SUCCESS) {
        c->mux = mux;
        c->ops = ops;
    }
    return err;
}

void crypto_mux_detach(struct crypto_mux_client *c)
{
    if (c == NULL || !c->entry.attached)
        return;
    struct crypto_mux *mux = c->mux;
    /* Clearing a slot also cancels the engine's operation on it. */
    for (unsigned s = 0; s < mux->slot_count; s++)
        if (client_same(mux->slots[s].holder, c->entry.id))
            free_slot(mux, s);
    rr_clear_pending(&mux->op_rr, c->entry.index);
    /* The engine's completion of its (now cancelled) operation is not for
     * the next client to take this place in the table. */
    if (mux->running == (int)c->entry.index)
        mux->running = RUNNING_GONE;
    client_table_remove(&mux->clients, &c->entry);
    wipe(c->iv, sizeof c->iv);
    if (c->queued)
        tally_count(&c->operations, &mux->counters.ops, TALLY_DEPARTED, 1);
    c->queued = false;
}

vmux_err_t crypto_mux_reserve(struct crypto_mux_client *c, crypto_handle_t *out)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (out == NULL)
        return VMUX_INVALID;
    struct crypto_mux *mux = c->mux;
    for (unsigned s = 0; s < mux->slot_count; s++) {
        if (!client_is_none(mux->slots[s].holder))
            continue;
        mux->next_generation = (mux->next_generation + 1) & GENERATION_MASK;
        if (mux->next_generation == 0)
            mux->next_generation = 1;
        mux->slots[s].holder = c->entry.id;
        mux->slots[s].generation = mux->next_generation;
        *out = (crypto_handle_t)s | (mux->next_generation << 8);
        mux->counters.reservations++;
        return VMUX_SUCCESS;
    }
    mux->counters.reservations_refused++;
    return VMUX_NOMEM;
}

vmux_err_t crypto_mux_release(struct crypto_mux_client *c, crypto_handle_t h)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    vmux_err_t err = check_holder(c, h);
    if (err != VMUX_SUCCESS)
        return err;
    free_slot(c->mux, handle_slot(h));
    if (c->queued && c->op_handle == h && c->mux->running != (int)c->entry.index)
        deferred_call_raise(&c->mux->work); /* its queued operation is cancelled */
    return VMUX_SUCCESS;
}

vmux_err_t crypto_mux_load_key(struct crypto_mux_client *c, crypto_handle_t h,
                               const uint8_t key[AES128_KEY_SIZE])
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (key == NULL)
        return VMUX_INVALID;
    vmux_err_t err = check_holder(c, h);
    if (err != VMUX_SUCCESS)
        return err;
    return hil_crypto_load_key(c->mux->engine, handle_slot(h), key);
}

static bool mode_needs_iv(enum hil_crypto_op op)
{
    return op == CRYPTO_CBC_ENCRYPT || op == CRYPTO_CBC_DECRYPT || op == CRYPTO_CTR;
}

static bool mode_needs_blocks(enum hil_crypto_op op)
{
    return op != CRYPTO_CTR;
}

vmux_err_t crypto_mux_crypt(struct crypto_mux_client *c, crypto_handle_t h,
                            enum hil_crypto_op op, const uint8_t *iv,
                            const uint8_t *in, uint8_t *out, size_t len)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (in == NULL || out == NULL || op > CRYPTO_CTR || (mode_needs_iv(op) && iv == NULL))
        return VMUX_INVALID;
    if (len == 0 || (mode_needs_blocks(op) && len % AES_BLOCK_SIZE != 0))
        return VMUX_SIZE;
    vmux_err_t err = check_holder(c, h);
    if (err != VMUX_SUCCESS)
        return err;
    if (c->queued)
        return VMUX_BUSY;
    c->queued = true;
    c->op_handle = h;
    c->op = op;
    if (iv)
        memcpy(c->iv, iv, AES_BLOCK_SIZE);
    c->in = in;
    c->out = out;
    c->len = len;
    tally_count(&c->operations, &c->mux->counters.ops, TALLY_TAKEN, 1);
    rr_set_pending(&c->mux->op_rr, c->entry.index);
    deferred_call_raise(&c->mux->work);
    return VMUX_SUCCESS;
}

void crypto_mux_set_watchdog(struct crypto_mux *mux, struct hil_alarm *alarm,
                             uint32_t timeout_us)
{
    mux->watchdog = alarm;
    mux->watchdog_client.fired = watchdog_fired;
    hil_alarm_set_client(alarm, &mux->watchdog_client);
    mux->watchdog_ticks = hil_alarm_timeout_ticks(alarm, timeout_us);
}

unsigned crypto_mux_reserved_count(const struct crypto_mux *mux)
{
    unsigned n = 0;
    for (unsigned s = 0; s < mux->slot_count; s++)
        if (!client_is_none(mux->slots[s].holder))
            n++;
    return n;
}
