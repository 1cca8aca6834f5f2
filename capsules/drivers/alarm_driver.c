#include "capsules/drivers/alarm_driver.h"

#include "capsules/drivers/driver_common.h"

/* A process's alarm, in its grant. */
struct alarm_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct virtual_alarm alarm;      /* of the mux, from the first command */
    struct hil_alarm_client client;
    bool ready;
    bool pending;                    /* an expiration is set */
    uint32_t reference, dt;
};

static struct alarm_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct alarm_driver, driver);
}

/* Arm the virtual alarm for what is left of (reference, dt), at most
 * ALARM_DT_MAX ticks ahead; at once when it has expired. */
static vmux_err_t arm_step(struct alarm_grant *s)
{
    uint32_t now = hil_alarm_now(&s->alarm.hil);
    uint32_t elapsed = now - s->reference;
    uint32_t left = elapsed >= s->dt ? 0 : s->dt - elapsed;
    return hil_alarm_set(&s->alarm.hil, now, left > ALARM_DT_MAX ? ALARM_DT_MAX : left);
}

static void fired(struct hil_alarm_client *self)
{
    struct alarm_grant *s = container_of(self, struct alarm_grant, client);
    if (!s->pending)
        return;
    uint32_t now = hil_alarm_now(&s->alarm.hil);
    /* One step of a long dt: wait for the next. Only if the mux's heap
     * filled up meanwhile does the process hear now, with a now that
     * shows it, rather than never. */
    if (!alarm_expired(now, s->reference, s->dt) && arm_step(s) == VMUX_SUCCESS)
        return;
    s->pending = false;
    driver_owner_upcall(&s->owner, ALARM_UPCALL_FIRED, now, s->reference + s->dt, 0);
}

static struct syscall_return set(struct alarm_grant *s, uint32_t reference, uint32_t dt)
{
    s->reference = reference;
    s->dt = dt;
    s->pending = true;
    vmux_err_t err = arm_step(s);
    if (err != VMUX_SUCCESS) {
        s->pending = false;
        return syscall_failure(err);
    }
    return syscall_success_u32(reference + dt);
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct alarm_grant *s = state;
    (void)p;
    if (!s->ready) {
        virtual_alarm_init(&s->alarm, driver_of(d)->mux);
        s->client.fired = fired;
        hil_alarm_set_client(&s->alarm.hil, &s->client);
        s->ready = true;
    }
    struct hil_alarm *a = &s->alarm.hil;
    switch (cmd) {
    case ALARM_CMD_FREQUENCY:
        return syscall_success_u32(hil_alarm_frequency_hz(a));
    case ALARM_CMD_NOW:
        return syscall_success_u32(hil_alarm_now(a));
    case ALARM_CMD_STOP:
        if (!s->pending)
            return syscall_failure(VMUX_ALREADY);
        s->pending = false;
        hil_alarm_disarm(a);
        return syscall_success();
    case ALARM_CMD_SET_RELATIVE:
        return set(s, hil_alarm_now(a), (uint32_t)arg1);
    case ALARM_CMD_SET_ABSOLUTE:
        return set(s, (uint32_t)arg1, (uint32_t)arg2);
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct alarm_grant *s = state;
    (void)d, (void)p;
    s->pending = false;
    if (s->ready) /* the grant's memory goes: out of the mux for good */
        virtual_alarm_release(&s->alarm);
}

void alarm_driver_init(struct alarm_driver *d, struct alarm_mux *mux)
{
    d->mux = mux;
    d->driver = (struct syscall_driver){
        .number = ALARM_DRIVER_NUM,
        .upcall_count = 1,
        .state_size = sizeof(struct alarm_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
