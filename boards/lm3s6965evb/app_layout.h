/*
 * Where the lm3s6965evb's loader puts each app (apps.h): the walk over
 * the apps flash, the refusals and the RAM placement, as a computation
 * with no hardware behind it. The board runs it on its flash at boot;
 * the host tools run the same code on a flash image file (tools/tbf
 * plan: which apps of an image start and where, what vmuxload checks
 * before it installs an app, and where `make debug` tells gdb each app's
 * code and data are).
 *
 * The walk reports, through say, every object it leaves out, with the
 * reason (apps.h lists them), and returns the candidates in flash order,
 * each with its MPU block, its RAM quota and its RAM address (0: no
 * room). Placement: apps with a fixed RAM address first, at that
 * address; then the biggest blocks first, each at the highest free
 * address its alignment allows.
 *
 * Usage (the board, apps.c):
 *
 *   struct lm3s_layout layout = {
 *       .flash = (const uint8_t *)_apps_flash_start,
 *       .flash_addr = (uintptr_t)_apps_flash_start, .flash_size = ...,
 *       .ram_start = (uintptr_t)_apps_ram_start, .ram_end = ...,
 *       .grant_floor = floor, .grant_allowance = grants, .check_sha256 = false,
 *   };
 *   struct lm3s_app_place apps[LM3S_APPS_CONSIDERED];
 *   unsigned n = lm3s_layout_apps(&layout, apps, say);
 *   for (unsigned i = 0, started = 0; i < n; i++)
 *       why = lm3s_layout_left_out(&apps[i], started, PROCESS_MAX) ...
 *
 * The grant room the board passes depends on its drivers: main.c
 * measures it with process_grant_size() and stops at boot unless it is
 * the figure below for its build; the image carries that figure as the
 * symbols lm3s_grant_floor and lm3s_grant_allowance, which the host
 * tools read (tools/vmuxload --kernel IMAGE.elf), so they lay an image
 * out for the kernel image it runs with (vmux.elf, vmux-storage.elf,
 * vmux-display.elf give an app different room).
 */
#ifndef VMUX_BOARDS_LM3S6965EVB_APP_LAYOUT_H
#define VMUX_BOARDS_LM3S6965EVB_APP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/process.h"

/* The grant room main.c passes, bytes on the Cortex-M3: the floor, the
 * console's and the alarm's grants (every app gets them); and up to the
 * allowance, inside the MPU block an app needs anyway: the grants of
 * every driver of the build, LM3S_GRANT_DRIVERS for those of every
 * build and one figure per board option that adds drivers. */
#define LM3S_GRANT_FLOOR 672u
#define LM3S_GRANT_DRIVERS 2936u
#define LM3S_GRANT_LOW_LEVEL_DEBUG 8u /* VMUX_LOW_LEVEL_DEBUG */
#define LM3S_GRANT_BUSES 312u         /* VMUX_BUSES: SPI, I2C, temperature */
#define LM3S_GRANT_DISPLAY 144u       /* VMUX_DISPLAY: the screen */
#define LM3S_GRANT_STORAGE 456u       /* VMUX_STORAGE: key-value, isolated */

/* Apps considered: more than the process slots, so that objects left
 * out for want of RAM do not crowd out the ones after them. */
#define LM3S_APPS_CONSIDERED (2u * PROCESS_MAX)

/* The initial break, as Tock's: room for the exception frame the app
 * starts from; its crt0 sets the break it wants (the end of its .bss).
 * Also the least RAM an app gets. */
#define LM3S_FIRST_FRAME 32u

/* How the loader reports, a line at a time (printf-like). */
typedef void (*lm3s_say_fn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct lm3s_layout {
    const uint8_t *flash;      /* the apps flash, as this program reads it */
    uintptr_t flash_addr;      /* where it is on the board */
    size_t flash_size;
    uintptr_t ram_start, ram_end; /* the apps RAM region */
    uint32_t grant_floor, grant_allowance; /* apps.h */
    bool check_sha256;
};

struct lm3s_app_place {
    uint32_t offset;           /* the TBF object, from the start of the apps flash */
    uint32_t block, quota;     /* MPU block and RAM quota */
    uintptr_t ram;             /* 0: no room */
    uintptr_t fixed_ram;       /* TBF_NO_FIXED_ADDRESS: anywhere */
};

/* Walk l's flash and place the apps: apps[] (LM3S_APPS_CONSIDERED of
 * them at most) gets the candidates in flash order; returns how many. */
unsigned lm3s_layout_apps(const struct lm3s_layout *l, struct lm3s_app_place *apps,
                          lm3s_say_fn say);

/* Why candidate a does not start when `started` apps before it did and
 * the board has `slots` process slots; NULL when it starts. */
const char *lm3s_layout_left_out(const struct lm3s_app_place *a, unsigned started, unsigned slots);

#endif
