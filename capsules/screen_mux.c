#include "capsules/screen_mux.h"

static struct screen_client *client_of(struct bus_client *b)
{
    return container_of(b, struct screen_client, bus);
}

static struct screen_mux *mux_of(const struct screen_client *c)
{
    return container_of(c->bus.mux, struct screen_mux, bus);
}

static bool overlap(const struct hil_screen_rect *a, const struct hil_screen_rect *b)
{
    return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height &&
           b->y < a->y + a->height;
}

/* The panel as the attached clients want it: on while any has power
 * on, at the brightest level those ask for. */
static bool panel_on(struct screen_mux *m, uint16_t *level)
{
    bool on = false;
    *level = 0;
    for (unsigned i = 0; i < m->bus.clients.capacity; i++) {
        struct client_entry *e = client_table_at(&m->bus.clients, i);
        struct screen_client *c = e ? client_of(container_of(e, struct bus_client, entry)) : NULL;
        if (c && c->powered) {
            on = true;
            if (c->brightness > *level)
                *level = c->brightness;
        }
    }
    return on;
}

static vmux_err_t start(struct bus_mux *bm, struct bus_client *b)
{
    struct screen_mux *m = container_of(bm, struct screen_mux, bus);
    struct screen_client *c = client_of(b);
    struct hil_screen_rect r = c->frame;
    r.x = (uint16_t)(r.x + c->window->rect.x);
    r.y = (uint16_t)(r.y + c->window->rect.y);
    if (c->op == SCREEN_OP_WRITE)
        return hil_screen_write(m->screen, &r, c->position, c->buf, c->len);
    if (c->op == SCREEN_OP_FILL)
        return hil_screen_fill(m->screen, &r, c->grey);
    uint16_t level;
    bool on = panel_on(m, &level);
    if (c->op == SCREEN_OP_POWER)
        return hil_screen_set_power(m->screen, on);
    return hil_screen_set_brightness(m->screen, level);
}

static void recover(struct bus_mux *bm, struct bus_client *b)
{
    (void)b;
    hil_screen_abort(container_of(bm, struct screen_mux, bus)->screen);
}

static void finish(struct bus_client *b, vmux_err_t status)
{
    struct screen_client *c = client_of(b);
    struct screen_mux *m = mux_of(c);
    const uint8_t *buf = c->op == SCREEN_OP_WRITE ? c->buf : NULL;
    size_t len = buf ? c->len : 0;
    if (status == VMUX_SUCCESS && c->op == SCREEN_OP_WRITE) {
        uint32_t left = hil_screen_pixels(&c->frame) - c->position;
        uint32_t n = 2u * (uint32_t)len < left ? 2u * (uint32_t)len : left;
        c->position += n;
        m->counters.pixels += n;
    } else if (status == VMUX_SUCCESS && c->op == SCREEN_OP_FILL) {
        m->counters.pixels += hil_screen_pixels(&c->frame);
    }
    c->buf = NULL;
    c->len = 0;
    c->ops->done(c, buf, len, status);
}

static const struct bus_mux_ops screen_bus_ops = { start, recover, finish };

static void screen_done(struct hil_screen_client *self, const uint8_t *buf, size_t len,
                        vmux_err_t status)
{
    struct screen_mux *m = container_of(self, struct screen_mux, screen_client);
    (void)buf, (void)len; /* the running client's own, kept in its struct */
    bus_mux_complete(&m->bus, status, false);
}

vmux_err_t screen_mux_init(struct screen_mux *m, struct hil_screen *screen,
                           struct client_entry **storage, uint32_t *rr_words, unsigned capacity,
                           struct hil_alarm *watchdog, uint32_t timeout_us)
{
    if (screen == NULL)
        return VMUX_INVALID;
    vmux_err_t err =
        bus_mux_init(&m->bus, &screen_bus_ops, storage, rr_words, capacity, watchdog, timeout_us);
    m->screen = screen;
    m->screen_client.done = screen_done;
    m->counters = (struct screen_mux_counters){ 0 };
    hil_screen_set_client(screen, &m->screen_client);
    return err;
}

vmux_err_t screen_mux_attach(struct screen_mux *m, struct screen_client *c, client_id_t id,
                             const cap_screen_window_t *cap, const struct screen_window *window,
                             const struct screen_client_ops *ops)
{
    if (!capability_valid(cap))
        return VMUX_RESERVE;
    if (c->bus.entry.attached)
        return VMUX_ALREADY;
    bool fits = window && hil_screen_rect_inside(&window->rect, m->screen->width,
                                                 m->screen->height);
    for (unsigned i = 0; fits && i < m->bus.clients.capacity; i++) {
        struct client_entry *e = client_table_at(&m->bus.clients, i);
        const struct screen_window *w =
            e ? client_of(container_of(e, struct bus_client, entry))->window : NULL;
        if (w && w != window && overlap(&w->rect, &window->rect))
            fits = false;
    }
    if (!fits) {
        m->counters.overlap++;
        return VMUX_INVALID;
    }
    vmux_err_t err = bus_mux_attach(&m->bus, &c->bus, id);
    if (err != VMUX_SUCCESS)
        return err;
    c->ops = ops;
    c->window = window;
    c->frame = (struct hil_screen_rect){ 0, 0, window->rect.width, window->rect.height };
    c->position = 0;
    c->powered = false;
    c->brightness = SCREEN_MUX_BRIGHTNESS_DEFAULT;
    c->buf = NULL;
    c->len = 0;
    return VMUX_SUCCESS;
}

void screen_mux_detach(struct screen_client *c)
{
    bus_mux_detach(&c->bus);
    c->buf = NULL;
    c->len = 0;
}

void screen_mux_size(const struct screen_client *c, unsigned *width, unsigned *height)
{
    bool on = c->bus.entry.attached;
    *width = on ? c->window->rect.width : 0;
    *height = on ? c->window->rect.height : 0;
}

/* OFF when c is detached, BUSY (counted) while its request is queued. */
static vmux_err_t idle(struct screen_client *c)
{
    if (!c->bus.entry.attached)
        return VMUX_OFF;
    if (c->bus.queued) {
        mux_of(c)->counters.busy++;
        return VMUX_BUSY;
    }
    return VMUX_SUCCESS;
}

/* Queue op for c: as idle(), and OFF (counted) for a draw while c is
 * not powered. */
static vmux_err_t request(struct screen_client *c, enum screen_op op)
{
    vmux_err_t err = idle(c);
    if (err != VMUX_SUCCESS)
        return err;
    struct screen_mux *m = mux_of(c);
    if (!c->powered && (op == SCREEN_OP_WRITE || op == SCREEN_OP_FILL)) {
        m->counters.off++;
        return VMUX_OFF;
    }
    c->op = (uint8_t)op;
    return bus_mux_request(&c->bus);
}

vmux_err_t screen_mux_set_frame(struct screen_client *c, unsigned x, unsigned y, unsigned width,
                                unsigned height)
{
    vmux_err_t err = idle(c);
    if (err != VMUX_SUCCESS)
        return err;
    const struct hil_screen_rect *w = &c->window->rect;
    /* each part within the window first, so that none is cut to 16 bits */
    bool parts = x < w->width && y < w->height && width <= w->width && height <= w->height;
    struct hil_screen_rect f = { (uint16_t)x, (uint16_t)y, (uint16_t)width, (uint16_t)height };
    if (!parts || !hil_screen_rect_inside(&f, w->width, w->height)) {
        mux_of(c)->counters.outside++;
        return VMUX_INVALID;
    }
    c->frame = f;
    c->position = 0;
    return VMUX_SUCCESS;
}

vmux_err_t screen_mux_write(struct screen_client *c, const uint8_t *buf, size_t len, bool more)
{
    if (!c->bus.entry.attached)
        return VMUX_OFF;
    struct screen_mux *m = mux_of(c);
    uint32_t from = more ? c->position : 0;
    uint32_t left = hil_screen_pixels(&c->frame) - from;
    if (buf == NULL) {
        m->counters.invalid++;
        return VMUX_INVALID;
    }
    if (len == 0 || left == 0 || len > hil_screen_bytes(left)) {
        m->counters.size++;
        return VMUX_SIZE;
    }
    vmux_err_t err = idle(c); /* before the queued request's fields change */
    if (err != VMUX_SUCCESS)
        return err;
    uint32_t position = c->position;
    c->position = from;
    c->buf = buf;
    c->len = len;
    err = request(c, SCREEN_OP_WRITE);
    if (err != VMUX_SUCCESS) {
        c->position = position;
        c->buf = NULL;
        c->len = 0;
    }
    return err;
}

vmux_err_t screen_mux_fill(struct screen_client *c, unsigned grey)
{
    if (c->bus.entry.attached && grey > HIL_SCREEN_GREY_MAX) {
        mux_of(c)->counters.invalid++;
        return VMUX_INVALID;
    }
    c->grey = (uint8_t)grey;
    return request(c, SCREEN_OP_FILL);
}

vmux_err_t screen_mux_set_power(struct screen_client *c, bool on)
{
    vmux_err_t err = request(c, SCREEN_OP_POWER);
    if (err == VMUX_SUCCESS)
        c->powered = on;
    return err;
}

vmux_err_t screen_mux_set_brightness(struct screen_client *c, unsigned level)
{
    vmux_err_t err = request(c, SCREEN_OP_BRIGHTNESS);
    if (err == VMUX_SUCCESS)
        c->brightness = (uint16_t)(level > 65535u ? 65535u : level);
    return err;
}
