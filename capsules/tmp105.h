/*
 * tmp105: the temperature from a TMP105 sensor on the I2C bus, for any
 * number of readers, kernel components and the temperature syscall
 * driver (capsules/drivers/temperature_driver.h).
 *
 * The sensor is one client of the I2C mux (one address, attached with
 * the board's capability). Readers ask with tmp105_read(); a reading
 * serves every reader waiting when it completes: the sensor has no
 * notion of who a temperature is for, so simultaneous requests share one
 * reading, as the ADC mux's do (policy: "may take a single reading and
 * distribute it"). A reader asking again from its callback waits for the
 * next reading. Each reader has at most one request; asking while one
 * waits changes nothing.
 *
 * The first reading sets the sensor to 12 bits (configuration register
 * 0x60: steps of 1/16 degree); each then reads the temperature register
 * (pointer 0, two bytes, most significant first, signed 8.8 fixed
 * point) and gives it in hundredths of a degree Celsius, as Tock's
 * temperature HIL. An I2C error (NOACK: no sensor; FAIL: the bus hung)
 * goes to every waiting reader with value 0; the configuration is tried
 * again at the next reading.
 *
 * Readers are intrusive (struct tmp105_reader in the reader's state, a
 * process's grant for the syscall driver); tmp105_detach drops one's
 * request without a callback.
 *
 *     static struct tmp105 thermometer;
 *     tmp105_init(&thermometer, &i2c_mux, client_register_kernel(CLIENT_NAME("tmp105")),
 *                 &board_cap_bus_device, 0x48);
 *     tmp105_attach(&thermometer, &logger.reader, &logger_ops);
 *     tmp105_read(&logger.reader);   // logger_ops.done(reader, 2150, SUCCESS)
 */
#ifndef VMUX_CAPSULES_TMP105_H
#define VMUX_CAPSULES_TMP105_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/i2c_mux.h"

struct tmp105;
struct tmp105_reader;

struct tmp105_reader_ops {
    void (*done)(struct tmp105_reader *r, int32_t centi_celsius, vmux_err_t status);
};

struct tmp105_reader {
    const struct tmp105_reader_ops *ops;
    struct tmp105 *sensor;          /* NULL when detached */
    struct tmp105_reader *next;
    bool waiting;
    bool in_delivery;
};

struct tmp105 {
    struct i2c_device dev;
    uint8_t buf[2];
    bool configured;
    bool busy;                      /* a transaction of ours is queued */
    struct tmp105_reader *readers;
    uint32_t readings;              /* completed, good or bad */
    uint32_t shared;                /* deliveries beyond the first per reading */
    uint32_t errors;
};

/* As i2c_mux_attach. */
vmux_err_t tmp105_init(struct tmp105 *t, struct i2c_mux *mux, client_id_t id,
                       const cap_bus_device_t *cap, unsigned address);

/* ALREADY when r is attached. */
vmux_err_t tmp105_attach(struct tmp105 *t, struct tmp105_reader *r,
                         const struct tmp105_reader_ops *ops);
void tmp105_detach(struct tmp105_reader *r);

/* OFF when not attached; an error of the I2C mux when the reading
 * cannot be queued (nothing waits then). */
vmux_err_t tmp105_read(struct tmp105_reader *r);

#endif
