#include "chips/sim/sim_entropy.h"

#include <string.h>
#include <sys/random.h>

static struct sim_entropy *of(struct hil_entropy *h)
{
    return container_of(h, struct sim_entropy, hil);
}

static bool host_random(uint8_t *buf, size_t len, void *ctx)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* The "interrupt": the bytes land in the buffer, the bottom half follows. */
static void ready(struct sim_event *ev)
{
    struct sim_entropy *e = container_of(ev, struct sim_entropy, ready);
    vmux_err_t status = VMUX_SUCCESS;
    if (e->applying == SIM_FAULT_ERROR)
        status = sim_fault_error(&e->fault.fault);
    else if (!e->config.generate(e->buf, e->len, e->config.ctx))
        status = VMUX_FAIL;
    e->status = status;
    e->owed = true;
    deferred_call_raise(&e->irq);
}

static void bottom_half(struct deferred_call *dc)
{
    struct sim_entropy *e = container_of(dc, struct sim_entropy, irq);
    if (!e->owed)
        return;
    size_t filled = e->status == VMUX_SUCCESS ? e->len : 0;
    unsigned calls = e->applying == SIM_FAULT_TWICE ? 2 : 1;
    e->owed = false;
    e->busy = false;
    e->applying = SIM_FAULT_NONE;
    if (e->status == VMUX_SUCCESS) {
        e->counters.fills++;
        e->counters.bytes += (uint32_t)filled;
    } else {
        e->counters.failures++;
    }
    for (unsigned i = 0; i < calls && e->hil.client; i++)
        e->hil.client->fill_done(e->hil.client, e->buf, filled, e->status);
}

static vmux_err_t fill(struct hil_entropy *h, uint8_t *buf, size_t len)
{
    struct sim_entropy *e = of(h);
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (e->hil.client == NULL)
        return VMUX_OFF;
    if (e->busy)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&e->fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&e->fault.fault);
    e->applying = fault;
    e->buf = buf;
    e->len = len;
    e->busy = true;
    if (fault != SIM_FAULT_NEVER) {
        uint64_t delay = fault == SIM_FAULT_LATE ? e->fault.fault.delay_ns : 0;
        sim_event_schedule(&e->ready, sim_now_ns() + e->config.latency_ns + delay, ready);
    }
    return VMUX_SUCCESS;
}

static vmux_err_t cancel(struct hil_entropy *h)
{
    struct sim_entropy *e = of(h);
    if (!e->busy || e->owed)
        return VMUX_ALREADY;
    sim_event_cancel(&e->ready);
    e->busy = false;
    e->applying = SIM_FAULT_NONE;
    e->buf = NULL;
    return VMUX_SUCCESS;
}

static const struct hil_entropy_ops ops = { fill, cancel };

vmux_err_t sim_entropy_init(struct sim_entropy *e, const struct sim_entropy_config *config)
{
    memset(e, 0, sizeof *e);
    e->hil.ops = &ops;
    if (config)
        e->config = *config;
    if (e->config.latency_ns == 0)
        e->config.latency_ns = SIM_ENTROPY_DEFAULT_LATENCY_NS;
    if (e->config.generate == NULL)
        e->config.generate = host_random;
    return deferred_call_register(&e->irq, bottom_half);
}

void sim_entropy_inject_fault(struct sim_entropy *e, const struct sim_fault *fault)
{
    sim_fault_arm(&e->fault, fault);
}
