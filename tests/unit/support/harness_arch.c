#include "tests/unit/support/harness_arch.h"

#include <string.h>

#include "boards/test/test_board.h"

static vmux_err_t harness_start(struct process *p)
{
    struct harness_process *h = p->arch;
    h->starts++;
    h->script_len = h->script_at = 0;
    return h->start_error;
}

static enum arch_trap harness_run(struct process *p, uint32_t timeslice_us,
                                  struct arch_syscall *call)
{
    struct harness_process *h = p->arch;
    (void)timeslice_us;
    h->runs++;
    if (h->script_at >= h->script_len)
        return ARCH_TRAP_TIMESLICE;
    unsigned i = h->script_at++;
    *call = h->script[i];
    return h->script_kind[i];
}

static void harness_set_return(struct process *p, const struct syscall_return *ret, unsigned regs)
{
    struct harness_process *h = p->arch;
    h->last_return = *ret;
    h->last_return_regs = regs;
    h->returns++;
}

static void harness_push_upcall(struct process *p, const struct upcall *u)
{
    struct harness_process *h = p->arch;
    if (h->upcall_count < HARNESS_LOG)
        h->upcalls[h->upcall_count++] = *u;
}

static void harness_release(struct process *p)
{
    struct harness_process *h = p->arch;
    h->releases++;
}

const struct arch_process_ops harness_arch_ops = {
    harness_start, harness_run, harness_set_return, harness_push_upcall,
    harness_release,
};

void harness_reset(void)
{
    process_reset();
    process_set_arch(&harness_arch_ops);
}

vmux_err_t harness_create(struct harness_process *h, const char *name,
                          enum process_restart_policy policy, struct process **out)
{
    struct process_image image = {
        .name = name,
        .ram_start = (uintptr_t)h->ram,
        .ram_end = (uintptr_t)h->ram + HARNESS_RAM,
        .initial_break = (uintptr_t)h->ram + 1024,
        .flash_start = (uintptr_t)h->flash,
        .flash_end = (uintptr_t)h->flash + HARNESS_FLASH,
        .restart_policy = policy,
    };
    *out = NULL;
    vmux_err_t err = process_create(test_board_cap_process_management(), &image, h, out);
    h->process = *out;
    return err;
}

struct process *harness_spawn(struct harness_process *h, const char *name,
                              enum process_restart_policy policy)
{
    memset(h, 0, sizeof *h);
    struct process *p;
    return harness_create(h, name, policy, &p) == VMUX_SUCCESS ? p : NULL;
}

static void expect(struct harness_process *h, enum arch_trap kind, uint32_t class_id,
                   syscall_reg_t r0, syscall_reg_t r1, syscall_reg_t r2, syscall_reg_t r3)
{
    if (h->script_len >= HARNESS_SCRIPT)
        return;
    h->script_kind[h->script_len] = kind;
    h->script[h->script_len++] = (struct arch_syscall){ class_id, { r0, r1, r2, r3 } };
}

void harness_expect_syscall(struct harness_process *h, uint32_t class_id, syscall_reg_t r0,
                            syscall_reg_t r1, syscall_reg_t r2, syscall_reg_t r3)
{
    expect(h, ARCH_TRAP_SYSCALL, class_id, r0, r1, r2, r3);
}

void harness_expect_fault(struct harness_process *h)
{
    expect(h, ARCH_TRAP_FAULT, 0, 0, 0, 0, 0);
}

struct syscall_return harness_call(struct harness_process *h, uint32_t class_id,
                                   syscall_reg_t r0, syscall_reg_t r1, syscall_reg_t r2,
                                   syscall_reg_t r3)
{
    unsigned before = h->returns;
    process_syscall(h->process, class_id, r0, r1, r2, r3);
    if (h->returns == before)
        return (struct syscall_return){ { 0xdead, 0, 0, 0 } };
    return h->last_return;
}
