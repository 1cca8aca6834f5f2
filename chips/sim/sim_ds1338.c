#include "chips/sim/sim_ds1338.h"

#include <string.h>

static struct sim_ds1338 *of(struct sim_i2c_device *d)
{
    return container_of(d, struct sim_ds1338, dev);
}

static uint8_t to_bcd(unsigned v)
{
    return (uint8_t)((v / 10u) << 4 | (v % 10u));
}

static unsigned from_bcd(uint8_t b)
{
    return (b >> 4) * 10u + (b & 0xfu);
}

/* Days since 1970-01-01 of a date in the Gregorian calendar, and back:
 * years counted from March, so that February's length comes last. */
static int64_t days_of(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153u * (m > 2 ? m - 3 : m + 9) + 2u) / 5u + d - 1u;
    unsigned doe = yoe * 365u + yoe / 4u - yoe / 100u + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void date_of(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u;
    unsigned doy = doe - (365u * yoe + yoe / 4u - yoe / 100u);
    unsigned mp = (5u * doy + 2u) / 153u;
    *d = doy - (153u * mp + 2u) / 5u + 1u;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t sim_ds1338_unix(const struct sim_ds1338 *c)
{
    return c->offset_s + (int64_t)(sim_now_ns() / 1000000000u);
}

/* The time registers from the clock. */
static void capture(struct sim_ds1338 *c)
{
    int64_t t = sim_ds1338_unix(c);
    int64_t days = (t >= 0 ? t : t - 86399) / 86400, y;
    unsigned s = (unsigned)(t - days * 86400), m, d;
    date_of(days, &y, &m, &d);
    c->regs[0] = to_bcd(s % 60u);
    c->regs[1] = to_bcd(s / 60u % 60u);
    c->regs[2] = to_bcd(s / 3600u);
    c->regs[3] = (uint8_t)((days % 7 + 11) % 7 + 1); /* 1970-01-01 a Thursday: 5 */
    c->regs[4] = to_bcd(d);
    c->regs[5] = to_bcd(m);
    c->regs[6] = to_bcd((unsigned)((y - 2000) % 100));
}

/* A time register written: the clock set from all of them. */
static void set_time(struct sim_ds1338 *c, unsigned reg, uint8_t v)
{
    capture(c);
    c->regs[reg] = v;
    unsigned s = from_bcd(c->regs[0] & 0x7f), min = from_bcd(c->regs[1] & 0x7f);
    unsigned h = from_bcd(c->regs[2] & 0x3f);
    int64_t days = days_of(2000 + from_bcd(c->regs[6]), from_bcd(c->regs[5] & 0x1f),
                           from_bcd(c->regs[4] & 0x3f));
    int64_t t = days * 86400 + h * 3600 + min * 60 + s;
    c->offset_s = t - (int64_t)(sim_now_ns() / 1000000000u);
}

static bool start(struct sim_i2c_device *d, bool read)
{
    struct sim_ds1338 *c = of(d);
    if (read)
        capture(c);
    else
        c->addressed = false;
    return true;
}

static bool write(struct sim_i2c_device *d, uint8_t byte)
{
    struct sim_ds1338 *c = of(d);
    if (!c->addressed) {
        c->pointer = byte & 63u;
        c->addressed = true;
        return true;
    }
    if (c->pointer < 7)
        set_time(c, c->pointer, byte);
    else
        c->regs[c->pointer] = c->pointer == 7 ? byte & 0xb3u : byte;
    c->pointer = (c->pointer + 1u) & 63u;
    return true;
}

static uint8_t read(struct sim_i2c_device *d)
{
    struct sim_ds1338 *c = of(d);
    uint8_t b = c->regs[c->pointer];
    c->pointer = (c->pointer + 1u) & 63u;
    if (c->pointer == 0)
        capture(c);
    return b;
}

static void stop(struct sim_i2c_device *d)
{
    (void)d;
}

static const struct sim_i2c_device_ops ds1338_ops = { start, write, read, stop };

void sim_ds1338_attach(struct sim_i2c *bus, struct sim_ds1338 *c, unsigned address,
                       int64_t unix_now)
{
    memset(c, 0, sizeof *c);
    c->offset_s = unix_now - (int64_t)(sim_now_ns() / 1000000000u);
    sim_i2c_attach(bus, &c->dev, &ds1338_ops, address);
}
