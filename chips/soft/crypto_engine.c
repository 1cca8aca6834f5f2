#include "chips/soft/crypto_engine.h"

#include <string.h>

#include "kernel/wipe.h"

static struct crypto_engine *engine_of(struct hil_crypto *c)
{
    return container_of(c, struct crypto_engine, hil);
}

/* Count a rejection by its reason and hand the code back. */
static vmux_err_t reject(struct crypto_engine *e, vmux_err_t err)
{
    switch (err) {
    case VMUX_INVALID: e->counters.rejected_invalid++; break;
    case VMUX_SIZE:    e->counters.rejected_size++; break;
    case VMUX_OFF:     e->counters.rejected_off++; break;
    case VMUX_BUSY:    e->counters.rejected_busy++; break;
    case VMUX_RESERVE: e->counters.rejected_reserve++; break;
    default: break;
    }
    return err;
}

static void xor_bytes(uint8_t *dst, const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (uint8_t)(a[i] ^ b[i]);
}

/* Add one to the counter block as a 128-bit big-endian integer. */
static void increment_counter(uint8_t counter[AES_BLOCK_SIZE])
{
    for (unsigned i = AES_BLOCK_SIZE; i-- > 0;)
        if (++counter[i] != 0)
            break;
}

/*
 * The modes, a block at a time: x is the input block (the last one of CTR
 * may be short), kept because out may overwrite in; y is the block cipher's
 * output. CBC's chain starts as the iv and ends as the last ciphertext
 * block; CTR's counter is the iv, incremented after each block.
 */
static void compute(struct crypto_engine *e, struct crypto_engine_request *r)
{
    const struct aes128_schedule *s = &e->slots[r->slot].reg.schedule;
    enum hil_crypto_op op = r->op;
    uint8_t *chain = r->iv;
    uint8_t x[AES_BLOCK_SIZE], y[AES_BLOCK_SIZE];
    for (size_t at = 0; at < r->len; at += AES_BLOCK_SIZE) {
        size_t n = r->len - at < AES_BLOCK_SIZE ? r->len - at : AES_BLOCK_SIZE;
        memcpy(x, r->in + at, n);
        if (op == CRYPTO_CBC_ENCRYPT)
            xor_bytes(x, x, chain, AES_BLOCK_SIZE);
        if (op == CRYPTO_ECB_DECRYPT || op == CRYPTO_CBC_DECRYPT)
            aes128_decrypt_block(s, x, y);
        else
            aes128_encrypt_block(s, op == CRYPTO_CTR ? chain : x, y);
        if (op == CRYPTO_CBC_DECRYPT)
            xor_bytes(y, y, chain, AES_BLOCK_SIZE);
        else if (op == CRYPTO_CTR)
            xor_bytes(y, y, x, n);
        memcpy(r->out + at, y, n);
        if (op == CRYPTO_CBC_ENCRYPT)
            memcpy(chain, y, AES_BLOCK_SIZE);
        else if (op == CRYPTO_CBC_DECRYPT)
            memcpy(chain, x, AES_BLOCK_SIZE);
        else if (op == CRYPTO_CTR)
            increment_counter(chain);
    }
    wipe(x, sizeof x);
    wipe(y, sizeof y);
}

/*
 * The engine's deferred call, where a hardware engine would raise its
 * "done" interrupt: compute the request, then complete it.
 */
static void bottom_half(struct deferred_call *dc)
{
    struct crypto_engine *e = container_of(dc, struct crypto_engine, work);
    struct crypto_engine_request *r = &e->request;
    if (!r->busy)
        return;

    vmux_err_t status;
    if (r->cancelled) {
        status = VMUX_CANCEL;
        e->counters.cancelled++;
    } else {
        compute(e, r);
        status = VMUX_SUCCESS;
        e->counters.completed++;
        e->counters.bytes += (uint32_t)r->len;
    }

    /* Forget the request before the callback, so the client may start
     * the next one from inside it. The wipe also clears the chaining or
     * counter block that the modes left in r->iv. */
    const uint8_t *in = r->in;
    uint8_t *out = r->out;
    size_t len = r->len;
    wipe(r, sizeof *r);
    if (e->hil.client != NULL)
        e->hil.client->crypt_done(e->hil.client, in, out, len, status);
}

/* An operation in flight on this slot must not run with another key. */
static void cancel_if_in_flight(struct crypto_engine *e, unsigned slot)
{
    if (e->request.busy && e->request.slot == slot)
        e->request.cancelled = true;
}

static unsigned slot_count(struct hil_crypto *c)
{
    return engine_of(c)->slot_count;
}

static vmux_err_t load_key(struct hil_crypto *c, unsigned slot,
                           const uint8_t key[AES128_KEY_SIZE])
{
    struct crypto_engine *e = engine_of(c);
    if (slot >= e->slot_count || key == NULL)
        return reject(e, VMUX_INVALID);

    cancel_if_in_flight(e, slot);
    struct crypto_engine_slot *sl = &e->slots[slot];
    memcpy(sl->reg.key, key, AES128_KEY_SIZE);
    aes128_expand_key(&sl->reg.schedule, sl->reg.key);
    sl->loaded = true;
    return VMUX_SUCCESS;
}

static vmux_err_t clear_slot(struct hil_crypto *c, unsigned slot)
{
    struct crypto_engine *e = engine_of(c);
    if (slot >= e->slot_count)
        return reject(e, VMUX_INVALID);

    cancel_if_in_flight(e, slot);
    wipe(&e->slots[slot], sizeof e->slots[slot]);
    e->slots[slot].loaded = false;
    return VMUX_SUCCESS;
}

static bool needs_iv(enum hil_crypto_op op)
{
    return op == CRYPTO_CBC_ENCRYPT || op == CRYPTO_CBC_DECRYPT || op == CRYPTO_CTR;
}

static bool is_op(enum hil_crypto_op op)
{
    switch (op) {
    case CRYPTO_ECB_ENCRYPT:
    case CRYPTO_ECB_DECRYPT:
    case CRYPTO_CBC_ENCRYPT:
    case CRYPTO_CBC_DECRYPT:
    case CRYPTO_CTR:
        return true;
    }
    return false;
}

static vmux_err_t crypt_start(struct hil_crypto *c, unsigned slot, enum hil_crypto_op op,
                              const uint8_t *iv, const uint8_t *in, uint8_t *out,
                              size_t len)
{
    struct crypto_engine *e = engine_of(c);
    if (slot >= e->slot_count || in == NULL || out == NULL || !is_op(op))
        return reject(e, VMUX_INVALID);
    if (needs_iv(op) && iv == NULL)
        return reject(e, VMUX_INVALID);
    if (len == 0 || (op != CRYPTO_CTR && len % AES_BLOCK_SIZE != 0))
        return reject(e, VMUX_SIZE);
    if (c->client == NULL)
        return reject(e, VMUX_OFF);
    if (e->request.busy)
        return reject(e, VMUX_BUSY);
    if (!e->slots[slot].loaded)
        return reject(e, VMUX_RESERVE);

    struct crypto_engine_request *r = &e->request;
    r->busy = true;
    r->cancelled = false;
    r->slot = slot;
    r->op = op;
    if (needs_iv(op))
        memcpy(r->iv, iv, AES_BLOCK_SIZE);
    else
        memset(r->iv, 0, AES_BLOCK_SIZE);
    r->in = in;
    r->out = out;
    r->len = len;
    deferred_call_raise(&e->work);
    return VMUX_SUCCESS;
}

static const struct hil_crypto_ops engine_ops = {
    .slot_count = slot_count,
    .load_key = load_key,
    .clear_slot = clear_slot,
    .crypt = crypt_start,
};

vmux_err_t crypto_engine_init(struct crypto_engine *e, struct crypto_engine_slot *slots,
                              unsigned k)
{
    if (e == NULL || slots == NULL || k == 0)
        return VMUX_INVALID;
    e->hil.ops = &engine_ops;
    e->hil.client = NULL;
    e->slots = slots;
    e->slot_count = k;
    wipe(slots, sizeof *slots * k);
    wipe(&e->request, sizeof e->request);
    memset(&e->counters, 0, sizeof e->counters);
    /* work is left as it is: registering it again keeps its place. */
    return deferred_call_register(&e->work, bottom_half);
}

const uint8_t *crypto_engine_slot_register(const struct crypto_engine *e, unsigned slot,
                                           size_t *len)
{
    if (slot >= e->slot_count) {
        *len = 0;
        return NULL;
    }
    *len = sizeof e->slots[slot].reg;
    return (const uint8_t *)&e->slots[slot].reg;
}
