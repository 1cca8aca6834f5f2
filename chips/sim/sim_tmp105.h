/*
 * A simulated TMP105 temperature sensor on a simulated I2C bus
 * (chips/sim/sim_i2c.h), with the registers QEMU's model has
 * (hw/sensor/tmp105.c): a pointer register (the first byte of a write),
 * then 0 temperature (read only), 1 configuration, 2 T_low, 3 T_high.
 * A read returns the register the pointer names, most significant byte
 * first (the configuration one byte), then 0xff. The temperature is a
 * signed 8.8 fixed-point value in degrees Celsius, shown at the
 * resolution the configuration's bits 5-6 choose (9 bits at reset: 0.5
 * degree steps; 12 bits: 1/16). The board or a test sets it, as QEMU's
 * monitor sets the "temperature" property: in thousandths of a degree.
 */
#ifndef VMUX_CHIPS_SIM_SIM_TMP105_H
#define VMUX_CHIPS_SIM_SIM_TMP105_H

#include <stdint.h>

#include "chips/sim/sim_i2c.h"

struct sim_tmp105 {
    struct sim_i2c_device dev;
    int16_t temperature;         /* 8.8 fixed point */
    int16_t limit[2];            /* T_low, T_high */
    uint8_t config;
    uint8_t pointer;
    uint8_t written;             /* bytes written since the START */
    uint8_t out[2], out_len, out_at;
    uint8_t in[2];
};

void sim_tmp105_attach(struct sim_i2c *bus, struct sim_tmp105 *t, unsigned address);
/* Its temperature, in thousandths of a degree Celsius (-128000..127999). */
void sim_tmp105_set(struct sim_tmp105 *t, int32_t millicelsius);

#endif
