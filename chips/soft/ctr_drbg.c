#include "chips/soft/ctr_drbg.h"

#include <string.h>

#include "chips/soft/aes128.h"
#include "kernel/wipe.h"

/* V + 1, as a 128-bit big-endian integer. */
static void increment(uint8_t v[AES_BLOCK_SIZE])
{
    for (int i = AES_BLOCK_SIZE - 1; i >= 0 && ++v[i] == 0; i--)
        ;
}

/* The next len bytes of keystream under s: encryptions of V+1, V+2, ... */
static void keystream(struct ctr_drbg *d, const struct aes128_schedule *s, uint8_t *out,
                      size_t len)
{
    uint8_t block[AES_BLOCK_SIZE];
    for (size_t at = 0; at < len; at += AES_BLOCK_SIZE) {
        increment(d->v);
        aes128_encrypt_block(s, d->v, block);
        size_t n = len - at < AES_BLOCK_SIZE ? len - at : AES_BLOCK_SIZE;
        memcpy(out + at, block, n);
    }
    wipe(block, sizeof block);
}

/* SP 800-90A's update: K and V become 32 bytes of keystream under s (the
 * schedule of the current K), XORed with provided (NULL: zeroes). */
static void update(struct ctr_drbg *d, const struct aes128_schedule *s,
                   const uint8_t provided[CTR_DRBG_SEED_LEN])
{
    uint8_t next[CTR_DRBG_SEED_LEN];
    keystream(d, s, next, sizeof next);
    if (provided)
        for (unsigned i = 0; i < sizeof next; i++)
            next[i] ^= provided[i];
    memcpy(d->key, next, sizeof d->key);
    memcpy(d->v, next + sizeof d->key, sizeof d->v);
    wipe(next, sizeof next);
}

void ctr_drbg_seed(struct ctr_drbg *d, const uint8_t *material, size_t len)
{
    struct aes128_schedule s;
    uint8_t chunk[CTR_DRBG_SEED_LEN];
    do {
        size_t n = len < sizeof chunk ? len : sizeof chunk;
        memset(chunk, 0, sizeof chunk);
        memcpy(chunk, material, n);
        aes128_expand_key(&s, d->key);
        update(d, &s, chunk);
        material += n;
        len -= n;
    } while (len > 0);
    wipe(chunk, sizeof chunk);
    wipe(&s, sizeof s);
    d->seeded = true;
}

static void generate(struct deferred_call *dc)
{
    struct ctr_drbg *d = container_of(dc, struct ctr_drbg, work);
    if (!d->busy)
        return; /* cancelled */
    d->busy = false;
    struct aes128_schedule s;
    aes128_expand_key(&s, d->key);
    keystream(d, &s, d->buf, d->len);
    update(d, &s, NULL); /* a new key: what was just handed out cannot be recomputed */
    wipe(&s, sizeof s);
    d->hil.client->fill_done(d->hil.client, d->buf, d->len, VMUX_SUCCESS);
}

static vmux_err_t fill(struct hil_entropy *h, uint8_t *buf, size_t len)
{
    struct ctr_drbg *d = container_of(h, struct ctr_drbg, hil);
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (!d->seeded || d->hil.client == NULL)
        return VMUX_OFF;
    if (d->busy)
        return VMUX_BUSY;
    d->buf = buf;
    d->len = len;
    d->busy = true;
    deferred_call_raise(&d->work);
    return VMUX_SUCCESS;
}

static vmux_err_t cancel(struct hil_entropy *h)
{
    struct ctr_drbg *d = container_of(h, struct ctr_drbg, hil);
    if (!d->busy)
        return VMUX_ALREADY;
    d->busy = false;
    return VMUX_SUCCESS;
}

static const struct hil_entropy_ops ops = { fill, cancel };

vmux_err_t ctr_drbg_init(struct ctr_drbg *d)
{
    memset(d, 0, sizeof *d);
    d->hil.ops = &ops;
    return deferred_call_register(&d->work, generate);
}
