/*
 * random: the RNG (driver 0x40001) and low-level debug (0x8) drivers
 * from a process on the lm3s6965evb. Two draws of 40 bytes each (more
 * than one chunk of the kernel's RNG mux), printed in hex, and one of 0
 * bytes; then three low-level debug entries, one of them made from the
 * first random word. Packed under two names (random-a, random-b) so two
 * processes draw at once.
 */
#include "libvmux.h"

#define DRAW 40u

static void draw(unsigned n, uint8_t *bytes)
{
    size_t got = 0;
    int err = vmux_rng_get(bytes, DRAW, &got);
    char hex[2 * DRAW + 1];
    for (size_t i = 0; i < got; i++)
        vmux_snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
    hex[2 * got] = '\0';
    vmux_printf("draw %u: %s, %u bytes: %s\n", n, vmux_error_name(err), (unsigned)got, hex);
}

int main(void)
{
    static uint8_t first[DRAW], second[DRAW];
    int exists = vmux_command_status(VMUX_DRIVER_RNG, 0, 0, 0);
    vmux_printf("rng driver: %s\n", vmux_error_name(exists));
    draw(1, first);
    draw(2, second);
    size_t none = 99;
    int err = vmux_rng_get(second, 0, &none);
    vmux_printf("draw of 0 bytes: %s, %u bytes\n", vmux_error_name(err), (unsigned)none);
    vmux_debug_print(0x2a);
    vmux_debug_print2((uint32_t)first[0] << 24 | (uint32_t)first[1] << 16 |
                          (uint32_t)first[2] << 8 | first[3],
                      DRAW);
    vmux_debug_alert(VMUX_DEBUG_ALERT_PANIC);
    vmux_printf("done\n");
    for (;;)
        vmux_sleep_ms(1000);
}
