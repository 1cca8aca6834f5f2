#include "capsules/drivers/rng_driver.h"

#include "capsules/drivers/driver_common.h"

/* A process's request, in its grant: in progress while asked is not 0. */
struct rng_grant {
    struct rng_mux_client rng;       /* attached on the first request */
    uint32_t asked, written;
};

static void finish(struct rng_grant *s, struct process *p, const struct syscall_driver *d,
                   vmux_err_t status)
{
    s->asked = 0;
    process_schedule_upcall(p, d, RNG_UPCALL_DONE, driver_statuscode(status), s->written, 0);
}

static vmux_err_t next_chunk(struct rng_grant *s)
{
    return rng_mux_get(&s->rng, driver_min(s->asked - s->written, RNG_MUX_CHUNK));
}

/* A chunk: into the allow there now, after what is written. */
static void random_done(struct rng_mux_client *c, const uint8_t *bytes, size_t len,
                        vmux_err_t status)
{
    struct rng_grant *s = container_of(c, struct rng_grant, rng);
    const struct syscall_driver *d = &container_of(c->ops, struct rng_driver, ops)->driver;
    struct process *p = process_of_client(c->entry.id);
    if (p == NULL || s->asked == 0)
        return;
    if (status == VMUX_SUCCESS) {
        size_t have;
        size_t copied =
            driver_copy_out(p, d, RNG_ALLOW_RW_BUFFER, s->written, bytes, len, &have);
        s->written += (uint32_t)copied;
        bool more = copied == len && s->written < s->asked && s->written < have;
        if (have == 0)
            status = VMUX_NOMEM;
        else if (more && (status = next_chunk(s)) == VMUX_SUCCESS)
            return; /* the next chunk is on its way */
    }
    finish(s, p, d, status);
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct rng_driver *drv = container_of(d, struct rng_driver, driver);
    struct rng_grant *s = state;
    (void)arg2;
    if (cmd != RNG_CMD_GET)
        return syscall_failure(VMUX_NOSUPPORT);
    if (s->asked)
        return syscall_failure(VMUX_BUSY);
    if (!s->rng.entry.attached) {
        vmux_err_t err = rng_mux_attach(drv->mux, &s->rng, process_client(p), &drv->ops);
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    s->written = 0;
    if (arg1 == 0) {
        finish(s, p, d, VMUX_SUCCESS);
        return syscall_success();
    }
    s->asked = arg1 > UINT32_MAX ? UINT32_MAX : (uint32_t)arg1;
    vmux_err_t err = next_chunk(s);
    if (err != VMUX_SUCCESS)
        s->asked = 0;
    return syscall_status(err);
}

/* Drop the request; a chunk in flight is wiped unread by the mux. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct rng_grant *s = state;
    (void)d, (void)p;
    rng_mux_detach(&s->rng);
    s->asked = 0;
}

void rng_driver_init(struct rng_driver *d, struct rng_mux *mux)
{
    d->mux = mux;
    d->ops.random_done = random_done;
    d->driver = (struct syscall_driver){
        .number = RNG_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 1,
        .state_size = sizeof(struct rng_grant),
        .command = command,
        .process_ended = process_ended,
    };
}
