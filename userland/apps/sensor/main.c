/*
 * sensor: samples ADC channel 0 once per second, on the second, and
 * prints the converter's reading (the sample comes left-justified to 16
 * bits, as Tock's; the converter's resolution gives the reading back). vmuxterm labels each line with the process's name,
 * so several instances are told apart there. Instances wake on the same
 * tick of the alarm counter, so their requests for channel 0 arrive
 * together and the kernel serves them with one conversion: their lines
 * for the same second show the same value.
 */
#include "libvmux.h"

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
    uint32_t second = now / hz + 1;
    for (;;) {
        vmux_sleep_until(second * hz);
        uint32_t value;
        err = vmux_adc_sample(0, &value);
        if (err == VMUX_OK)
            vmux_printf("second %u: channel 0 = %u\n", (unsigned)second,
                        (unsigned)vmux_adc_reading(value, bits));
        else
            vmux_printf("second %u: channel 0 refused: %s\n", (unsigned)second,
                        vmux_error_name(err));
        second++;
    }
}
