#include "capsules/drivers/low_level_debug_driver.h"

#include "hil/hil.h"

static struct low_level_debug_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct low_level_debug_driver, driver);
}

static struct low_level_debug_queue *queue_of(struct low_level_debug_driver *d,
                                              const struct process *p)
{
    return &d->queues[p->slot];
}

static bool has_lines(struct process *p, void *state, void *driver)
{
    const struct low_level_debug_queue *q = queue_of(driver, p);
    (void)state;
    return q->count > 0 || q->dropped > 0;
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
static void write_next(struct low_level_debug_driver *d, struct process *p)
{
    struct low_level_debug_queue *s = queue_of(d, p);
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
    unsigned h = s->head;
    say(d, formats[s->command[h] - LOW_LEVEL_DEBUG_CMD_ALERT], p->name, (unsigned long)s->a[h],
        (unsigned long)s->b[h]);
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
    while (sink_has_room(d) && (p = process_next_with_grant(&d->driver, has_lines, d)) != NULL)
        write_next(d, p);
}

static struct syscall_return command(const struct syscall_driver *drv, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct low_level_debug_driver *d = driver_of(drv);
    struct low_level_debug_queue *s = queue_of(d, p);
    (void)state;
    if (cmd < LOW_LEVEL_DEBUG_CMD_ALERT || cmd > LOW_LEVEL_DEBUG_CMD_PRINT2)
        return syscall_failure(VMUX_NOSUPPORT);
    tally_add(&d->counters.entries, TALLY_TAKEN, 1);
    if (s->count == LOW_LEVEL_DEBUG_QUEUE || s->dropped > 0) {
        s->dropped++; /* reported once its queue is out, in order */
        tally_add(&d->counters.entries, TALLY_REFUSED, 1);
    } else {
        unsigned at = (s->head + s->count++) % LOW_LEVEL_DEBUG_QUEUE;
        s->command[at] = (uint8_t)cmd;
        s->a[at] = arg1;
        s->b[at] = arg2;
    }
    deferred_call_raise(&d->work);
    return syscall_success();
}

/* Its lines go out now if the sink has room; the rest are counted; the
 * queue is left empty for the slot's next life. */
static void process_ended(const struct syscall_driver *drv, struct process *p, void *state)
{
    struct low_level_debug_driver *d = driver_of(drv);
    struct low_level_debug_queue *s = queue_of(d, p);
    while (has_lines(p, state, d) && sink_has_room(d))
        write_next(d, p);
    tally_add(&d->counters.entries, TALLY_DEPARTED, s->count);
    *s = (struct low_level_debug_queue){ 0 };
}

vmux_err_t low_level_debug_driver_init(struct low_level_debug_driver *d,
                                       struct low_level_debug_sink *sink)
{
    *d = (struct low_level_debug_driver){ .sink = sink };
    d->driver = (struct syscall_driver){
        .number = LOW_LEVEL_DEBUG_DRIVER_NUM,
        .command = command,
        .process_ended = process_ended,
    };
    return deferred_call_register(&d->work, write_lines);
}

void low_level_debug_driver_sink_ready(struct low_level_debug_driver *d)
{
    deferred_call_raise(&d->work);
}
