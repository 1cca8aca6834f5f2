/*
 * Temperature syscall driver: driver 0x60000, Tock's temperature driver
 * (capsules/extra/src/temperature.rs) over a TMP105 on the I2C bus
 * (capsules/tmp105.h).
 *
 *   command 0      the driver exists                          Success
 *   command 1      read the temperature; upcall 0 follows     Success
 *                  (again while one waits: still one upcall)
 *   other                                                     NOSUPPORT
 *   subscribe 0    (temperature, status, 0): the temperature in
 *                  hundredths of a degree Celsius, as Tock's; status 0,
 *                  or the error code with temperature 0 when the sensor
 *                  could not be read (Tock sends nothing then, leaving
 *                  the process waiting)
 *
 * Simultaneous requests share one reading: every process waiting when a
 * reading completes gets the same value (the sensor has no notion of
 * whose a temperature is). Each process is a reader of the sensor, its
 * reader in its grant, attached at its first command; when it ends, its
 * request is dropped. Anyone may read the temperature: the sensor's
 * address itself stays the kernel's (no process reaches it through the
 * I2C driver unless the board names it).
 *
 *     temperature_driver_init(&temperature_driver, &thermometer);
 *     process_register_driver(&temperature_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_TEMPERATURE_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_TEMPERATURE_DRIVER_H

#include <stdint.h>

#include "capsules/tmp105.h"
#include "kernel/syscall_driver.h"

#define TEMPERATURE_DRIVER_NUM 0x60000u
#define TEMPERATURE_CMD_READ 1u

struct temperature_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct tmp105 *sensor;
};

void temperature_driver_init(struct temperature_driver *d, struct tmp105 *sensor);

#endif
