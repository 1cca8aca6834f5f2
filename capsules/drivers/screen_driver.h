/*
 * Screen syscall driver: driver 0x90001, Tock's screen
 * (capsules/extra/src/screen.rs) over the screen mux, restricted to the
 * window the board gives the process.
 *
 * A process sees its window as the whole screen: its resolution is the
 * window's, and the frames it sets are in window coordinates. A process
 * the board gives no window (capsules/drivers/owners.h) has no screen:
 * every command but 0 answers NODEVICE, counted in `nodevice` (command
 * 0, which the kernel answers for every driver, says the board has a
 * screen driver).
 *
 *   command 0            the driver exists (on the board)   Success
 *   command 1            the setup API: none                Success u32 0
 *   command 2, on        power its window on (on != 0) or   Success, then
 *                        off                                upcall
 *   command 3, level     brightness, 0..65535 (more: 65535) Success, then
 *                                                           upcall
 *   command 21           rotation                           Success u32 0
 *   command 23           resolution: the window's           Success u32 u32
 *   command 25           pixel format                       Success u32 16
 *                        (HIL_SCREEN_GREY4: 4-bit grey, two
 *                        pixels a byte, the first in the
 *                        high nibble)
 *   command 100, x<<16|y, w<<16|h
 *                        the write frame, window            Success, then
 *                        coordinates                        upcall; INVALID
 *                                                           outside
 *   command 200, len     write the first len bytes of       Success, then
 *                        read-only allow 0 into the frame   upcall; NOMEM
 *                        from its first pixel               nothing allowed,
 *                                                           SIZE past the frame
 *   command 300          fill the frame with the first      as 200
 *                        pixel of read-only allow 0
 *   4, 5, 6 (invert), 11-14, 22, 24, 26 (setup)             NOSUPPORT
 *   other                                                   NOSUPPORT
 *   subscribe 0          (StatusCode, 0, 0) when a command ends
 *   read-only allow 0    the pixels
 *
 * One command at a time per process (BUSY until its upcall), as in
 * Tock. What differs from Tock: a frame outside the window is refused at
 * once (INVALID, no upcall) and leaves the frame as it was, and so is a
 * write longer than the frame (SIZE, counted in `size`); power and
 * brightness are the window's own (capsules/screen_mux.h): the panel is
 * on while any client wants it, so a process cannot blank the others.
 *
 * Pixels go through a buffer of SCREEN_DRIVER_CHUNK bytes in the
 * process's grant, copied in from the allow as it is when each chunk's
 * turn comes and wiped after it; each chunk is one turn of the mux, so a
 * big write does not hold the screen from the others. When the process
 * ends, its request on the screen is aborted.
 *
 *     static const struct screen_window windows[] = {
 *         { "status", { 0, 0, 128, 8 }, NULL },
 *         { "sensor-a", { 0, 8, 64, 28 }, "sensor-a" },
 *     };
 *     screen_driver_init(&screen_driver, &screen_mux, &board_cap_screen_window, windows, 2);
 *     process_register_driver(&screen_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_SCREEN_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_SCREEN_DRIVER_H

#include <stdint.h>

#include "capsules/screen_mux.h"
#include "kernel/capability.h"
#include "kernel/syscall_driver.h"

#define SCREEN_DRIVER_NUM 0x90001u
#ifndef SCREEN_DRIVER_CHUNK
#define SCREEN_DRIVER_CHUNK 32u
#endif

enum screen_driver_command {
    SCREEN_CMD_SETUP = 1,
    SCREEN_CMD_POWER = 2,
    SCREEN_CMD_BRIGHTNESS = 3,
    SCREEN_CMD_ROTATION = 21,
    SCREEN_CMD_RESOLUTION = 23,
    SCREEN_CMD_PIXEL_FORMAT = 25,
    SCREEN_CMD_SET_FRAME = 100,
    SCREEN_CMD_WRITE = 200,
    SCREEN_CMD_FILL = 300,
};

struct screen_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct screen_mux *mux;
    const cap_screen_window_t *cap;
    const struct screen_window *windows;
    uint8_t count;
    uint32_t nodevice;              /* NODEVICE answers: no window */
    uint32_t size;                  /* writes longer than their frame */
};

void screen_driver_init(struct screen_driver *d, struct screen_mux *mux,
                        const cap_screen_window_t *cap, const struct screen_window *windows,
                        unsigned count);

#endif
