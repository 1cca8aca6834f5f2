/*
 * Simulated screen: struct hil_screen (hil/screen.h) of the lm3s6965evb's
 * OLED's geometry, 128 x 64 pixels of 4-bit grey, on the host board's
 * clock.
 *
 * The panel is a framebuffer, one byte per pixel (0..15), that tests and
 * the management channel read (sim_screen_pixel, sim_screen_write_png);
 * nothing under hil/ can. A request takes the time of its bytes on an
 * SPI bus at 8 MHz (byte_ns, SIM_SCREEN_NS_PER_BYTE from init, each; a
 * fill half a byte per pixel, a setting one byte; a board may set
 * byte_ns to 0: at once) and changes the pixels when it completes:
 * a simulated event that raises the screen's deferred call, whose bottom
 * half calls done. abort() cancels it: no pixel changes, no done.
 *
 * Powered down, the panel shows black (sim_screen_pixel answers 0 and
 * the PNG is black) but keeps its pixels. The brightness is recorded.
 *
 * For tests: `hang` makes requests never complete (only abort ends
 * them); counters count what happened.
 */
#ifndef VMUX_CHIPS_SIM_SIM_SCREEN_H
#define VMUX_CHIPS_SIM_SIM_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "hil/screen.h"
#include "kernel/deferred.h"

#define SIM_SCREEN_WIDTH 128u
#define SIM_SCREEN_HEIGHT 64u
#define SIM_SCREEN_NS_PER_BYTE 1000u

struct sim_screen_counters {
    uint32_t requests;        /* completed */
    uint32_t aborts;
    uint32_t pngs;            /* pictures written */
};

struct sim_screen {
    struct hil_screen hil;
    uint8_t pixels[SIM_SCREEN_HEIGHT][SIM_SCREEN_WIDTH];
    bool powered;
    uint16_t brightness;
    bool hang;
    uint32_t byte_ns;
    /* the request in flight */
    bool busy;
    uint8_t op;
    struct hil_screen_rect rect;
    uint32_t start;
    const uint8_t *buf;
    size_t len;
    uint8_t value;            /* the fill's grey, the power wanted */
    uint16_t level;
    struct sim_event completion;
    struct deferred_call irq;
    struct sim_screen_counters counters;
};

/* Powered down, black, brightness 0. NOMEM when no deferred call is left. */
vmux_err_t sim_screen_init(struct sim_screen *s);

/* The grey the panel shows at (x, y): 0 when powered down or outside. */
unsigned sim_screen_pixel(const struct sim_screen *s, unsigned x, unsigned y);

/* Write what the panel shows as a PNG (8-bit grey, the 4-bit levels
 * times 17), scale times larger each way (1..8). 0, or -1 when the file
 * cannot be written (errno says why). */
int sim_screen_write_png(struct sim_screen *s, const char *path, unsigned scale);

#endif
