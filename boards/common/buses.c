#include "boards/common/buses.h"

const struct i2c_chip board_i2c_chips[BOARD_I2C_CHIPS] = {
    { "tmp105", BOARD_I2C_TMP105, NULL },
    { "eeprom", BOARD_I2C_EEPROM, "sensor-a" },
    { "rtc", BOARD_I2C_RTC, NULL },
};

struct board_buses board_buses;

static struct client_entry *spi_slots[BOARD_BUS_CLIENTS], *i2c_slots[BOARD_BUS_CLIENTS];
static uint32_t spi_rr[RR_WORDS(BOARD_BUS_CLIENTS)], i2c_rr[RR_WORDS(BOARD_BUS_CLIENTS)];
static struct virtual_alarm spi_watchdog, i2c_watchdog;

vmux_err_t board_buses_start(struct alarm_mux *alarms, struct hil_spi *spi,
                             const struct spi_chip *spi_chips, unsigned spi_chip_count,
                             struct hil_i2c *i2c, const cap_bus_device_t *cap)
{
    struct board_buses *b = &board_buses;
    virtual_alarm_init(&spi_watchdog, alarms);
    virtual_alarm_init(&i2c_watchdog, alarms);
    vmux_err_t err = spi_mux_init(&b->spi, spi, spi_slots, spi_rr, BOARD_BUS_CLIENTS,
                                  &spi_watchdog.hil, BOARD_BUS_TIMEOUT_US);
    vmux_err_t e2 = i2c_mux_init(&b->i2c, i2c, i2c_slots, i2c_rr, BOARD_BUS_CLIENTS,
                                 &i2c_watchdog.hil, BOARD_BUS_TIMEOUT_US);
    vmux_err_t e3 = tmp105_init(&b->thermometer, &b->i2c,
                                client_register_kernel(CLIENT_NAME("tmp105")), cap,
                                BOARD_I2C_TMP105);
    spi_driver_init(&b->spi_driver, &b->spi, cap, spi_chips, spi_chip_count);
    i2c_driver_init(&b->i2c_driver, &b->i2c, cap, board_i2c_chips, BOARD_I2C_CHIPS);
    temperature_driver_init(&b->temperature_driver, &b->thermometer);
    b->demo = (struct demo_buses){ &b->spi, &b->i2c, &b->thermometer, &b->spi_driver,
                                   &b->i2c_driver, cap, BOARD_I2C_RTC };
    return err ? err : e2 ? e2 : e3;
}
