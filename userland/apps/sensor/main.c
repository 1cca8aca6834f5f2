/*
 * sensor: samples ADC channel 0 once per second and prints
 *     sensor <name>: channel 0 = <value>
 * Several instances may run; TRD104 gives a process no way to learn its
 * name, so <name> is where its memory starts, which differs between
 * instances.
 */
#include "libvmux.h"

int main(void)
{
    uintptr_t start = 0;
    vmux_result_uptr(vmux_memop(VMUX_MEMOP_MEMORY_START, 0), &start);
    char name[2 * sizeof start + 1];
    vmux_snprintf(name, sizeof name, "%lx", (unsigned long)start);

    uint32_t channels;
    int err = vmux_adc_channel_count(&channels);
    if (err != VMUX_OK) {
        vmux_printf("sensor %s: no ADC (%s)\n", name, vmux_error_name(err));
        return 1;
    }
    vmux_printf("sensor %s: %u ADC channel(s)\n", name, (unsigned)channels);
    for (;;) {
        uint32_t value;
        err = vmux_adc_sample(0, &value);
        if (err == VMUX_OK)
            vmux_printf("sensor %s: channel 0 = %u\n", name, (unsigned)value);
        else
            vmux_printf("sensor %s: channel 0 refused: %s\n", name, vmux_error_name(err));
        vmux_sleep_ms(1000);
    }
}
