#include "chips/sim/sim_tmp105.h"

#include <string.h>

enum { REG_TEMPERATURE, REG_CONFIG, REG_T_LOW, REG_T_HIGH };

static struct sim_tmp105 *of(struct sim_i2c_device *d)
{
    return container_of(d, struct sim_tmp105, dev);
}

static void put16(struct sim_tmp105 *t, int16_t v, uint8_t low_mask)
{
    t->out[0] = (uint8_t)((uint16_t)v >> 8);
    t->out[1] = (uint8_t)v & low_mask;
    t->out_len = 2;
}

/* A read starts: what the pointer names. */
static bool start(struct sim_i2c_device *d, bool read)
{
    struct sim_tmp105 *t = of(d);
    t->written = 0;
    t->out_at = 0;
    if (!read)
        return true;
    switch (t->pointer & 3u) {
    case REG_TEMPERATURE: /* 9 to 12 bits: the resolution bits 5-6 */
        put16(t, t->temperature, (uint8_t)(0xf0u << (3u - ((t->config >> 5) & 3u))));
        break;
    case REG_CONFIG:
        t->out[0] = t->config;
        t->out_len = 1;
        break;
    default:
        put16(t, t->limit[(t->pointer & 3u) - REG_T_LOW], 0xff);
        break;
    }
    return true;
}

static bool write(struct sim_i2c_device *d, uint8_t byte)
{
    struct sim_tmp105 *t = of(d);
    if (t->written++ == 0) {
        t->pointer = byte;
        return true;
    }
    unsigned reg = t->pointer & 3u;
    if (t->written <= 3)
        t->in[t->written - 2] = byte;
    if (reg == REG_CONFIG && t->written == 2)
        t->config = byte;
    else if (reg >= REG_T_LOW && t->written == 3)
        t->limit[reg - REG_T_LOW] = (int16_t)((t->in[0] << 8) | t->in[1]);
    return true;
}

static uint8_t read(struct sim_i2c_device *d)
{
    struct sim_tmp105 *t = of(d);
    return t->out_at < t->out_len ? t->out[t->out_at++] : 0xff;
}

static void stop(struct sim_i2c_device *d)
{
    (void)d;
}

static const struct sim_i2c_device_ops tmp105_ops = { start, write, read, stop };

void sim_tmp105_attach(struct sim_i2c *bus, struct sim_tmp105 *t, unsigned address)
{
    memset(t, 0, sizeof *t);
    t->limit[0] = 75 * 256; /* the reset values: 75 and 80 degrees */
    t->limit[1] = 80 * 256;
    sim_i2c_attach(bus, &t->dev, &tmp105_ops, address);
}

void sim_tmp105_set(struct sim_tmp105 *t, int32_t millicelsius)
{
    if (millicelsius >= -128000 && millicelsius < 128000)
        t->temperature = (int16_t)(millicelsius * 256 / 1000);
}
