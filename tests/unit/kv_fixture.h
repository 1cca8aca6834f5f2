/*
 * A key-value store on the storage fixture (storage_fixture.h), with
 * clients that make one request at a time and remember how it ended;
 * shared by the store's unit tests, its crash test, its fuzzer and its
 * benchmark.
 */
#ifndef VMUX_TESTS_UNIT_KV_FIXTURE_H
#define VMUX_TESTS_UNIT_KV_FIXTURE_H

#include "capsules/storage/kv_store.h"
#include "tests/unit/storage_fixture.h"

#ifndef KF_INDEX
#define KF_INDEX 1024u  /* a power of two */
#endif
#define KF_OWNERS 8u
#define KF_CLIENTS 6u

struct kv_probe {
    struct kv_client c;
    struct storage_permissions perms;
    unsigned done;
    enum kv_op op;
    vmux_err_t status;
    uint8_t value[KV_VALUE_MAX];
    size_t value_len;
};

struct kv_fixture {
    struct storage_fixture sf;
    struct kv_store kv;
    struct kv_entry index[KF_INDEX];
    struct kv_owner owners[KF_OWNERS];
    uint8_t block_state[SF_DEVICE_BLOCKS];
    struct client_entry *slots[KF_CLIENTS];
    uint32_t rr_bits[RR_WORDS(KF_CLIENTS)];
    struct kv_probe probes[KF_CLIENTS];
};

static inline void kf_done(struct kv_client *c, enum kv_op op, vmux_err_t status,
                           const uint8_t *value, size_t value_len)
{
    struct kv_probe *p = container_of(c, struct kv_probe, c);
    p->done++;
    p->op = op;
    p->status = status;
    p->value_len = value_len;
    if (value_len)
        memcpy(p->value, value, value_len);
}

static const struct kv_client_ops kf_ops = { kf_done };

/* Boot (erase: a blank medium) and start mounting a store of `blocks`
 * blocks at block 0 with default quota `quota`. */
static inline bool kf_boot(struct kv_fixture *f, bool erase, uint32_t blocks, uint32_t quota,
                           unsigned index_capacity)
{
    if (!sf_boot(&f->sf, erase))
        return false;
    struct kv_config cfg = { f->index,       index_capacity, f->owners, KF_OWNERS,
                             f->block_state, quota,          f->slots,  f->rr_bits,
                             KF_CLIENTS };
    return kv_store_init(&f->kv, &f->sf.mux, client_make(CLIENT_KERNEL, 1, 0),
                         test_board_cap_storage_window(), 0, blocks, &cfg) == VMUX_SUCCESS;
}

static inline bool kf_is_mounted(void *ctx)
{
    return kv_store_mounted(&((struct kv_fixture *)ctx)->kv);
}

static inline bool kf_mount(struct kv_fixture *f)
{
    kv_store_mount(&f->kv);
    return sf_run_until(&f->sf, kf_is_mounted, f);
}

/* Client i, a process in slot i, with permissions: write id w (0: none),
 * reading and modifying the ids listed (terminated by 0). */
static inline bool kf_attach(struct kv_fixture *f, unsigned i, uint32_t w, const uint32_t *read,
                             const uint32_t *modify)
{
    struct kv_probe *p = &f->probes[i];
    memset(p, 0, sizeof *p);
    p->perms.write_id = w;
    for (; read && *read && p->perms.read_count < STORAGE_IDS_MAX; read++)
        p->perms.read_ids[p->perms.read_count++] = *read;
    for (; modify && *modify && p->perms.modify_count < STORAGE_IDS_MAX; modify++)
        p->perms.modify_ids[p->perms.modify_count++] = *modify;
    return kv_store_attach(&f->kv, &p->c, client_process(i, 1), &p->perms, &kf_ops) ==
           VMUX_SUCCESS;
}

struct kf_wait {
    struct kv_probe *p;
    unsigned target;
};

static inline bool kf_probe_done(void *ctx)
{
    struct kf_wait *w = ctx;
    return w->p->done >= w->target;
}

/* Request and wait for its end; the status it ended with (or the
 * request's own refusal; FAIL when it never ended). */
static inline vmux_err_t kf_call(struct kv_fixture *f, unsigned i, enum kv_op op, const char *key,
                                 const void *value, size_t value_len)
{
    struct kv_probe *p = &f->probes[i];
    struct kf_wait w = { p, p->done + 1 };
    vmux_err_t err = kv_store_request(&p->c, op, (const uint8_t *)key, key ? strlen(key) : 0,
                                      value, value_len);
    if (err != VMUX_SUCCESS)
        return err;
    if (!sf_run_until(&f->sf, kf_probe_done, &w))
        return VMUX_FAIL;
    return p->status;
}

static inline vmux_err_t kf_set(struct kv_fixture *f, unsigned i, const char *key, const char *value)
{
    return kf_call(f, i, KV_SET, key, value, strlen(value));
}

/* Get into the probe; SUCCESS and the value as a string compared. */
static inline bool kf_get_is(struct kv_fixture *f, unsigned i, const char *key, const char *value)
{
    struct kv_probe *p = &f->probes[i];
    return kf_call(f, i, KV_GET, key, NULL, 0) == VMUX_SUCCESS &&
           p->value_len == strlen(value) && memcmp(p->value, value, p->value_len) == 0;
}

static inline uint32_t kf_used(struct kv_fixture *f, uint32_t id)
{
    struct kv_owner o;
    for (unsigned i = 0; i < KF_OWNERS; i++)
        if (kv_store_owner(&f->kv, i, &o) && o.id == id)
            return o.used;
    return 0;
}

#endif
