/*
 * A simulated DS1338 real-time clock on a simulated I2C bus
 * (chips/sim/sim_i2c.h), with the registers of QEMU's model
 * (hw/rtc/ds1338.c): 64 bytes, a pointer set by the first byte of a
 * write and moving on by one each byte (wrapping at 64); 0-6 the time in
 * BCD (seconds, minutes, hours in 24-hour form, day of the week 1-7,
 * date, month, year 00-99 for 2000-2099), 7 control, 8-63 RAM. The time
 * registers are captured at the start of every read; a write to one of
 * them sets the clock.
 *
 * Time: the clock counts the simulated time (sim_now_ns) from the Unix
 * time the board gives at attach (the host board: its wall clock; a
 * test: a fixed one).
 */
#ifndef VMUX_CHIPS_SIM_SIM_DS1338_H
#define VMUX_CHIPS_SIM_SIM_DS1338_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim_i2c.h"

struct sim_ds1338 {
    struct sim_i2c_device dev;
    int64_t offset_s;            /* Unix time at sim time 0 */
    uint8_t regs[64];
    uint8_t pointer;
    bool addressed;              /* the pointer byte of this write came */
};

void sim_ds1338_attach(struct sim_i2c *bus, struct sim_ds1338 *c, unsigned address,
                       int64_t unix_now);

/* The clock's time now, as Unix seconds. */
int64_t sim_ds1338_unix(const struct sim_ds1338 *c);

#endif
