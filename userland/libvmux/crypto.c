/*
 * Crypto, driver 0x40100 (vmux's): command 1 reserve (Success with the
 * handle), 2 load key (handle; the key in read-only allow 0), 3 crypt
 * (op, handle; input in read-only allow 1, iv in read-only allow 2,
 * output into read-write allow 0), 4 release (handle); upcall 0 when a
 * crypt is done, with (StatusCode, output length, 0).
 */
#include "crypto.h"

#include "syscall.h"

enum {
    CMD_RESERVE = 1,
    CMD_LOAD_KEY = 2,
    CMD_CRYPT = 3,
    CMD_RELEASE = 4,
    UPCALL_DONE = 0,
    ALLOW_RO_KEY = 0,
    ALLOW_RO_IN = 1,
    ALLOW_RO_IV = 2,
    ALLOW_RW_OUT = 0,
};

int vmux_crypto_reserve(uint32_t *handle)
{
    return vmux_result_u32(vmux_command(VMUX_DRIVER_CRYPTO, CMD_RESERVE, 0, 0), handle);
}

int vmux_crypto_load_key(uint32_t handle, const uint8_t key[VMUX_CRYPTO_KEY_SIZE])
{
    int err = vmux_allow_ro_status(VMUX_DRIVER_CRYPTO, ALLOW_RO_KEY, key, VMUX_CRYPTO_KEY_SIZE);
    if (err == VMUX_OK)
        err = vmux_command_status(VMUX_DRIVER_CRYPTO, CMD_LOAD_KEY, handle, 0);
    vmux_allow_ro(VMUX_DRIVER_CRYPTO, ALLOW_RO_KEY, NULL, 0);
    return err;
}

int vmux_crypto_release(uint32_t handle)
{
    return vmux_command_status(VMUX_DRIVER_CRYPTO, CMD_RELEASE, handle, 0);
}

static int share_buffers(const uint8_t *iv, const void *in, void *out, size_t len)
{
    int err = vmux_allow_ro_status(VMUX_DRIVER_CRYPTO, ALLOW_RO_IN, in, len);
    if (err == VMUX_OK)
        err = vmux_allow_ro_status(VMUX_DRIVER_CRYPTO, ALLOW_RO_IV, iv,
                                   iv ? VMUX_CRYPTO_BLOCK_SIZE : 0);
    if (err == VMUX_OK)
        err = vmux_allow_rw_status(VMUX_DRIVER_CRYPTO, ALLOW_RW_OUT, out, len);
    return err;
}

static void unshare_buffers(void)
{
    vmux_allow_ro(VMUX_DRIVER_CRYPTO, ALLOW_RO_IN, NULL, 0);
    vmux_allow_ro(VMUX_DRIVER_CRYPTO, ALLOW_RO_IV, NULL, 0);
    vmux_allow_rw(VMUX_DRIVER_CRYPTO, ALLOW_RW_OUT, NULL, 0);
}

int vmux_crypto_crypt(uint32_t handle, enum vmux_crypto_op op, const uint8_t *iv,
                      const void *in, void *out, size_t len, size_t *out_len)
{
    struct vmux_upcall_args done;
    int err = share_buffers(iv, in, out, len);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_CRYPTO, UPCALL_DONE, CMD_CRYPT, (uint32_t)op, handle,
                                &done);
    unshare_buffers();
    if (out_len)
        *out_len = err == VMUX_OK && done.a1 <= len ? done.a1 : 0;
    return err == VMUX_OK ? vmux_upcall_status(done.a0) : err;
}

static struct vmux_pending_op pending = { NULL, NULL, unshare_buffers };

int vmux_crypto_crypt_async(uint32_t handle, enum vmux_crypto_op op, const uint8_t *iv,
                            const void *in, void *out, size_t len, vmux_crypto_cb cb, void *ctx)
{
    pending.cb = cb;
    pending.ctx = ctx;
    int err = share_buffers(iv, in, out, len);
    if (err == VMUX_OK)
        err = vmux_command_async(VMUX_DRIVER_CRYPTO, UPCALL_DONE, vmux_status_len_upcall,
                                 (uintptr_t)&pending, CMD_CRYPT, (uint32_t)op, handle);
    return err;
}
