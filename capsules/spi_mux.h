/*
 * SPI mux: one SPI controller (hil/spi.h) shared by the devices on its
 * bus, each behind its own chip select, and by whoever uses them.
 *
 * Devices. The board describes each device on the bus once, in a const
 * struct spi_chip: its name, its chip select and, for a device that has
 * one (an OLED controller), its data/command line, both GPIO pins
 * (hil/gpio.h) with the level that asserts them, and which processes may
 * use it (capsules/drivers/spi_driver.h). A client is one such chip as
 * one kernel component or one process uses it: a struct spi_device,
 * attached with the board's capability cap_bus_device_t (RESERVE
 * without it), so only the board decides which component drives which
 * chip. Two users of one chip are two clients, served round robin.
 *
 * Every select released from the start. A select pin nobody drives
 * floats, and a device may take itself for selected: the board parks
 * every chip of the bus at init (spi_mux_park: each select an output at
 * its released level; the SPI syscall driver does it for its table), so
 * only the turn's chip is ever selected.
 *
 * Settings. Each client keeps its own clock mode and rate
 * (spi_mux_configure), applied to the controller before each of its
 * transfers, so no client inherits another's.
 *
 * Transfers. spi_mux_transfer() queues one transfer: len bytes of write
 * out, and as many in to read when it is not NULL (read may be write).
 * In its turn the mux configures the controller, asserts the chip's
 * select, sets its data/command line (SPI_DATA: data level, else
 * command), and lends both buffers to the driver; transfer_done hands
 * them back to the same client, and nobody else ever sees them. The chip
 * select is released at the end of the transfer, unless the transfer
 * asked to hold it (SPI_HOLD): then the client keeps the bus, its select
 * stays asserted, and its next transfer follows in the same turn, until
 * one without SPI_HOLD, or spi_mux_release(). A held turn is still one
 * turn, and the watchdog bounds it (capsules/bus_mux.h): a client that
 * holds the bus too long loses it (its select released), and its next
 * transfer answers CANCEL. No select is ever left asserted when the
 * turn passes to another client: the end of each turn, whichever way it
 * ends (done, timed out, failed, detached), releases it first.
 *
 * Fairness, timeouts, departure, conservation: capsules/bus_mux.h (the
 * transfer in flight when its client detaches is aborted, the driver
 * reset).
 *
 * Wiring, in a board:
 *
 *     static const struct spi_chip spi_chips[] = {
 *         { "sd", { &port_d.hil, 0, 0 }, { 0 }, NULL },
 *         { "oled", { &port_a.hil, 3, 0 }, { &port_c.hil, 7, 1 }, NULL },
 *     };
 *     static struct client_entry *spi_slots[8];
 *     static uint32_t spi_rr_bits[RR_WORDS(8)];
 *     static struct virtual_alarm spi_watchdog;
 *     static struct spi_mux spi_mux;
 *     virtual_alarm_init(&spi_watchdog, &alarm_mux);
 *     spi_mux_init(&spi_mux, &ssi0.hil, spi_slots, spi_rr_bits, 8, &spi_watchdog.hil,
 *                  BOARD_BUS_TIMEOUT_US);
 *     spi_mux_attach(&spi_mux, &sd, sd_id, &board_cap_bus_device, &spi_chips[0], &sd_ops);
 *     spi_mux_configure(&sd, HIL_SPI_MODE_0, 400000);
 *     spi_mux_transfer(&sd, cmd, reply, 6, SPI_HOLD);
 */
#ifndef VMUX_CAPSULES_SPI_MUX_H
#define VMUX_CAPSULES_SPI_MUX_H

#include <stddef.h>
#include <stdint.h>

#include "capsules/bus_mux.h"
#include "hil/gpio.h"
#include "hil/spi.h"
#include "kernel/capability.h"

/* A GPIO line of a chip: bank NULL for none. */
struct spi_line {
    struct hil_gpio *bank;
    uint8_t pin;
    uint8_t active_high;      /* 1: asserted (selected, data) at level 1 */
};

/* One device on the bus, as the board wires it. */
struct spi_chip {
    const char *name;
    struct spi_line cs;
    struct spi_line dc;       /* the data/command line; bank NULL: none */
    const char *owners;       /* the processes the board gives it to
                                 (capsules/drivers/owners.h); NULL: none */
};

#define SPI_HOLD 0x1u         /* keep the select and the bus after it */
#define SPI_DATA 0x2u         /* the data/command line at "data" */

struct spi_device;

struct spi_device_ops {
    void (*transfer_done)(struct spi_device *d, const uint8_t *write, uint8_t *read, size_t len,
                          vmux_err_t status);
};

struct spi_device {
    struct bus_client bus;          /* first: the shared shape */
    const struct spi_device_ops *ops;
    const struct spi_chip *chip;
    uint32_t rate_hz;
    uint8_t mode;
    uint8_t flags;                  /* SPI_* of the queued transfer */
    uint16_t len;
    const uint8_t *write;
    uint8_t *read;
};

struct spi_mux {
    struct bus_mux bus;
    struct hil_spi *spi;
    struct hil_spi_client spi_client;
};

#define SPI_MUX_DEFAULT_RATE_HZ 1000000u

vmux_err_t spi_mux_init(struct spi_mux *m, struct hil_spi *spi, struct client_entry **storage,
                        uint32_t *rr_words, unsigned capacity, struct hil_alarm *watchdog,
                        uint32_t timeout_us);

/* RESERVE without a valid capability; INVALID for a chip without a
 * select; NOMEM, ALREADY as bus_mux_attach. The chip's select is made an
 * output and released, its data/command line an output. The client
 * starts in mode 0 at SPI_MUX_DEFAULT_RATE_HZ. */
vmux_err_t spi_mux_attach(struct spi_mux *m, struct spi_device *d, client_id_t id,
                          const cap_bus_device_t *cap, const struct spi_chip *chip,
                          const struct spi_device_ops *ops);
void spi_mux_detach(struct spi_device *d);

/* Every chip's select an output at its released level, its data/command
 * line an output: before the first transfer on the bus. */
void spi_mux_park(const struct spi_chip *chips, unsigned count);

/* The client's mode (0..3) and rate, for its next transfers. INVALID
 * for a mode above 3 or a rate of 0. */
vmux_err_t spi_mux_configure(struct spi_device *d, unsigned mode, uint32_t rate_hz);

/* OFF, BUSY, CANCEL as bus_mux_request; INVALID for a NULL write or
 * unknown flags, SIZE for len 0 or above 65535. */
vmux_err_t spi_mux_transfer(struct spi_device *d, const uint8_t *write, uint8_t *read,
                            size_t len, unsigned flags);

/* Let go of a held bus: at once when no transfer is queued (the select
 * released, the turn over), else after the one queued. */
void spi_mux_release(struct spi_device *d);

#endif
