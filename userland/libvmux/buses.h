/*
 * The buses, with Tock's driver numbers: I2C master (0x20003), SPI
 * controller (0x20001) and the temperature sensor (0x60000).
 *
 * A process reaches only the I2C addresses and SPI chips the board gives
 * to its name; every other one answers VMUX_ERESERVE, whether a device
 * is there or not. Each call here waits for its transaction or transfer
 * to end and returns its status: VMUX_ENOACK when the device did not
 * answer, VMUX_EFAIL when the bus hung and was cleared, VMUX_ECANCEL
 * when a held chip select was taken back.
 */
#ifndef VMUX_LIBVMUX_BUSES_H
#define VMUX_LIBVMUX_BUSES_H

#include <stddef.h>
#include <stdint.h>

#define VMUX_DRIVER_I2C 0x20003u
#define VMUX_DRIVER_SPI 0x20001u
#define VMUX_DRIVER_TEMPERATURE 0x60000u

/* I2C: write len bytes of buf to the 7-bit address addr; read len bytes
 * into buf; write write_len bytes of buf, then read read_len into it. At
 * most 32 bytes either way (the kernel's buffer: VMUX_ESIZE beyond). */
int vmux_i2c_write(uint8_t addr, uint8_t *buf, size_t len);
int vmux_i2c_read(uint8_t addr, uint8_t *buf, size_t len);
int vmux_i2c_write_read(uint8_t addr, uint8_t *buf, size_t write_len, size_t read_len);

/* SPI: use chip n of the board's table (a process starts on the first
 * one given to it); its mode (0-3: bit 1 polarity, bit 0 phase) and
 * rate; send len bytes of write and, when read is not NULL, receive len
 * into read (read may be write); keep the chip selected after each
 * transfer until released. */
int vmux_spi_select(uint32_t chip);
int vmux_spi_configure(uint32_t mode, uint32_t rate_hz);
int vmux_spi_transfer(const uint8_t *write, uint8_t *read, size_t len);
int vmux_spi_hold(void);
int vmux_spi_release(void);

/* The temperature, in hundredths of a degree Celsius. */
int vmux_temperature(int32_t *centi_celsius);

#endif
