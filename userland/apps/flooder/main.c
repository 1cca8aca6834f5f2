/*
 * flooder: the picture tests' app (tests/check/host_board_screen.sh):
 * it redraws its whole window without a pause, as fast as the screen
 * takes it, alternately a fill and a full write, and between them tries
 * a frame outside its window. The screen mux serves it one rectangle per
 * turn like everyone else, so the others' windows keep updating.
 */
#include "libvmux.h"

static uint8_t pixels[1024];     /* a window of up to 2048 pixels */

int main(void)
{
    uint32_t width, height;
    int err = vmux_screen_power(1);
    if (err == VMUX_OK)
        err = vmux_screen_size(&width, &height);
    if (err != VMUX_OK || width * height / 2 > sizeof pixels) {
        vmux_printf("no window to flood: %s\n", vmux_error_name(err));
        return 1;
    }
    vmux_printf("flooding %ux%u\n", (unsigned)width, (unsigned)height);
    uint32_t rounds = 0, outside_refused = 0;
    for (;;) {
        uint8_t grey = (uint8_t)(1u + rounds % 2u);
        for (size_t i = 0; i < width * height / 2; i++)
            pixels[i] = (uint8_t)(grey << 4 | grey);
        err = vmux_screen_frame(0, 0, width, height);
        if (err == VMUX_OK)
            err = rounds % 2 ? vmux_screen_write(pixels, width * height / 2)
                             : vmux_screen_fill(grey);
        outside_refused += vmux_screen_frame(width, 0, 1, 1) == VMUX_EINVAL;
        if (err != VMUX_OK) {
            vmux_printf("round %u: %s\n", (unsigned)rounds, vmux_error_name(err));
            return 1;
        }
        if (++rounds % 100 == 0)
            vmux_printf("%u rounds, %u outside frames refused\n", (unsigned)rounds,
                        (unsigned)outside_refused);
    }
}
