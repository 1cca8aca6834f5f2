/*
 * The portable half of the system calls: typed wrappers over the board's
 * trap (vmux_trap), result decoding, and the blocking pattern.
 */
#include "syscall.h"

static struct vmux_result result_of(struct vmux_regs r)
{
    return (struct vmux_result){ (uint32_t)r.r0, r.r1, r.r2, r.r3 };
}

/* ------------------------------------------------------------ results */

int vmux_result_error(struct vmux_result r)
{
    if (vmux_result_is_success(r))
        return VMUX_OK;
    /* every failure variant has its code in r1 (TRD104); kernel codes
     * are 1..1023 */
    uint32_t code = (uint32_t)r.r1;
    if (code == 0 || code > 1023)
        return VMUX_EBADRVAL;
    return (int)code;
}

int vmux_result_expect(struct vmux_result r, uint32_t want)
{
    if (r.variant == want)
        return VMUX_OK;
    return vmux_result_is_success(r) ? VMUX_EBADRVAL : vmux_result_error(r);
}

int vmux_result_uptr(struct vmux_result r, uintptr_t *out)
{
    int err = vmux_result_expect(r, VMUX_SUCCESS_U32);
    if (err == VMUX_OK)
        *out = r.r1;
    return err;
}

int vmux_result_u32(struct vmux_result r, uint32_t *out)
{
    uintptr_t v;
    int err = vmux_result_uptr(r, &v);
    if (err == VMUX_OK)
        *out = (uint32_t)v;
    return err;
}

static const char *const error_names[] = {
    "SUCCESS", "FAIL", "BUSY", "ALREADY", "OFF", "RESERVE", "INVALID",
    "SIZE", "CANCEL", "NOMEM", "NOSUPPORT", "NODEVICE", "UNINSTALLED",
    "NOACK",
};

const char *vmux_error_name(int status)
{
    if (status == VMUX_EBADRVAL)
        return "BADRVAL";
    if (status < 0 || status >= (int)(sizeof error_names / sizeof error_names[0]))
        return "?";
    return error_names[status];
}

/* ------------------------------------------------------------ raw calls */

bool vmux_yield_no_wait(void)
{
    /* The kernel stores 1 here if an upcall ran, 0 if not; registers are
     * not a way back, since an upcall may have run in between. */
    volatile uint8_t ran = 0;
    vmux_trap(VMUX_CLASS_YIELD, VMUX_YIELD_NO_WAIT, (uintptr_t)&ran, 0, 0);
    return ran != 0;
}

void vmux_yield_wait(void)
{
    vmux_trap(VMUX_CLASS_YIELD, VMUX_YIELD_WAIT, 0, 0, 0);
}

struct vmux_upcall_args vmux_yield_wait_for(uint32_t driver, uint32_t subscribe)
{
    /* no return variant: the upcall's three values in r0-r2 */
    struct vmux_regs r = vmux_trap(VMUX_CLASS_YIELD, VMUX_YIELD_WAIT_FOR, driver, subscribe, 0);
    return (struct vmux_upcall_args){ (uint32_t)r.r0, (uint32_t)r.r1, (uint32_t)r.r2 };
}

struct vmux_result vmux_subscribe(uint32_t driver, uint32_t subscribe, vmux_upcall_fn fn,
                                  uintptr_t appdata)
{
    return result_of(vmux_trap(VMUX_CLASS_SUBSCRIBE, driver, subscribe, (uintptr_t)fn, appdata));
}

struct vmux_result vmux_command(uint32_t driver, uint32_t command, uint32_t arg1, uint32_t arg2)
{
    return result_of(vmux_trap(VMUX_CLASS_COMMAND, driver, command, arg1, arg2));
}

struct vmux_result vmux_allow_rw(uint32_t driver, uint32_t allow, void *buf, size_t len)
{
    return result_of(vmux_trap(VMUX_CLASS_ALLOW_RW, driver, allow, (uintptr_t)buf, len));
}

struct vmux_result vmux_allow_ro(uint32_t driver, uint32_t allow, const void *buf, size_t len)
{
    return result_of(vmux_trap(VMUX_CLASS_ALLOW_RO, driver, allow, (uintptr_t)buf, len));
}

struct vmux_result vmux_memop(uint32_t op, uintptr_t arg)
{
    return result_of(vmux_trap(VMUX_CLASS_MEMOP, op, arg, 0, 0));
}

_Noreturn void vmux_exit(uint32_t kind, uint32_t code)
{
    vmux_trap(VMUX_CLASS_EXIT, kind, code, 0, 0);
    /* A successful exit does not return (TRD104); if it did, ask again
     * for termination, forever. */
    for (;;)
        vmux_trap(VMUX_CLASS_EXIT, VMUX_EXIT_TERMINATE, code, 0, 0);
}

/* ------------------------------------------------------------ helpers */

int vmux_subscribe_status(uint32_t driver, uint32_t subscribe, vmux_upcall_fn fn,
                          uintptr_t appdata)
{
    return vmux_result_error(vmux_subscribe(driver, subscribe, fn, appdata));
}

int vmux_allow_rw_status(uint32_t driver, uint32_t allow, void *buf, size_t len)
{
    return vmux_result_error(vmux_allow_rw(driver, allow, buf, len));
}

int vmux_allow_ro_status(uint32_t driver, uint32_t allow, const void *buf, size_t len)
{
    return vmux_result_error(vmux_allow_ro(driver, allow, buf, len));
}

int vmux_command_status(uint32_t driver, uint32_t command, uint32_t arg1, uint32_t arg2)
{
    return vmux_result_error(vmux_command(driver, command, arg1, arg2));
}

void vmux_upcall_nop(uint32_t a0, uint32_t a1, uint32_t a2, uintptr_t appdata)
{
    (void)a0;
    (void)a1;
    (void)a2;
    (void)appdata;
}

int vmux_command_wait(uint32_t driver, uint32_t subscribe, uint32_t command, uint32_t arg1,
                      uint32_t arg2, struct vmux_upcall_args *out)
{
    int err = vmux_command_async(driver, subscribe, vmux_upcall_nop, 0, command, arg1, arg2);
    if (err != VMUX_OK)
        return err;
    struct vmux_upcall_args args = vmux_yield_wait_for(driver, subscribe);
    if (out)
        *out = args;
    return VMUX_OK;
}

int vmux_command_async(uint32_t driver, uint32_t subscribe, vmux_upcall_fn fn, uintptr_t appdata,
                       uint32_t command, uint32_t arg1, uint32_t arg2)
{
    int err = vmux_subscribe_status(driver, subscribe, fn, appdata);
    if (err == VMUX_OK)
        err = vmux_command_status(driver, command, arg1, arg2);
    return err;
}

int vmux_upcall_status(uint32_t code)
{
    return code <= 1023 ? (int)code : VMUX_EBADRVAL;
}

void vmux_status_len_upcall(uint32_t status, uint32_t len, uint32_t a2, uintptr_t pending_op)
{
    struct vmux_pending_op *op = (struct vmux_pending_op *)pending_op;
    (void)a2;
    if (op->withdraw)
        op->withdraw();
    if (op->cb)
        op->cb(vmux_upcall_status(status), len, op->ctx);
}

void vmux_yield_until(const volatile bool *done)
{
    while (!*done)
        vmux_yield_wait();
}

int vmux_sbrk(int32_t increment, uintptr_t *old_break)
{
    return vmux_result_uptr(vmux_memop(VMUX_MEMOP_SBRK, (uintptr_t)(uint32_t)increment),
                            old_break);
}

_Noreturn void vmux_exit_terminate(uint32_t code)
{
    vmux_exit(VMUX_EXIT_TERMINATE, code);
}

_Noreturn void vmux_exit_restart(uint32_t code)
{
    vmux_exit(VMUX_EXIT_RESTART, code);
}
