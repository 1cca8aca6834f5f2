/*
 * I2C master 0x20003: command 1 write (addr, len), 2 read (addr, len), 3
 * write then read (addr | write_len << 8, read_len); read-write allow 1
 * the buffer; upcall 0 with (StatusCode, 0, 0).
 * SPI controller 0x20001: command 2 transfer (len), 3 select (chip), 5
 * rate, 7 phase, 9 polarity, 11 hold, 12 release; read-only allow 0 the
 * bytes out, read-write allow 0 the bytes in; upcall 0 with (length,
 * StatusCode, 0).
 * Temperature 0x60000: command 1 read; upcall 0 with (hundredths of a
 * degree, StatusCode, 0).
 */
#include "buses.h"

#include "syscall.h"

enum {
    I2C_WRITE = 1,
    I2C_READ = 2,
    I2C_WRITE_READ = 3,
    I2C_ALLOW = 1,
    SPI_TRANSFER = 2,
    SPI_SELECT = 3,
    SPI_RATE = 5,
    SPI_PHASE = 7,
    SPI_POLARITY = 9,
    SPI_HOLD = 11,
    SPI_RELEASE = 12,
    TEMPERATURE_READ = 1,
};

static int i2c(uint32_t command, uint32_t a, uint32_t b, uint8_t *buf, size_t len)
{
    struct vmux_upcall_args done;
    int err = vmux_allow_rw_status(VMUX_DRIVER_I2C, I2C_ALLOW, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_I2C, 0, command, a, b, &done);
    vmux_allow_rw(VMUX_DRIVER_I2C, I2C_ALLOW, NULL, 0);
    return err == VMUX_OK ? vmux_upcall_status(done.a0) : err;
}

int vmux_i2c_write(uint8_t addr, uint8_t *buf, size_t len)
{
    return i2c(I2C_WRITE, addr, vmux_clamp_u32(len), buf, len);
}

int vmux_i2c_read(uint8_t addr, uint8_t *buf, size_t len)
{
    return i2c(I2C_READ, addr, vmux_clamp_u32(len), buf, len);
}

int vmux_i2c_write_read(uint8_t addr, uint8_t *buf, size_t write_len, size_t read_len)
{
    size_t len = write_len > read_len ? write_len : read_len;
    return i2c(I2C_WRITE_READ, addr | vmux_clamp_u32(write_len) << 8, vmux_clamp_u32(read_len),
               buf, len);
}

int vmux_spi_select(uint32_t chip)
{
    return vmux_command_status(VMUX_DRIVER_SPI, SPI_SELECT, chip, 0);
}

int vmux_spi_configure(uint32_t mode, uint32_t rate_hz)
{
    int err = vmux_command_status(VMUX_DRIVER_SPI, SPI_PHASE, mode & 1u, 0);
    if (err == VMUX_OK)
        err = vmux_command_status(VMUX_DRIVER_SPI, SPI_POLARITY, (mode >> 1) & 1u, 0);
    if (err == VMUX_OK)
        err = vmux_command_status(VMUX_DRIVER_SPI, SPI_RATE, rate_hz, 0);
    return err;
}

int vmux_spi_transfer(const uint8_t *write, uint8_t *read, size_t len)
{
    struct vmux_upcall_args done;
    int err = vmux_allow_ro_status(VMUX_DRIVER_SPI, 0, write, len);
    if (err == VMUX_OK)
        err = vmux_allow_rw_status(VMUX_DRIVER_SPI, 0, read, read ? len : 0);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_SPI, 0, SPI_TRANSFER, vmux_clamp_u32(len), 0, &done);
    vmux_allow_ro(VMUX_DRIVER_SPI, 0, NULL, 0);
    vmux_allow_rw(VMUX_DRIVER_SPI, 0, NULL, 0);
    return err == VMUX_OK ? vmux_upcall_status(done.a1) : err;
}

int vmux_spi_hold(void)
{
    return vmux_command_status(VMUX_DRIVER_SPI, SPI_HOLD, 0, 0);
}

int vmux_spi_release(void)
{
    return vmux_command_status(VMUX_DRIVER_SPI, SPI_RELEASE, 0, 0);
}

int vmux_temperature(int32_t *centi_celsius)
{
    struct vmux_upcall_args done;
    int err = vmux_command_wait(VMUX_DRIVER_TEMPERATURE, 0, TEMPERATURE_READ, 0, 0, &done);
    if (err == VMUX_OK)
        err = vmux_upcall_status(done.a1);
    *centi_celsius = err == VMUX_OK ? (int32_t)done.a0 : 0;
    return err;
}
