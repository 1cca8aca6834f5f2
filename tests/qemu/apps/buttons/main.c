/*
 * buttons: the LED (0x2), button (0x3) and GPIO (0x4) drivers under QEMU,
 * one binary packed under two names (its own TBF name picks the part):
 *
 *   buttons-a   takes the LED (turns it off) and GPIO pin 0 (an output,
 *               set); after "go", enables button 1 (down); then for each
 *               report "button N pressed|released", and at each press
 *               toggles the LED ("led toggled: STATUS")
 *   buttons-b   after "go", enables button 0 (up); then for each report
 *               "button N pressed|released", and at each press tries the
 *               LED and GPIO pin 0, which buttons-a holds ("led toggle:
 *               STATUS", "gpio 0 set: STATUS")
 *
 * Each prints "ready" once set up, then waits for a line on its console
 * before it enables its button and prints "listening": the test first
 * brings QEMU's gamepad lines to their idle level (pressing and releasing
 * every key: lm3s6965evb's gpio.h), which no process may hear. Each
 * setup step prints its status. Reports come from the upcall into a
 * small queue; main prints them after each yield.
 */
#include "libvmux.h"
#include "../own_name.h"

#define LED 0x2u
#define BUTTON 0x3u
#define GPIO 0x4u

static volatile uint32_t reports[8];
static volatile unsigned head, tail;

static void on_button(uint32_t button, uint32_t pressed, uint32_t unused, uintptr_t appdata)
{
    (void)unused, (void)appdata;
    if (tail - head < 8)
        reports[tail++ % 8] = button << 1 | (pressed & 1u);
}

static int say(const char *what, int status)
{
    vmux_printf("%s: %s\n", what, vmux_error_name(status));
    return status;
}

int main(void)
{
    char name[32];
    read_own_name(name, sizeof name);
    bool a = vmux_strcmp(name, "buttons-a") == 0;
    uint32_t count = 0;
    vmux_result_u32(vmux_command(LED, 0, 0, 0), &count);
    vmux_printf("%u led(s)\n", (unsigned)count);
    vmux_result_u32(vmux_command(BUTTON, 0, 0, 0), &count);
    vmux_printf("%u buttons\n", (unsigned)count);
    if (a) {
        say("led off", vmux_command_status(LED, 2, 0, 0));
        say("gpio 0 output", vmux_command_status(GPIO, 1, 0, 0));
        say("gpio 0 set", vmux_command_status(GPIO, 2, 0, 0));
    }
    say("subscribe", vmux_subscribe_status(BUTTON, 0, on_button, 0));
    vmux_printf("ready\n");
    char line[8];
    size_t len;
    vmux_console_read_line(line, sizeof line, &len);
    say(a ? "enable button 1" : "enable button 0", vmux_command_status(BUTTON, 1, a ? 1 : 0, 0));
    vmux_printf("listening\n");
    for (;;) {
        vmux_yield_wait();
        while (head != tail) {
            uint32_t r = reports[head++ % 8];
            bool pressed = r & 1u;
            vmux_printf("button %u %s\n", (unsigned)(r >> 1), pressed ? "pressed" : "released");
            if (!pressed)
                continue;
            if (a) {
                say("led toggled", vmux_command_status(LED, 3, 0, 0));
            } else {
                say("led toggle", vmux_command_status(LED, 3, 0, 0));
                say("gpio 0 set", vmux_command_status(GPIO, 2, 0, 0));
            }
        }
    }
}
