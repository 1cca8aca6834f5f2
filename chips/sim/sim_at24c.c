#include "chips/sim/sim_at24c.h"

#include <stdio.h>
#include <string.h>

static struct sim_at24c *of(struct sim_i2c_device *d)
{
    return container_of(d, struct sim_at24c, dev);
}

static bool start(struct sim_i2c_device *d, bool read)
{
    if (!read)
        of(d)->address_bytes = 0;
    return true;
}

static bool write(struct sim_i2c_device *d, uint8_t byte)
{
    struct sim_at24c *e = of(d);
    if (e->address_bytes < 2) {
        e->counter = (uint16_t)(e->counter << 8 | byte);
        if (++e->address_bytes == 2)
            e->counter = (uint16_t)(e->counter % e->size);
        return true;
    }
    e->mem[e->counter] = byte;
    e->changed = true;
    e->counter = (uint16_t)((e->counter + 1u) % e->size);
    return true;
}

static uint8_t read(struct sim_i2c_device *d)
{
    struct sim_at24c *e = of(d);
    uint8_t b = e->mem[e->counter];
    e->counter = (uint16_t)((e->counter + 1u) % e->size);
    return b;
}

/* The memory back to its file. */
static void stop(struct sim_i2c_device *d)
{
    struct sim_at24c *e = of(d);
    if (!e->changed || e->path == NULL)
        return;
    e->changed = false;
    FILE *f = fopen(e->path, "r+b");
    if (f == NULL)
        f = fopen(e->path, "wb");
    if (f == NULL || fwrite(e->mem, 1, e->size, f) != e->size)
        e->file_errors++;
    if (f)
        fclose(f);
}

static const struct sim_i2c_device_ops at24c_ops = { start, write, read, stop };

bool sim_at24c_attach(struct sim_i2c *bus, struct sim_at24c *e, unsigned address, uint8_t *mem,
                      uint32_t size, const char *path)
{
    memset(e, 0, sizeof *e);
    e->mem = mem;
    e->size = size;
    e->path = path;
    memset(mem, 0xff, size);
    sim_i2c_attach(bus, &e->dev, &at24c_ops, address);
    if (path == NULL)
        return true;
    FILE *f = fopen(path, "rb");
    if (f) {
        size_t n = fread(mem, 1, size, f);
        (void)n; /* a short file: erased beyond its end */
        fclose(f);
        return true;
    }
    e->changed = true; /* make the file now */
    stop(&e->dev);
    return e->file_errors == 0;
}
