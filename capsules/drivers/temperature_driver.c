#include "capsules/drivers/temperature_driver.h"

#include "capsules/drivers/driver_common.h"

struct temperature_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct tmp105_reader reader;     /* attached at the first command */
};

static void read_done(struct tmp105_reader *r, int32_t centi, vmux_err_t status)
{
    struct temperature_grant *g = container_of(r, struct temperature_grant, reader);
    driver_owner_upcall(&g->owner, 0, (uint32_t)centi, driver_statuscode(status), 0);
}

static const struct tmp105_reader_ops reader_ops = { read_done };

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct temperature_grant *g = state;
    (void)p, (void)arg1, (void)arg2;
    if (cmd != TEMPERATURE_CMD_READ)
        return syscall_failure(VMUX_NOSUPPORT);
    tmp105_attach(container_of(d, struct temperature_driver, driver)->sensor, &g->reader,
                  &reader_ops);
    return syscall_status(tmp105_read(&g->reader));
}

static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    (void)d, (void)p;
    tmp105_detach(&((struct temperature_grant *)state)->reader);
}

void temperature_driver_init(struct temperature_driver *d, struct tmp105 *sensor)
{
    d->sensor = sensor;
    d->driver = (struct syscall_driver){
        .number = TEMPERATURE_DRIVER_NUM,
        .upcall_count = 1,
        .state_size = sizeof(struct temperature_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
