/*
 * KV, driver 0x50003 (Tock's): commands 1 get, 2 set, 3 delete, 4 add,
 * 5 update, 6 collect; the key in read-only allow 0, the value in
 * read-only allow 1 (set, add, update) or read-write allow 0 (get);
 * upcall 0 with (StatusCode, value length, 0).
 * Isolated storage, driver 0x50004 (Tock's): commands 1 size, 2 read,
 * 3 write (offset); read-write allow 0 to read into, read-only allow 0
 * to write from; upcalls 0 size, 1 read, 2 write, each (StatusCode,
 * value, 0).
 */
#include "storage.h"

enum {
    KV_GET = 1,
    KV_SET = 2,
    KV_DELETE = 3,
    KV_ADD = 4,
    KV_UPDATE = 5,
    KV_COLLECT = 6,
    KV_UPCALL = 0,
    KV_RO_KEY = 0,
    KV_RO_VALUE = 1,
    KV_RW_VALUE = 0,
    ISO_SIZE = 1,
    ISO_READ = 2,
    ISO_WRITE = 3,
};

static void kv_unshare(void)
{
    vmux_allow_ro(VMUX_DRIVER_KV, KV_RO_KEY, NULL, 0);
    vmux_allow_ro(VMUX_DRIVER_KV, KV_RO_VALUE, NULL, 0);
    vmux_allow_rw(VMUX_DRIVER_KV, KV_RW_VALUE, NULL, 0);
}

/* Share the key (and value), run command, wait for its upcall. */
static int kv_call(uint32_t command, const void *key, size_t key_len, const void *value,
                   size_t len, void *out, size_t cap, struct vmux_upcall_args *done)
{
    int err = key ? vmux_allow_ro_status(VMUX_DRIVER_KV, KV_RO_KEY, key, key_len) : VMUX_OK;
    if (err == VMUX_OK && value)
        err = vmux_allow_ro_status(VMUX_DRIVER_KV, KV_RO_VALUE, value, len);
    if (err == VMUX_OK && out)
        err = vmux_allow_rw_status(VMUX_DRIVER_KV, KV_RW_VALUE, out, cap);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_KV, KV_UPCALL, command, 0, 0, done);
    kv_unshare();
    return err == VMUX_OK ? vmux_upcall_status(done->a0) : err;
}

int vmux_kv_get(const void *key, size_t key_len, void *value, size_t cap, size_t *len)
{
    struct vmux_upcall_args done = { 0, 0, 0 };
    int err = kv_call(KV_GET, key, key_len, NULL, 0, value, cap, &done);
    if (len)
        *len = err == VMUX_OK || err == VMUX_ESIZE ? done.a1 : 0;
    return err;
}

int vmux_kv_set(const void *key, size_t key_len, const void *value, size_t len)
{
    struct vmux_upcall_args done;
    return kv_call(KV_SET, key, key_len, value, len, NULL, 0, &done);
}

int vmux_kv_add(const void *key, size_t key_len, const void *value, size_t len)
{
    struct vmux_upcall_args done;
    return kv_call(KV_ADD, key, key_len, value, len, NULL, 0, &done);
}

int vmux_kv_update(const void *key, size_t key_len, const void *value, size_t len)
{
    struct vmux_upcall_args done;
    return kv_call(KV_UPDATE, key, key_len, value, len, NULL, 0, &done);
}

int vmux_kv_delete(const void *key, size_t key_len)
{
    struct vmux_upcall_args done;
    return kv_call(KV_DELETE, key, key_len, NULL, 0, NULL, 0, &done);
}

int vmux_kv_collect(void)
{
    struct vmux_upcall_args done;
    return kv_call(KV_COLLECT, NULL, 0, NULL, 0, NULL, 0, &done);
}

int vmux_storage_size(uint32_t *bytes)
{
    struct vmux_upcall_args done = { 0, 0, 0 };
    int err = vmux_command_wait(VMUX_DRIVER_ISOLATED_STORAGE, 0, ISO_SIZE, 0, 0, &done);
    if (err == VMUX_OK)
        err = vmux_upcall_status(done.a0);
    if (bytes)
        *bytes = err == VMUX_OK ? done.a1 : 0;
    return err;
}

int vmux_storage_read(uint32_t offset, void *buf, size_t len)
{
    struct vmux_upcall_args done;
    int err = vmux_allow_rw_status(VMUX_DRIVER_ISOLATED_STORAGE, 0, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_ISOLATED_STORAGE, 1, ISO_READ, offset, 0, &done);
    vmux_allow_rw(VMUX_DRIVER_ISOLATED_STORAGE, 0, NULL, 0);
    return err == VMUX_OK ? vmux_upcall_status(done.a0) : err;
}

int vmux_storage_write(uint32_t offset, const void *buf, size_t len)
{
    struct vmux_upcall_args done;
    int err = vmux_allow_ro_status(VMUX_DRIVER_ISOLATED_STORAGE, 0, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_ISOLATED_STORAGE, 2, ISO_WRITE, offset, 0, &done);
    vmux_allow_ro(VMUX_DRIVER_ISOLATED_STORAGE, 0, NULL, 0);
    return err == VMUX_OK ? vmux_upcall_status(done.a0) : err;
}
