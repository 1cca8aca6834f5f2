/*
 * tock-pins: the LED (0x2) and button (0x3) drivers as a Tock app uses
 * them, without anyone pressing: how many there are (command 0, Success
 * with u32), an LED lit, toggled and put out, a button's interrupts
 * enabled and disabled, its state read, an index past the last refused
 * (INVALID), an unknown command (NOSUPPORT). The board's LED goes to the
 * first process that uses it: this app is the only one in its image that
 * does.
 */
#include "../../tock.h"

#define LED 0x2u
#define BUTTON 0x3u

int main(void)
{
    struct tock_ret r = tock_command(LED, 0, 0, 0);
    TOCK_EXPECT_EQ("led_count_is_success_u32", r.r0, TOCK_SUCCESS_U32);
    uint32_t leds = r.r1;
    TOCK_EXPECT("at_least_one_led", leds >= 1);
    TOCK_EXPECT_EQ("led_on", tock_command(LED, 1, 0, 0).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("led_toggle", tock_command(LED, 3, 0, 0).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("led_off", tock_command(LED, 2, 0, 0).r0, TOCK_SUCCESS);
    r = tock_command(LED, 1, leds, 0);
    TOCK_EXPECT("led_past_the_last_invalid", r.r0 == TOCK_FAILURE && r.r1 == TOCK_INVAL);
    TOCK_EXPECT_EQ("led_unknown_command", tock_command(LED, 9, 0, 0).r1, TOCK_NOSUPPORT);

    r = tock_command(BUTTON, 0, 0, 0);
    TOCK_EXPECT_EQ("button_count_is_success_u32", r.r0, TOCK_SUCCESS_U32);
    uint32_t buttons = r.r1;
    TOCK_EXPECT("at_least_one_button", buttons >= 1);
    TOCK_EXPECT_EQ("button_enable", tock_command(BUTTON, 1, 0, 0).r0, TOCK_SUCCESS);
    r = tock_command(BUTTON, 3, 0, 0);
    TOCK_EXPECT("button_read_is_0_or_1", r.r0 == TOCK_SUCCESS_U32 && r.r1 <= 1);
    TOCK_EXPECT_EQ("button_disable", tock_command(BUTTON, 2, 0, 0).r0, TOCK_SUCCESS);
    r = tock_command(BUTTON, 1, buttons, 0);
    TOCK_EXPECT("button_past_the_last_invalid", r.r0 == TOCK_FAILURE && r.r1 == TOCK_INVAL);
    TOCK_EXPECT_EQ("button_unknown_command", tock_command(BUTTON, 9, 0, 0).r1, TOCK_NOSUPPORT);
    tock_done();
    return 0;
}
