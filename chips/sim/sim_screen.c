#include "chips/sim/sim_screen.h"

#include <stdio.h>
#include <string.h>

enum { OP_WRITE = 1, OP_FILL, OP_POWER, OP_BRIGHTNESS };

static struct sim_screen *screen_of(struct hil_screen *h)
{
    return container_of(h, struct sim_screen, hil);
}

static void apply(struct sim_screen *s)
{
    const struct hil_screen_rect *r = &s->rect;
    uint32_t pixels = hil_screen_pixels(r);
    switch (s->op) {
    case OP_WRITE:
        for (uint32_t i = 0; i < 2u * s->len && s->start + i < pixels; i++) {
            uint32_t at = s->start + i;
            uint8_t byte = s->buf[i / 2];
            s->pixels[r->y + at / r->width][r->x + at % r->width] =
                (uint8_t)(i % 2 ? byte & 0xfu : byte >> 4);
        }
        break;
    case OP_FILL:
        for (unsigned y = 0; y < r->height; y++)
            memset(&s->pixels[r->y + y][r->x], s->value, r->width);
        break;
    case OP_POWER:
        s->powered = s->value;
        break;
    default:
        s->brightness = s->level;
        break;
    }
}

static void completed(struct sim_event *ev)
{
    struct sim_screen *s = container_of(ev, struct sim_screen, completion);
    apply(s);
    deferred_call_raise(&s->irq);
}

static void bottom_half(struct deferred_call *dc)
{
    struct sim_screen *s = container_of(dc, struct sim_screen, irq);
    if (!s->busy)
        return;
    const uint8_t *buf = s->buf;
    size_t len = s->len;
    s->busy = false;
    s->buf = NULL;
    s->len = 0;
    s->counters.requests++;
    if (s->hil.client)
        s->hil.client->done(s->hil.client, buf, len, VMUX_SUCCESS);
}

/* Take the request: it completes after its bytes' time. */
static vmux_err_t begin(struct sim_screen *s, uint8_t op, uint32_t bytes)
{
    s->op = op;
    s->busy = true;
    if (!s->hang)
        sim_event_schedule(&s->completion, sim_now_ns() + (uint64_t)bytes * s->byte_ns, completed);
    return VMUX_SUCCESS;
}

static vmux_err_t check_draw(struct sim_screen *s, const struct hil_screen_rect *r)
{
    if (s->busy)
        return VMUX_BUSY;
    if (!hil_screen_rect_inside(r, SIM_SCREEN_WIDTH, SIM_SCREEN_HEIGHT))
        return VMUX_INVALID;
    return s->powered ? VMUX_SUCCESS : VMUX_OFF;
}

static vmux_err_t screen_write(struct hil_screen *h, const struct hil_screen_rect *r,
                               uint32_t start, const uint8_t *buf, size_t len)
{
    struct sim_screen *s = screen_of(h);
    vmux_err_t err = check_draw(s, r);
    if (err == VMUX_SUCCESS)
        err = hil_screen_write_fits(h, r, start, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    s->rect = *r;
    s->start = start;
    s->buf = buf;
    s->len = len;
    return begin(s, OP_WRITE, (uint32_t)len);
}

static vmux_err_t screen_fill(struct hil_screen *h, const struct hil_screen_rect *r, uint8_t grey)
{
    struct sim_screen *s = screen_of(h);
    vmux_err_t err = check_draw(s, r);
    if (err != VMUX_SUCCESS)
        return err;
    if (grey > HIL_SCREEN_GREY_MAX)
        return VMUX_INVALID;
    s->rect = *r;
    s->value = grey;
    return begin(s, OP_FILL, hil_screen_bytes(hil_screen_pixels(r)));
}

/* A setting: one byte's time. */
static vmux_err_t setting(struct hil_screen *h, uint8_t op, uint16_t value)
{
    struct sim_screen *s = screen_of(h);
    if (s->busy)
        return VMUX_BUSY;
    s->value = (uint8_t)(value != 0);
    s->level = value;
    return begin(s, op, 1);
}

static vmux_err_t screen_set_power(struct hil_screen *h, bool on)
{
    return setting(h, OP_POWER, on);
}

static vmux_err_t screen_set_brightness(struct hil_screen *h, uint16_t level)
{
    return setting(h, OP_BRIGHTNESS, level);
}

static void screen_abort(struct hil_screen *h)
{
    struct sim_screen *s = screen_of(h);
    if (!s->busy)
        return;
    sim_event_cancel(&s->completion);
    s->busy = false;
    s->buf = NULL;
    s->len = 0;
    s->counters.aborts++;
}

static const struct hil_screen_ops sim_screen_ops = {
    screen_write, screen_fill, screen_set_power, screen_set_brightness, screen_abort,
};

vmux_err_t sim_screen_init(struct sim_screen *s)
{
    memset(s, 0, sizeof *s);
    s->hil.ops = &sim_screen_ops;
    s->hil.width = SIM_SCREEN_WIDTH;
    s->hil.height = SIM_SCREEN_HEIGHT;
    s->hil.format = HIL_SCREEN_GREY4;
    s->byte_ns = SIM_SCREEN_NS_PER_BYTE;
    return deferred_call_register(&s->irq, bottom_half);
}

unsigned sim_screen_pixel(const struct sim_screen *s, unsigned x, unsigned y)
{
    if (!s->powered || x >= SIM_SCREEN_WIDTH || y >= SIM_SCREEN_HEIGHT)
        return 0;
    return s->pixels[y][x];
}

/* ------------------------------------------------------------ PNG */

/* PNG's CRC-32 (ISO-HDLC, reflected 0xedb88320) over len bytes. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = crc & 1u ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
    }
    return crc;
}

struct png_out {
    FILE *f;
    uint32_t crc;             /* of the chunk being written */
    uint32_t adler_a, adler_b;
    bool failed;
};

static void put(struct png_out *o, const void *p, size_t len)
{
    o->crc = crc32_update(o->crc, p, len);
    if (fwrite(p, 1, len, o->f) != len)
        o->failed = true;
}

static void put_be32(struct png_out *o, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put(o, b, 4);
}

static void chunk_begin(struct png_out *o, uint32_t len, const char *type)
{
    put_be32(o, len); /* the length is outside the CRC */
    o->crc = 0xffffffffu;
    put(o, type, 4);
}

static void chunk_end(struct png_out *o)
{
    put_be32(o, ~o->crc);
}

/* Data bytes of the zlib stream, counted into its Adler-32. */
static void put_data(struct png_out *o, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        o->adler_a = (o->adler_a + p[i]) % 65521u;
        o->adler_b = (o->adler_b + o->adler_a) % 65521u;
    }
    put(o, p, len);
}

/* One image row: PNG filter 0 (none), then the pixels, scaled. */
static void make_row(const struct sim_screen *s, unsigned y, unsigned scale, uint8_t *row)
{
    row[0] = 0;
    for (unsigned x = 0; x < SIM_SCREEN_WIDTH * scale; x++)
        row[1 + x] = (uint8_t)(sim_screen_pixel(s, x / scale, y / scale) * 17u);
}

int sim_screen_write_png(struct sim_screen *s, const char *path, unsigned scale)
{
    if (scale < 1 || scale > 8)
        scale = 1;
    const uint32_t width = SIM_SCREEN_WIDTH * scale, height = SIM_SCREEN_HEIGHT * scale;
    const uint32_t row_len = width + 1;
    const uint32_t raw = row_len * height;
    /* zlib: stored blocks of at most 65535 bytes, one per block run */
    const uint32_t blocks = (raw + 65534u) / 65535u;
    const uint32_t zlen = 2 + blocks * 5 + raw + 4;
    static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    uint8_t row[1 + SIM_SCREEN_WIDTH * 8];
    struct png_out o = { fopen(path, "wb"), 0, 1, 0, false };
    if (o.f == NULL)
        return -1;
    put(&o, signature, sizeof signature);
    chunk_begin(&o, 13, "IHDR");
    put_be32(&o, width);
    put_be32(&o, height);
    const uint8_t ihdr[5] = { 8, 0, 0, 0, 0 }; /* 8-bit grey, deflate, filter 0, no interlace */
    put(&o, ihdr, sizeof ihdr);
    chunk_end(&o);
    chunk_begin(&o, zlen, "IDAT");
    const uint8_t zhead[2] = { 0x78, 0x01 }; /* deflate, 32 KiB window, no dictionary */
    put(&o, zhead, 2);
    uint32_t left = raw, in_block = 0, row_at = row_len;
    unsigned y = 0;
    while (left) {
        if (in_block == 0) {
            in_block = left < 65535u ? left : 65535u;
            const uint8_t head[5] = { (uint8_t)(left == in_block), (uint8_t)in_block,
                                      (uint8_t)(in_block >> 8), (uint8_t)~in_block,
                                      (uint8_t)(~in_block >> 8) };
            put(&o, head, 5);
        }
        if (row_at == row_len) {
            make_row(s, y++, scale, row);
            row_at = 0;
        }
        uint32_t n = row_len - row_at < in_block ? row_len - row_at : in_block;
        put_data(&o, row + row_at, n);
        row_at += n;
        in_block -= n;
        left -= n;
    }
    put_be32(&o, (o.adler_b << 16) | o.adler_a);
    chunk_end(&o);
    chunk_begin(&o, 0, "IEND");
    chunk_end(&o);
    if (fclose(o.f) != 0 || o.failed)
        return -1;
    s->counters.pngs++;
    return 0;
}
