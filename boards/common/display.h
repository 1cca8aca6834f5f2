/*
 * The display, wired alike by both boards (the host board's simulated
 * screen, chips/sim/sim_screen.h; the lm3s6965evb's OLED behind
 * VMUX_DISPLAY): the screen mux with a virtual alarm as its watchdog,
 * the screen syscall driver (0x90001), and the kernel's status strip.
 *
 * The windows (capsules/screen_mux.h), by name, on the 128 x 64 screen:
 *
 *     +------------------------------------------------+  y 0
 *     | status: the kernel's strip (uptime, who draws) |
 *     +------------------------+-----------------------+  y 8
 *     | sensor-a               | sensor-b              |
 *     +------------------------+-----------------------+  y 36
 *     | udp_echo               | crypto_app            |
 *     +------------------------+-----------------------+  y 64
 *     x 0                      x 64                    x 128
 *
 * Each process window is for the process of that name only; any other
 * process (policy_probe, buttons, hog) has no screen: NODEVICE.
 *
 * The status strip: the seconds since the board started, in digits 3
 * pixels wide and 5 high, and one block per process window, lit while a
 * process draws there. It is redrawn once a second, one rectangle.
 */
#ifndef VMUX_BOARDS_COMMON_DISPLAY_H
#define VMUX_BOARDS_COMMON_DISPLAY_H

#include "capsules/alarm_mux.h"
#include "capsules/drivers/screen_driver.h"
#include "capsules/screen_mux.h"

/* A turn on the screen, one rectangle: the whole screen over SPI at
 * 1 MHz takes about 33 ms. */
#define BOARD_SCREEN_TIMEOUT_US 100000u
#define BOARD_SCREEN_CLIENTS 6u       /* the strip and the process windows */
#define BOARD_WINDOWS 5u
extern const struct screen_window board_windows[BOARD_WINDOWS];

struct board_display {
    struct screen_mux mux;
    struct screen_driver driver;
    struct screen_client strip;       /* the kernel's */
    struct virtual_alarm clock;
    struct hil_alarm_client clock_client;
    uint32_t seconds;
    uint32_t redraws;                 /* strips drawn */
    uint8_t pixels[128 * 8 / 2];      /* the strip, composed before each write */
};
extern struct board_display board_display;

/* The mux, the driver (to register), the strip's client; the strip is
 * powered on and drawn each second from then on. */
vmux_err_t board_display_start(struct alarm_mux *alarms, struct hil_screen *screen,
                               const cap_screen_window_t *cap);

#endif
