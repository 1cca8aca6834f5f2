#include "capsules/drivers/isolated_storage_driver.h"

#include "capsules/drivers/driver_common.h"

/* A process's use of its region, in its grant. */
struct iso_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct storage_client region;    /* its window, once its slot is known */
    struct region_request request;   /* while it waits for a slot */
    uint8_t op;                      /* the command under way, 0 none */
    uint32_t offset, len, done;      /* of a read or write */
    uint32_t chunk;                  /* bytes of the block being written */
};

static struct isolated_storage_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct isolated_storage_driver, driver);
}

uint32_t isolated_storage_region_bytes(const struct isolated_storage_driver *d)
{
    return d->regions->region_blocks * HIL_BLOCK_SIZE;
}

static unsigned upcall_of(unsigned op)
{
    return op == ISOLATED_CMD_SIZE ? ISOLATED_UPCALL_SIZE
           : op == ISOLATED_CMD_READ ? ISOLATED_UPCALL_READ
                                     : ISOLATED_UPCALL_WRITE;
}

static void end(struct iso_grant *s, vmux_err_t status, uint32_t value)
{
    struct isolated_storage_driver *d = driver_of(s->owner.driver);
    unsigned op = s->op;
    s->op = 0;
    tally_add(&d->counters.ops, status == VMUX_SUCCESS ? TALLY_DELIVERED : TALLY_FAILED, 1);
    driver_owner_upcall(&s->owner, upcall_of(op), driver_statuscode(status), value, 0);
}

/* The block holding byte offset + done of the region, next in turn. */
static void next_block(struct iso_grant *s)
{
    uint32_t block = (s->offset + s->done) / HIL_BLOCK_SIZE;
    unsigned flags = s->op == ISOLATED_CMD_WRITE ? STORAGE_HOLD : 0; /* then written back */
    vmux_err_t err = storage_mux_read(&s->region, block, NULL, flags);
    if (err != VMUX_SUCCESS)
        end(s, err, s->done);
}

/* Its region is known: do the command. */
static void run(struct iso_grant *s)
{
    struct isolated_storage_driver *d = driver_of(s->owner.driver);
    struct process *p = driver_owner_process(&s->owner);
    uint32_t size = isolated_storage_region_bytes(d);
    if (p == NULL)
        return;
    if (s->op == ISOLATED_CMD_SIZE) {
        end(s, VMUX_SUCCESS, size);
        return;
    }
    size_t have = 0;
    if (s->op == ISOLATED_CMD_READ)
        process_allowed_rw(p, s->owner.driver, ISOLATED_ALLOW_RW_READ, &have);
    else
        process_allowed_ro(p, s->owner.driver, ISOLATED_ALLOW_RO_WRITE, &have);
    s->len = (uint32_t)driver_min(have, ISOLATED_STORAGE_MAX_LEN);
    s->done = 0;
    if (s->len == 0) {
        end(s, VMUX_RESERVE, 0);
        return;
    }
    if (s->offset >= size || s->len > size - s->offset) {
        d->counters.outside++;
        end(s, VMUX_INVALID, 0);
        return;
    }
    next_block(s);
}

/* How many bytes of this block the operation covers, from where. */
static uint32_t in_block(const struct iso_grant *s, uint32_t *at)
{
    *at = (s->offset + s->done) % HIL_BLOCK_SIZE;
    uint32_t n = HIL_BLOCK_SIZE - *at;
    return n < s->len - s->done ? n : s->len - s->done;
}

static struct iso_grant *grant_of(struct storage_client *c)
{
    return container_of(c, struct iso_grant, region);
}

static void region_read_done(struct storage_client *c, uint32_t block, uint8_t *buf,
                             vmux_err_t status)
{
    struct iso_grant *s = grant_of(c);
    struct process *p = driver_owner_process(&s->owner);
    if (status != VMUX_SUCCESS || p == NULL) {
        storage_mux_release(c);
        end(s, status != VMUX_SUCCESS ? status : VMUX_FAIL, s->done);
        return;
    }
    if (s->op == ISOLATED_CMD_WRITE) { /* the turn is held: write it back */
        vmux_err_t err = storage_mux_write(c, block, NULL, 0);
        if (err != VMUX_SUCCESS) {
            storage_mux_release(c);
            end(s, err, s->done);
        }
        return;
    }
    uint32_t at, n = in_block(s, &at);
    size_t copied =
        driver_copy_out(p, s->owner.driver, ISOLATED_ALLOW_RW_READ, s->done, buf + at, n, NULL);
    s->done += (uint32_t)copied;
    if (copied < n)
        end(s, VMUX_SIZE, s->done);
    else if (s->done < s->len)
        next_block(s);
    else
        end(s, VMUX_SUCCESS, s->done);
}

/* The block as read, with this operation's bytes from the allow there now. */
static void region_fill(struct storage_client *c, uint32_t block, uint8_t *buf)
{
    struct iso_grant *s = grant_of(c);
    struct process *p = driver_owner_process(&s->owner);
    uint32_t at, n = in_block(s, &at);
    (void)block;
    s->chunk = p ? (uint32_t)driver_copy_in(p, s->owner.driver, ISOLATED_ALLOW_RO_WRITE,
                                            s->done, buf + at, n, NULL)
                 : 0;
}

static void region_write_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    struct iso_grant *s = grant_of(c);
    uint32_t at, n = in_block(s, &at);
    (void)block;
    if (status != VMUX_SUCCESS) {
        end(s, status, s->done);
        return;
    }
    s->done += s->chunk;
    if (s->chunk < n)
        end(s, VMUX_SIZE, s->done);
    else if (s->done < s->len)
        next_block(s);
    else
        end(s, VMUX_SUCCESS, s->done);
}

static void region_erase_done(struct storage_client *c, uint32_t block, vmux_err_t status)
{
    (void)c, (void)block, (void)status; /* the driver erases nothing itself */
}

static const struct storage_client_ops region_ops = {
    .read_done = region_read_done,
    .write_done = region_write_done,
    .erase_done = region_erase_done,
    .fill = region_fill,
};

/* Its region is slot: attach to it and go on with the command. */
static void open_region(struct iso_grant *s, int slot)
{
    struct isolated_storage_driver *d = driver_of(s->owner.driver);
    struct regions *r = d->regions;
    vmux_err_t err = storage_mux_attach_part(&r->area, &s->region, s->owner.id,
                                             regions_region_first(r, (unsigned)slot),
                                             r->region_blocks, &region_ops);
    if (err != VMUX_SUCCESS)
        end(s, err, 0);
    else
        run(s);
}

static void allocated(struct region_request *req, int slot, vmux_err_t status)
{
    struct iso_grant *s = container_of(req, struct iso_grant, request);
    if (status != VMUX_SUCCESS)
        end(s, status, 0);
    else
        open_region(s, slot);
}

static const struct region_request_ops request_ops = { allocated };

/* ------------------------------------------------------------ driver */

static struct syscall_return command(const struct syscall_driver *dr, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct isolated_storage_driver *d = driver_of(dr);
    struct iso_grant *s = state;
    struct storage_identity id = { 0 };
    uint32_t own;
    if (cmd < ISOLATED_CMD_SIZE || cmd > ISOLATED_CMD_WRITE)
        return syscall_failure(VMUX_NOSUPPORT);
    if (s->op)
        return syscall_failure(VMUX_BUSY);
    bool known = d->identify && d->identify(p, &id);
    own = id.perms.write_id;
    if (!known ||
        (id.has_permissions &&
         ((cmd == ISOLATED_CMD_READ && !storage_may_read(&id.perms, own)) ||
          (cmd == ISOLATED_CMD_WRITE && !storage_may_modify(&id.perms, own))))) {
        d->counters.no_identity++;
        return syscall_failure(VMUX_NOSUPPORT);
    }
    s->op = (uint8_t)cmd;
    /* Tock's offset is arg1, with arg2 above it on a 64-bit machine: past
     * 4 GiB it is outside every region, which the range check refuses */
    uint64_t offset = arg1;
    if (sizeof(syscall_reg_t) > 4 && arg2 != 0)
        offset = UINT64_MAX;
    s->offset = offset > UINT32_MAX ? UINT32_MAX : (uint32_t)offset;
    tally_add(&d->counters.ops, TALLY_TAKEN, 1);
    if (s->region.bus.entry.attached) {
        run(s);
        return syscall_success();
    }
    struct storage_name who;
    storage_name_of(&who, &id);
    int slot = regions_find(d->regions, &who);
    if (slot >= 0 && regions_mounted(d->regions)) {
        open_region(s, slot);
        return syscall_success();
    }
    vmux_err_t err = regions_allocate(d->regions, &s->request, s->owner.id, &who, &request_ops);
    if (err != VMUX_SUCCESS) {
        s->op = 0;
        tally_add(&d->counters.ops, TALLY_FAILED, 1);
        return syscall_failure(err);
    }
    return syscall_success();
}

/* Its region let go (an operation under way cut), no upcall. */
static void process_ended(const struct syscall_driver *dr, struct process *p, void *state)
{
    struct isolated_storage_driver *d = driver_of(dr);
    struct iso_grant *s = state;
    (void)p;
    storage_mux_detach(&s->region);
    regions_cancel(&s->request);
    if (s->op)
        tally_add(&d->counters.ops, TALLY_DEPARTED, 1);
    s->op = 0;
}

void isolated_storage_driver_init(struct isolated_storage_driver *d, struct regions *regions,
                                  storage_identify_fn identify)
{
    d->regions = regions;
    d->identify = identify;
    d->driver = (struct syscall_driver){
        .number = ISOLATED_STORAGE_DRIVER_NUM,
        .upcall_count = 3,
        .allow_rw_count = 1,
        .allow_ro_count = 1,
        .state_size = sizeof(struct iso_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
