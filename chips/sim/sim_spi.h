/*
 * Simulated SPI: struct hil_spi (hil/spi.h) on the host board's clock,
 * with simulated devices on the bus, each selected by a pin of a
 * simulated GPIO bank (chips/sim/sim_gpio.h), as on a board.
 *
 * Devices. A device (struct sim_spi_device) is attached to the bus with
 * its chip select pin and, when it has one, its data/command line. It
 * listens to its select pin (sim_gpio_listen): select(true) when the pin
 * reaches the active level, select(false) when it leaves it, whatever
 * drove it. A transfer exchanges its bytes, when it completes, with every
 * device selected at that moment: each gets exchange(byte, data), data
 * the level of its data/command line (1 when it has none), and what the
 * bus reads is the AND of their answers (0xff with nobody selected: a
 * pulled-up MISO). A transfer with more than one device selected is a
 * bus conflict, counted (counters.conflicts): the mux must never let it
 * happen.
 *
 * Timing. A transfer of len bytes at the configured rate completes after
 * 8 * len bits of clock; its completion is a simulated event that raises
 * the controller's deferred call, whose bottom half calls transfer_done.
 * configure() records the mode and rate; each device sees them with its
 * bytes (mode, rate_hz in struct sim_spi_device: a test can check that a
 * device was spoken to in its own settings).
 *
 * abort() cancels the completion (none follows), counted in aborts.
 *
 * Faults (chips/sim/sim_fault.h), armed with sim_spi_inject_fault, for
 * transfers:
 *   REFUSE   transfer() returns the error.
 *   ERROR    it completes at its time with the error; no bytes move.
 *   LATE     it completes delay_ns late.
 *   NEVER    it never completes; only abort() ends it.
 *   TWICE    transfer_done is called twice.
 *   CORRUPT  the first byte read has its bit 0 flipped.
 *
 * A test device: struct sim_spi_shift, a shift register (the daisy-chain
 * kind): each byte it answers is the byte it received before, the first
 * after each select being its `first` byte; it keeps the last
 * SIM_SPI_SHIFT_SEEN bytes it received, for a test to look at.
 *
 * Storage: all in the structs, the board's (static).
 */
#ifndef VMUX_CHIPS_SIM_SIM_SPI_H
#define VMUX_CHIPS_SIM_SIM_SPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "chips/sim/sim_gpio.h"
#include "hil/spi.h"
#include "kernel/deferred.h"

struct sim_spi_device;

struct sim_spi_device_ops {
    void (*select)(struct sim_spi_device *d, bool selected);
    uint8_t (*exchange)(struct sim_spi_device *d, uint8_t out, bool data);
};

struct sim_spi_device {
    const struct sim_spi_device_ops *ops;
    struct sim_gpio *cs_bank, *dc_bank;     /* dc_bank NULL: no such line */
    uint8_t cs_pin, dc_pin;
    bool cs_active_high;
    bool selected;
    uint8_t mode;                /* of the last transfer it took part in */
    uint32_t rate_hz;
    uint32_t bytes;              /* exchanged with it */
    uint32_t selects;            /* times it was selected */
    struct sim_gpio_listener listener;
    struct sim_spi_device *next;
};

struct sim_spi_counters {
    uint32_t transfers;          /* completed */
    uint32_t bytes;
    uint32_t conflicts;          /* transfers with two devices selected */
    uint32_t aborts;
};

struct sim_spi {
    struct hil_spi hil;
    uint8_t mode;
    uint32_t rate_hz;
    bool busy;
    const uint8_t *write;
    uint8_t *read;
    size_t len;
    vmux_err_t status;
    enum sim_fault_kind applying;   /* the fault of the transfer in flight */
    struct sim_event completion;
    struct deferred_call irq;
    struct sim_fault_slot fault;
    struct sim_spi_device *devices;
    struct sim_spi_counters counters;
};

/* NOMEM when no deferred call is left. */
vmux_err_t sim_spi_init(struct sim_spi *s);

/* Put d on the bus, selected by cs_pin of cs_bank (at level 1 when
 * cs_active_high), with its data/command line (dc_bank NULL: none). */
void sim_spi_attach(struct sim_spi *s, struct sim_spi_device *d,
                    const struct sim_spi_device_ops *ops, struct sim_gpio *cs_bank,
                    unsigned cs_pin, bool cs_active_high, struct sim_gpio *dc_bank,
                    unsigned dc_pin);

/* NULL or SIM_FAULT_NONE disarms. */
void sim_spi_inject_fault(struct sim_spi *s, const struct sim_fault *fault);

/* ------------------------------------------------------------ test device */
#define SIM_SPI_SHIFT_SEEN 64u

struct sim_spi_shift {
    struct sim_spi_device dev;
    uint8_t first;               /* answered first after each select */
    uint8_t last;
    uint8_t seen[SIM_SPI_SHIFT_SEEN];   /* ring of received bytes */
    uint32_t seen_count;         /* received in all */
    uint32_t data_bytes;         /* received with the data/command line at 1 */
};

void sim_spi_shift_attach(struct sim_spi *s, struct sim_spi_shift *d, uint8_t first,
                          struct sim_gpio *cs_bank, unsigned cs_pin, bool cs_active_high,
                          struct sim_gpio *dc_bank, unsigned dc_pin);

/* Has it received byte b among its last SIM_SPI_SHIFT_SEEN? */
bool sim_spi_shift_saw(const struct sim_spi_shift *d, uint8_t b);

#endif
