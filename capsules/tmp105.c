#include "capsules/tmp105.h"

#define REG_TEMPERATURE 0u
#define REG_CONFIG 1u
#define CONFIG_12_BITS 0x60u

/* The next transaction: the configuration once, then the temperature. */
static vmux_err_t start(struct tmp105 *t)
{
    t->buf[0] = t->configured ? REG_TEMPERATURE : REG_CONFIG;
    t->buf[1] = CONFIG_12_BITS;
    vmux_err_t err = i2c_mux_transfer(&t->dev, t->buf, t->configured ? 1 : 2,
                                      t->configured ? 2 : 0);
    t->busy = err == VMUX_SUCCESS;
    return err;
}

/* One reading to every reader waiting now; those that ask again from
 * their callback wait for the next. */
static void deliver(struct tmp105 *t, int32_t centi, vmux_err_t status)
{
    struct tmp105_reader *r;
    unsigned served = 0;
    for (r = t->readers; r; r = r->next) {
        r->in_delivery = r->waiting;
        r->waiting = false;
    }
    for (r = t->readers; r; r = r->next) {
        if (!r->in_delivery)
            continue;
        r->in_delivery = false;
        served++;
        r->ops->done(r, centi, status);
    }
    if (served > 1 && status == VMUX_SUCCESS)
        t->shared += served - 1;
}

static void done(struct i2c_device *dev, uint8_t *buf, size_t read_len, vmux_err_t status)
{
    struct tmp105 *t = container_of(dev, struct tmp105, dev);
    t->busy = false;
    if (status == VMUX_SUCCESS && read_len == 0) {
        t->configured = true; /* now the temperature */
        status = start(t);
        if (status == VMUX_SUCCESS)
            return;
    }
    int32_t centi = 0;
    t->readings++;
    if (status == VMUX_SUCCESS)
        centi = (int16_t)(buf[0] << 8 | buf[1]) * 100 / 256;
    else
        t->errors++, t->configured = false;
    deliver(t, centi, status);
}

static const struct i2c_device_ops tmp105_ops = { done };

vmux_err_t tmp105_init(struct tmp105 *t, struct i2c_mux *mux, client_id_t id,
                       const cap_bus_device_t *cap, unsigned address)
{
    *t = (struct tmp105){ 0 };
    return i2c_mux_attach(mux, &t->dev, id, cap, address, &tmp105_ops);
}

vmux_err_t tmp105_attach(struct tmp105 *t, struct tmp105_reader *r,
                         const struct tmp105_reader_ops *ops)
{
    if (r->sensor)
        return VMUX_ALREADY;
    *r = (struct tmp105_reader){ ops, t, t->readers, false, false };
    t->readers = r;
    return VMUX_SUCCESS;
}

void tmp105_detach(struct tmp105_reader *r)
{
    if (r->sensor == NULL)
        return;
    struct tmp105_reader **at = &r->sensor->readers;
    while (*at != r)
        at = &(*at)->next;
    *at = r->next;
    r->sensor = NULL;
    r->waiting = r->in_delivery = false;
}

vmux_err_t tmp105_read(struct tmp105_reader *r)
{
    struct tmp105 *t = r->sensor;
    if (t == NULL)
        return VMUX_OFF;
    if (!t->busy) {
        vmux_err_t err = start(t);
        if (err != VMUX_SUCCESS)
            return err;
    }
    r->waiting = true;
    return VMUX_SUCCESS;
}
