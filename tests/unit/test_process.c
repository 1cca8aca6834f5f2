/* Processes and system calls through the scripted harness: every class,
 * every return variant, the error paths, grants, upcalls, life cycle and
 * round-robin scheduling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "kernel/client.h"
#include "kernel/deferred.h"
#include "kernel/syscall_driver.h"
#include "tests/unit/support/harness_arch.h"

#define PROBE_DRIVER 0x99u

/* ------------------------------------------------------------ a probe driver */

struct probe_state {
    uint32_t commands;
    uint32_t allow_changes;
};

static unsigned probe_ended, probe_inits;

static void probe_init(const struct syscall_driver *d, struct process *p, void *state)
{
    (void)d, (void)p, (void)state;
    probe_inits++;
}

static struct syscall_return probe_command(const struct syscall_driver *d, struct process *p,
                                           void *state, uint32_t cmd, syscall_reg_t a,
                                           syscall_reg_t b)
{
    struct probe_state *s = state;
    s->commands++;
    switch (cmd) {
    case 1: /* raise upcall 0 with (a, b, count) */
        process_schedule_upcall(p, d, 0, (uint32_t)a, (uint32_t)b, s->commands);
        return syscall_success();
    case 2: { /* sum of the bytes of read-write allow 0 */
        size_t len;
        uint8_t *buf = process_allowed_rw(p, d, 0, &len);
        uint32_t sum = 0;
        for (size_t i = 0; i < len; i++)
            sum += buf[i];
        return syscall_success_u32(sum);
    }
    case 3:
        return syscall_success_u64(0x1122334455667788ull);
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

static void probe_allow_changed(const struct syscall_driver *d, struct process *p, void *state,
                                bool read_only, unsigned num)
{
    (void)d, (void)p, (void)read_only, (void)num;
    ((struct probe_state *)state)->allow_changes++;
}

static void probe_process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    (void)d, (void)p, (void)state;
    probe_ended++;
}

static const struct syscall_driver probe = {
    .number = PROBE_DRIVER,
    .upcall_count = 2,
    .allow_rw_count = 1,
    .allow_ro_count = 1,
    .state_size = sizeof(struct probe_state),
    .grant_init = probe_init,
    .command = probe_command,
    .allow_changed = probe_allow_changed,
    .process_ended = probe_process_ended,
};

/* A driver whose grant never fits: its state is bigger than any quota. */
static const struct syscall_driver huge = {
    .number = 0x98,
    .state_size = 60000,
    .command = probe_command,
};

static struct harness_process hp[3];
static struct process *p0, *p1;

/* an address in a process's code (its flash) */
#define FN(h, off) ((uintptr_t)(h).flash + (off))

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    harness_reset();
    probe_ended = probe_inits = 0;
    assert_int_equal(process_register_driver(&probe), VMUX_SUCCESS);
    assert_int_equal(process_register_driver(&huge), VMUX_SUCCESS);
    p0 = harness_spawn(&hp[0], "alpha", RESTART_NEVER);
    p1 = harness_spawn(&hp[1], "beta", RESTART_NEVER);
    assert_non_null(p0);
    assert_non_null(p1);
    return 0;
}

static struct syscall_return call(struct harness_process *h, uint32_t cls, syscall_reg_t a,
                                  syscall_reg_t b, syscall_reg_t c, syscall_reg_t d)
{
    return harness_call(h, cls, a, b, c, d);
}

/* ------------------------------------------------------------ command */

static void command_zero_answers_whether_a_driver_exists(void **state)
{
    (void)state;
    struct syscall_return r = call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 0, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS);
    r = call(&hp[0], SYSCALL_COMMAND, 0x12345, 0, 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_NODEVICE);
    r = call(&hp[0], SYSCALL_COMMAND, 0x12345, 7, 0, 0);
    assert_int_equal(r.r[1], VMUX_NODEVICE);
    assert_int_equal(probe_inits, 0); /* command 0 allocates nothing */
}

static void command_return_variants_reach_the_process(void **state)
{
    (void)state;
    struct syscall_return r = call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 3, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U64);
    assert_int_equal(r.r[1], 0x55667788u); /* low word first */
    assert_int_equal(r.r[2], 0x11223344u);
    r = call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 77, 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_NOSUPPORT);
    assert_int_equal(probe_inits, 1); /* the grant was made once */
}

static void unknown_class_is_refused_and_counted(void **state)
{
    (void)state;
    struct syscall_return r = call(&hp[0], 9, 0, 0, 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_NOSUPPORT);
    r = call(&hp[0], SYSCALL_MEMOP, 99, 0, 0, 0);
    assert_int_equal(r.r[1], VMUX_NOSUPPORT);
    assert_int_equal(p0->counters.bad_syscalls, 2);
}

/* ------------------------------------------------------------ subscribe */

static void subscribe_returns_the_previous_upcall(void **state)
{
    (void)state;
    struct syscall_return r = call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0xaa);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
    assert_int_equal(r.r[1], 0);
    assert_int_equal(r.r[2], 0);
    r = call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x20), 0xbb);
    assert_int_equal(r.r[1], FN(hp[0], 0x10));
    assert_int_equal(r.r[2], 0xaa);
    r = call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 5, FN(hp[0], 0x30), 0xcc); /* no such upcall */
    assert_int_equal(r.r[0], RET_FAILURE_2U32);
    assert_int_equal(r.r[1], VMUX_INVALID);
    assert_int_equal(r.r[2], FN(hp[0], 0x30)); /* the rejected upcall comes back */
    r = call(&hp[0], SYSCALL_SUBSCRIBE, 0x4444, 0, FN(hp[0], 0x30), 0xcc);
    assert_int_equal(r.r[0], RET_FAILURE_2U32);
    assert_int_equal(r.r[1], VMUX_NODEVICE);
    /* an upcall that is not the process's code: its RAM, another's flash */
    r = call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 1, harness_addr(&hp[0], 8), 0);
    assert_int_equal(r.r[1], VMUX_INVALID);
    r = call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 1, FN(hp[1], 0x10), 0);
    assert_int_equal(r.r[1], VMUX_INVALID);
}

/* ------------------------------------------------------------ allow */

static void allow_checks_every_buffer_against_process_memory(void **state)
{
    (void)state;
    uintptr_t buf = harness_addr(&hp[0], 100);
    struct syscall_return r = call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, buf, 16);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
    r = call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, buf + 16, 8); /* returns the previous */
    assert_int_equal(r.r[1], buf);
    assert_int_equal(r.r[2], 16);
    /* outside: another process's memory, the kernel's, past the break,
     * the grant region, wrapping around */
    uintptr_t bad[][2] = {
        { harness_addr(&hp[1], 100), 16 },
        { (uintptr_t)&probe, 8 },
        { harness_addr(&hp[0], 1020), 16 },
        { p0->kernel_break, 4 },
        { buf, (uintptr_t)-8 },
        { (uintptr_t)-4, 16 },
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, bad[i][0], bad[i][1]);
        assert_int_equal(r.r[0], RET_FAILURE_2U32);
        assert_int_equal(r.r[1], VMUX_INVALID);
        assert_int_equal(r.r[2], bad[i][0]);
    }
    /* flash is readable, not writable */
    uintptr_t flash = (uintptr_t)hp[0].flash;
    r = call(&hp[0], SYSCALL_ALLOW_RO, PROBE_DRIVER, 0, flash, 32);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
    r = call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, flash, 32);
    assert_int_equal(r.r[1], VMUX_INVALID);
    /* no such allow number; no such driver */
    r = call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 3, buf, 4);
    assert_int_equal(r.r[1], VMUX_INVALID);
    r = call(&hp[0], SYSCALL_ALLOW_RO, 0x4444, 0, buf, 4);
    assert_int_equal(r.r[1], VMUX_NODEVICE);
    /* zero length withdraws the buffer */
    r = call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
    size_t len = 99;
    assert_null(process_allowed_rw(p0, &probe, 0, &len));
    assert_int_equal(len, 0);
}

static void driver_reads_the_allowed_buffer_and_hears_of_swaps(void **state)
{
    (void)state;
    uint8_t *mem = hp[0].ram;
    for (int i = 0; i < 10; i++)
        mem[200 + i] = (uint8_t)(i + 1);
    call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, harness_addr(&hp[0], 200), 10);
    struct syscall_return r = call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 2, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_equal(r.r[1], 55);
    call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, harness_addr(&hp[0], 200), 3);
    struct probe_state *s = process_grant(p0, &probe);
    assert_int_equal(s->allow_changes, 2);
    r = call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 2, 0, 0);
    assert_int_equal(r.r[1], 6);
    /* an allowed buffer pins the break above it, even once withdrawn
     * (Tock's allow high-water mark): the kernel never holds a buffer
     * the process can no longer reach */
    call(&hp[0], SYSCALL_MEMOP, MEMOP_SBRK, 512, 0, 0);
    call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, harness_addr(&hp[0], 1100), 8);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, harness_addr(&hp[0], 1107), 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, 0, 0);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, harness_addr(&hp[0], 1107), 0, 0);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, harness_addr(&hp[0], 1108), 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS);
    assert_int_equal(p0->app_break, harness_addr(&hp[0], 1108));
    /* the other process has its own, empty, allow */
    r = call(&hp[1], SYSCALL_COMMAND, PROBE_DRIVER, 2, 0, 0);
    assert_int_equal(r.r[1], 0);
}

/* ------------------------------------------------------------ memop */

static void memop_moves_the_break_within_the_quota(void **state)
{
    (void)state;
    uintptr_t start = (uintptr_t)hp[0].ram;
    struct syscall_return r = call(&hp[0], SYSCALL_MEMOP, MEMOP_MEMORY_START, 0, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_equal(r.r[1], start);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_SBRK, 256, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_equal(r.r[1], start + 1024); /* the old break */
    /* memop 3 is the end of the whole allocation, grants included (Tock) */
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_MEMORY_END, 0, 0, 0);
    assert_int_equal(r.r[1], start + HARNESS_RAM);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_SBRK, (syscall_reg_t)(uint32_t)-256, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_equal(r.r[1], start + 1280);
    /* below the initial break, down to the start of memory: libtock-c's
     * crt0 lowers it to the end of its .bss */
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, start + 10, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS);
    assert_int_equal(p0->app_break, start + 10);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, start, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, start - 4, 0, 0); /* below the start */
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    assert_int_equal(p0->app_break, start);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, start + HARNESS_RAM + 16, 0, 0); /* past it */
    assert_int_equal(r.r[1], VMUX_NOMEM);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_START, 0, 0, 0);
    assert_int_equal(r.r[1], (uintptr_t)hp[0].flash);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_GRANT_START, 0, 0, 0);
    assert_int_equal(r.r[1], p0->kernel_break);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_DEBUG_STACK_START, start + 512, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS);
    assert_int_equal(p0->stack_top, start + 512);
}

static void grants_come_from_the_process_own_quota(void **state)
{
    (void)state;
    /* alpha grows its heap up to the grant region: the probe grant no
     * longer fits, and only alpha is refused */
    call(&hp[0], SYSCALL_MEMOP, MEMOP_BRK, p0->kernel_break - 8, 0, 0);
    struct syscall_return r = call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 1, 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    assert_int_equal(p0->counters.grant_nomem, 1);
    r = call(&hp[1], SYSCALL_COMMAND, PROBE_DRIVER, 1, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS);
    /* and a grant larger than any quota is refused to the asker alone */
    r = call(&hp[1], SYSCALL_COMMAND, huge.number, 1, 0, 0);
    assert_int_equal(r.r[1], VMUX_NOMEM);
    /* once granted, the break cannot move over the grant */
    r = call(&hp[1], SYSCALL_MEMOP, MEMOP_BRK, p1->kernel_break + 8, 0, 0);
    assert_int_equal(r.r[1], VMUX_NOMEM);
}

/* ------------------------------------------------------------ upcalls */

static void upcalls_wait_for_yield_and_run_in_order(void **state)
{
    (void)state;
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0xaa);
    call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 1, 7, 8);
    call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 1, 9, 10);
    assert_int_equal(hp[0].upcall_count, 0); /* queued, not run */
    assert_int_equal(p0->queue_count, 2);
    struct syscall_return r = call(&hp[0], SYSCALL_YIELD, YIELD_WAIT, 0, 0, 0);
    assert_int_equal(r.r[0], 0xdead); /* the yield returns through the upcall */
    assert_int_equal(hp[0].upcall_count, 1);
    assert_int_equal(hp[0].upcalls[0].fn, FN(hp[0], 0x10));
    assert_int_equal(hp[0].upcalls[0].appdata, 0xaa);
    assert_int_equal(hp[0].upcalls[0].args[0], 7);
    assert_int_equal(hp[0].upcalls[0].args[1], 8);
    /* no-wait: one more upcall runs, and the flag says so */
    uintptr_t flag = harness_addr(&hp[0], 300);
    hp[0].ram[300] = 0x55;
    call(&hp[0], SYSCALL_YIELD, YIELD_NO_WAIT, flag, 0, 0);
    assert_int_equal(hp[0].ram[300], 1);
    assert_int_equal(hp[0].upcalls[1].args[0], 9);
    r = call(&hp[0], SYSCALL_YIELD, YIELD_NO_WAIT, flag, 0, 0);
    assert_int_equal(hp[0].ram[300], 0);
    assert_int_equal(r.r[0], 0xdead); /* no upcall: no register written */
    /* a flag address outside the process is not written */
    call(&hp[0], SYSCALL_YIELD, YIELD_NO_WAIT, harness_addr(&hp[1], 300), 0, 0);
    assert_int_equal(hp[1].ram[300], 0);
}

static void yield_wait_blocks_until_an_upcall(void **state)
{
    (void)state;
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0);
    call(&hp[0], SYSCALL_YIELD, YIELD_WAIT, 0, 0, 0);
    assert_int_equal(p0->state, PROCESS_YIELDED);
    assert_false(process_run_next(0) && hp[0].runs > 0); /* alpha is not run */
    /* beta's command raises an upcall for beta, not alpha */
    call(&hp[1], SYSCALL_COMMAND, PROBE_DRIVER, 1, 0, 0);
    assert_int_equal(p0->state, PROCESS_YIELDED);
    process_schedule_upcall(p0, &probe, 0, 1, 2, 3);
    assert_int_equal(p0->state, PROCESS_READY);
    assert_int_equal(hp[0].upcall_count, 1);
}

static void yield_wait_for_returns_the_arguments_and_keeps_the_others(void **state)
{
    (void)state;
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0);
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 1, FN(hp[0], 0x20), 0);
    process_schedule_upcall(p0, &probe, 0, 1, 1, 1);
    process_schedule_upcall(p0, &probe, 1, 2, 2, 2);
    struct syscall_return r = call(&hp[0], SYSCALL_YIELD, YIELD_WAIT_FOR, PROBE_DRIVER, 1, 0);
    assert_int_equal(r.r[0], 2); /* the upcall's values in r0-r2, no variant */
    assert_int_equal(r.r[1], 2);
    assert_int_equal(hp[0].upcall_count, 0); /* the function is not called */
    assert_int_equal(p0->queue_count, 1);    /* upcall 0 still waits */
    /* waiting for one that has not come: blocks, then completes in registers */
    r = call(&hp[0], SYSCALL_YIELD, YIELD_WAIT_FOR, PROBE_DRIVER, 1, 0);
    assert_int_equal(r.r[0], 0xdead);
    assert_int_equal(p0->state, PROCESS_WAITING_FOR);
    process_schedule_upcall(p0, &probe, 0, 5, 5, 5); /* not the one: queued */
    assert_int_equal(p0->state, PROCESS_WAITING_FOR);
    process_schedule_upcall(p0, &probe, 1, 6, 7, 8);
    assert_int_equal(p0->state, PROCESS_READY);
    assert_int_equal(hp[0].last_return.r[0], 6);
    assert_int_equal(hp[0].last_return.r[2], 8);
}

/* TRD104 as Tock encodes it: a return writes only the registers its
 * variant defines; the process keeps its own values in the others
 * (libtock-c's inline assembly keeps live values there). */
static void returns_write_only_the_registers_of_their_variant(void **state)
{
    (void)state;
    static const struct {
        syscall_reg_t variant;
        unsigned regs;
    } table[] = {
        { RET_FAILURE, 2 },     { RET_FAILURE_U32, 3 },  { RET_FAILURE_2U32, 4 },
        { RET_FAILURE_U64, 4 }, { RET_SUCCESS, 1 },      { RET_SUCCESS_U32, 2 },
        { RET_SUCCESS_2U32, 3 }, { RET_SUCCESS_U64, 3 }, { RET_SUCCESS_3U32, 4 },
        { RET_SUCCESS_U32_U64, 4 },
    };
    for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)
        assert_int_equal(syscall_variant_regs(table[i].variant), table[i].regs);
    /* through the dispatcher: command 0 Success writes r0 only, memop
     * Success u32 r0-r1, subscribe Success 2 u32 r0-r2, a refused allow
     * Failure 2 u32 r0-r3, an unknown driver's command Failure r0-r1 */
    call(&hp[0], SYSCALL_COMMAND, PROBE_DRIVER, 0, 0, 0);
    assert_int_equal(hp[0].last_return_regs, 1);
    call(&hp[0], SYSCALL_MEMOP, MEMOP_MEMORY_START, 0, 0, 0);
    assert_int_equal(hp[0].last_return_regs, 2);
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0);
    assert_int_equal(hp[0].last_return_regs, 3);
    call(&hp[0], SYSCALL_ALLOW_RW, PROBE_DRIVER, 0, harness_addr(&hp[1], 0), 4);
    assert_int_equal(hp[0].last_return_regs, 4);
    call(&hp[0], SYSCALL_COMMAND, 0x7777, 1, 0, 0);
    assert_int_equal(hp[0].last_return_regs, 2);
    /* yield-wait-for: r0-r2 hold the upcall's values, r3 is the process's */
    process_schedule_upcall(p0, &probe, 0, 4, 5, 6);
    call(&hp[0], SYSCALL_YIELD, YIELD_WAIT_FOR, PROBE_DRIVER, 0, 0);
    assert_int_equal(hp[0].last_return_regs, 3);
    /* a reserved yield kind returns at once and writes nothing */
    unsigned before = hp[0].returns;
    call(&hp[0], SYSCALL_YIELD, 7, 0, 0, 0);
    assert_int_equal(hp[0].returns, before);
}

/* memop 7-9 answer from the writeable flash regions the TBF names; 8 and
 * 9 fail (FAIL, as Tock) for a region that does not exist. */
static void memop_reports_writeable_flash_regions(void **state)
{
    (void)state;
    struct syscall_return r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_REGIONS, 0, 0, 0);
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_equal(r.r[1], 0);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_REGION_START, 0, 0, 0);
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], VMUX_FAIL);
    p0->flash_regions[0] = (struct memory_range){ FN(hp[0], 0x100), FN(hp[0], 0x180) };
    p0->flash_region_count = 1;
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_REGIONS, 0, 0, 0);
    assert_int_equal(r.r[1], 1);
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_REGION_START, 0, 0, 0);
    assert_int_equal(r.r[1], FN(hp[0], 0x100));
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_REGION_END, 0, 0, 0);
    assert_int_equal(r.r[1], FN(hp[0], 0x180));
    r = call(&hp[0], SYSCALL_MEMOP, MEMOP_FLASH_REGION_END, 1, 0, 0);
    assert_int_equal(r.r[1], VMUX_FAIL);
}

static void full_upcall_queue_drops_and_counts(void **state)
{
    (void)state;
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0);
    for (unsigned i = 0; i < PROCESS_UPCALL_QUEUE; i++)
        assert_true(process_schedule_upcall(p0, &probe, 0, i, 0, 0));
    assert_false(process_schedule_upcall(p0, &probe, 0, 99, 0, 0));
    assert_int_equal(p0->counters.upcalls_dropped, 1);
    /* resubscribing discards upcalls queued for the old function */
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x30), 0);
    assert_int_equal(p0->queue_count, 0);
    /* with the null upcall, the event still waits for a yield-wait-for
     * (synchronous libraries wait without subscribing), and a plain yield
     * never runs it */
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, 0, 0);
    assert_true(process_schedule_upcall(p0, &probe, 0, 1, 0, 0));
    assert_true(process_schedule_upcall(p0, &probe, 0, 2, 0, 0));
    struct syscall_return r = call(&hp[0], SYSCALL_YIELD, YIELD_WAIT_FOR, PROBE_DRIVER, 0, 0);
    assert_int_equal(r.r[0], 1);
    assert_int_equal(p0->queue_count, 1);
    unsigned ran = hp[0].upcall_count;
    hp[0].ram[300] = 0x55;
    call(&hp[0], SYSCALL_YIELD, YIELD_NO_WAIT, harness_addr(&hp[0], 300), 0, 0);
    assert_int_equal(hp[0].ram[300], 0);       /* nothing ran */
    assert_int_equal(hp[0].upcall_count, ran);
    assert_int_equal(p0->queue_count, 0);      /* and the null one is gone */
}

/* ------------------------------------------------------------ life cycle */

static client_id_t departed[8];
static unsigned departures;
static void note_departure(struct client_observer *o, client_id_t id)
{
    (void)o;
    departed[departures++] = id;
}

static void ending_a_process_releases_everything_and_only_its_own(void **state)
{
    (void)state;
    static struct client_observer obs = { note_departure, NULL };
    departures = 0;
    client_observe(&obs);
    client_id_t old_id = process_client(p0);
    call(&hp[0], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[0], 0x10), 0);
    call(&hp[1], SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, FN(hp[1], 0x10), 0);
    uintptr_t granted = p0->kernel_break;
    assert_true(granted < p0->ram_end);
    process_schedule_upcall(p0, &probe, 0, 1, 2, 3);
    struct syscall_return r = call(&hp[0], SYSCALL_EXIT, EXIT_TERMINATE, 3, 0, 0);
    assert_int_equal(r.r[0], 0xdead);
    assert_int_equal(p0->state, PROCESS_ENDED);
    assert_int_equal(p0->exit_code, 3);
    assert_int_equal(probe_ended, 1);                 /* the driver cancelled its work */
    assert_int_equal(departures, 1);                  /* every mux heard of it */
    assert_true(client_same(departed[0], old_id));
    assert_int_equal(p0->queue_count, 0);
    assert_true(p0->kernel_break > granted);          /* grants freed ... */
    for (uintptr_t a = granted; a < p0->ram_end; a++) /* ... and wiped */
        assert_int_equal(*(uint8_t *)a, 0);
    assert_int_equal(hp[0].releases, 1);
    /* the other process is untouched */
    assert_int_equal(p1->state, PROCESS_READY);
    assert_true(process_schedule_upcall(p1, &probe, 0, 1, 2, 3));
    assert_int_equal(p1->queue_count, 1);
    /* a call on behalf of the ended client gets nothing */
    assert_null(process_of_client(old_id));
    assert_false(process_schedule_upcall(p0, &probe, 0, 1, 2, 3));
}

static void restart_makes_a_new_client(void **state)
{
    (void)state;
    process_restart_due(0); /* the board times the lives that began */
    client_id_t first = process_client(p0);
    assert_int_equal(process_stop(NULL, p0), VMUX_RESERVE); /* needs the capability */
    assert_int_equal(process_stop(test_board_cap_process_management(), p0), VMUX_SUCCESS);
    assert_int_equal(p0->state, PROCESS_STOPPED);
    assert_int_equal(process_stop(test_board_cap_process_management(), p0), VMUX_ALREADY);
    process_restart_due(1000); /* a life of a second: no back-off */
    assert_int_equal(process_start(test_board_cap_process_management(), p0), VMUX_SUCCESS);
    assert_int_equal(p0->state, PROCESS_READY);
    assert_false(client_same(first, process_client(p0)));
    assert_ptr_equal(process_of_client(process_client(p0)), p0);
    assert_null(process_of_client(first));
    assert_int_equal(hp[0].starts, 2);
    process_restart_due(1000);
    process_restart_due(1200);
    call(&hp[0], SYSCALL_EXIT, EXIT_RESTART, 0, 0, 0);
    assert_int_equal(p0->state, PROCESS_ENDED);
    process_restart_due(1200); /* it lived 200 ms: restarted at once */
    assert_int_equal(p0->state, PROCESS_READY);
    assert_int_equal(hp[0].starts, 3);
    assert_int_equal(p0->counters.restarts_held, 0);
    assert_string_equal(client_name(process_client(p0)), "alpha");
}

/* Run until p is ready again, from now_ms on, a millisecond at a time;
 * the milliseconds it took. */
static uint64_t until_restarted(struct process *p, uint64_t now_ms)
{
    uint64_t t = now_ms;
    while (p->state != PROCESS_READY && t < now_ms + 100000)
        process_run_next(++t);
    return t - now_ms;
}

static void crash_loop_restarts_with_growing_backoff(void **state)
{
    (void)state;
    struct process *crasher = harness_spawn(&hp[2], "crasher", RESTART_WITH_BACKOFF);
    assert_non_null(crasher);
    process_stop(test_board_cap_process_management(), p0);
    process_stop(test_board_cap_process_management(), p1);
    uint64_t now = 1000, restarted_at[4];
    for (int round = 0; round < 4; round++) {
        harness_expect_fault(&hp[2]);
        assert_true(process_run_next(now));
        assert_int_equal(crasher->state, PROCESS_ENDED);
        assert_true(crasher->faulted);
        restarted_at[round] = until_restarted(crasher, now);
        now += restarted_at[round];
    }
    /* 100 ms, then 200, 400, 800 */
    assert_true(restarted_at[0] >= 100 && restarted_at[0] <= 101);
    assert_true(restarted_at[1] >= 200 && restarted_at[1] <= 201);
    assert_true(restarted_at[3] >= 800 && restarted_at[3] <= 801);
    assert_int_equal(crasher->counters.restarts, 4);
    assert_int_equal(crasher->counters.restarts_held, 4);
}

/* Policy, availability: a process that restarts itself in a loop goes
 * through the same back-off as a crash loop (it would otherwise take
 * the CPU and churn every mux), and so does management's start; a life
 * of 100 ms or more restarts at once. */
static void availability_exit_restart_loop_backs_off_like_a_crash_loop(void **state)
{
    (void)state;
    process_stop(test_board_cap_process_management(), p1);
    uint64_t now = 1000, waited[4];
    process_restart_due(now);
    for (int round = 0; round < 4; round++) {
        call(&hp[0], SYSCALL_EXIT, EXIT_RESTART, 0, 0, 0); /* at once, every life */
        assert_int_equal(p0->state, PROCESS_ENDED);
        waited[round] = until_restarted(p0, now);
        now += waited[round];
    }
    assert_true(waited[0] >= 100 && waited[0] <= 101);
    assert_true(waited[1] >= 200 && waited[1] <= 201);
    assert_true(waited[2] >= 400 && waited[2] <= 401);
    assert_true(waited[3] >= 800 && waited[3] <= 801);
    assert_int_equal(p0->counters.restarts, 4);
    assert_int_equal(p0->counters.restarts_held, 4);
    assert_int_equal(hp[0].starts, 5);

    /* a life of 100 ms clears the back-off: the next restart is prompt */
    process_restart_due(now += 100);
    call(&hp[0], SYSCALL_EXIT, EXIT_RESTART, 0, 0, 0);
    process_restart_due(now);
    assert_int_equal(p0->state, PROCESS_READY);
    assert_int_equal(p0->counters.restarts_held, 4);

    /* management's stop and start loop backs off the same */
    const cap_process_management_t *cap = test_board_cap_process_management();
    process_restart_due(++now);
    assert_int_equal(process_stop(cap, p0), VMUX_SUCCESS);
    process_restart_due(++now);                               /* a quick life */
    assert_int_equal(process_start(cap, p0), VMUX_SUCCESS); /* held back */
    assert_int_equal(process_start(cap, p0), VMUX_SUCCESS); /* once */
    assert_int_equal(p0->state, PROCESS_STOPPED);
    assert_int_equal(p0->counters.restarts_held, 5);
    assert_true(process_restart_waiting());
    assert_int_equal(until_restarted(p0, now), 100);
    assert_int_equal(hp[0].starts, 7);
}

/* ------------------------------------------------------------ scheduling */

static void busy_processes_share_the_cpu_round_robin(void **state)
{
    (void)state;
    struct process *p2 = harness_spawn(&hp[2], "gamma", RESTART_NEVER);
    assert_non_null(p2);
    /* three processes in busy loops: every run is a full time slice */
    for (int i = 0; i < 30; i++)
        assert_true(process_run_next(0));
    assert_int_equal(hp[0].runs, 10);
    assert_int_equal(hp[1].runs, 10);
    assert_int_equal(hp[2].runs, 10);
    /* one blocks in yield: the others share, it is not run */
    harness_expect_syscall(&hp[1], SYSCALL_YIELD, YIELD_WAIT, 0, 0, 0);
    for (int i = 0; i < 30; i++)
        process_run_next(0);
    assert_true(hp[1].runs <= 12);
    assert_true(hp[0].runs >= 23 && hp[2].runs >= 23);
    assert_int_equal(p1->state, PROCESS_YIELDED);
}

static void noted(struct deferred_call *dc)
{
    (void)dc;
}

/* The switch an architecture makes by itself after a yield: the ready
 * processes round robin, but never ahead of the kernel's own work. */
static void next_after_yield_is_round_robin_but_kernel_work_comes_first(void **state)
{
    (void)state;
    struct process *p2 = harness_spawn(&hp[2], "gamma", RESTART_NEVER);
    assert_non_null(p2);
    /* new lives to time: the kernel first */
    assert_true(process_restart_waiting());
    assert_null(process_next_after_yield());
    process_restart_due(0);
    struct process *seen[4];
    for (int i = 0; i < 4; i++)
        seen[i] = process_next_after_yield();
    assert_true(seen[0] && seen[1] && seen[2]);
    assert_true(seen[0] != seen[1] && seen[1] != seen[2] && seen[0] != seen[2]);
    assert_ptr_equal(seen[3], seen[0]); /* every one once, then around again */

    struct deferred_call dc = { 0 };
    assert_int_equal(deferred_call_register(&dc, noted), VMUX_SUCCESS);
    deferred_call_raise(&dc);
    assert_null(process_next_after_yield()); /* a bottom half waits: the kernel first */
    kernel_loop_once();
    assert_non_null(process_next_after_yield());

    /* a process ended with a restart to time: the kernel first */
    struct harness_process crasher_h;
    struct process *crasher = harness_spawn(&crasher_h, "crasher", RESTART_WITH_BACKOFF);
    assert_non_null(crasher);
    process_stop(test_board_cap_process_management(), p0);
    process_stop(test_board_cap_process_management(), p1);
    process_stop(test_board_cap_process_management(), p2);
    harness_expect_fault(&crasher_h);
    assert_true(process_run_next(0));
    assert_int_equal(crasher->state, PROCESS_ENDED);
    assert_true(process_restart_waiting());
    assert_null(process_next_after_yield());
    /* timed by the first call after the end: 100 ms from then */
    process_restart_due(50);
    assert_int_equal(crasher->state, PROCESS_ENDED);
    process_restart_due(149);
    assert_int_equal(crasher->state, PROCESS_ENDED);
    process_restart_due(150);
    assert_int_equal(crasher->state, PROCESS_READY);
    assert_false(process_restart_waiting()); /* its new life was timed as it began */
}

static void process_management_needs_the_capability(void **state)
{
    (void)state;
    struct process_image image = { .name = "x" };
    assert_int_equal(process_create(NULL, &image, NULL, NULL), VMUX_RESERVE);
    assert_int_equal(process_start(NULL, p0), VMUX_RESERVE);
    uint32_t forged = 0;
    assert_int_equal(process_stop((const cap_process_management_t *)&forged, p0), VMUX_RESERVE);
    assert_ptr_equal(process_find("beta"), p1);
    assert_null(process_find("nobody"));
    assert_int_equal(process_register_driver(&probe), VMUX_ALREADY);
}

/* A process the architecture cannot start keeps no slot: with every
 * slot but one taken, it fails and a good one after it still starts. */
static void a_process_that_cannot_start_keeps_no_slot(void **state)
{
    (void)state;
    static struct harness_process others[PROCESS_MAX], bad;
    static char fillers[PROCESS_MAX][12]; /* names are unique */
    for (unsigned i = 2; i + 1 < PROCESS_MAX; i++) {
        snprintf(fillers[i], sizeof fillers[i], "filler-%u", i);
        assert_non_null(harness_spawn(&others[i], fillers[i], RESTART_NEVER));
    }
    memset(&bad, 0, sizeof bad);
    bad.start_error = VMUX_INVALID;
    struct process_image image = {
        .name = "cannot-start",
        .ram_start = (uintptr_t)bad.ram,
        .ram_end = (uintptr_t)bad.ram + HARNESS_RAM,
        .initial_break = (uintptr_t)bad.ram + 1024,
        .flash_start = (uintptr_t)bad.flash,
        .flash_end = (uintptr_t)bad.flash + HARNESS_FLASH,
    };
    struct process *p = p0;
    assert_int_equal(process_create(test_board_cap_process_management(), &image, &bad, &p),
                     VMUX_INVALID);
    assert_null(p);
    assert_int_equal(bad.starts, 1);
    assert_null(process_find("cannot-start"));
    struct process *good = harness_spawn(&others[PROCESS_MAX - 1], "good", RESTART_NEVER);
    assert_non_null(good);
    assert_int_equal(good->state, PROCESS_READY);
    /* and the table is full now */
    assert_null(harness_spawn(&others[0], "one-too-many", RESTART_NEVER));
}

/* The loader's writeable flash regions reach the process (memop 7-9),
 * and only regions inside its flash are accepted. */
/* The loader's writeable flash regions reach the process (memop 7-9);
 * a region not inside its flash is not kept. */
static void writeable_flash_regions_kept_inside_the_flash(void **state)
{
    (void)state;
    static struct harness_process h;
    memset(&h, 0, sizeof h);
    uintptr_t flash = (uintptr_t)h.flash;
    struct process_image image = {
        .name = "regions",
        .ram_start = (uintptr_t)h.ram,
        .ram_end = (uintptr_t)h.ram + HARNESS_RAM,
        .initial_break = (uintptr_t)h.ram + 1024,
        .flash_start = flash,
        .flash_end = flash + HARNESS_FLASH,
        .flash_regions = { { flash + 64, flash + 128 },
                           { flash + 192, flash + HARNESS_FLASH + 1 }, /* a byte past */
                           { flash + 192, flash + HARNESS_FLASH } },
        .flash_region_count = 3,
    };
    struct process *p = NULL;
    assert_int_equal(process_create(test_board_cap_process_management(), &image, &h, &p),
                     VMUX_SUCCESS);
    assert_int_equal(p->flash_region_count, 2);
    assert_int_equal(p->flash_regions[0].start, flash + 64);
    assert_int_equal(p->flash_regions[1].start, flash + 192);
    assert_int_equal(p->flash_regions[1].end, flash + HARNESS_FLASH);
}

/* Issue 12: what the host sees under a name came from that client. A
 * process may not take a kernel client's name, one the board reserves,
 * or another process's (ended or stopped ones keep theirs). */
static void names_are_unique_and_the_kernel_keeps_its_own(void **state)
{
    (void)state;
    client_register_kernel("mgmt");
    static const char *const board_names[] = { "vmuxterm", "kernel", NULL };
    client_reserve_names(board_names);
    static struct harness_process h;
    struct process *p;
    const char *why = NULL;
    assert_int_equal(harness_create(&h, "mgmt", RESTART_NEVER, &p), VMUX_RESERVE);
    assert_null(p);
    assert_int_equal(harness_create(&h, "kernel", RESTART_NEVER, &p), VMUX_RESERVE);
    assert_int_equal(harness_create(&h, "vmuxterm", RESTART_NEVER, &p), VMUX_RESERVE);
    assert_int_equal(process_name_check("vmuxterm", &why), VMUX_RESERVE);
    assert_string_equal(why, "a kernel name");
    assert_int_equal(harness_create(&h, "alpha", RESTART_NEVER, &p), VMUX_BUSY);
    assert_int_equal(process_name_check("alpha", &why), VMUX_BUSY);
    assert_string_equal(why, "another app's name");
    process_end(p0, false, 0);
    assert_int_equal(harness_create(&h, "alpha", RESTART_NEVER, &p), VMUX_BUSY);
    assert_int_equal(process_name_check("gamma", &why), VMUX_SUCCESS);
    assert_non_null(harness_spawn(&h, "gamma", RESTART_NEVER));
    static struct harness_process h2;
    assert_int_equal(harness_create(&h2, "gamma", RESTART_NEVER, &p), VMUX_BUSY);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup(name, setup)
    const struct CMUnitTest tests[] = {
        T(command_zero_answers_whether_a_driver_exists),
        T(command_return_variants_reach_the_process),
        T(unknown_class_is_refused_and_counted),
        T(subscribe_returns_the_previous_upcall),
        T(allow_checks_every_buffer_against_process_memory),
        T(driver_reads_the_allowed_buffer_and_hears_of_swaps),
        T(memop_moves_the_break_within_the_quota),
        T(grants_come_from_the_process_own_quota),
        T(upcalls_wait_for_yield_and_run_in_order),
        T(yield_wait_blocks_until_an_upcall),
        T(yield_wait_for_returns_the_arguments_and_keeps_the_others),
        T(full_upcall_queue_drops_and_counts),
        T(returns_write_only_the_registers_of_their_variant),
        T(memop_reports_writeable_flash_regions),
        T(ending_a_process_releases_everything_and_only_its_own),
        T(restart_makes_a_new_client),
        T(crash_loop_restarts_with_growing_backoff),
        T(availability_exit_restart_loop_backs_off_like_a_crash_loop),
        T(busy_processes_share_the_cpu_round_robin),
        T(next_after_yield_is_round_robin_but_kernel_work_comes_first),
        T(process_management_needs_the_capability),
        T(a_process_that_cannot_start_keeps_no_slot),
        T(writeable_flash_regions_kept_inside_the_flash),
        T(names_are_unique_and_the_kernel_keeps_its_own),
    };
    return cmocka_run_group_tests_name("process", tests, NULL, NULL);
}
