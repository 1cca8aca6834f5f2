#include "capsules/drivers/kv_driver.h"

#include "capsules/drivers/driver_common.h"
#include "kernel/wipe.h"

/* A process's use of the store, in its grant. */
struct kv_grant {
    struct driver_owner owner;        /* first: see driver_grant_init */
    struct kv_client kv;              /* attached on its first request */
    struct storage_permissions perms; /* the board's, when it attached */
    uint8_t key[KV_KEY_MAX];
    uint8_t value[KV_VALUE_MAX];
};

static struct kv_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct kv_driver, driver);
}

static void done(struct kv_client *c, enum kv_op op, vmux_err_t status, const uint8_t *value,
                 size_t value_len)
{
    struct kv_grant *s = container_of(c, struct kv_grant, kv);
    struct process *p = driver_owner_process(&s->owner);
    uint32_t length = 0;
    if (op == KV_GET && status == VMUX_SUCCESS && p) {
        size_t have;
        size_t n = driver_copy_out(p, s->owner.driver, KV_ALLOW_RW_VALUE, 0, value, value_len,
                                   &have);
        length = (uint32_t)value_len;
        if (have == 0 && value_len > 0) {
            status = VMUX_RESERVE;
        } else if (n < value_len) {
            status = VMUX_SIZE;
            driver_of(s->owner.driver)->counters.truncated++;
        }
    }
    wipe(s->key, sizeof s->key);
    wipe(s->value, sizeof s->value);
    driver_owner_upcall(&s->owner, KV_UPCALL_DONE, driver_statuscode(status), length, 0);
}

static const struct kv_client_ops kv_ops = { done };

static struct syscall_return command(const struct syscall_driver *dr, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct kv_driver *d = driver_of(dr);
    struct kv_grant *s = state;
    (void)arg1, (void)arg2;
    if (cmd < KV_GET || cmd > KV_GC)
        return syscall_failure(VMUX_NOSUPPORT);
    if (s->kv.queued)
        return syscall_failure(VMUX_BUSY);
    if (!s->kv.entry.attached) {
        struct storage_identity id = { 0 };
        if (!d->identify || !d->identify(p, &id) || !id.has_permissions) {
            d->counters.no_permissions++;
            return syscall_failure(VMUX_INVALID);
        }
        s->perms = id.perms;
        vmux_err_t err = kv_store_attach(d->kv, &s->kv, s->owner.id, &s->perms, &kv_ops);
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    size_t key_len = 0, value_len = 0;
    bool with_value = cmd == KV_SET || cmd == KV_ADD || cmd == KV_UPDATE;
    if (cmd != KV_GC) {
        process_allowed_ro(p, dr, KV_ALLOW_RO_KEY, &key_len);
        if (with_value)
            process_allowed_ro(p, dr, KV_ALLOW_RO_VALUE, &value_len);
        if (key_len == 0 || key_len > KV_KEY_MAX || value_len > KV_VALUE_MAX) {
            d->counters.too_long++;
            return syscall_failure(VMUX_SIZE);
        }
        driver_copy_in(p, dr, KV_ALLOW_RO_KEY, 0, s->key, key_len, NULL);
        if (value_len)
            driver_copy_in(p, dr, KV_ALLOW_RO_VALUE, 0, s->value, value_len, NULL);
    }
    vmux_err_t err = kv_store_request(&s->kv, (enum kv_op)cmd, s->key, key_len, s->value,
                                      value_len);
    if (err != VMUX_SUCCESS) {
        wipe(s->key, sizeof s->key);
        wipe(s->value, sizeof s->value);
    }
    return syscall_status(err);
}

static void process_ended(const struct syscall_driver *dr, struct process *p, void *state)
{
    struct kv_grant *s = state;
    (void)dr, (void)p;
    kv_store_detach(&s->kv);
    wipe(s->key, sizeof s->key);
    wipe(s->value, sizeof s->value);
}

void kv_driver_init(struct kv_driver *d, struct kv_store *kv, storage_identify_fn identify)
{
    d->kv = kv;
    d->identify = identify;
    d->driver = (struct syscall_driver){
        .number = KV_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 1,
        .allow_ro_count = 2,
        .state_size = sizeof(struct kv_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
