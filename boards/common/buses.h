/*
 * The QEMU board's buses, wired alike by both boards (the host board
 * simulates the devices, chips/sim/sim_i2c.h, sim_spi.h): the SPI and I2C
 * muxes, each with a virtual alarm as its watchdog; the TMP105 at 0x48
 * read by the kernel (capsules/tmp105.h); the SPI (0x20001), I2C
 * (0x20003) and temperature (0x60000) syscall drivers; what the demo's
 * thermo client and "buses" on the management channel use.
 *
 * Who may use which device (capsules/drivers/owners.h): the I2C table
 * below is the same on both boards: the TMP105 and the DS1338 clock are
 * the kernel's (processes read the temperature through the temperature
 * driver, which shares one reading among them), the AT24C32 EEPROM is
 * sensor-a's alone (its configuration record). The SPI table is each
 * board's, its chip selects being its own pins; the devices on it are
 * the kernel's unless the board names a process.
 *
 * A board calls board_buses_start once, with the controllers it made,
 * its SPI table and the capability it minted, then registers the three
 * drivers of board_buses and gives the demo &board_buses.demo.
 */
#ifndef VMUX_BOARDS_COMMON_BUSES_H
#define VMUX_BOARDS_COMMON_BUSES_H

#include "boards/common/demo.h"
#include "capsules/alarm_mux.h"
#include "capsules/drivers/i2c_driver.h"
#include "capsules/drivers/spi_driver.h"
#include "capsules/drivers/temperature_driver.h"
#include "capsules/i2c_mux.h"
#include "capsules/spi_mux.h"
#include "capsules/tmp105.h"

/* A turn on a bus, one transfer or one held transaction, may last this
 * long (capsules/bus_mux.h): an SD card's 512-byte block at 400 kHz
 * takes about 10 ms, the longest I2C transaction of the drivers (34
 * bytes at 100 kHz) about 3 ms; a process holding a chip select between
 * transfers waits for its time slices. */
#define BOARD_BUS_TIMEOUT_US 100000u
#define BOARD_BUS_CLIENTS 6       /* per bus: kernel components and processes */

#define BOARD_I2C_TMP105 0x48u
#define BOARD_I2C_EEPROM 0x50u
#define BOARD_I2C_RTC 0x68u
#define BOARD_I2C_CHIPS 3u
extern const struct i2c_chip board_i2c_chips[BOARD_I2C_CHIPS];

struct board_buses {
    struct spi_mux spi;
    struct i2c_mux i2c;
    struct tmp105 thermometer;
    struct spi_driver spi_driver;
    struct i2c_driver i2c_driver;
    struct temperature_driver temperature_driver;
    struct demo_buses demo;
};
extern struct board_buses board_buses;

/* The first error of the muxes' or the sensor's wiring. */
vmux_err_t board_buses_start(struct alarm_mux *alarms, struct hil_spi *spi,
                             const struct spi_chip *spi_chips, unsigned spi_chip_count,
                             struct hil_i2c *i2c, const cap_bus_device_t *cap);

#endif
