/*
 * sensor: samples ADC channel 0 and reads the temperature once per
 * second, on the second, and prints both (the ADC sample comes
 * left-justified to 16 bits, as Tock's; the converter's resolution gives
 * the reading back). vmuxterm labels each line with the process's name,
 * so several instances are told apart there. Instances wake on the same
 * tick of the alarm counter, so their requests arrive together and the
 * kernel serves them with one reading: their lines for the same second
 * show the same values. An instance that starts (or restarts) close to a
 * tick waits for the next one: setting the alarm takes three system
 * calls, and each may let every other ready process run a whole slice
 * first, so a tick closer than a tenth of a second could be missed and
 * the sample taken late, apart from the others.
 *
 * Its configuration record, a magic word and how many times it has
 * started, lives in the I2C EEPROM (address 0x50, bytes 0-7), which the
 * boards give only to sensor-a: sensor-a counts its starts there, across
 * runs of the board (the EEPROM is kept in a file), and any other
 * instance is refused the EEPROM (RESERVE) and says so.
 *
 * On the screen, in the window the board gives its name (none: it says
 * so once and draws nothing): the second at the top, and below it a bar
 * of the ADC reading, the whole width for full scale.
 */
#include "libvmux.h"

#define EEPROM 0x50u
#define RECORD_MAGIC 0x76636667u /* "vcfg" */

static uint32_t get32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void put32(uint8_t *b, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

/* Read the record, count this start, write it back. */
static void count_start(void)
{
    uint8_t buf[10] = { 0, 0 }; /* the EEPROM's two address bytes, then the record */
    int err = vmux_i2c_write_read(EEPROM, buf, 2, 8);
    uint32_t starts = err == VMUX_OK && get32(buf) == RECORD_MAGIC ? get32(buf + 4) : 0;
    if (err == VMUX_OK) {
        buf[0] = buf[1] = 0;
        put32(buf + 2, RECORD_MAGIC);
        put32(buf + 6, starts + 1);
        err = vmux_i2c_write(EEPROM, buf, sizeof buf);
    }
    if (err == VMUX_OK)
        vmux_printf("config: start %u, counted in the EEPROM\n", (unsigned)(starts + 1));
    else
        vmux_printf("config: no EEPROM for me: %s\n", vmux_error_name(err));
}

/* Its window: the second in digits, the reading as a bar. */
static int draw(uint32_t second, uint32_t reading, uint32_t bits)
{
    int err = vmux_screen_number(2, 2, second, 5);
    if (err == VMUX_OK)
        err = vmux_screen_bar(16, 8, reading, 1u << bits);
    return err;
}

/* The first whole second after now that is at least a tenth of a second
 * away: the tick to sleep until. */
static uint32_t next_tick(uint32_t now, uint32_t hz)
{
    uint32_t second = now / hz + 1;
    if (second * hz - now < hz / 10)
        second++;
    return second;
}

int main(void)
{
    uint32_t channels, bits, hz, now;
    int err = vmux_adc_channel_count(&channels);
    if (err == VMUX_OK)
        err = vmux_adc_resolution_bits(0, &bits);
    if (err == VMUX_OK)
        err = vmux_alarm_frequency(&hz);
    if (err == VMUX_OK)
        err = vmux_alarm_now(&now);
    if (err != VMUX_OK) {
        vmux_printf("no ADC or alarm: %s\n", vmux_error_name(err));
        return 1;
    }
    vmux_printf("sampling channel 0 of %u, once a second\n", (unsigned)channels);
    count_start();
    int screen = vmux_screen_power(1);
    if (screen != VMUX_OK)
        vmux_printf("no screen: %s\n", vmux_error_name(screen));
    /* the time again: printing and the EEPROM may have taken a while */
    if (vmux_alarm_now(&now) != VMUX_OK)
        return 1;
    uint32_t second = next_tick(now, hz);
    for (;;) {
        /* a second already gone or too close (the last one's printing
         * took longer): the next whole one far enough, so that every
         * instance samples on the same tick and shares the reading */
        if (vmux_alarm_now(&now) == VMUX_OK && (int32_t)(second * hz - now) < (int32_t)(hz / 10))
            second = next_tick(now, hz);
        vmux_sleep_until(second * hz);
        uint32_t value;
        err = vmux_adc_sample(0, &value);
        if (err == VMUX_OK)
            vmux_printf("second %u: channel 0 = %u\n", (unsigned)second,
                        (unsigned)vmux_adc_reading(value, bits));
        else
            vmux_printf("second %u: channel 0 refused: %s\n", (unsigned)second,
                        vmux_error_name(err));
        if (err == VMUX_OK && screen == VMUX_OK) {
            screen = draw(second, vmux_adc_reading(value, bits), bits);
            if (screen != VMUX_OK)
                vmux_printf("screen: %s\n", vmux_error_name(screen));
        }
        int32_t centi;
        err = vmux_temperature(&centi);
        int32_t a = centi < 0 ? -centi : centi;
        if (err == VMUX_OK)
            vmux_printf("second %u: temperature %s%d.%02d C\n", (unsigned)second,
                        centi < 0 ? "-" : "", (int)(a / 100), (int)(a % 100));
        else if (second % 10 == 0 || err != VMUX_ENODEVICE)
            vmux_printf("second %u: temperature: %s\n", (unsigned)second, vmux_error_name(err));
        second++;
    }
}
