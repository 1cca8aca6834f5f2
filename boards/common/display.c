#include "boards/common/display.h"

#include "kernel/font3x5.h"

#define STRIP_WIDTH 128u
#define STRIP_HEIGHT 8u

const struct screen_window board_windows[BOARD_WINDOWS] = {
    { "status", { 0, 0, STRIP_WIDTH, STRIP_HEIGHT }, NULL },
    { "sensor-a", { 0, 8, 64, 28 }, "sensor-a" },
    { "sensor-b", { 64, 8, 64, 28 }, "sensor-b" },
    { "udp_echo", { 0, 36, 64, 28 }, "udp_echo" },
    { "crypto_app", { 64, 36, 64, 28 }, "crypto_app" },
};

struct board_display board_display;

static struct client_entry *screen_slots[BOARD_SCREEN_CLIENTS];
static uint32_t screen_rr[RR_WORDS(BOARD_SCREEN_CLIENTS)];
static struct virtual_alarm screen_watchdog;


static void set_pixel(uint8_t *strip, unsigned x, unsigned y, unsigned grey)
{
    uint8_t *b = &strip[(y * STRIP_WIDTH + x) / 2];
    *b = x % 2 ? (uint8_t)((*b & 0xf0u) | grey) : (uint8_t)((*b & 0x0fu) | grey << 4);
}

static void draw_digit(uint8_t *strip, unsigned x, unsigned digit)
{
    for (unsigned row = 0; row < FONT3X5_HEIGHT; row++)
        for (unsigned col = 0; col < FONT3X5_WIDTH; col++)
            if (font3x5_lit(digit, col, row))
                set_pixel(strip, x + col, 1 + row, 15);
}

/* Is a process drawing in window w? */
static bool window_in_use(const struct screen_window *w)
{
    const struct client_table *t = &board_display.mux.bus.clients;
    for (unsigned i = 0; i < t->capacity; i++) {
        struct client_entry *e = client_table_at(t, i);
        if (e && container_of(e, struct screen_client, bus.entry)->window == w)
            return true;
    }
    return false;
}

/* Uptime in digits at the left; a block per process window on the right. */
static void compose(struct board_display *d)
{
    uint8_t *strip = d->pixels;
    for (unsigned i = 0; i < sizeof d->pixels; i++)
        strip[i] = 0;
    uint32_t s = d->seconds;
    unsigned x = 2 + 4 * 5;
    do {
        x -= 4;
        draw_digit(strip, x, s % 10);
        s /= 10;
    } while (s && x >= 4);
    for (unsigned w = 1; w < BOARD_WINDOWS; w++) {
        unsigned grey = window_in_use(&board_windows[w]) ? 12 : 3;
        for (unsigned y = 2; y < 6; y++)
            for (unsigned k = 0; k < 6; k++)
                set_pixel(strip, STRIP_WIDTH - 8 * (BOARD_WINDOWS - w) + k, y, grey);
    }
}

static void strip_done(struct screen_client *c, const uint8_t *buf, size_t len,
                       vmux_err_t status)
{
    (void)c, (void)buf, (void)len, (void)status;
}

static const struct screen_client_ops strip_ops = { strip_done };

static void clock_fired(struct hil_alarm_client *self)
{
    struct board_display *d = container_of(self, struct board_display, clock_client);
    struct hil_alarm *a = &d->clock.hil;
    hil_alarm_set(a, hil_alarm_now(a), hil_alarm_ms_to_ticks(a, 1000));
    d->seconds++;
    if (d->strip.bus.queued)
        return; /* the last one still on its way: this second is skipped */
    compose(d);
    if (screen_mux_write(&d->strip, d->pixels, sizeof d->pixels, false) == VMUX_SUCCESS)
        d->redraws++;
}

vmux_err_t board_display_start(struct alarm_mux *alarms, struct hil_screen *screen,
                               const cap_screen_window_t *cap)
{
    struct board_display *d = &board_display;
    virtual_alarm_init(&screen_watchdog, alarms);
    vmux_err_t err = screen_mux_init(&d->mux, screen, screen_slots, screen_rr,
                                     BOARD_SCREEN_CLIENTS, &screen_watchdog.hil,
                                     BOARD_SCREEN_TIMEOUT_US);
    screen_driver_init(&d->driver, &d->mux, cap, board_windows, BOARD_WINDOWS);
    if (err == VMUX_SUCCESS)
        err = screen_mux_attach(&d->mux, &d->strip,
                                client_register_kernel(CLIENT_NAME("status")), cap,
                                &board_windows[0], &strip_ops);
    if (err == VMUX_SUCCESS)
        err = screen_mux_set_power(&d->strip, true);
    virtual_alarm_init(&d->clock, alarms);
    d->clock_client.fired = clock_fired;
    hil_alarm_set_client(&d->clock.hil, &d->clock_client);
    hil_alarm_set(&d->clock.hil, hil_alarm_now(&d->clock.hil),
                  hil_alarm_ms_to_ticks(&d->clock.hil, 1000));
    return err;
}
