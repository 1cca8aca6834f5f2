#include "chips/sim/sim_i2c.h"

#include <string.h>

static struct sim_i2c *i2c_of(struct hil_i2c *hil)
{
    return container_of(hil, struct sim_i2c, hil);
}

static struct sim_i2c_device *device_at(const struct sim_i2c *i, unsigned address)
{
    struct sim_i2c_device *d = i->devices;
    while (d && d->address != address)
        d = d->next;
    return d;
}

/* ------------------------------------------------------------ the wire */

/* The transaction with device d (NULL: nobody there); device_fault is
 * what it was armed with. */
static vmux_err_t run(struct sim_i2c *i, struct sim_i2c_device *d,
                      enum sim_fault_kind device_fault)
{
    if (d == NULL || device_fault == SIM_FAULT_ERROR)
        return VMUX_NOACK;
    d->transactions++;
    vmux_err_t status = VMUX_SUCCESS;
    if (i->write_len) {
        if (!d->ops->start(d, false))
            return VMUX_NOACK;
        for (size_t n = 0; n < i->write_len && status == VMUX_SUCCESS; n++)
            if (!d->ops->write(d, i->buf[n]))
                status = VMUX_NOACK;
    }
    if (status == VMUX_SUCCESS && i->read_len) {
        if (d->ops->start(d, true)) {
            for (size_t n = 0; n < i->read_len; n++)
                i->buf[n] = d->ops->read(d);
            if (device_fault == SIM_FAULT_CORRUPT || i->applying == SIM_FAULT_CORRUPT)
                i->buf[0] ^= 1u;
        } else {
            status = VMUX_NOACK;
        }
    }
    d->ops->stop(d);
    return status;
}

static void completed(struct sim_event *ev)
{
    struct sim_i2c *i = container_of(ev, struct sim_i2c, completion);
    if (i->applying == SIM_FAULT_ERROR)
        i->status = sim_fault_error(&i->fault.fault);
    else
        i->status = run(i, device_at(i, i->address), i->device_applying);
    if (i->status == VMUX_NOACK)
        i->counters.nacks++;
    deferred_call_raise(&i->irq);
}

static void bottom_half(struct deferred_call *dc)
{
    struct sim_i2c *i = container_of(dc, struct sim_i2c, irq);
    if (!i->busy)
        return;
    i->busy = false;
    i->counters.transactions++;
    i->counters.bytes += (uint32_t)(i->write_len + i->read_len);
    unsigned calls = i->applying == SIM_FAULT_TWICE ? 2 : 1;
    for (unsigned n = 0; n < calls && i->hil.client; n++)
        i->hil.client->done(i->hil.client, i->buf, i->status);
}

/* ------------------------------------------------------------ the HIL */

static vmux_err_t i2c_transfer(struct hil_i2c *hil, unsigned addr, uint8_t *buf,
                               size_t write_len, size_t read_len)
{
    struct sim_i2c *i = i2c_of(hil);
    if (addr > HIL_I2C_ADDRESS_MAX || buf == NULL)
        return VMUX_INVALID;
    if (write_len == 0 && read_len == 0)
        return VMUX_SIZE;
    if (i->busy)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&i->fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&i->fault.fault);
    struct sim_i2c_device *d = device_at(i, addr);
    enum sim_fault_kind device_fault = d ? sim_fault_take(&d->fault) : SIM_FAULT_NONE;
    i->busy = true;
    i->applying = fault;
    i->address = (uint8_t)addr;
    i->buf = buf;
    i->write_len = write_len;
    i->read_len = read_len;
    if (fault == SIM_FAULT_NEVER || device_fault == SIM_FAULT_NEVER)
        i->stuck = true;
    if (i->stuck)
        return VMUX_SUCCESS; /* held until reset() */
    i->device_applying = device_fault;
    uint64_t bytes = (write_len ? 1u + write_len : 0u) + (read_len ? 1u + read_len : 0u);
    uint64_t ns = bytes * SIM_I2C_BYTE_NS;
    if (fault == SIM_FAULT_LATE)
        ns += i->fault.fault.delay_ns;
    if (d && device_fault == SIM_FAULT_LATE)
        ns += d->fault.fault.delay_ns;
    sim_event_schedule(&i->completion, sim_now_ns() + ns, completed);
    return VMUX_SUCCESS;
}

static void i2c_reset(struct hil_i2c *hil)
{
    struct sim_i2c *i = i2c_of(hil);
    sim_event_cancel(&i->completion);
    i->busy = false;
    i->stuck = false;
    i->counters.resets++;
}

static const struct hil_i2c_ops sim_i2c_ops = {
    .transfer = i2c_transfer,
    .reset = i2c_reset,
};

vmux_err_t sim_i2c_init(struct sim_i2c *i)
{
    memset(i, 0, sizeof *i);
    i->hil.ops = &sim_i2c_ops;
    return deferred_call_register(&i->irq, bottom_half);
}

void sim_i2c_attach(struct sim_i2c *i, struct sim_i2c_device *d,
                    const struct sim_i2c_device_ops *ops, unsigned address)
{
    d->ops = ops;
    d->address = (uint8_t)address;
    d->next = i->devices;
    i->devices = d;
}

void sim_i2c_inject_fault(struct sim_i2c *i, const struct sim_fault *fault)
{
    sim_fault_arm(&i->fault, fault);
}

void sim_i2c_device_fault(struct sim_i2c_device *d, const struct sim_fault *fault)
{
    sim_fault_arm(&d->fault, fault);
}
