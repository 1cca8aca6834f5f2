/*
 * The screen, Tock's driver 0x90001, as the board gives it to this
 * process: one window of the display, which the process sees as a whole
 * screen of its own (its size, coordinates from its top left corner).
 * A process the board gives no window gets VMUX_ENODEVICE from every
 * call. Pixels are 4-bit grey (0 black .. 15 white), two to a byte, the
 * first in the high nibble, row after row of the frame.
 *
 * Each call waits for its command to end and returns its status: a
 * frame reaching outside the window is VMUX_EINVAL, pixels past the
 * frame VMUX_ESIZE, drawing before vmux_screen_power(1) VMUX_EOFF.
 */
#ifndef VMUX_LIBVMUX_SCREEN_H
#define VMUX_LIBVMUX_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#define VMUX_DRIVER_SCREEN 0x90001u
#define VMUX_SCREEN_GREY4 16u

int vmux_screen_exists(void);
/* The window's width and height in pixels. */
int vmux_screen_size(uint32_t *width, uint32_t *height);
int vmux_screen_pixel_format(uint32_t *format);
int vmux_screen_power(int on);
int vmux_screen_brightness(uint32_t level);   /* 0..65535 */
/* The frame the next writes and fills go to, in window coordinates. */
int vmux_screen_frame(uint32_t x, uint32_t y, uint32_t width, uint32_t height);
/* len bytes of pixels into the frame from its first pixel. */
int vmux_screen_write(const uint8_t *pixels, size_t len);
/* The whole frame in one grey (0..15). */
int vmux_screen_fill(uint32_t grey);

#endif
