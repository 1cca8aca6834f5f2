#include "capsules/ssd0323.h"

#define CMD_COLUMNS 0x15u
#define CMD_ROWS 0x75u
#define CMD_CONTRAST 0x81u
#define CMD_REMAP 0xa0u
#define CMD_OFF 0xaeu
#define CMD_ON 0xafu
#define REMAP_HORIZONTAL 0x52u  /* COM split and swap, nibbles as sent; rows advance after columns */

static struct ssd0323 *of_hil(struct hil_screen *s)
{
    return container_of(s, struct ssd0323, hil);
}

static void set_pixel(struct ssd0323 *o, unsigned x, unsigned y, unsigned grey)
{
    uint8_t *b = &o->panel[y][x / 2];
    *b = x % 2 ? (uint8_t)((*b & 0xf0u) | grey) : (uint8_t)((*b & 0x0fu) | grey << 4);
}

/* The request is over: done() unless it was aborted. */
static void finish(struct ssd0323 *o, vmux_err_t status)
{
    const uint8_t *buf = o->buf;
    size_t len = o->len;
    bool wanted = !o->aborted;
    o->busy = false;
    o->aborted = false;
    o->buf = NULL;
    o->len = 0;
    spi_mux_release(&o->dev);
    if (wanted && o->hil.client)
        o->hil.client->done(o->hil.client, buf, len, status);
}

/* The next data transfer: a row, or every row left when they are whole. */
static vmux_err_t send_rows(struct ssd0323 *o)
{
    unsigned width = o->last_col - o->col + 1u;
    unsigned rows = width == SSD0323_WIDTH / 2 ? o->last_row - o->row + 1u : 1u;
    const uint8_t *from = &o->panel[o->row][o->col];
    o->row = (uint8_t)(o->row + rows);
    return spi_mux_transfer(&o->dev, from, NULL, width * rows, SPI_DATA | SPI_HOLD);
}

static void transfer_done(struct spi_device *d, const uint8_t *write, uint8_t *read, size_t len,
                          vmux_err_t status)
{
    struct ssd0323 *o = container_of(d, struct ssd0323, dev);
    (void)read, (void)len;
    bool window_sent = write == o->cmd && o->cmd[0] == CMD_COLUMNS;
    if (status == VMUX_SUCCESS && !o->aborted && (window_sent || write != o->cmd) &&
        o->row <= o->last_row && (status = send_rows(o)) == VMUX_SUCCESS)
        return;
    finish(o, status);
}

static const struct spi_device_ops ssd0323_spi_ops = { transfer_done };

/* Send the touched rows of the copy: the window, then the data. */
static vmux_err_t flush(struct ssd0323 *o, unsigned x0, unsigned x1, unsigned y0, unsigned y1)
{
    o->col = (uint8_t)(x0 / 2);
    o->last_col = (uint8_t)(x1 / 2);
    o->row = (uint8_t)y0;
    o->last_row = (uint8_t)y1;
    const uint8_t window[6] = { CMD_COLUMNS, o->col, o->last_col, CMD_ROWS, o->row, o->last_row };
    for (unsigned i = 0; i < sizeof window; i++)
        o->cmd[i] = window[i];
    vmux_err_t err = spi_mux_transfer(&o->dev, o->cmd, NULL, sizeof window, SPI_HOLD);
    o->busy = err == VMUX_SUCCESS;
    return err;
}

/* Commands alone (power, contrast): one transfer. */
static vmux_err_t command(struct ssd0323 *o, const uint8_t *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        o->cmd[i] = bytes[i];
    o->row = 1; /* past last_row: nothing follows */
    o->last_row = 0;
    vmux_err_t err = spi_mux_transfer(&o->dev, o->cmd, NULL, n, SPI_HOLD);
    o->busy = err == VMUX_SUCCESS;
    return err;
}

static vmux_err_t check_draw(struct ssd0323 *o, const struct hil_screen_rect *r)
{
    if (o->busy)
        return VMUX_BUSY;
    if (!hil_screen_rect_inside(r, SSD0323_WIDTH, SSD0323_HEIGHT))
        return VMUX_INVALID;
    return o->started ? VMUX_SUCCESS : VMUX_OFF;
}

static vmux_err_t screen_write(struct hil_screen *s, const struct hil_screen_rect *r,
                               uint32_t start, const uint8_t *buf, size_t len)
{
    struct ssd0323 *o = of_hil(s);
    vmux_err_t err = check_draw(o, r);
    if (err == VMUX_SUCCESS)
        err = hil_screen_write_fits(s, r, start, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    uint32_t pixels = hil_screen_pixels(r);
    uint32_t end = start + 2u * (uint32_t)len;
    if (end > pixels)
        end = pixels;
    for (uint32_t at = start; at < end; at++) {
        uint8_t byte = buf[(at - start) / 2];
        set_pixel(o, r->x + at % r->width, r->y + at / r->width,
                  (at - start) % 2 ? byte & 0xfu : byte >> 4);
    }
    o->buf = buf;
    o->len = len;
    unsigned first = start / r->width, last = (end - 1) / r->width;
    return flush(o, r->x, r->x + r->width - 1u, r->y + first, r->y + last);
}

static vmux_err_t screen_fill(struct hil_screen *s, const struct hil_screen_rect *r, uint8_t grey)
{
    struct ssd0323 *o = of_hil(s);
    vmux_err_t err = check_draw(o, r);
    if (err != VMUX_SUCCESS)
        return err;
    if (grey > HIL_SCREEN_GREY_MAX)
        return VMUX_INVALID;
    for (unsigned y = r->y; y < (unsigned)r->y + r->height; y++)
        for (unsigned x = r->x; x < (unsigned)r->x + r->width; x++)
            set_pixel(o, x, y, grey);
    return flush(o, r->x, r->x + r->width - 1u, r->y, r->y + r->height - 1u);
}

static vmux_err_t screen_set_power(struct hil_screen *s, bool on)
{
    struct ssd0323 *o = of_hil(s);
    if (o->busy)
        return VMUX_BUSY;
    static const uint8_t up[] = { CMD_REMAP, REMAP_HORIZONTAL, CMD_ON };
    static const uint8_t down[] = { CMD_OFF };
    vmux_err_t err = on ? command(o, up, sizeof up) : command(o, down, sizeof down);
    if (err == VMUX_SUCCESS)
        o->started = on;
    return err;
}

static vmux_err_t screen_set_brightness(struct hil_screen *s, uint16_t level)
{
    struct ssd0323 *o = of_hil(s);
    if (o->busy)
        return VMUX_BUSY;
    const uint8_t contrast[] = { CMD_CONTRAST, (uint8_t)(level >> 9) };
    return command(o, contrast, sizeof contrast);
}

static void screen_abort(struct hil_screen *s)
{
    struct ssd0323 *o = of_hil(s);
    if (o->busy)
        o->aborted = true; /* the buffer was copied: nothing of the caller's is held */
    o->buf = NULL;
    o->len = 0;
}

static const struct hil_screen_ops ssd0323_ops = {
    screen_write, screen_fill, screen_set_power, screen_set_brightness, screen_abort,
};

vmux_err_t ssd0323_init(struct ssd0323 *o, struct spi_mux *mux, client_id_t id,
                        const cap_bus_device_t *cap, const struct spi_chip *chip)
{
    *o = (struct ssd0323){ 0 };
    o->hil.ops = &ssd0323_ops;
    o->hil.width = SSD0323_WIDTH;
    o->hil.height = SSD0323_HEIGHT;
    o->hil.format = HIL_SCREEN_GREY4;
    vmux_err_t err = spi_mux_attach(mux, &o->dev, id, cap, chip, &ssd0323_spi_ops);
    if (err == VMUX_SUCCESS)
        err = spi_mux_configure(&o->dev, HIL_SPI_MODE_3, 4000000u);
    return err;
}
