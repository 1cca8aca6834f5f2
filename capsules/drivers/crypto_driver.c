#include "capsules/drivers/crypto_driver.h"

#include "capsules/drivers/driver_common.h"
#include "kernel/wipe.h"

/* A process's use of the engine, in its grant. */
struct crypto_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct crypto_mux_client crypto; /* attached on the first command */
    bool busy;                       /* an operation is queued or running */
    uint8_t buf[CRYPTO_DRIVER_MAX_LEN]; /* its input, then its output */
};

static struct crypto_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct crypto_driver, driver);
}

static struct crypto_grant *grant_of(struct crypto_mux_client *c)
{
    return container_of(c, struct crypto_grant, crypto);
}

static void crypt_done(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out, size_t len,
                       vmux_err_t status)
{
    struct crypto_grant *s = grant_of(c);
    (void)in;
    /* a failed operation writes nothing */
    driver_owner_return(&s->owner, CRYPTO_UPCALL_DONE, CRYPTO_ALLOW_RW_OUTPUT, out,
                        status == VMUX_SUCCESS ? len : 0, status);
    wipe(s->buf, sizeof s->buf);
    s->busy = false;
}

/* Load the key of read-only allow 0 into h, through a wiped stack copy. */
static vmux_err_t load_key(struct crypto_grant *s, struct process *p, crypto_handle_t h)
{
    uint8_t key[AES128_KEY_SIZE];
    size_t have;
    size_t n = driver_copy_in(p, s->owner.driver, CRYPTO_ALLOW_RO_KEY, 0, key, sizeof key, &have);
    vmux_err_t err = have == 0 ? VMUX_NOMEM : VMUX_SIZE;
    if (n == sizeof key)
        err = crypto_mux_load_key(&s->crypto, h, key);
    wipe(key, sizeof key);
    return err;
}

static bool needs_iv(enum hil_crypto_op op)
{
    return op != CRYPTO_ECB_ENCRYPT && op != CRYPTO_ECB_DECRYPT;
}

static vmux_err_t crypt(struct crypto_grant *s, struct process *p, syscall_reg_t op,
                        crypto_handle_t h)
{
    const struct syscall_driver *d = s->owner.driver;
    if (op > CRYPTO_CTR)
        return VMUX_INVALID;
    if (s->busy)
        return VMUX_BUSY;
    bool with_iv = needs_iv((enum hil_crypto_op)op);
    uint8_t iv[AES_BLOCK_SIZE];
    size_t in_len, out_len, iv_len = sizeof iv;
    /* The input comes first, as far as it fits: every error below wipes it. */
    driver_copy_in(p, d, CRYPTO_ALLOW_RO_INPUT, 0, s->buf, sizeof s->buf, &in_len);
    process_allowed_rw(p, d, CRYPTO_ALLOW_RW_OUTPUT, &out_len);
    if (with_iv)
        driver_copy_in(p, d, CRYPTO_ALLOW_RO_IV, 0, iv, sizeof iv, &iv_len);
    vmux_err_t err = VMUX_NOMEM;
    if (in_len != 0 && out_len != 0 && iv_len != 0)
        err = in_len > sizeof s->buf || in_len > out_len || iv_len < sizeof iv
                  ? VMUX_SIZE
                  : crypto_mux_crypt(&s->crypto, h, (enum hil_crypto_op)op, with_iv ? iv : NULL,
                                     s->buf, s->buf, in_len);
    wipe(iv, sizeof iv);
    s->busy = err == VMUX_SUCCESS;
    if (!s->busy)
        wipe(s->buf, sizeof s->buf);
    return err;
}

/* ------------------------------------------------------------ driver */

static const struct crypto_mux_client_ops crypto_ops = { crypt_done };

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct crypto_grant *s = state;
    if (cmd < CRYPTO_CMD_RESERVE || cmd > CRYPTO_CMD_RELEASE)
        return syscall_failure(VMUX_NOSUPPORT);
    if (!s->crypto.entry.attached) {
        vmux_err_t err =
            crypto_mux_attach(driver_of(d)->mux, &s->crypto, s->owner.id, &crypto_ops);
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    switch (cmd) {
    case CRYPTO_CMD_RESERVE: {
        crypto_handle_t h;
        vmux_err_t err = crypto_mux_reserve(&s->crypto, &h);
        return err == VMUX_SUCCESS ? syscall_success_u32(h) : syscall_failure(err);
    }
    case CRYPTO_CMD_LOAD_KEY:
        return syscall_status(load_key(s, p, (crypto_handle_t)arg1));
    case CRYPTO_CMD_CRYPT:
        return syscall_status(crypt(s, p, arg1, (crypto_handle_t)arg2));
    default: /* CRYPTO_CMD_RELEASE */
        return syscall_status(crypto_mux_release(&s->crypto, (crypto_handle_t)arg1));
    }
}

/* Wipe and release its registers (which cancels its operation in the
 * engine) and drop its queued operation: no callback follows. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct crypto_grant *s = state;
    (void)d, (void)p;
    crypto_mux_detach(&s->crypto);
    s->busy = false;
}

void crypto_driver_init(struct crypto_driver *d, struct crypto_mux *mux)
{
    d->mux = mux;
    d->driver = (struct syscall_driver){
        .number = CRYPTO_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 1,
        .allow_ro_count = 3,
        .state_size = sizeof(struct crypto_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
