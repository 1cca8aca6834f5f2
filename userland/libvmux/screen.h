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

/* VMUX_OK when the board gives this process a window (command 0 says
 * only that the board has the driver). */
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

/* Drawing helpers over the calls above (each leaves the frame moved). */
/* A bar across the window at rows y..y+height-1: value/max of its width
 * lit (grey 15), the rest dim (grey 2). */
int vmux_screen_bar(uint32_t y, uint32_t height, uint32_t value, uint32_t max);
/* value in decimal in `digits` places (1..6), with leading zeros (the
 * lowest digits when it has more), digits 3 x 5 drawn twice as large, 8 pixels
 * apart: digits * 8 x 10 pixels from (x, y). */
#define VMUX_SCREEN_DIGIT_WIDTH 8u
#define VMUX_SCREEN_DIGIT_HEIGHT 10u
int vmux_screen_number(uint32_t x, uint32_t y, uint32_t value, unsigned digits);

#endif
