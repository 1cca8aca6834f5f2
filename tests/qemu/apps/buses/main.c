/*
 * buses: the SPI and I2C drivers under QEMU, with QEMU's devices, one
 * binary packed under two names (its own TBF name picks the part):
 *
 *   buses-a   given the SD card by the test image (VMUX_SD_OWNERS):
 *             CMD0 in one transfer ("sd: CMD0 answers 0x01"), then CMD0
 *             again as a held transaction of two transfers, the select
 *             asserted in between ("sd: held CMD0 answers 0x01"); then
 *             what it is not given: the OLED (the kernel's) and the
 *             EEPROM (sensor-a's) and an empty I2C address
 *   buses-b   given nothing: the SD card, a transfer, the TMP105 (the
 *             kernel's: processes read it through the temperature
 *             driver)
 *
 * Each step prints its status; "done" at the end.
 */
#include "libvmux.h"
#include "../own_name.h"

/* The first byte that is not 0xff: an SD card's R1. */
static unsigned r1(const uint8_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (b[i] != 0xff)
            return b[i];
    return 0xff;
}

static void say(const char *what, int status)
{
    vmux_printf("%s: %s\n", what, vmux_error_name(status));
}

static void sd_card(void)
{
    /* CMD0, its CRC, the card's answer within two bytes, and one more for
     * the card to end the command (QEMU's ssi-sd ends it at the next byte,
     * whether or not it is still selected then) */
    static const uint8_t cmd0[10] = { 0x40, 0, 0, 0, 0, 0x95, 0xff, 0xff, 0xff, 0xff };
    uint8_t in[10];
    int err = vmux_spi_configure(0, 400000);
    if (err == VMUX_OK)
        err = vmux_spi_transfer(cmd0, in, sizeof in);
    if (err == VMUX_OK)
        vmux_printf("sd: CMD0 answers 0x%02x\n", r1(in, sizeof in));
    else
        say("sd: CMD0", err);
    /* the same in two transfers, the card selected throughout */
    err = vmux_spi_hold();
    if (err == VMUX_OK)
        err = vmux_spi_transfer(cmd0, in, 3);
    if (err == VMUX_OK)
        err = vmux_spi_transfer(cmd0 + 3, in, sizeof cmd0 - 3);
    vmux_spi_release();
    if (err == VMUX_OK)
        vmux_printf("sd: held CMD0 answers 0x%02x\n", r1(in, sizeof in - 3));
    else
        say("sd: held CMD0", err);
}

int main(void)
{
    char name[32];
    read_own_name(name, sizeof name);
    uint8_t buf[4] = { 0 };
    if (vmux_strcmp(name, "buses-a") == 0) {
        sd_card();
        say("spi select the OLED", vmux_spi_select(1));
        say("i2c read the EEPROM", vmux_i2c_write_read(0x50, buf, 2, 4));
        say("i2c read 0x22", vmux_i2c_read(0x22, buf, 1));
    } else {
        say("spi select the SD card", vmux_spi_select(0));
        say("spi transfer", vmux_spi_transfer(buf, buf, sizeof buf));
        say("i2c read the TMP105", vmux_i2c_read(0x48, buf, 2));
    }
    vmux_printf("done\n");
    for (;;)
        vmux_yield_wait();
}
