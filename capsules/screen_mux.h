/*
 * Screen mux: one screen (hil/screen.h) divided into windows, each the
 * board's gift to one client (a kernel component, or a process by name:
 * capsules/drivers/screen_driver.h), served round robin.
 *
 * Windows. The board describes each window once, in a const struct
 * screen_window: a rectangle of the screen and the names of the
 * processes it is for (capsules/drivers/owners.h; NULL for a kernel
 * component's, such as the kernel's status strip). A client is attached
 * to one window with the board's capability cap_screen_window_t (RESERVE
 * without it), so only the board decides who draws where. A window must
 * lie inside the screen and may not overlap the window of another client
 * attached (INVALID, counted in `overlap`); two clients of the same
 * window are the board's choice, and share it.
 *
 * Drawing. A client sees only its window: its width and height, and
 * window coordinates, (0, 0) its top left corner. screen_mux_set_frame()
 * picks the rectangle of the window its next writes and fills go to
 * (the whole window at first); a frame not inside the window is INVALID,
 * counted in `outside`, and changes nothing: neither the frame kept nor
 * any pixel. screen_mux_write() puts a buffer of pixels (HIL_SCREEN_GREY4)
 * into the frame from its first pixel, or, with `more`, from where the
 * last write ended (Tock's continued write); screen_mux_fill() sets the
 * whole frame to one grey. There is no way to read pixels back: nobody,
 * the window's own client included, can read what a window shows.
 *
 * Power and brightness are each client's own: a client's writes and
 * fills are OFF (counted in `off`) until it powers its window on. The
 * panel is powered while any attached client has power on, at the
 * highest brightness those clients ask for (SCREEN_MUX_BRIGHTNESS_DEFAULT
 * until they ask), so no client can turn off or dim the others' windows.
 * The new panel setting is applied in the asking client's turn.
 *
 * Turns. Each request is one operation of the client, queued and served
 * round robin with the other clients' (capsules/bus_mux.h, kernel/rr.h):
 * one rectangle, or one part of one, per turn, so with N clients drawing
 * nobody waits more than N-1 turns, however often the others flush. A
 * client has one request at a time (BUSY, counted in `busy`). The
 * watchdog of the bus_mux shape ends a request the screen never
 * completes (FAIL for that client only).
 *
 * Buffers. The mux keeps no pixels: a client's buffer goes down to the
 * screen in its own turn and comes back to it in done(), and nobody else
 * sees it. When a client detaches while its request is on the screen,
 * the request is aborted first (the driver lets go of the buffer); no
 * callback follows. What its window showed stays on the panel until its
 * next client draws over it.
 *
 * Refusals (kernel/errors.h), each counted in the mux's counters: OFF
 * for a client not attached or not powered; INVALID for a frame outside
 * the window or a grey above 15; SIZE for an empty write or one with
 * more bytes than the frame has pixels left; BUSY while a request is
 * queued.
 *
 * Wiring, in a board:
 *
 *     static const struct screen_window windows[] = {
 *         { "status", { 0, 0, 128, 8 }, NULL },           // the kernel's
 *         { "sensor-a", { 0, 8, 64, 28 }, "sensor-a" },
 *     };
 *     static struct client_entry *screen_slots[8];
 *     static uint32_t screen_rr_bits[RR_WORDS(8)];
 *     static struct virtual_alarm screen_watchdog;
 *     static struct screen_mux screen_mux;
 *     virtual_alarm_init(&screen_watchdog, &alarm_mux);
 *     screen_mux_init(&screen_mux, &oled.hil, screen_slots, screen_rr_bits, 8,
 *                     &screen_watchdog.hil, 100000);
 *     screen_mux_attach(&screen_mux, &status, status_id, &board_cap_screen_window,
 *                       &windows[0], &status_ops);
 *     screen_mux_set_power(&status, true);
 *     screen_mux_fill(&status, 0);      // after done(): the next request
 */
#ifndef VMUX_CAPSULES_SCREEN_MUX_H
#define VMUX_CAPSULES_SCREEN_MUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capsules/bus_mux.h"
#include "hil/screen.h"
#include "kernel/capability.h"

/* One window of the screen, as the board gives it. */
struct screen_window {
    const char *name;
    struct hil_screen_rect rect;     /* screen coordinates */
    const char *owners;              /* the processes it is for; NULL: none */
};

#define SCREEN_MUX_BRIGHTNESS_DEFAULT 65535u

enum screen_op {
    SCREEN_OP_WRITE = 1,
    SCREEN_OP_FILL,
    SCREEN_OP_POWER,
    SCREEN_OP_BRIGHTNESS,
};

struct screen_client;

struct screen_client_ops {
    /* The request ended; buf and len are the write's (NULL, 0 else). */
    void (*done)(struct screen_client *c, const uint8_t *buf, size_t len, vmux_err_t status);
};

struct screen_client {
    struct bus_client bus;           /* first: the shared shape */
    const struct screen_client_ops *ops;
    const struct screen_window *window;
    struct hil_screen_rect frame;    /* window coordinates */
    uint32_t position;               /* the frame's pixel a continued write starts at */
    bool powered;
    uint16_t brightness;
    uint8_t op;                      /* enum screen_op of the queued request */
    uint8_t grey;                    /* its fill */
    const uint8_t *buf;              /* its write */
    size_t len;
};

struct screen_mux_counters {
    uint32_t outside;                /* frames not inside the window */
    uint32_t size;                   /* writes empty or past the frame */
    uint32_t busy;                   /* requests while one is queued */
    uint32_t off;                    /* draws while not powered, or detached */
    uint32_t invalid;                /* other bad arguments */
    uint32_t overlap;                /* attaches refused: window not the client's to have */
    uint32_t pixels;                 /* pixels written and filled */
};

struct screen_mux {
    struct bus_mux bus;              /* first: the shared shape */
    struct hil_screen *screen;
    struct hil_screen_client screen_client;
    struct screen_mux_counters counters;
};

vmux_err_t screen_mux_init(struct screen_mux *m, struct hil_screen *screen,
                           struct client_entry **storage, uint32_t *rr_words, unsigned capacity,
                           struct hil_alarm *watchdog, uint32_t timeout_us);

/* RESERVE without a valid capability; INVALID (counted in overlap) for
 * a window outside the screen or over another client's; NOMEM, ALREADY
 * as bus_mux_attach. The client starts powered off, at the default
 * brightness, its frame the whole window. */
vmux_err_t screen_mux_attach(struct screen_mux *m, struct screen_client *c, client_id_t id,
                             const cap_screen_window_t *cap, const struct screen_window *window,
                             const struct screen_client_ops *ops);
void screen_mux_detach(struct screen_client *c);

/* The client's window's size (0 x 0 when not attached). */
void screen_mux_size(const struct screen_client *c, unsigned *width, unsigned *height);

/* The frame of the next writes and fills, in window coordinates. */
vmux_err_t screen_mux_set_frame(struct screen_client *c, unsigned x, unsigned y, unsigned width,
                                unsigned height);

vmux_err_t screen_mux_write(struct screen_client *c, const uint8_t *buf, size_t len, bool more);
vmux_err_t screen_mux_fill(struct screen_client *c, unsigned grey);
vmux_err_t screen_mux_set_power(struct screen_client *c, bool on);
vmux_err_t screen_mux_set_brightness(struct screen_client *c, unsigned level);

#endif
