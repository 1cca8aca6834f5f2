/*
 * Screen 0x90001: command 2 power, 3 brightness, 23 resolution (two
 * values), 25 pixel format, 100 frame (x << 16 | y, width << 16 |
 * height), 200 write (len), 300 fill (the first pixel of the allow);
 * read-only allow 0 the pixels; upcall 0 with (StatusCode, 0, 0) at the
 * end of 2, 3, 100, 200 and 300.
 */
#include "screen.h"

#include "syscall.h"
#include "../../kernel/font3x5.h"

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
    uint32_t width, height;
    return vmux_screen_size(&width, &height);
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

int vmux_screen_bar(uint32_t y, uint32_t height, uint32_t value, uint32_t max)
{
    uint32_t width, window_height;
    int err = vmux_screen_size(&width, &window_height);
    uint32_t lit = max == 0 ? 0 : value >= max ? width : (uint32_t)((uint64_t)value * width / max);
    if (err == VMUX_OK && lit > 0)
        err = vmux_screen_frame(0, y, lit, height);
    if (err == VMUX_OK && lit > 0)
        err = vmux_screen_fill(15);
    if (err == VMUX_OK && lit < width)
        err = vmux_screen_frame(lit, y, width - lit, height);
    if (err == VMUX_OK && lit < width)
        err = vmux_screen_fill(2);
    return err;
}

int vmux_screen_number(uint32_t x, uint32_t y, uint32_t value, unsigned digits)
{
    enum { MAX_DIGITS = 6 };
    uint8_t pixels[MAX_DIGITS * VMUX_SCREEN_DIGIT_WIDTH * VMUX_SCREEN_DIGIT_HEIGHT / 2] = { 0 };
    if (digits < 1 || digits > MAX_DIGITS)
        return VMUX_EINVAL;
    const uint32_t width = digits * VMUX_SCREEN_DIGIT_WIDTH;
    for (unsigned place = digits; place-- > 0; value /= 10) {
        for (uint32_t py = 0; py < VMUX_SCREEN_DIGIT_HEIGHT; py++) {
            for (uint32_t px = 0; px < 2 * FONT3X5_WIDTH; px++) {
                if (!font3x5_lit(value % 10, px / 2, py / 2))
                    continue;
                uint32_t at = py * width + place * VMUX_SCREEN_DIGIT_WIDTH + 1 + px;
                pixels[at / 2] |= (uint8_t)(at % 2 ? 0x0f : 0xf0);
            }
        }
    }
    int err = vmux_screen_frame(x, y, width, VMUX_SCREEN_DIGIT_HEIGHT);
    if (err == VMUX_OK)
        err = vmux_screen_write(pixels, width * VMUX_SCREEN_DIGIT_HEIGHT / 2);
    return err;
}
