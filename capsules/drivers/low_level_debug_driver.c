#include "capsules/drivers/low_level_debug_driver.h"

#include "hil/hil.h"

/* An entry: what command 1, 2 or 3 asked to print. */
struct entry {
    uint8_t command;
    syscall_reg_t a, b;
};

/* A process's queue, in its grant. */
struct lld_grant {
    struct entry queue[LOW_LEVEL_DEBUG_QUEUE];
    uint8_t head, count;
    uint32_t dropped;        /* lost since the last "Dropped" line */
};

static struct low_level_debug_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct low_level_debug_driver, driver);
}

static bool has_lines(struct process *p, void *state, void *ctx)
{
    const struct lld_grant *s = state;
    (void)p, (void)ctx;
    return s->count > 0 || s->dropped > 0;
}

static void say(struct low_level_debug_driver *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    d->sink->write(d->sink, fmt, ap);
    va_end(ap);
}

/* Write p's next line: its oldest entry, or, once they are out, how many
 * it lost. */
static void write_next(struct low_level_debug_driver *d, struct process *p, struct lld_grant *s)
{
    if (s->count == 0) {
        say(d, "LowLevelDebug: Dropped 0x%lx entries for app %s\n", (unsigned long)s->dropped,
            p->name);
        s->dropped = 0;
        d->counters.drop_reports++;
        return;
    }
    static const char *const formats[] = {
        "LowLevelDebug: App %s alert code 0x%lx\n",
        "LowLevelDebug: App %s prints 0x%lx\n",
        "LowLevelDebug: App %s prints 0x%lx 0x%lx\n",
    };
    struct entry *e = &s->queue[s->head];
    say(d, formats[e->command - LOW_LEVEL_DEBUG_CMD_ALERT], p->name, (unsigned long)e->a,
        (unsigned long)e->b);
    s->head = (uint8_t)((s->head + 1u) % LOW_LEVEL_DEBUG_QUEUE);
    s->count--;
    tally_add(&d->counters.entries, TALLY_DELIVERED, 1);
}

static bool sink_has_room(struct low_level_debug_driver *d)
{
    return d->sink->room(d->sink) >= LOW_LEVEL_DEBUG_LINE_MAX;
}

/* One line per process with lines, round robin, while the sink takes them. */
static void write_lines(struct deferred_call *dc)
{
    struct low_level_debug_driver *d = container_of(dc, struct low_level_debug_driver, work);
    struct process *p;
    while (sink_has_room(d) && (p = process_next_with_grant(&d->driver, has_lines, NULL)) != NULL)
        write_next(d, p, process_grant(p, &d->driver));
}

static struct syscall_return command(const struct syscall_driver *drv, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct low_level_debug_driver *d = driver_of(drv);
    struct lld_grant *s = state;
    (void)p;
    if (cmd < LOW_LEVEL_DEBUG_CMD_ALERT || cmd > LOW_LEVEL_DEBUG_CMD_PRINT2)
        return syscall_failure(VMUX_NOSUPPORT);
    tally_add(&d->counters.entries, TALLY_TAKEN, 1);
    if (s->count == LOW_LEVEL_DEBUG_QUEUE || s->dropped > 0) {
        s->dropped++; /* reported once its queue is out, in order */
        tally_add(&d->counters.entries, TALLY_REFUSED, 1);
    } else {
        struct entry *e = &s->queue[(s->head + s->count++) % LOW_LEVEL_DEBUG_QUEUE];
        e->command = (uint8_t)cmd;
        e->a = arg1;
        e->b = arg2;
    }
    deferred_call_raise(&d->work);
    return syscall_success();
}

/* Its lines go out now if the sink has room; the rest are counted. */
static void process_ended(const struct syscall_driver *drv, struct process *p, void *state)
{
    struct low_level_debug_driver *d = driver_of(drv);
    struct lld_grant *s = state;
    while (has_lines(p, s, NULL) && sink_has_room(d))
        write_next(d, p, s);
    tally_add(&d->counters.entries, TALLY_DEPARTED, s->count);
}

vmux_err_t low_level_debug_driver_init(struct low_level_debug_driver *d,
                                       struct low_level_debug_sink *sink)
{
    d->sink = sink;
    d->counters = (struct low_level_debug_counters){ 0 };
    d->driver = (struct syscall_driver){
        .number = LOW_LEVEL_DEBUG_DRIVER_NUM,
        .state_size = sizeof(struct lld_grant),
        .command = command,
        .process_ended = process_ended,
    };
    return deferred_call_register(&d->work, write_lines);
}

void low_level_debug_driver_sink_ready(struct low_level_debug_driver *d)
{
    deferred_call_raise(&d->work);
}
