/*
 * SPI controller syscall driver: driver 0x20001, Tock's SPI controller
 * (capsules/core/src/spi_controller.rs) over the SPI mux, for the chips
 * the board gives to processes.
 *
 *   command 0              the driver exists                Success
 *   command 1              (one byte: Tock no longer has it) NOSUPPORT
 *   command 2, len         transfer len bytes of read-only  Success;
 *                          allow 0 out and, when read-write INVALID len 0
 *                          allow 0 is there, len bytes in   or beyond the
 *                          to it; upcall 0 at the end       buffers; BUSY
 *   command 3, n           use chip n of the board's table  Success;
 *                          from now on                      INVALID n >=
 *                                                           count; BUSY
 *   command 4              the chip in use                  Success u32
 *   command 5, hz          its clock rate                   Success;
 *   command 6              the rate set                     INVALID 0;
 *   command 7, p           its clock phase (0 sample on the Success u32
 *                          leading edge, else trailing)     for the gets
 *   command 8              the phase set
 *   command 9, p           its clock polarity (0 idle low,
 *                          else idle high)
 *   command 10             the polarity set
 *   command 11             hold the chip select asserted    Success
 *                          after transfers (libtock-c's
 *                          hold_low)
 *   command 12             release it (release_low)          Success
 *   other                                                   NOSUPPORT
 *   subscribe 0    (len, status, 0) when a transfer ends: Tock's upcall,
 *                  with the status (0 success, else the error code)
 *                  where Tock always has 0; len the bytes transferred
 *   read-only allow 0     the bytes to send
 *   read-write allow 0    the bytes received (optional)
 *
 * Who may use which chip is the board's decision (beyond Tock, where the
 * first process to use the driver holds the whole bus): the table gives
 * each chip the names of the processes it is for (owners.h), and a
 * process may select only those. A process starts on the first chip
 * given to it; every command but 0 answers RESERVE (counted in refused)
 * when the process has none, and command 3 when the chip is another's.
 * Two processes given one chip are two clients of it, served round robin
 * (capsules/spi_mux.h); each keeps its own rate, phase and polarity.
 *
 * Transfers. The bytes go through a buffer of SPI_DRIVER_CHUNK bytes in
 * the process's grant: copied in from the allow as it is when each
 * chunk's turn comes, back out into the read allow as it is when the
 * chunk completes (as far as it reaches), and wiped after each chunk. A
 * transfer longer than a chunk holds the chip select across its chunks
 * (one held transaction, one turn). A hold (11) that the process does not
 * follow with a transfer in time is cut by the mux's watchdog: its next
 * transfer answers CANCEL. When the process ends, its transfer in flight
 * is aborted and its chip select released.
 *
 *     static const struct spi_chip chips[] = {
 *         { "sd", { &port_d.hil, 0, 0 }, { NULL, 0, 0 }, NULL },       // kernel's
 *         { "flash", { &port_a.hil, 3, 0 }, { NULL, 0, 0 }, "logger" },
 *     };
 *     spi_driver_init(&spi_driver, &spi_mux, &board_cap_bus_device, chips, 2);
 *     process_register_driver(&spi_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_SPI_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_SPI_DRIVER_H

#include <stdint.h>

#include "capsules/spi_mux.h"
#include "kernel/capability.h"
#include "kernel/syscall_driver.h"

#define SPI_DRIVER_NUM 0x20001u
#ifndef SPI_DRIVER_CHUNK
#define SPI_DRIVER_CHUNK 32u
#endif

enum spi_driver_command {
    SPI_CMD_BYTE = 1,
    SPI_CMD_TRANSFER = 2,
    SPI_CMD_SELECT = 3,
    SPI_CMD_SELECTED = 4,
    SPI_CMD_SET_RATE = 5,
    SPI_CMD_RATE = 6,
    SPI_CMD_SET_PHASE = 7,
    SPI_CMD_PHASE = 8,
    SPI_CMD_SET_POLARITY = 9,
    SPI_CMD_POLARITY = 10,
    SPI_CMD_HOLD = 11,
    SPI_CMD_RELEASE = 12,
};

struct spi_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct spi_mux *mux;
    const cap_bus_device_t *cap;
    const struct spi_chip *chips;
    uint8_t count;
    uint32_t refused;               /* RESERVE answers */
};

/* Parks every chip of the table (spi_mux_park). */
void spi_driver_init(struct spi_driver *d, struct spi_mux *mux, const cap_bus_device_t *cap,
                     const struct spi_chip *chips, unsigned count);

#endif
