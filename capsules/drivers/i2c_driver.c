#include "capsules/drivers/i2c_driver.h"

#include <string.h>

#include "capsules/drivers/driver_common.h"
#include "capsules/drivers/owners.h"
#include "kernel/wipe.h"

#define ALLOW_BUFFER 1u   /* read-write, Tock's number */
#define UPCALL_DONE 0u

/* A process's use of the bus, in its grant. */
struct i2c_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct i2c_device dev;           /* attached to the address of its last command */
    bool busy;
    uint8_t buf[I2C_DRIVER_BUF];
};

static struct i2c_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct i2c_driver, driver);
}

static void done(struct i2c_device *dev, uint8_t *buf, size_t read_len, vmux_err_t status)
{
    struct i2c_grant *g = container_of(dev, struct i2c_grant, dev);
    struct process *p = driver_owner_process(&g->owner);
    if (p && status == VMUX_SUCCESS)
        driver_copy_out(p, g->owner.driver, ALLOW_BUFFER, 0, buf, read_len, NULL);
    wipe(g->buf, sizeof g->buf);
    g->busy = false;
    driver_owner_upcall(&g->owner, UPCALL_DONE, driver_statuscode(status), 0, 0);
}

static const struct i2c_device_ops i2c_ops = { done };

/* May p talk to addr? Then attach its client there (when idle). */
static vmux_err_t use_address(struct i2c_grant *g, struct process *p, unsigned addr)
{
    struct i2c_driver *d = driver_of(g->owner.driver);
    if (addr > HIL_I2C_ADDRESS_MAX)
        return VMUX_INVALID;
    unsigned n = 0;
    while (n < d->count &&
           (d->chips[n].address != addr || !owners_include(d->chips[n].owners, p->name)))
        n++;
    if (n == d->count) {
        d->refused++;
        return VMUX_RESERVE;
    }
    if (g->busy)
        return VMUX_BUSY;
    if (g->dev.bus.entry.attached && g->dev.address == addr)
        return VMUX_SUCCESS;
    i2c_mux_detach(&g->dev);
    return i2c_mux_attach(d->mux, &g->dev, g->owner.id, d->cap, addr, &i2c_ops);
}

static vmux_err_t transaction(struct i2c_grant *g, struct process *p, unsigned addr,
                              size_t write_len, size_t read_len)
{
    vmux_err_t err = use_address(g, p, addr);
    if (err != VMUX_SUCCESS)
        return err;
    size_t have;
    process_allowed_rw(p, g->owner.driver, ALLOW_BUFFER, &have);
    size_t longest = write_len > read_len ? write_len : read_len;
    if (longest == 0 || longest > sizeof g->buf || longest > have)
        return VMUX_SIZE;
    memcpy(g->buf, process_allowed_rw(p, g->owner.driver, ALLOW_BUFFER, &have), write_len);
    err = i2c_mux_transfer(&g->dev, g->buf, write_len, read_len);
    g->busy = err == VMUX_SUCCESS;
    if (!g->busy)
        wipe(g->buf, sizeof g->buf);
    return err;
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct i2c_grant *g = state;
    (void)d;
    switch (cmd) {
    case I2C_CMD_WRITE:
        return syscall_status(transaction(g, p, (unsigned)arg1, arg2, 0));
    case I2C_CMD_READ:
        return syscall_status(transaction(g, p, (unsigned)arg1, 0, arg2));
    case I2C_CMD_WRITE_READ:
        return syscall_status(
            transaction(g, p, (unsigned)(arg1 & 0xffu), (size_t)(arg1 >> 8), arg2));
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

/* Its transaction given up (the bus cleared): no callback follows. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct i2c_grant *g = state;
    (void)d, (void)p;
    i2c_mux_detach(&g->dev);
    wipe(g->buf, sizeof g->buf);
    g->busy = false;
}

void i2c_driver_init(struct i2c_driver *d, struct i2c_mux *mux, const cap_bus_device_t *cap,
                     const struct i2c_chip *chips, unsigned count)
{
    d->mux = mux;
    d->cap = cap;
    d->chips = chips;
    d->count = (uint8_t)count;
    d->refused = 0;
    d->driver = (struct syscall_driver){
        .number = I2C_DRIVER_NUM,
        .upcall_count = 1,
        .allow_rw_count = 2,
        .state_size = sizeof(struct i2c_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
