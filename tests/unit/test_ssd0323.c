/* The SSD0323 driver (capsules/ssd0323.h) over the SPI mux and the
 * simulated bus, with a simulated controller (chips/sim/sim_ssd0323.h)
 * on the OLED's chip select and data/command line: what it shows after
 * writes and fills at odd columns and widths, continued writes, whole
 * rows; a pixel it was not asked to change never changes; power,
 * contrast; refusals; abort. Time moves only with sim_advance(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/ssd0323.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_spi.h"
#include "chips/sim/sim_ssd0323.h"

#define MS 1000000ull

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_gpio lines;            /* pin 0 the select (low), pin 1 data/command */
static struct sim_spi bus;
static struct sim_ssd0323 model;
static struct spi_mux mux;
static struct client_entry *slots[2];
static uint32_t rr_bits[RR_WORDS(2)];
static const struct spi_chip chip = { "oled", { &lines.hil, 0, 0 }, { &lines.hil, 1, 1 }, NULL };
static struct ssd0323 oled;
static struct hil_screen_client client;
static unsigned dones;
static const uint8_t *back;
static vmux_err_t last;
static uint8_t expected[64][128];

static void done(struct hil_screen_client *self, const uint8_t *buf, size_t len, vmux_err_t st)
{
    (void)self, (void)len;
    dones++;
    back = buf;
    last = st;
}

static void run(void)
{
    sim_advance(10 * MS);
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    assert_int_equal(sim_gpio_init(&lines, 2), VMUX_SUCCESS);
    assert_int_equal(sim_spi_init(&bus), VMUX_SUCCESS);
    sim_ssd0323_attach(&bus, &model, &lines, 0, &lines, 1);
    assert_int_equal(spi_mux_init(&mux, &bus.hil, slots, rr_bits, 2, &watchdog.hil, 100000),
                     VMUX_SUCCESS);
    spi_mux_park(&chip, 1);
    assert_int_equal(ssd0323_init(&oled, &mux, client_register_kernel("oled"),
                                  test_board_cap_bus_device(), &chip),
                     VMUX_SUCCESS);
    client.done = done;
    hil_screen_set_client(&oled.hil, &client);
    dones = 0;
    back = NULL;
    memset(expected, 0, sizeof expected);
    assert_int_equal(hil_screen_set_power(&oled.hil, true), VMUX_SUCCESS);
    run();
    assert_int_equal(dones, 1);
    assert_true(model.on);
    dones = 0;
    return 0;
}

static void assert_shows_expected(void)
{
    for (unsigned y = 0; y < 64; y++)
        for (unsigned x = 0; x < 128; x++)
            if (sim_ssd0323_pixel(&model, x, y) != expected[y][x])
                fail_msg("pixel (%u, %u) is %u, not %u", x, y, sim_ssd0323_pixel(&model, x, y),
                         expected[y][x]);
}

static void fill(unsigned x, unsigned y, unsigned w, unsigned h, unsigned grey)
{
    struct hil_screen_rect r = { (uint16_t)x, (uint16_t)y, (uint16_t)w, (uint16_t)h };
    assert_int_equal(hil_screen_fill(&oled.hil, &r, (uint8_t)grey), VMUX_SUCCESS);
    run();
    for (unsigned j = y; j < y + h; j++)
        for (unsigned i = x; i < x + w; i++)
            expected[j][i] = (uint8_t)grey;
}

/* A background, then a rectangle at an odd column and of an odd width:
 * its pixels change and not one around it, though the controller's
 * columns hold two pixels each. */
static void ssd0323_odd_rectangle_changes_its_pixels_only(void **state)
{
    (void)state;
    fill(0, 0, 128, 64, 5);            /* whole rows: one transfer */
    assert_int_equal(model.data_bytes, 64 * 64);
    const struct hil_screen_rect r = { 3, 7, 5, 3 };   /* 15 pixels */
    uint8_t px[8];
    for (unsigned i = 0; i < sizeof px; i++)
        px[i] = (uint8_t)(((2 * i) % 16) << 4 | ((2 * i + 1) % 16));
    assert_int_equal(hil_screen_write(&oled.hil, &r, 0, px, sizeof px), VMUX_SUCCESS);
    assert_int_equal(dones, 1); /* the fill's */
    run();
    assert_int_equal(dones, 2);
    assert_ptr_equal(back, px);
    assert_int_equal(last, VMUX_SUCCESS);
    for (unsigned k = 0; k < 15; k++)
        expected[7 + k / 5][3 + k % 5] = (uint8_t)(k % 16);
    assert_shows_expected();
    assert_int_equal(model.unknown, 0);
}

/* A continued write: pixels from the middle of the rectangle on. */
static void ssd0323_continued_write_starts_where_it_is_told(void **state)
{
    (void)state;
    const struct hil_screen_rect r = { 10, 20, 7, 4 };   /* 28 pixels */
    const uint8_t px[3] = { 0x9a, 0xbc, 0xde };
    assert_int_equal(hil_screen_write(&oled.hil, &r, 9, px, sizeof px), VMUX_SUCCESS);
    run();
    for (unsigned k = 0; k < 6; k++)
        expected[20 + (9 + k) / 7][10 + (9 + k) % 7] = (uint8_t)(0x9 + k);
    assert_shows_expected();
}

static void ssd0323_power_contrast_and_refusals(void **state)
{
    (void)state;
    const struct hil_screen_rect r = { 0, 0, 2, 1 }, outside = { 127, 0, 2, 1 };
    const uint8_t px[1] = { 0xff };
    assert_int_equal(hil_screen_set_brightness(&oled.hil, 65535), VMUX_SUCCESS);
    assert_int_equal(hil_screen_set_brightness(&oled.hil, 1), VMUX_BUSY);
    run();
    assert_int_equal(model.contrast, 127);
    assert_int_equal(hil_screen_write(&oled.hil, &outside, 0, px, 1), VMUX_INVALID);
    assert_int_equal(hil_screen_write(&oled.hil, &r, 0, px, 2), VMUX_SIZE);
    assert_int_equal(hil_screen_write(&oled.hil, &r, 0, NULL, 1), VMUX_INVALID);
    struct hil_screen_rect r2 = r;
    assert_int_equal(hil_screen_fill(&oled.hil, &r2, 16), VMUX_INVALID);
    assert_int_equal(hil_screen_set_power(&oled.hil, false), VMUX_SUCCESS);
    run();
    assert_false(model.on);
    assert_int_equal(hil_screen_write(&oled.hil, &r, 0, px, 1), VMUX_OFF);
    assert_int_equal(dones, 2);
    assert_shows_expected(); /* nothing drawn by any of it */
}

/* abort() with a flush on the bus: no done(), and the driver takes the
 * next request once the bus is done with the last transfer. */
static void ssd0323_abort_means_no_done(void **state)
{
    (void)state;
    const struct hil_screen_rect r = { 0, 0, 128, 64 };
    assert_int_equal(hil_screen_fill(&oled.hil, &r, 3), VMUX_SUCCESS);
    sim_settle(); /* the window's command on the bus */
    hil_screen_abort(&oled.hil);
    run();
    assert_int_equal(dones, 0);
    assert_int_equal(hil_screen_fill(&oled.hil, &r, 4), VMUX_SUCCESS);
    run();
    assert_int_equal(dones, 1);
    assert_int_equal(sim_ssd0323_pixel(&model, 127, 63), 4);
    assert_int_equal(bus.counters.conflicts, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ssd0323_odd_rectangle_changes_its_pixels_only, setup),
        cmocka_unit_test_setup(ssd0323_continued_write_starts_where_it_is_told, setup),
        cmocka_unit_test_setup(ssd0323_power_contrast_and_refusals, setup),
        cmocka_unit_test_setup(ssd0323_abort_means_no_done, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
