/*
 * Screen HIL: one pixel display, split phase.
 *
 * Geometry and pixel format are fixed fields of the device (width,
 * height, format): the screen is HIL_SCREEN_GREY4, 4 bits of grey per
 * pixel (0 black .. 15 white), two pixels to a byte, the first in the
 * high nibble, rows one after the other with no padding (a stream of
 * pixels, as Tock's screen takes them).
 *
 * A frame goes with every request, so no other request can come between
 * a frame and its pixels:
 *
 *   write(rect, start, buf, len)   put the 2*len pixels of buf into the
 *                                  rectangle rect (screen coordinates),
 *                                  from pixel `start` of it on in row
 *                                  order. INVALID for a rectangle not
 *                                  inside the screen or of no area, SIZE
 *                                  for len 0 or pixels past its end, OFF
 *                                  while the screen is powered down, BUSY
 *                                  while a request runs.
 *   fill(rect, grey)               every pixel of rect to grey (0..15);
 *                                  INVALID, OFF, BUSY as write.
 *   set_power(on)                  power the panel up or down (its pixels
 *                                  are kept); BUSY as write.
 *   set_brightness(level)          0 no light .. 65535 the brightest;
 *                                  BUSY as write.
 *   abort()                        end the request in flight, if any: no
 *                                  done follows for it, and once abort()
 *                                  returns the driver no longer touches
 *                                  its buffer.
 *
 * Each accepted request ends with one done(buf, len, status) from the
 * loop: a write hands its buffer back; the others have buf NULL. The
 * driver reads the buffer, never writes it, and keeps no copy of it
 * beyond the pixels themselves.
 *
 * One client per screen (hil/hil.h): capsules/screen_mux.h shares it.
 */
#ifndef VMUX_HIL_SCREEN_H
#define VMUX_HIL_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

/* Tock numbers its formats 0 (mono) to 5 (ARGB 8888) and has no grey;
 * vmux gives 4-bit grey a number beyond Tock's. */
#define HIL_SCREEN_GREY4 16u
#define HIL_SCREEN_GREY_MAX 15u

struct hil_screen_rect {
    uint16_t x, y, width, height;
};

struct hil_screen;

struct hil_screen_client {
    void (*done)(struct hil_screen_client *self, const uint8_t *buf, size_t len,
                 vmux_err_t status);
};

struct hil_screen_ops {
    vmux_err_t (*write)(struct hil_screen *s, const struct hil_screen_rect *rect, uint32_t start,
                        const uint8_t *buf, size_t len);
    vmux_err_t (*fill)(struct hil_screen *s, const struct hil_screen_rect *rect, uint8_t grey);
    vmux_err_t (*set_power)(struct hil_screen *s, bool on);
    vmux_err_t (*set_brightness)(struct hil_screen *s, uint16_t level);
    void (*abort)(struct hil_screen *s);
};

struct hil_screen {
    const struct hil_screen_ops *ops;
    struct hil_screen_client *client;
    uint16_t width, height;
    uint8_t format;
};

/* Pixels and the bytes that hold them, in HIL_SCREEN_GREY4. */
static inline uint32_t hil_screen_pixels(const struct hil_screen_rect *r)
{
    return (uint32_t)r->width * r->height;
}
static inline uint32_t hil_screen_bytes(uint32_t pixels)
{
    return (pixels + 1u) / 2u;
}

/* Is r of some area and inside a width x height area? */
static inline bool hil_screen_rect_inside(const struct hil_screen_rect *r, unsigned width,
                                          unsigned height)
{
    return r->width && r->height && (unsigned)r->x + r->width <= width &&
           (unsigned)r->y + r->height <= height;
}

/* The checks of write()'s arguments every driver makes: INVALID for a
 * rectangle not inside the screen or a NULL buffer, SIZE for no bytes
 * or pixels past the rectangle's end. */
static inline vmux_err_t hil_screen_write_fits(const struct hil_screen *s,
                                               const struct hil_screen_rect *r, uint32_t start,
                                               const uint8_t *buf, size_t len)
{
    if (!hil_screen_rect_inside(r, s->width, s->height) || buf == NULL)
        return VMUX_INVALID;
    uint32_t pixels = hil_screen_pixels(r);
    if (len == 0 || start >= pixels || len > hil_screen_bytes(pixels - start))
        return VMUX_SIZE;
    return VMUX_SUCCESS;
}

static inline void hil_screen_set_client(struct hil_screen *s, struct hil_screen_client *c)
{
    s->client = c;
}
static inline vmux_err_t hil_screen_write(struct hil_screen *s, const struct hil_screen_rect *r,
                                          uint32_t start, const uint8_t *buf, size_t len)
{
    return s->ops->write(s, r, start, buf, len);
}
static inline vmux_err_t hil_screen_fill(struct hil_screen *s, const struct hil_screen_rect *r,
                                         uint8_t grey)
{
    return s->ops->fill(s, r, grey);
}
static inline vmux_err_t hil_screen_set_power(struct hil_screen *s, bool on)
{
    return s->ops->set_power(s, on);
}
static inline vmux_err_t hil_screen_set_brightness(struct hil_screen *s, uint16_t level)
{
    return s->ops->set_brightness(s, level);
}
static inline void hil_screen_abort(struct hil_screen *s)
{
    s->ops->abort(s);
}

#endif
