/*
 * I2C master syscall driver: driver 0x20003, Tock's I2C master
 * (capsules/core/src/i2c_master.rs) over the I2C mux, for the addresses
 * the board gives to processes.
 *
 *   command 0              the driver exists                 Success
 *   command 1, addr, len   write len bytes of read-write     Success;
 *                          allow 1 to addr                   INVALID addr
 *   command 2, addr, len   read len bytes from addr into it  above 0x7f;
 *   command 3, a, rlen     write a >> 8 bytes to a & 0xff,   SIZE a length
 *                          then read rlen bytes from it      0 (both, for
 *                          into the allow (from its start)   3) or above
 *                                                            I2C_DRIVER_BUF
 *                                                            or the allow;
 *                                                            BUSY
 *   other                                                    NOSUPPORT
 *   subscribe 0    (status, 0, 0) when the transaction ends: 0 for
 *                  success, else the error code (NOACK: nobody
 *                  answered, or a byte was refused; FAIL: the bus hung
 *                  and was cleared)
 *   read-write allow 1    the bytes to write, then those read
 *
 * Who may use which address is the board's decision (beyond Tock, whose
 * processes reach every address on the bus): the table gives each
 * address the names of the processes it is for (owners.h). Any other
 * address answers RESERVE (counted in refused), the same whether a
 * device is there or not, so a process cannot even probe the bus. Two
 * processes given one address are two clients of it, served round robin
 * (capsules/i2c_mux.h).
 *
 * Transactions go through a buffer of I2C_DRIVER_BUF bytes in the
 * process's grant (Tock's is 64; a transaction is atomic, so a longer one
 * cannot be split): the written bytes are copied in from the allow when
 * the command is made, the read ones out into the allow as it is when
 * the transaction ends (as far as it reaches), and the buffer is wiped.
 * When the process ends, its transaction in flight is given up (the bus
 * cleared).
 *
 *     static const struct i2c_chip chips[] = {
 *         { "tmp105", 0x48, NULL },            // the kernel's
 *         { "eeprom", 0x50, "config" },
 *     };
 *     i2c_driver_init(&i2c_driver, &i2c_mux, &board_cap_bus_device, chips, 2);
 *     process_register_driver(&i2c_driver.driver);
 */
#ifndef VMUX_CAPSULES_DRIVERS_I2C_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_I2C_DRIVER_H

#include <stdint.h>

#include "capsules/i2c_mux.h"
#include "kernel/capability.h"
#include "kernel/syscall_driver.h"

#define I2C_DRIVER_NUM 0x20003u
#ifndef I2C_DRIVER_BUF
#define I2C_DRIVER_BUF 32u
#endif

enum i2c_driver_command {
    I2C_CMD_WRITE = 1,
    I2C_CMD_READ = 2,
    I2C_CMD_WRITE_READ = 3,
};

struct i2c_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct i2c_mux *mux;
    const cap_bus_device_t *cap;
    const struct i2c_chip *chips;
    uint8_t count;
    uint32_t refused;               /* RESERVE answers */
};

void i2c_driver_init(struct i2c_driver *d, struct i2c_mux *mux, const cap_bus_device_t *cap,
                     const struct i2c_chip *chips, unsigned count);

#endif
