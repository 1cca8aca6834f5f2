/*
 * SPI controller HIL: one bus, full-duplex transfers, split phase.
 *
 * The controller only clocks bytes: chip selects and any other line a
 * device needs (an OLED's data/command line) are GPIO pins (hil/gpio.h),
 * driven by whoever shares the bus (capsules/spi_mux.h).
 *
 *   configure(mode, rate_hz)  clock polarity and phase (HIL_SPI_MODE_0..3:
 *                             bit 1 CPOL, bit 0 CPHA) and the clock rate:
 *                             the fastest the controller makes that is
 *                             not above rate_hz (its slowest if none is).
 *                             Takes effect at once; INVALID for a mode
 *                             above 3 or a rate of 0, BUSY during a
 *                             transfer.
 *   transfer(write, read, len)
 *                             clock out the len bytes of write; when read
 *                             is not NULL, store the len bytes clocked in
 *                             there (read may be write: byte i is sent
 *                             before byte i is stored). SIZE for len 0,
 *                             INVALID for a NULL write, BUSY while one
 *                             runs. transfer_done(write, read, len,
 *                             status) hands both buffers back.
 *   abort()                   end the transfer in flight, if any, and
 *                             reset the controller (FIFOs emptied). No
 *                             transfer_done follows for it, not even one
 *                             already on its way: once abort() returns
 *                             the driver no longer touches its buffers.
 *
 * One client per controller (hil/hil.h).
 */
#ifndef VMUX_HIL_SPI_H
#define VMUX_HIL_SPI_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

enum hil_spi_mode {
    HIL_SPI_MODE_0 = 0,   /* CPOL 0, CPHA 0 */
    HIL_SPI_MODE_1 = 1,   /* CPOL 0, CPHA 1 */
    HIL_SPI_MODE_2 = 2,   /* CPOL 1, CPHA 0 */
    HIL_SPI_MODE_3 = 3,   /* CPOL 1, CPHA 1 */
};
#define HIL_SPI_CPHA 1u
#define HIL_SPI_CPOL 2u

struct hil_spi;

struct hil_spi_client {
    void (*transfer_done)(struct hil_spi_client *self, const uint8_t *write, uint8_t *read,
                          size_t len, vmux_err_t status);
};

struct hil_spi_ops {
    vmux_err_t (*configure)(struct hil_spi *s, unsigned mode, uint32_t rate_hz);
    vmux_err_t (*transfer)(struct hil_spi *s, const uint8_t *write, uint8_t *read, size_t len);
    void (*abort)(struct hil_spi *s);
};

struct hil_spi {
    const struct hil_spi_ops *ops;
    struct hil_spi_client *client;
};

static inline void hil_spi_set_client(struct hil_spi *s, struct hil_spi_client *c)
{
    s->client = c;
}
static inline vmux_err_t hil_spi_configure(struct hil_spi *s, unsigned mode, uint32_t rate_hz)
{
    return s->ops->configure(s, mode, rate_hz);
}
static inline vmux_err_t hil_spi_transfer(struct hil_spi *s, const uint8_t *write, uint8_t *read,
                                          size_t len)
{
    return s->ops->transfer(s, write, read, len);
}
static inline void hil_spi_abort(struct hil_spi *s)
{
    s->ops->abort(s);
}

#endif
