/*
 * I2C mux: one I2C controller (hil/i2c.h) shared by the devices on its
 * bus and by whoever uses them.
 *
 * Devices. The board describes each device on the bus once, in a const
 * struct i2c_chip: its name, its 7-bit address, and which processes may
 * use it (capsules/drivers/i2c_driver.h). A client is one address as one
 * kernel component or one process uses it: a struct i2c_device, attached
 * with the board's capability cap_bus_device_t (RESERVE without it), so
 * only the board decides which component talks to which address. Two
 * users of one address are two clients, served round robin.
 *
 * Transactions. i2c_mux_transfer() queues one transaction with the
 * client's address: write_len bytes of buf written, then read_len bytes
 * read into buf (either may be 0, not both). In its turn the buffer goes
 * down to the driver, and back to the same client in done(); the mux
 * keeps no data of its own. One transaction is one turn.
 *
 * A device that does not answer (no device at the address, or one that
 * refuses a byte) ends its client's transaction with NOACK; one that
 * holds the bus (stretching the clock forever, SDA stuck low) is timed
 * out: the watchdog resets the controller and clears the bus (nine
 * clocks and a STOP, hil/i2c.h), the transaction ends with FAIL, and the
 * next client's turn starts on a free bus. Either way only that client
 * is affected.
 *
 * Fairness, timeouts, departure, conservation: capsules/bus_mux.h (the
 * transaction in flight when its client detaches is given up and the bus
 * cleared).
 *
 * Wiring, in a board:
 *
 *     static const struct i2c_chip i2c_chips[] = {
 *         { "tmp105", 0x48, NULL },
 *         { "eeprom", 0x50, "config" },
 *     };
 *     static struct client_entry *i2c_slots[8];
 *     static uint32_t i2c_rr_bits[RR_WORDS(8)];
 *     static struct virtual_alarm i2c_watchdog;
 *     static struct i2c_mux i2c_mux;
 *     virtual_alarm_init(&i2c_watchdog, &alarm_mux);
 *     i2c_mux_init(&i2c_mux, &i2c0.hil, i2c_slots, i2c_rr_bits, 8, &i2c_watchdog.hil,
 *                  BOARD_BUS_TIMEOUT_US);
 *     i2c_mux_attach(&i2c_mux, &clock, clock_id, &board_cap_bus_device, 0x68, &clock_ops);
 *     buf[0] = 0;                              // the seconds register
 *     i2c_mux_transfer(&clock, buf, 1, 7);     // its time, in done()
 */
#ifndef VMUX_CAPSULES_I2C_MUX_H
#define VMUX_CAPSULES_I2C_MUX_H

#include <stddef.h>
#include <stdint.h>

#include "capsules/bus_mux.h"
#include "hil/i2c.h"
#include "kernel/capability.h"

/* One device on the bus, as the board wires it. */
struct i2c_chip {
    const char *name;
    uint8_t address;
    const char *owners;       /* the processes the board gives it to
                                 (capsules/drivers/owners.h); NULL: none */
};

struct i2c_device;

struct i2c_device_ops {
    void (*done)(struct i2c_device *d, uint8_t *buf, size_t read_len, vmux_err_t status);
};

struct i2c_device {
    struct bus_client bus;          /* first: the shared shape */
    const struct i2c_device_ops *ops;
    uint8_t address;
    uint16_t write_len, read_len;
    uint8_t *buf;
};

struct i2c_mux {
    struct bus_mux bus;
    struct hil_i2c *i2c;
    struct hil_i2c_client i2c_client;
};

vmux_err_t i2c_mux_init(struct i2c_mux *m, struct hil_i2c *i2c, struct client_entry **storage,
                        uint32_t *rr_words, unsigned capacity, struct hil_alarm *watchdog,
                        uint32_t timeout_us);

/* RESERVE without a valid capability; INVALID for an address above
 * 0x7f; NOMEM, ALREADY as bus_mux_attach. */
vmux_err_t i2c_mux_attach(struct i2c_mux *m, struct i2c_device *d, client_id_t id,
                          const cap_bus_device_t *cap, unsigned address,
                          const struct i2c_device_ops *ops);
void i2c_mux_detach(struct i2c_device *d);

/* OFF, BUSY as bus_mux_request; INVALID for a NULL buf, SIZE for two
 * lengths of 0 or one above 65535. */
vmux_err_t i2c_mux_transfer(struct i2c_device *d, uint8_t *buf, size_t write_len,
                            size_t read_len);

#endif
