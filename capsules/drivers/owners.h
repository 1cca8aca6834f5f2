/*
 * owners: who the board gives a device to, by process name. The one
 * check every table of devices makes (pins, capsules/drivers/pin_table.h;
 * SPI chip selects and I2C addresses, spi_driver.h and i2c_driver.h):
 * the board writes the names of the processes a device is for, separated
 * by spaces ("config", or "sensor-a sensor-b" for two that share it), and
 * a process may use the device only if its name is one of them.
 *
 *     owners_include("sensor-a sensor-b", "sensor-b")   // true
 *     owners_include("sensor-a", "sensor")               // false: whole names
 *     owners_include(NULL, "sensor-a")                   // false: nobody's
 *
 * What a table without names (NULL) means is the table's: a pin without
 * an owner is for every process, a bus device without one for none.
 */
#ifndef VMUX_CAPSULES_DRIVERS_OWNERS_H
#define VMUX_CAPSULES_DRIVERS_OWNERS_H

#include <stdbool.h>

bool owners_include(const char *owners, const char *name);

#endif
