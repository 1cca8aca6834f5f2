/*
 * painter: the picture tests' app (tests/check/host_board_screen.sh);
 * run it under the name of a window (--app painter.so@sensor-a).
 *
 * It fills the top PATTERN_ROWS rows of its window with a pattern in
 * window coordinates, grey (x + y) % 16, so each window it runs in shows
 * the same picture wherever the window is. Then it tries to draw outside
 * its window in every way the screen driver takes (a frame past each
 * edge, a frame too large, more pixels than the frame holds) and prints
 * how many were refused. Then, every UPDATE_MS, it draws its update
 * count below the pattern and measures how long that took; after
 * UPDATES updates it prints the longest.
 */
#include "libvmux.h"

#define PATTERN_ROWS 18u
#define UPDATE_MS 50u
#define UPDATES 20u
#define WIDTH_MAX 128u

static uint8_t row_pixels[WIDTH_MAX * PATTERN_ROWS / 2];

static int draw_pattern(uint32_t width)
{
    for (uint32_t y = 0; y < PATTERN_ROWS; y++)
        for (uint32_t x = 0; x < width; x++) {
            uint32_t at = y * width + x;
            uint8_t grey = (uint8_t)((x + y) % 16u);
            uint8_t *b = &row_pixels[at / 2];
            *b = at % 2 ? (uint8_t)((*b & 0xf0u) | grey) : (uint8_t)((*b & 0x0fu) | grey << 4);
        }
    int err = vmux_screen_frame(0, 0, width, PATTERN_ROWS);
    if (err == VMUX_OK)
        err = vmux_screen_write(row_pixels, width * PATTERN_ROWS / 2);
    return err;
}

/* Every way out of the window; each must be refused. */
static unsigned try_outside(uint32_t width, uint32_t height, unsigned *tries)
{
    const uint32_t frames[][4] = {
        { width, 0, 1, 1 },      { 0, height, 1, 1 },     { width - 1, 0, 2, 1 },
        { 0, height - 1, 1, 2 }, { 0, 0, width + 1, 1 },  { 0, 0, 1, height + 1 },
        { 0xffffu, 0, 2, 1 },    { 0, 0xffffu, 1, 2 },
    };
    unsigned refused = 0;
    for (unsigned k = 0; k < sizeof frames / sizeof frames[0]; k++) {
        (*tries)++;
        refused += vmux_screen_frame(frames[k][0], frames[k][1], frames[k][2], frames[k][3]) ==
                   VMUX_EINVAL;
    }
    /* a frame of 2 x 1 pixels, and 2 bytes (4 pixels) for it */
    (*tries)++;
    if (vmux_screen_frame(width - 2, height - 1, 2, 1) == VMUX_OK)
        refused += vmux_screen_write(row_pixels, 2) == VMUX_ESIZE;
    return refused;
}

int main(void)
{
    uint32_t width, height, hz, now;
    int err = vmux_screen_power(1);
    if (err == VMUX_OK)
        err = vmux_screen_size(&width, &height);
    if (err == VMUX_OK && (width > WIDTH_MAX || height < PATTERN_ROWS + VMUX_SCREEN_DIGIT_HEIGHT))
        err = VMUX_ESIZE;
    if (err == VMUX_OK)
        err = draw_pattern(width);
    if (err != VMUX_OK) {
        vmux_printf("no window to paint: %s\n", vmux_error_name(err));
        return 1;
    }
    unsigned tries = 0, refused = try_outside(width, height, &tries);
    vmux_printf("pattern drawn in %ux%u; %u of %u outside attempts refused\n", (unsigned)width,
                (unsigned)height, refused, tries);
    vmux_alarm_frequency(&hz);
    vmux_alarm_now(&now);
    uint32_t longest = 0, next = now;
    for (uint32_t update = 1; update <= UPDATES; update++) {
        next += UPDATE_MS * (hz / 1000u);
        vmux_sleep_until(next);
        uint32_t start, end;
        vmux_alarm_now(&start);
        err = vmux_screen_number(2, PATTERN_ROWS, update, 4);
        vmux_alarm_now(&end);
        if (err != VMUX_OK) {
            vmux_printf("update %u: %s\n", (unsigned)update, vmux_error_name(err));
            return 1;
        }
        if (end - start > longest)
            longest = end - start;
    }
    vmux_printf("%u updates, the longest took %u us\n", UPDATES,
                (unsigned)((uint64_t)longest * 1000000u / hz));
    return 0;
}
