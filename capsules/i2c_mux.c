#include "capsules/i2c_mux.h"

static struct i2c_device *device_of(struct bus_client *c)
{
    return container_of(c, struct i2c_device, bus);
}

static struct hil_i2c *hw_of(struct bus_mux *b)
{
    return container_of(b, struct i2c_mux, bus)->i2c;
}

static vmux_err_t start(struct bus_mux *b, struct bus_client *c)
{
    struct i2c_device *d = device_of(c);
    return hil_i2c_transfer(hw_of(b), d->address, d->buf, d->write_len, d->read_len);
}

/* The bus cleared and the controller reset (hil/i2c.h). */
static void recover(struct bus_mux *b, struct bus_client *c)
{
    (void)c;
    hil_i2c_reset(hw_of(b));
}

static void finish(struct bus_client *c, vmux_err_t status)
{
    struct i2c_device *d = device_of(c);
    d->ops->done(d, d->buf, d->read_len, status);
}

static const struct bus_mux_ops i2c_bus_ops = { start, recover, finish };

static void done(struct hil_i2c_client *self, uint8_t *buf, vmux_err_t status)
{
    (void)buf;
    bus_mux_complete(&container_of(self, struct i2c_mux, i2c_client)->bus, status, false);
}

vmux_err_t i2c_mux_init(struct i2c_mux *m, struct hil_i2c *i2c, struct client_entry **storage,
                        uint32_t *rr_words, unsigned capacity, struct hil_alarm *watchdog,
                        uint32_t timeout_us)
{
    vmux_err_t err =
        bus_mux_init(&m->bus, &i2c_bus_ops, storage, rr_words, capacity, watchdog, timeout_us);
    m->i2c = i2c;
    m->i2c_client.done = done;
    hil_i2c_set_client(i2c, &m->i2c_client);
    return err;
}

vmux_err_t i2c_mux_attach(struct i2c_mux *m, struct i2c_device *d, client_id_t id,
                          const cap_bus_device_t *cap, unsigned address,
                          const struct i2c_device_ops *ops)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (address > HIL_I2C_ADDRESS_MAX || ops == NULL)
        return VMUX_INVALID;
    vmux_err_t err = bus_mux_attach(&m->bus, &d->bus, id);
    if (err == VMUX_SUCCESS) {
        d->ops = ops;
        d->address = (uint8_t)address;
    }
    return err;
}

void i2c_mux_detach(struct i2c_device *d)
{
    bus_mux_detach(&d->bus);
}

vmux_err_t i2c_mux_transfer(struct i2c_device *d, uint8_t *buf, size_t write_len,
                            size_t read_len)
{
    if (buf == NULL)
        return VMUX_INVALID;
    if ((write_len | read_len) == 0 || write_len > UINT16_MAX || read_len > UINT16_MAX)
        return VMUX_SIZE;
    if (d->bus.queued)
        return VMUX_BUSY;
    d->buf = buf;
    d->write_len = (uint16_t)write_len;
    d->read_len = (uint16_t)read_len;
    return bus_mux_request(&d->bus);
}
