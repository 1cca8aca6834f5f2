/*
 * font3x5: the ten digits in 3 x 5 pixels, for whatever draws numbers on
 * a screen (the kernel's status strip, boards/common/display.h; the
 * apps, through libvmux's vmux_screen_number).
 *
 * Each digit is five rows of three bits, the top row in the highest bits
 * and the leftmost pixel the highest bit of its row.
 */
#ifndef VMUX_KERNEL_FONT3X5_H
#define VMUX_KERNEL_FONT3X5_H

#include <stdbool.h>
#include <stdint.h>

#define FONT3X5_WIDTH 3u
#define FONT3X5_HEIGHT 5u

/* Is pixel (col, row) of digit (0..9) lit? */
static inline bool font3x5_lit(unsigned digit, unsigned col, unsigned row)
{
    static const uint16_t rows[10] = {
        075557, 026227, 071747, 071717, 055711, 074717, 074757, 071111, 075757, 075717,
    };
    return (rows[digit % 10u] >> (3u * (4u - row) + (2u - col))) & 1u;
}

#endif
