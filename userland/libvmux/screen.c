/*
 * Screen 0x90001: command 2 power, 3 brightness, 23 resolution (two
 * values), 25 pixel format, 100 frame (x << 16 | y, width << 16 |
 * height), 200 write (len), 300 fill (the first pixel of the allow);
 * read-only allow 0 the pixels; upcall 0 with (StatusCode, 0, 0) at the
 * end of 2, 3, 100, 200 and 300.
 */
#include "screen.h"

#include "syscall.h"

enum {
    SCREEN_POWER = 2,
    SCREEN_BRIGHTNESS = 3,
    SCREEN_RESOLUTION = 23,
    SCREEN_PIXEL_FORMAT = 25,
    SCREEN_FRAME = 100,
    SCREEN_WRITE = 200,
    SCREEN_FILL = 300,
};

/* A command that ends with the upcall: its status. */
static int screen_wait(uint32_t command, uint32_t a, uint32_t b)
{
    struct vmux_upcall_args done;
    int err = vmux_command_wait(VMUX_DRIVER_SCREEN, 0, command, a, b, &done);
    return err == VMUX_OK ? vmux_upcall_status(done.a0) : err;
}

int vmux_screen_exists(void)
{
    return vmux_command_status(VMUX_DRIVER_SCREEN, 0, 0, 0);
}

int vmux_screen_size(uint32_t *width, uint32_t *height)
{
    struct vmux_result r = vmux_command(VMUX_DRIVER_SCREEN, SCREEN_RESOLUTION, 0, 0);
    int err = vmux_result_expect(r, VMUX_SUCCESS_2U32);
    *width = err == VMUX_OK ? r.r1 : 0;
    *height = err == VMUX_OK ? r.r2 : 0;
    return err;
}

int vmux_screen_pixel_format(uint32_t *format)
{
    return vmux_result_u32(vmux_command(VMUX_DRIVER_SCREEN, SCREEN_PIXEL_FORMAT, 0, 0), format);
}

int vmux_screen_power(int on)
{
    return screen_wait(SCREEN_POWER, on != 0, 0);
}

int vmux_screen_brightness(uint32_t level)
{
    return screen_wait(SCREEN_BRIGHTNESS, level, 0);
}

int vmux_screen_frame(uint32_t x, uint32_t y, uint32_t width, uint32_t height)
{
    if (x > 0xffffu || y > 0xffffu || width > 0xffffu || height > 0xffffu)
        return VMUX_EINVAL;
    return screen_wait(SCREEN_FRAME, x << 16 | y, width << 16 | height);
}

static int with_pixels(uint32_t command, const uint8_t *pixels, size_t len)
{
    int err = vmux_allow_ro_status(VMUX_DRIVER_SCREEN, 0, pixels, len);
    if (err == VMUX_OK)
        err = screen_wait(command, vmux_clamp_u32(len), 0);
    vmux_allow_ro(VMUX_DRIVER_SCREEN, 0, NULL, 0);
    return err;
}

int vmux_screen_write(const uint8_t *pixels, size_t len)
{
    return with_pixels(SCREEN_WRITE, pixels, len);
}

int vmux_screen_fill(uint32_t grey)
{
    uint8_t pixel = (uint8_t)(grey << 4);
    return with_pixels(SCREEN_FILL, &pixel, 1);
}
