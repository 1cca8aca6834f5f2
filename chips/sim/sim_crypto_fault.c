#include "chips/sim/sim_crypto_fault.h"

#include <string.h>

static struct sim_crypto_fault *of(struct hil_crypto *c)
{
    return container_of(c, struct sim_crypto_fault, hil);
}

/* Our own completion of the held operation, from the loop. */
static void complete_held(struct sim_crypto_fault *w, vmux_err_t status)
{
    sim_event_cancel(&w->late);
    w->status = status;
    w->done_raised = true;
    deferred_call_raise(&w->done);
}

static void own_done(struct deferred_call *dc)
{
    struct sim_crypto_fault *w = container_of(dc, struct sim_crypto_fault, done);
    if (!w->done_raised)
        return;
    w->done_raised = false;
    w->busy = false;
    w->held = false;
    memset(w->iv, 0, sizeof w->iv);
    if (w->hil.client)
        w->hil.client->crypt_done(w->hil.client, w->in, w->out, w->len, w->status);
}

static void engine_done(struct hil_crypto_client *self, const uint8_t *in, uint8_t *out,
                        size_t len, vmux_err_t status)
{
    struct sim_crypto_fault *w = container_of(self, struct sim_crypto_fault, inner_client);
    enum sim_fault_kind fault = w->applying;
    w->busy = false;
    w->applying = SIM_FAULT_NONE;
    if (fault == SIM_FAULT_CORRUPT && status == VMUX_SUCCESS && len > 0)
        out[len / 2] ^= 0x10;
    unsigned calls = fault == SIM_FAULT_TWICE ? 2 : 1;
    for (unsigned i = 0; i < calls && w->hil.client; i++)
        w->hil.client->crypt_done(w->hil.client, in, out, len, status);
}

/* LATE: the request reaches the engine now. */
static void forward_late(struct sim_event *ev)
{
    struct sim_crypto_fault *w = container_of(ev, struct sim_crypto_fault, late);
    w->held = false;
    vmux_err_t err = hil_crypto_crypt(w->inner, w->slot, w->op, w->has_iv ? w->iv : NULL, w->in,
                                      w->out, w->len);
    memset(w->iv, 0, sizeof w->iv);
    if (err != VMUX_SUCCESS) {
        w->held = true;
        complete_held(w, err);
    }
}

/* Clearing or reloading the slot of a held operation cancels it. */
static void cancel_held_on(struct sim_crypto_fault *w, unsigned slot)
{
    if (w->busy && w->held && !w->done_raised && w->slot == slot)
        complete_held(w, VMUX_CANCEL);
}

static unsigned slot_count(struct hil_crypto *c)
{
    return hil_crypto_slot_count(of(c)->inner);
}

static vmux_err_t load_key(struct hil_crypto *c, unsigned slot, const uint8_t key[AES128_KEY_SIZE])
{
    struct sim_crypto_fault *w = of(c);
    vmux_err_t err = hil_crypto_load_key(w->inner, slot, key);
    if (err == VMUX_SUCCESS)
        cancel_held_on(w, slot);
    return err;
}

static vmux_err_t clear_slot(struct hil_crypto *c, unsigned slot)
{
    struct sim_crypto_fault *w = of(c);
    vmux_err_t err = hil_crypto_clear_slot(w->inner, slot);
    if (err == VMUX_SUCCESS)
        cancel_held_on(w, slot);
    return err;
}

static vmux_err_t crypt(struct hil_crypto *c, unsigned slot, enum hil_crypto_op op,
                        const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len)
{
    struct sim_crypto_fault *w = of(c);
    if (w->busy)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&w->fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&w->fault.fault);
    w->applying = fault;
    w->slot = slot;
    w->op = op;
    w->in = in;
    w->out = out;
    w->len = len;
    w->has_iv = iv != NULL;
    if (iv)
        memcpy(w->iv, iv, sizeof w->iv);
    w->held = fault == SIM_FAULT_ERROR || fault == SIM_FAULT_LATE || fault == SIM_FAULT_NEVER;
    if (!w->held) {
        memset(w->iv, 0, sizeof w->iv);
        vmux_err_t err = hil_crypto_crypt(w->inner, slot, op, iv, in, out, len);
        if (err == VMUX_SUCCESS)
            w->busy = true;
        return err;
    }
    w->busy = true;
    if (fault == SIM_FAULT_ERROR)
        complete_held(w, sim_fault_error(&w->fault.fault));
    else if (fault == SIM_FAULT_LATE)
        sim_event_schedule(&w->late, sim_now_ns() + w->fault.fault.delay_ns, forward_late);
    return VMUX_SUCCESS; /* NEVER: and then nothing */
}

static const struct hil_crypto_ops ops = {
    .slot_count = slot_count,
    .load_key = load_key,
    .clear_slot = clear_slot,
    .crypt = crypt,
};

vmux_err_t sim_crypto_fault_init(struct sim_crypto_fault *w, struct hil_crypto *inner)
{
    memset(w, 0, sizeof *w);
    w->hil.ops = &ops;
    w->inner = inner;
    w->inner_client.crypt_done = engine_done;
    hil_crypto_set_client(inner, &w->inner_client);
    return deferred_call_register(&w->done, own_done);
}

void sim_crypto_fault_inject(struct sim_crypto_fault *w, const struct sim_fault *fault)
{
    sim_fault_arm(&w->fault, fault);
}
