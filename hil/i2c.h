/*
 * I2C controller HIL: one bus, this end the only master, split phase.
 *
 *   transfer(addr, buf, write_len, read_len)
 *       One transaction with the device at 7-bit address addr: a START,
 *       the write_len bytes of buf, then (when read_len is not 0) the
 *       read_len bytes the device sends, stored in buf from its start,
 *       and a STOP. Either length may be 0, not both. done(buf, status)
 *       hands buf back. How the write and the read are joined (a
 *       repeated START, or a STOP and a START) is the driver's; its
 *       header says.
 *       Request errors: INVALID for addr above 0x7f or a NULL buf, SIZE
 *       for two lengths of 0, BUSY while a transaction runs.
 *       Status: SUCCESS; NOACK when the address or a written byte was
 *       not acknowledged (no device there, or it refused the byte: read
 *       bytes are then undefined); FAIL for a bus error or lost
 *       arbitration.
 *   reset()
 *       Give up the transaction in flight, if any, free the bus (clock
 *       SCL until a device holding SDA lets go, then a STOP) and reset
 *       the controller. No done() follows for the transaction given up,
 *       not even one already on its way: once reset() returns the driver
 *       no longer touches its buffer.
 *
 * A device that stretches the clock forever keeps the transaction from
 * ending: only reset() ends it (capsules/i2c_mux.h times it out).
 *
 * One client per controller (hil/hil.h).
 */
#ifndef VMUX_HIL_I2C_H
#define VMUX_HIL_I2C_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

#define HIL_I2C_ADDRESS_MAX 0x7fu

struct hil_i2c;

struct hil_i2c_client {
    void (*done)(struct hil_i2c_client *self, uint8_t *buf, vmux_err_t status);
};

struct hil_i2c_ops {
    vmux_err_t (*transfer)(struct hil_i2c *i, unsigned addr, uint8_t *buf, size_t write_len,
                           size_t read_len);
    void (*reset)(struct hil_i2c *i);
};

struct hil_i2c {
    const struct hil_i2c_ops *ops;
    struct hil_i2c_client *client;
};

static inline void hil_i2c_set_client(struct hil_i2c *i, struct hil_i2c_client *c)
{
    i->client = c;
}
static inline vmux_err_t hil_i2c_transfer(struct hil_i2c *i, unsigned addr, uint8_t *buf,
                                          size_t write_len, size_t read_len)
{
    return i->ops->transfer(i, addr, buf, write_len, read_len);
}
static inline void hil_i2c_reset(struct hil_i2c *i)
{
    i->ops->reset(i);
}

#endif
