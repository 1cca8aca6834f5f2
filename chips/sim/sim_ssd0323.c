#include "chips/sim/sim_ssd0323.h"

#include <string.h>

#define REMAP_VERTICAL 0x04u

/* How many argument bytes a command takes; -1 for one QEMU does not know. */
static int arguments(uint8_t cmd)
{
    switch (cmd) {
    case 0x15: case 0x75:
        return 2;
    case 0x81: case 0xa0: case 0xa1: case 0xa2: case 0xa8: case 0xad: case 0xb1: case 0xb2:
    case 0xb3: case 0xbc: case 0xbe: case 0xbf:
        return 1;
    case 0xb8:
        return 8;
    case 0x84: case 0x85: case 0x86: case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xae:
    case 0xaf: case 0xe3:
        return 0;
    default:
        return -1;
    }
}

static void command(struct sim_ssd0323 *o)
{
    const uint8_t *a = &o->cmd[1];
    o->commands++;
    switch (o->cmd[0]) {
    case 0x15:
        o->col = o->col_start = a[0] % 64u;
        o->col_end = a[1] % 64u;
        break;
    case 0x75:
        o->row = o->row_start = a[0] % 80u;
        o->row_end = a[1] % 80u;
        break;
    case 0xa0:
        o->remap = a[0];
        break;
    case 0x81:
        o->contrast = a[0];
        break;
    case 0xae:
    case 0xaf:
        o->on = o->cmd[0] == 0xaf;
        break;
    default:
        break;
    }
}

static void data(struct sim_ssd0323 *o, uint8_t byte)
{
    o->memory[o->row][o->col] = byte;
    o->data_bytes++;
    if (o->remap & REMAP_VERTICAL) {
        if (++o->row > o->row_end) {
            o->row = o->row_start;
            if (++o->col > o->col_end)
                o->col = o->col_start;
        }
    } else if (++o->col > o->col_end) {
        o->col = o->col_start;
        if (++o->row > o->row_end)
            o->row = o->row_start;
    }
}

static void ssd_select(struct sim_spi_device *d, bool selected)
{
    (void)d, (void)selected;
}

static uint8_t ssd_exchange(struct sim_spi_device *d, uint8_t out, bool is_data)
{
    struct sim_ssd0323 *o = container_of(d, struct sim_ssd0323, dev);
    if (is_data) {
        data(o, out);
        return 0xff;
    }
    o->cmd[o->cmd_len++] = out;
    int wanted = arguments(o->cmd[0]);
    if (wanted < 0) {
        o->unknown++;
        o->cmd_len = 0;
    } else if (o->cmd_len == (unsigned)wanted + 1u) {
        command(o);
        o->cmd_len = 0;
    }
    return 0xff;
}

static const struct sim_spi_device_ops ssd_ops = { ssd_select, ssd_exchange };

void sim_ssd0323_attach(struct sim_spi *s, struct sim_ssd0323 *o, struct sim_gpio *cs_bank,
                        unsigned cs_pin, struct sim_gpio *dc_bank, unsigned dc_pin)
{
    memset(o, 0, sizeof *o);
    o->col_end = 63;
    o->row_end = 79;
    sim_spi_attach(s, &o->dev, &ssd_ops, cs_bank, cs_pin, false, dc_bank, dc_pin);
}

unsigned sim_ssd0323_pixel(const struct sim_ssd0323 *o, unsigned x, unsigned y)
{
    uint8_t b = o->memory[y % 64u][(x / 2u) % 64u];
    return x % 2 ? b & 0xfu : b >> 4;
}
