/*
 * ssd0323: the screen HIL (hil/screen.h) over an SSD0323 OLED controller
 * on the SPI bus, as on the lm3s6965evb (128 x 64 pixels of 4-bit grey;
 * QEMU's hw/display/ssd0323.c).
 *
 * The controller is one client of the SPI mux (its chip select and its
 * data/command line in the board's struct spi_chip, attached with the
 * board's capability). Its memory is written through a window: command
 * 0x15 sets the columns (each a byte, two pixels: the left one in the
 * high nibble), 0x75 the rows, then data bytes fill the window row by
 * row; 0xaf and 0xae turn the panel on and off, 0x81 sets the contrast,
 * 0xa0 the address increment (horizontal here).
 *
 * A column holds two pixels, so a rectangle at an odd x or of an odd
 * width would need the controller's memory read back, which SPI cannot
 * do. The driver keeps its own copy of the panel (4 KiB): a write or a
 * fill changes the copy at once (the caller's buffer is read then and
 * not kept), and the rows it touched go out from the copy, their columns
 * rounded out to whole bytes, as one held transaction on the bus: the
 * window's command, then the data, a row per transfer (one transfer for
 * rows the whole width). done() follows the last transfer. No one reads
 * the copy but the driver.
 *
 * abort() ends the request at once: no done() follows, and the buffer
 * was never kept; a transfer already on the bus finishes there (it
 * reads only the copy), and the driver takes requests again after it.
 *
 *     static struct ssd0323 oled;
 *     ssd0323_init(&oled, &spi_mux, client_register_kernel(CLIENT_NAME("oled")), &board_cap_bus_device,
 *                  &spi_chips[1]);
 *     screen_mux_init(&screen_mux, &oled.hil, ...);
 */
#ifndef VMUX_CAPSULES_SSD0323_H
#define VMUX_CAPSULES_SSD0323_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/spi_mux.h"
#include "hil/screen.h"

#define SSD0323_WIDTH 128u
#define SSD0323_HEIGHT 64u

struct ssd0323 {
    struct hil_screen hil;
    struct spi_device dev;
    uint8_t panel[SSD0323_HEIGHT][SSD0323_WIDTH / 2]; /* the copy */
    uint8_t cmd[8];
    bool busy;                  /* a request, or its transfers, on the bus */
    bool aborted;               /* its done() is not wanted */
    bool started;               /* the panel was set up once */
    uint8_t row, last_row;      /* the next row to send, the last */
    uint8_t col, last_col;      /* the window's byte columns */
    const uint8_t *buf;         /* the request's, handed back in done() */
    size_t len;
};

/* The controller's SPI client; the panel is off until set_power. */
vmux_err_t ssd0323_init(struct ssd0323 *o, struct spi_mux *mux, client_id_t id,
                        const cap_bus_device_t *cap, const struct spi_chip *chip);

#endif
