/*
 * The system call classes of TRD104: what each does to the calling
 * process, and what it returns. Called by the architecture for each trap
 * through process_syscall().
 */
#include "kernel/syscall.h"

#include "kernel/arch_process.h"
#include "kernel/process.h"
#include "kernel/process_internal.h"
#include "kernel/syscall_driver.h"

/* ------------------------------------------------------------ yield */

/* Yield returns no value (TRD104): without an upcall to run, no register
 * is written and the process finds r0-r3 as it left them. */
static void yield_no_wait(struct process *p, uintptr_t flag_addr)
{
    struct upcall u;
    bool ran = p->queue_count != 0 && process_queue_pop(p, &u);
    /* in the process's RAM below its break (one compare: the usual
     * place), or anywhere else it may write */
    if (flag_addr && (flag_addr - p->ram_start < p->app_break - p->ram_start ||
                      process_may_access(p, flag_addr, 1, true)))
        process_write_byte(flag_addr, ran ? 1 : 0);
    if (ran)
        process_deliver_upcall(p, &u);
}

static void yield_wait(struct process *p)
{
    struct upcall u;
    if (process_queue_pop(p, &u))
        process_deliver_upcall(p, &u);
    else
        process_block(p, PROCESS_YIELDED);
}

/* Wait for one particular upcall; its arguments come back in registers
 * and its function is not called. Other upcalls stay queued. */
static void yield_wait_for(struct process *p, uint32_t driver, uint32_t subscribe)
{
    struct upcall u;
    if (process_queue_take(p, driver, subscribe, &u)) {
        process_deliver_waited(p, u.args[0], u.args[1], u.args[2]);
        return;
    }
    p->wait_driver = driver;
    p->wait_subscribe = subscribe;
    process_block(p, PROCESS_WAITING_FOR);
}

void process_syscall_yield(struct process *p, syscall_reg_t kind, syscall_reg_t r1,
                           syscall_reg_t r2)
{
    p->counters.syscalls++;
    switch (kind) {
    case YIELD_NO_WAIT:
        yield_no_wait(p, r1);
        return;
    case YIELD_WAIT:
        yield_wait(p);
        return;
    case YIELD_WAIT_FOR:
        yield_wait_for(p, (uint32_t)r1, (uint32_t)r2);
        return;
    default:
        /* reserved yield numbers return at once, nothing written */
        p->counters.bad_syscalls++;
    }
}

/* ------------------------------------------------------------ subscribe */

static struct syscall_return subscribe(struct process *p, uint32_t driver_num, uint32_t num,
                                       uintptr_t fn, uintptr_t appdata)
{
    const struct syscall_driver *d = process_find_driver(driver_num);
    if (d == NULL)
        return syscall_failure_2u32(VMUX_NODEVICE, fn, appdata);
    if (num >= d->upcall_count)
        return syscall_failure_2u32(VMUX_INVALID, fn, appdata);
    /* an upcall must be code of the process (or the null upcall) */
    if (fn != 0 && !(fn >= p->flash_start && fn < p->flash_end)) {
        p->counters.bad_syscalls++;
        return syscall_failure_2u32(VMUX_INVALID, fn, appdata);
    }
    void *g = process_grant_raw(p, d);
    if (g == NULL)
        return syscall_failure_2u32(VMUX_NOMEM, fn, appdata);
    struct upcall_slot *slot = &grant_upcalls(g)[num];
    struct upcall_slot old = *slot;
    slot->fn = fn;
    slot->appdata = appdata;
    /* upcalls queued for the old function are not delivered to the new one */
    process_queue_drop_matching(p, driver_num, num);
    return syscall_success_2u32(old.fn, old.appdata);
}

/* ------------------------------------------------------------ command */

/* process_command() is in process_internal.h, inline: an architecture's
 * fast path uses it too. */

/* ------------------------------------------------------------ allow */

static struct syscall_return allow(struct process *p, bool read_only, uint32_t driver_num,
                                   uint32_t num, uintptr_t addr, size_t len)
{
    const struct syscall_driver *d = process_find_driver(driver_num);
    if (d == NULL)
        return syscall_failure_2u32(VMUX_NODEVICE, addr, len);
    if (num >= (read_only ? d->allow_ro_count : d->allow_rw_count))
        return syscall_failure_2u32(VMUX_INVALID, addr, len);
    if (!process_may_access(p, addr, len, !read_only)) {
        p->counters.bad_syscalls++;
        return syscall_failure_2u32(VMUX_INVALID, addr, len);
    }
    void *g = process_grant_raw(p, d);
    if (g == NULL)
        return syscall_failure_2u32(VMUX_NOMEM, addr, len);
    struct allow_slot *slot = &grant_allows(g, d, read_only)[num];
    struct allow_slot old = *slot;
    slot->addr = len ? addr : 0;
    slot->len = len;
    /* a buffer in RAM pins the break above it (brk below it: NOMEM) */
    if (len && addr >= p->ram_start && addr < p->app_break && addr + len > p->allow_high_water)
        p->allow_high_water = addr + len;
    if (d->allow_changed && (old.addr != slot->addr || old.len != slot->len))
        d->allow_changed(d, p, process_grant_state(g, d), read_only, num);
    return syscall_success_2u32(old.addr, old.len);
}

/* ------------------------------------------------------------ memop */

/* brk, as Tock's: anywhere from the end of the highest buffer ever
 * allowed (the start of memory until one is) up to the grants, the
 * memory protection's granularity included. Lowering it below the
 * initial break is how libtock-c's crt0 hands back what it does not use. */
static struct syscall_return set_break(struct process *p, uintptr_t new_break)
{
    if (new_break < p->allow_high_water || new_break > p->kernel_break ||
        process_accessible_end(p, new_break) > p->kernel_break)
        return syscall_failure(VMUX_NOMEM);
    p->app_break = new_break;
    return syscall_success();
}

static struct syscall_return memop(struct process *p, uint32_t op, syscall_reg_t arg)
{
    switch (op) {
    case MEMOP_BRK:
        return set_break(p, arg);
    case MEMOP_SBRK: {
        uintptr_t old = p->app_break;
        intptr_t delta = (intptr_t)arg;
#if UINTPTR_MAX > 0xffffffffu
        delta = (intptr_t)(int32_t)(uint32_t)arg; /* the ABI's increment is 32-bit signed */
#endif
        uintptr_t target = old + (uintptr_t)delta;
        if ((delta > 0 && target < old) || (delta < 0 && target > old))
            return syscall_failure(VMUX_NOMEM);
        struct syscall_return r = set_break(p, target);
        return r.r[0] == RET_SUCCESS ? syscall_success_u32(old) : r;
    }
    case MEMOP_MEMORY_START:
        return syscall_success_u32(p->ram_start);
    case MEMOP_MEMORY_END:
        return syscall_success_u32(p->ram_end); /* the whole allocation, grants included */
    case MEMOP_FLASH_START:
        return syscall_success_u32(p->flash_start);
    case MEMOP_FLASH_END:
        return syscall_success_u32(p->flash_end);
    case MEMOP_GRANT_START:
        return syscall_success_u32(p->kernel_break);
    case MEMOP_FLASH_REGIONS:
        return syscall_success_u32(p->flash_region_count);
    case MEMOP_FLASH_REGION_START:
    case MEMOP_FLASH_REGION_END:
        if (arg >= p->flash_region_count)
            return syscall_failure(VMUX_FAIL);
        return syscall_success_u32(op == MEMOP_FLASH_REGION_START ? p->flash_regions[arg].start
                                                                  : p->flash_regions[arg].end);
    case MEMOP_DEBUG_STACK_START:
        p->stack_top = arg;
        return syscall_success();
    case MEMOP_DEBUG_HEAP_START:
        p->heap_start = arg;
        return syscall_success();
    default:
        p->counters.bad_syscalls++;
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

/* ------------------------------------------------------------ dispatch */

static void (*exit_reporter)(const struct process *p);

void process_set_exit_reporter(void (*exited)(const struct process *p))
{
    exit_reporter = exited;
}

void process_syscall(struct process *p, uint32_t class_id, syscall_reg_t r0, syscall_reg_t r1,
                     syscall_reg_t r2, syscall_reg_t r3)
{
    if (class_id == SYSCALL_YIELD) {
        process_syscall_yield(p, r0, r1, r2);
        return;
    }
    p->counters.syscalls++;
    struct syscall_return ret;
    switch (class_id) {
    case SYSCALL_SUBSCRIBE:
        ret = subscribe(p, (uint32_t)r0, (uint32_t)r1, r2, r3);
        break;
    case SYSCALL_COMMAND:
        ret = process_command(p, (uint32_t)r0, (uint32_t)r1, r2, r3);
        break;
    case SYSCALL_ALLOW_RW:
    case SYSCALL_ALLOW_RO:
        ret = allow(p, class_id == SYSCALL_ALLOW_RO, (uint32_t)r0, (uint32_t)r1, r2, r3);
        break;
    case SYSCALL_MEMOP:
        ret = memop(p, (uint32_t)r0, r1);
        break;
    case SYSCALL_EXIT:
        if (r0 == EXIT_RESTART) {
            process_exit_restart(p, (int)r1);
        } else {
            process_end(p, false, (int)r1);
            if (exit_reporter)
                exit_reporter(p);
        }
        return;
    default:
        p->counters.bad_syscalls++;
        ret = syscall_failure(VMUX_NOSUPPORT);
        break;
    }
    process_set_return(p, &ret);
}
