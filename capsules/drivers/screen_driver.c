#include "capsules/drivers/screen_driver.h"

#include "capsules/drivers/driver_common.h"
#include "capsules/drivers/owners.h"
#include "kernel/wipe.h"

#define ALLOW_PIXELS 0u
#define UPCALL_DONE 0u

/* A process's use of its window, in its grant. */
struct screen_grant {
    struct driver_owner owner;        /* first: see driver_grant_init */
    struct screen_client client;      /* attached to its window */
    bool busy;                        /* a command waits for its upcall */
    uint16_t len, done;               /* its write: bytes asked, done */
    uint8_t buf[SCREEN_DRIVER_CHUNK]; /* the chunk on the screen */
};

static struct screen_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct screen_driver, driver);
}

/* The board's window for a process of this name; NULL: none. */
static const struct screen_window *window_of(const struct screen_driver *d, const char *name)
{
    for (unsigned i = 0; i < d->count; i++)
        if (owners_include(d->windows[i].owners, name))
            return &d->windows[i];
    return NULL;
}

static void done(struct screen_client *c, const uint8_t *buf, size_t len, vmux_err_t status);
static const struct screen_client_ops screen_ops = { done };

static void finish(struct screen_grant *g, vmux_err_t status)
{
    wipe(g->buf, sizeof g->buf);
    g->busy = false;
    g->len = 0;
    driver_owner_upcall(&g->owner, UPCALL_DONE, driver_statuscode(status), 0, 0);
}

/* The next chunk of the write, from the allow as it is now. */
static vmux_err_t write_chunk(struct screen_grant *g, struct process *p)
{
    size_t n = driver_min(g->len - g->done, SCREEN_DRIVER_CHUNK);
    if (driver_copy_in(p, g->owner.driver, ALLOW_PIXELS, g->done, g->buf, n, NULL) < n)
        return VMUX_SIZE; /* the allow shrank */
    return screen_mux_write(&g->client, g->buf, n, g->done > 0);
}

static void done(struct screen_client *c, const uint8_t *buf, size_t len, vmux_err_t status)
{
    struct screen_grant *g = container_of(c, struct screen_grant, client);
    struct process *p = driver_owner_process(&g->owner);
    (void)buf;
    wipe(g->buf, sizeof g->buf);
    if (status == VMUX_SUCCESS && g->len) {
        g->done = (uint16_t)(g->done + len);
        if (g->done < g->len && p && (status = write_chunk(g, p)) == VMUX_SUCCESS)
            return;
    }
    finish(g, status);
}

/* The first pixel of the allow, for a fill. */
static vmux_err_t fill(struct screen_grant *g, struct process *p)
{
    uint8_t first;
    if (driver_copy_in(p, g->owner.driver, ALLOW_PIXELS, 0, &first, 1, NULL) < 1)
        return VMUX_NOMEM;
    return screen_mux_fill(&g->client, first >> 4);
}

static vmux_err_t write(struct screen_grant *g, struct process *p, uintptr_t asked)
{
    size_t have;
    process_allowed_ro(p, g->owner.driver, ALLOW_PIXELS, &have);
    size_t len = driver_min(asked, have);
    if (len == 0)
        return VMUX_NOMEM;
    if (len > hil_screen_bytes(hil_screen_pixels(&g->client.frame))) {
        driver_of(g->owner.driver)->size++;
        return VMUX_SIZE;
    }
    g->len = (uint16_t)len;
    g->done = 0;
    vmux_err_t err = write_chunk(g, p);
    if (err != VMUX_SUCCESS) {
        wipe(g->buf, sizeof g->buf);
        g->len = 0;
    }
    return err;
}

/* Commands that end with an upcall: started now, BUSY while one runs. */
static vmux_err_t start(struct screen_grant *g, struct process *p, uint32_t cmd, uintptr_t a,
                        uintptr_t b)
{
    if (g->busy)
        return VMUX_BUSY;
    vmux_err_t err;
    switch (cmd) {
    case SCREEN_CMD_POWER:
        err = screen_mux_set_power(&g->client, a != 0);
        break;
    case SCREEN_CMD_BRIGHTNESS:
        err = screen_mux_set_brightness(&g->client, a > 65535u ? 65535u : (unsigned)a);
        break;
    case SCREEN_CMD_SET_FRAME:
        err = screen_mux_set_frame(&g->client, (a >> 16) & 0xffffu, a & 0xffffu,
                                   (b >> 16) & 0xffffu, b & 0xffffu);
        if (err == VMUX_SUCCESS) /* nothing to wait for: the upcall at once */
            driver_owner_upcall(&g->owner, UPCALL_DONE, 0, 0, 0);
        return err;
    case SCREEN_CMD_WRITE:
        err = write(g, p, a);
        break;
    default: /* SCREEN_CMD_FILL */
        err = fill(g, p);
        break;
    }
    g->busy = err == VMUX_SUCCESS;
    return err;
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct screen_driver *drv = driver_of(d);
    struct screen_grant *g = state;
    if (!g->client.bus.entry.attached) {
        const struct screen_window *w = window_of(drv, p->name);
        vmux_err_t err = w ? screen_mux_attach(drv->mux, &g->client, g->owner.id, drv->cap, w,
                                               &screen_ops)
                           : VMUX_NODEVICE;
        if (err == VMUX_NODEVICE)
            drv->nodevice++;
        if (err != VMUX_SUCCESS)
            return syscall_failure(err);
    }
    unsigned width, height;
    switch (cmd) {
    case SCREEN_CMD_SETUP:
    case SCREEN_CMD_ROTATION:
        return syscall_success_u32(0);
    case SCREEN_CMD_RESOLUTION:
        screen_mux_size(&g->client, &width, &height);
        return syscall_success_2u32(width, height);
    case SCREEN_CMD_PIXEL_FORMAT:
        return syscall_success_u32(HIL_SCREEN_GREY4);
    case SCREEN_CMD_POWER:
    case SCREEN_CMD_BRIGHTNESS:
    case SCREEN_CMD_SET_FRAME:
    case SCREEN_CMD_WRITE:
    case SCREEN_CMD_FILL:
        return syscall_status(start(g, p, cmd, arg1, arg2));
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

/* Its request aborted: no callback follows. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct screen_grant *g = state;
    (void)d, (void)p;
    screen_mux_detach(&g->client);
    wipe(g->buf, sizeof g->buf);
}

void screen_driver_init(struct screen_driver *d, struct screen_mux *mux,
                        const cap_screen_window_t *cap, const struct screen_window *windows,
                        unsigned count)
{
    d->mux = mux;
    d->cap = cap;
    d->windows = windows;
    d->count = (uint8_t)count;
    d->nodevice = 0;
    d->size = 0;
    d->driver = (struct syscall_driver){
        .number = SCREEN_DRIVER_NUM,
        .upcall_count = 1,
        .allow_ro_count = 1,
        .state_size = sizeof(struct screen_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
