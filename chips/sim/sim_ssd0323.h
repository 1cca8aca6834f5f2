/*
 * Simulated SSD0323 OLED controller on the simulated SPI bus
 * (chips/sim/sim_spi.h), for testing capsules/ssd0323.h on the host: the
 * controller as QEMU models it (hw/display/ssd0323.c), 128 x 64 pixels
 * of 4-bit grey in 64 columns of bytes (the left pixel in the high
 * nibble) and 80 rows, of which 64 show.
 *
 * Bytes with the data/command line at "data" go into memory at the
 * window's current column and row, which then move on: along the row to
 * the window's last column, then to the next row from the window's
 * first column, back to its first row after the last (with remap bit
 * 0x04, down the column first). Bytes at "command" are commands and
 * their arguments: 0x15 first, last column; 0x75 first, last row; 0xa0
 * remap; 0x81 contrast; 0xae off, 0xaf on; the others QEMU knows are
 * taken with their arguments and ignored; an unknown one is counted.
 */
#ifndef VMUX_CHIPS_SIM_SIM_SSD0323_H
#define VMUX_CHIPS_SIM_SIM_SSD0323_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim_spi.h"

struct sim_ssd0323 {
    struct sim_spi_device dev;
    uint8_t memory[80][64];
    uint8_t cmd[8];
    unsigned cmd_len;
    uint8_t col, col_start, col_end;
    uint8_t row, row_start, row_end;
    uint8_t remap, contrast;
    bool on;
    uint32_t data_bytes, commands, unknown;
};

void sim_ssd0323_attach(struct sim_spi *s, struct sim_ssd0323 *o, struct sim_gpio *cs_bank,
                        unsigned cs_pin, struct sim_gpio *dc_bank, unsigned dc_pin);

/* The grey of pixel (x, y) of the 128 x 64 that show. */
unsigned sim_ssd0323_pixel(const struct sim_ssd0323 *o, unsigned x, unsigned y);

#endif
