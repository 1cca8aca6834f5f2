#include "capsules/drivers/rng_driver.h"

#include "capsules/drivers/driver_common.h"

/* A process's request, in its grant. */
struct rng_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct rng_mux_client rng;       /* attached on the first request */
    bool active;
    uint32_t asked, written;
};

static struct rng_grant *grant_of(struct rng_mux_client *c)
{
    return container_of(c, struct rng_grant, rng);
}

static void finish(struct rng_grant *s, vmux_err_t status)
{
    s->active = false;
    driver_owner_upcall(&s->owner, RNG_UPCALL_DONE, driver_statuscode(status), s->written, 0);
}

static vmux_err_t next_chunk(struct rng_grant *s)
{
    return rng_mux_get(&s->rng, driver_min(s->asked - s->written, RNG_MUX_CHUNK));
}

/* A chunk: into the allow there now, after what is written. */
static void random_done(struct rng_mux_client *c, const uint8_t *bytes, size_t len,
                        vmux_err_t status)
{
    struct rng_grant *s = grant_of(c);
    struct process *p = driver_owner_process(&s->owner);
    if (p == NULL || !s->active)
        return;
    if (status == VMUX_SUCCESS) {
        size_t have;
        size_t copied = driver_copy_out(p, s->owner.driver, RNG_ALLOW_RW_BUFFER, s->written,
                                        bytes, len, &have);
        s->written += (uint32_t)copied;
        bool more = copied == len && s->written < s->asked && s->written < have;
        if (have == 0)
            status = VMUX_NOMEM;
        else if (more && (status = next_chunk(s)) == VMUX_SUCCESS)
            return; /* the next chunk is on its way */
    }
    finish(s, status);
}

static const struct rng_mux_client_ops rng_ops = { random_done };

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct rng_grant *s = state;
    (void)p, (void)arg2;
    if (cmd != RNG_CMD_GET)
        return syscall_failure(VMUX_NOSUPPORT);
    if (s->active)
        return syscall_failure(VMUX_BUSY);
    if (!s->rng.entry.attached) {
        struct rng_driver *drv = container_of(d, struct rng_driver, driver);
        vmux_err_t err = rng_mux_attach(drv->mux, &s->rng, s->owner.id, &rng_ops);
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    s->asked = arg1 > UINT32_MAX ? UINT32_MAX : (uint32_t)arg1;
    s->written = 0;
    s->active = true;
    if (s->asked == 0) {
        finish(s, VMUX_SUCCESS);
        return syscall_success();
    }
    vmux_err_t err = next_chunk(s);
    s->active = err == VMUX_SUCCESS;
    return syscall_status(err);
}

/* Drop the request; a chunk in flight is wiped unread by the mux. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct rng_grant *s = state;
    (void)d, (void)p;
    rng_mux_detach(&s->rng);
    s->active = false;
}

void rng_driver_init(struct rng_driver *d, struct rng_mux *mux)
{
    d->mux = mux;
    d->driver = (struct syscall_driver){
        .number = RNG_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 1,
        .state_size = sizeof(struct rng_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
