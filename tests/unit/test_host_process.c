/*
 * Host processes for real: the test apps of tests/apps/ (shared objects
 * under build/test/apps/) loaded by arch/host/loader.c and run on their
 * own threads by arch/host/process.c, against a probe driver.
 *
 * Every test is bounded: a bounded number of process_run_next() calls
 * with a short time slice, and a watchdog alarm over the whole program.
 */
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <cmocka.h>

#include "arch/host/loader.h"
#include "arch/host/process.h"
#include "boards/test/test_board.h"
#include "kernel/syscall_driver.h"
#include "tests/apps/probe.h"

#define TIMESLICE_US 2000u
#define MAX_RUNS 2000
#define WATCHDOG_S 900 /* a hang, not a time the program should take: a loaded host is slow */
#define LOG_MAX 16

static char apps_dir[PATH_MAX];

/* ------------------------------------------------------------ the probe driver */

struct probe_state {
    uint32_t count;
};

struct probe_log {
    uintptr_t a[LOG_MAX], b[LOG_MAX];
    unsigned n;
};

static struct probe_log logs[PROCESS_MAX];    /* per slot */
static unsigned counts[PROCESS_MAX];          /* PROBE_COUNT per slot, every life */
static unsigned hellos[PROCESS_MAX];

static struct syscall_return probe_command(const struct syscall_driver *d, struct process *p,
                                           void *state, uint32_t cmd, syscall_reg_t a,
                                           syscall_reg_t b)
{
    struct probe_state *s = state;
    switch (cmd) {
    case PROBE_COUNT:
        counts[p->slot]++;
        return syscall_success_u32(++s->count);
    case PROBE_REPORT: {
        struct probe_log *log = &logs[p->slot];
        if (log->n < LOG_MAX) {
            log->a[log->n] = a;
            log->b[log->n] = b;
            log->n++;
        }
        return syscall_success();
    }
    case PROBE_UPCALL:
        process_schedule_upcall(p, d, 0, (uint32_t)a, (uint32_t)b, 42);
        return syscall_success();
    case PROBE_HELLO:
        return syscall_success_u32(++hellos[p->slot]);
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

static const struct syscall_driver probe = {
    .number = PROBE_DRIVER,
    .upcall_count = 1,
    .allow_rw_count = 1,
    .state_size = sizeof(struct probe_state),
    .command = probe_command,
};

/* ------------------------------------------------------------ helpers */

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    process_reset();
    process_set_arch(&host_arch_ops);
    process_set_timeslice_us(TIMESLICE_US);
    assert_int_equal(process_register_driver(&probe), VMUX_SUCCESS);
    memset(logs, 0, sizeof logs);
    memset(counts, 0, sizeof counts);
    memset(hellos, 0, sizeof hellos);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    host_loader_reset();
    process_reset();
    return 0;
}

static struct process *load(const char *app, const char *name)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s.so", apps_dir, app);
    struct process *p = NULL;
    vmux_err_t err = host_load_app(path, name, 0, RESTART_NEVER,
                                   test_board_cap_process_management(), &p);
    if (err != VMUX_SUCCESS)
        fail_msg("loading %s: %s (%s)", path, vmux_err_name(err), host_loader_error());
    assert_non_null(p);
    return p;
}

/* Ended, with no restart to come. */
static bool ended(const struct process *p)
{
    return p->state == PROCESS_ENDED && !p->restart_wanted;
}

/* The restart clock: a millisecond a run. */
static uint64_t now_ms;

/* Run processes until done() or MAX_RUNS slices (or milliseconds while
 * only a restart waits); the runs made. */
static unsigned run_until(bool (*done)(void *ctx), void *ctx)
{
    unsigned runs = 0;
    while (runs < MAX_RUNS && !done(ctx) &&
           (process_run_next(now_ms++) || process_restart_waiting()))
        runs++;
    return runs;
}

static bool has_ended(void *ctx)
{
    return ended(ctx);
}

/* ------------------------------------------------------------ tests */

static void loader_describes_the_app(void **state)
{
    (void)state;
    struct process *p = load("counter", NULL);
    assert_string_equal(p->name, "counter"); /* from the file name */
    assert_int_equal(p->state, PROCESS_READY);
    assert_true(host_process_has_thread(p));
    assert_int_equal(p->ram_start % (uintptr_t)sysconf(_SC_PAGESIZE), 0);
    assert_int_equal(p->ram_end - p->ram_start, HOST_APP_RAM_DEFAULT);
    assert_true(p->initial_break > p->ram_start && p->initial_break < p->ram_end);
    assert_true(p->flash_end > p->flash_start);
    assert_true(p->extra_rw[0].end > p->extra_rw[0].start);
    /* the flash holds the code, and is not writable memory */
    assert_false(process_may_access(p, p->flash_start, 1, true));
    assert_true(process_may_access(p, p->flash_start, 1, false));
}

static void loader_refuses_what_is_not_an_app(void **state)
{
    (void)state;
    struct process *p = NULL;
    const cap_process_management_t *cap = test_board_cap_process_management();
    assert_int_equal(host_load_app("/nonexistent/app.so", NULL, 0, RESTART_NEVER, cap, &p),
                     VMUX_FAIL);
    assert_true(strlen(host_loader_error()) > 0);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/counter.so", apps_dir);
    assert_int_equal(host_load_app(path, NULL, 0, RESTART_NEVER, NULL, &p), VMUX_RESERVE);
    assert_int_equal(host_load_app(path, NULL, 8192, RESTART_NEVER, cap, &p), VMUX_SIZE);
    assert_null(process_at(0));
}

/* Issue 12: an app may not show its output under a kernel client's name,
 * one the board reserves, or another app's; refused before anything is
 * loaded, with the reason. */
static void loader_refuses_a_name_that_is_taken(void **state)
{
    (void)state;
    client_register_kernel("mgmt");
    static const char *const board_names[] = { "vmuxterm", NULL };
    client_reserve_names(board_names);
    const cap_process_management_t *cap = test_board_cap_process_management();
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/counter.so", apps_dir);
    struct process *p = NULL;
    assert_int_equal(host_load_app(path, "mgmt", 0, RESTART_NEVER, cap, &p), VMUX_RESERVE);
    assert_string_equal(host_loader_error(), "the name mgmt is a kernel name");
    assert_int_equal(host_load_app(path, "vmuxterm", 0, RESTART_NEVER, cap, &p),
                     VMUX_RESERVE);
    assert_null(process_at(0));
    struct process *c = load("counter", NULL);
    assert_string_equal(c->name, "counter");
    assert_int_equal(host_load_app(path, NULL, 0, RESTART_NEVER, cap, &p), VMUX_BUSY);
    assert_string_equal(host_loader_error(), "the name counter is another app's name");
    assert_null(process_at(1));
    assert_non_null(load("counter", "counter-2"));
    /* a name is what the process keeps of it: the first 23 characters */
    assert_non_null(load("counter", "a-name-longer-than-23-characters"));
    assert_int_equal(host_load_app(path, "a-name-longer-than-23-chars-too", 0, RESTART_NEVER,
                                   cap, &p),
                     VMUX_BUSY);
}

static void syscalls_reach_the_driver_and_results_come_back(void **state)
{
    (void)state;
    struct process *p = load("counter", "c");
    run_until(has_ended, p);
    assert_true(ended(p));
    assert_false(p->faulted);
    assert_int_equal(p->exit_code, 7);
    assert_int_equal(counts[p->slot], 5);
    assert_int_equal(p->counters.syscalls, 6); /* five commands and the exit */
    assert_false(host_process_has_thread(p)); /* exit ended the thread */
}

static bool both_ended(void *ctx)
{
    struct process **ps = ctx;
    return ended(ps[0]) && ended(ps[1]);
}

static void two_instances_have_separate_globals(void **state)
{
    (void)state;
    struct process *ps[2] = { load("globals", "g1"), load("globals", "g2") };
    run_until(both_ended, ps);
    for (unsigned i = 0; i < 2; i++) {
        const struct probe_log *log = &logs[ps[i]->slot];
        assert_int_equal(log->n, 3);
        for (unsigned k = 0; k < 3; k++)
            assert_int_equal(log->a[k], k + 1);
        assert_int_equal(ps[i]->exit_code, 3);
        /* the global lies in the process's own writable segment */
        assert_true(process_may_access(ps[i], log->b[0], sizeof(uintptr_t), true));
    }
    assert_int_not_equal(logs[ps[0]->slot].b[0], logs[ps[1]->slot].b[0]);
}

static void a_busy_loop_is_preempted_and_others_progress(void **state)
{
    (void)state;
    struct process *spin = load("spin", NULL);
    struct process *counter = load("counter", NULL);
    unsigned runs = run_until(has_ended, counter);
    assert_true(runs < MAX_RUNS);
    assert_true(ended(counter));
    assert_int_equal(counts[counter->slot], 5);
    assert_int_equal(counts[spin->slot], 1);
    assert_true(spin->counters.timeslices_expired >= 1);
    assert_int_equal(spin->state, PROCESS_READY);
    /* and it stays preemptible: a few more slices, all expired */
    uint32_t before = spin->counters.timeslices_expired;
    for (int i = 0; i < 5; i++)
        assert_true(process_run_next(0));
    assert_int_equal(spin->counters.timeslices_expired, before + 5);
    assert_int_equal(spin->state, PROCESS_READY);
}

static void a_fault_ends_the_process_and_others_continue(void **state)
{
    (void)state;
    struct process *null = load("null", NULL);
    struct process *counter = load("counter", NULL);
    struct process *ps[2] = { null, counter };
    run_until(both_ended, ps);
    assert_true(ended(null));
    assert_true(null->faulted);
    assert_int_equal(counts[null->slot], 1);
    struct host_fault f = host_process_last_fault(null);
    assert_int_equal(f.signo, SIGSEGV);
    assert_int_equal(f.addr, 0);
    assert_true(f.pc >= null->flash_start && f.pc < null->flash_end);
    assert_false(host_process_has_thread(null));
    assert_true(ended(counter));
    assert_false(counter->faulted);
    assert_int_equal(counts[counter->slot], 5);
}

static void writing_flash_is_a_fault(void **state)
{
    (void)state;
    struct process *p = load("rowrite", NULL);
    run_until(has_ended, p);
    assert_true(p->faulted);
    assert_int_equal(logs[p->slot].n, 1);
    uintptr_t constant = logs[p->slot].a[0];
    assert_true(constant >= p->flash_start && constant < p->flash_end);
    struct host_fault f = host_process_last_fault(p);
    assert_int_equal(f.signo, SIGSEGV);
    assert_int_equal(f.addr, constant);
}

static void a_stack_overflow_is_a_fault(void **state)
{
    (void)state;
    struct process *p = load("overflow", NULL);
    struct process *counter = load("counter", NULL);
    struct process *ps[2] = { p, counter };
    run_until(both_ended, ps);
    assert_true(p->faulted);
    assert_int_equal(counts[p->slot], 1);
    struct host_fault f = host_process_last_fault(p);
    assert_int_equal(f.signo, SIGSEGV);
    /* in the guard page right below the RAM quota */
    assert_true(f.addr < p->ram_start && f.addr >= p->ram_start - (uintptr_t)sysconf(_SC_PAGESIZE));
    assert_int_equal(counter->exit_code, 7);
}

/* Policy, confidentiality: a restart is a new client of the slot; what
 * the last life left in its RAM is wiped before the new one runs. */
static void buffers_wiped_restarted_process_never_sees_the_last_lifes_memory(void **state)
{
    (void)state;
    struct process *p = load("remnant", NULL);
    run_until(has_ended, p);
    assert_false(p->faulted);
    assert_int_equal(p->counters.restarts, 1);
    const struct probe_log *log = &logs[p->slot];
    assert_int_equal(log->n, 2);
    assert_int_equal(log->a[0], 0); /* the first life: fresh memory */
    assert_int_equal(log->a[1], 0); /* the second: none of the first's marks */
}

static void returning_from_the_entry_is_a_fault(void **state)
{
    (void)state;
    struct process *p = load("returns", NULL);
    run_until(has_ended, p);
    assert_true(p->faulted);
    assert_int_equal(counts[p->slot], 1);
    assert_int_equal(host_process_last_fault(p).signo, HOST_FAULT_RETURNED);
}

static void restart_starts_a_fresh_thread_with_fresh_globals(void **state)
{
    (void)state;
    struct process *p = load("restart", NULL);
    uint16_t generation = p->generation;
    run_until(has_ended, p);
    assert_true(ended(p));
    assert_false(p->faulted);
    assert_int_equal(p->exit_code, 2);
    assert_int_equal(p->counters.restarts, 1);
    assert_int_equal(p->generation, generation + 1);
    assert_int_equal(host_process_threads_started(p), 2);
    const struct probe_log *log = &logs[p->slot];
    assert_int_equal(log->n, 2);
    assert_int_equal(log->a[0], 1); /* lives: 1 in each life */
    assert_int_equal(log->a[1], 1);
    assert_int_equal(log->b[0], 1); /* hellos */
    assert_int_equal(log->b[1], 2);
    /* management can start it once more, on a third thread */
    assert_int_equal(process_start(test_board_cap_process_management(), p), VMUX_SUCCESS);
    run_until(has_ended, p);
    assert_int_equal(host_process_threads_started(p), 3);
    assert_int_equal(p->exit_code, 3);
}

static void stop_ends_the_thread_and_start_runs_again(void **state)
{
    (void)state;
    struct process *spin = load("spin", NULL);
    /* at time 0 until its first count (a slow host may need more runs) */
    for (int i = 0; i < MAX_RUNS && counts[spin->slot] < 1; i++)
        process_run_next(0);
    assert_int_equal(counts[spin->slot], 1);
    const cap_process_management_t *cap = test_board_cap_process_management();
    assert_int_equal(process_stop(cap, spin), VMUX_SUCCESS);
    assert_false(host_process_has_thread(spin));
    assert_int_equal(process_start(cap, spin), VMUX_SUCCESS);
    /* a quick life: it starts again 100 ms after its end */
    for (uint64_t t = 1; t < 200 && counts[spin->slot] < 2; t++)
        process_run_next(t);
    assert_int_equal(counts[spin->slot], 2); /* it began again from its entry */
    assert_int_equal(spin->counters.restarts_held, 1);
}

static bool yielded(void *ctx)
{
    return ((struct process *)ctx)->state == PROCESS_YIELDED;
}

static void upcalls_run_on_the_process_thread_inside_yield(void **state)
{
    (void)state;
    struct process *p = load("upcall", NULL);
    run_until(yielded, p);
    assert_int_equal(p->state, PROCESS_YIELDED); /* the second yield */
    const struct probe_log *log = &logs[p->slot];
    assert_int_equal(log->n, 4);
    assert_int_equal(log->a[0], 11);
    assert_int_equal(log->b[0], 22);
    assert_int_equal(log->a[1], 42);
    assert_int_equal(log->b[1], 0x1234); /* appdata */
    /* a local of the upcall: on the process's stack, below its break */
    assert_true(log->a[2] >= p->ram_start && log->a[2] < p->initial_break);
    assert_int_equal(log->b[2], 1); /* inside the yield */
    assert_int_equal(log->a[3], 0xd0e);
    assert_int_equal(log->b[3], 1);

    /* an upcall scheduled from outside while the process waits */
    assert_true(process_schedule_upcall(p, &probe, 0, 5, 6, 7));
    assert_int_equal(p->state, PROCESS_READY);
    run_until(has_ended, p);
    assert_true(ended(p));
    assert_int_equal(p->exit_code, 2);
    assert_int_equal(log->n, 7);
    assert_int_equal(log->a[4], 5);
    assert_int_equal(log->b[4], 6);
    assert_int_equal(log->a[5], 7);
    assert_int_equal(log->b[6], 1);
}

static void kernel_reaches_only_the_process_memory(void **state)
{
    (void)state;
    struct process *p = load("memory", NULL);
    run_until(has_ended, p);
    assert_true(ended(p));
    assert_false(p->faulted);
    const struct probe_log *log = &logs[p->slot];
    assert_int_equal(log->n, 5);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(log->a[i], i + 1);
    assert_int_equal(log->b[0], RET_SUCCESS_2U32); /* a global */
    assert_int_equal(log->b[1], RET_FAILURE_2U32); /* a constant: flash */
    assert_int_equal(log->b[2], RET_SUCCESS_U32);  /* sbrk */
    assert_int_equal(log->b[3], RET_SUCCESS_2U32); /* the new heap */
    assert_int_equal(log->b[4], 0);                /* the yield flag, written */
}

static bool chatty_ended(void *ctx)
{
    struct process **ps = ctx;
    return ended(ps[0]) && ended(ps[1]);
}

/* Slices so short that many end just as the process traps, or before its
 * thread has even woken: every call's result must still come back to the
 * call that made it, and nothing may hang. */
static void handshake_survives_slices_that_end_at_traps(void **state)
{
    (void)state;
    static const uint32_t slices_us[] = { 1, 7, 30 };
    for (unsigned k = 0; k < sizeof slices_us / sizeof slices_us[0]; k++) {
        process_set_timeslice_us(slices_us[k]);
        struct process *ps[2] = { load("chatty", "chatty-1"), load("chatty", "chatty-2") };
        struct process *spin = load("spin", NULL);
        unsigned runs = 0;
        while (runs < 200000 && !chatty_ended(ps) && process_run_next(0))
            runs++;
        for (unsigned i = 0; i < 2; i++) {
            assert_true(ended(ps[i]));
            assert_false(ps[i]->faulted);
            assert_int_equal(ps[i]->exit_code, 0);
            assert_int_equal(counts[ps[i]->slot], 2000);
        }
        assert_true(spin->counters.timeslices_expired > 0);
        host_loader_reset();
        process_reset();
        assert_int_equal(setup(NULL), 0);
    }
}

static void syscall_entry_off_a_process_thread_fails(void **state)
{
    (void)state;
    struct vmux_regs r = host_syscall_entry(SYSCALL_COMMAND, PROBE_DRIVER, 1, 0, 0);
    assert_int_equal(r.r0, RET_FAILURE);
    assert_int_equal(r.r1, VMUX_FAIL);
}

static void the_pool_and_slots_are_bounded(void **state)
{
    (void)state;
    struct process *ps[PROCESS_MAX];
    char names[PROCESS_MAX][8];
    for (unsigned i = 0; i < PROCESS_MAX; i++) {
        snprintf(names[i], sizeof names[i], "g%u", i);
        ps[i] = load("globals", names[i]);
    }
    struct process *extra = NULL;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/globals.so", apps_dir);
    assert_int_equal(host_load_app(path, NULL, 0, RESTART_NEVER,
                                   test_board_cap_process_management(), &extra),
                     VMUX_NOMEM);
    /* all of them run to the end, each with its own global */
    unsigned runs = 0;
    bool all = false;
    while (!all && runs++ < MAX_RUNS && process_run_next(0)) {
        all = true;
        for (unsigned i = 0; i < PROCESS_MAX; i++)
            all = all && ended(ps[i]);
    }
    for (unsigned i = 0; i < PROCESS_MAX; i++)
        assert_int_equal(ps[i]->exit_code, 3);
}

int main(int argc, char **argv)
{
    (void)argc;
    /* the apps are built next to this program: build/test/{tests,apps} */
    char self[PATH_MAX];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(apps_dir, sizeof apps_dir, "%s/../apps", dirname(self));
    alarm(WATCHDOG_S); /* a hang fails the program instead of the run */
    prctl(PR_SET_TIMERSLACK, 1ul); /* slices as short as asked: more races */
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(loader_describes_the_app),
        T(loader_refuses_what_is_not_an_app),
        T(loader_refuses_a_name_that_is_taken),
        T(syscalls_reach_the_driver_and_results_come_back),
        T(two_instances_have_separate_globals),
        T(a_busy_loop_is_preempted_and_others_progress),
        T(a_fault_ends_the_process_and_others_continue),
        T(writing_flash_is_a_fault),
        T(a_stack_overflow_is_a_fault),
        T(returning_from_the_entry_is_a_fault),
        T(restart_starts_a_fresh_thread_with_fresh_globals),
        T(buffers_wiped_restarted_process_never_sees_the_last_lifes_memory),
        T(stop_ends_the_thread_and_start_runs_again),
        T(upcalls_run_on_the_process_thread_inside_yield),
        T(kernel_reaches_only_the_process_memory),
        T(handshake_survives_slices_that_end_at_traps),
        T(syscall_entry_off_a_process_thread_fails),
        T(the_pool_and_slots_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
