/*
 * Benchmark app: CALLS round trips of one kind, then exit. Built twice by
 * the Makefile (CALLS=0 and CALLS=1000) so bench/run.sh can subtract the
 * cost of loading and starting from the cost of the calls.
 *   UPCALLS=0: null commands (command 0: "does the driver exist").
 *   UPCALLS=1: a command that schedules an upcall, then yield-wait, which
 *              runs the upcall: one command, one yield, one upcall.
 */
#include "tests/apps/app.h"

#ifndef CALLS
#define CALLS 0
#endif

static volatile unsigned upcalls;

#if UPCALLS
static void counted(uint32_t a, uint32_t b, uint32_t c, uintptr_t appdata)
{
    (void)a, (void)b, (void)c, (void)appdata;
    upcalls++;
}
#endif

void vmux_host_entry(void)
{
#if UPCALLS
    subscribe(0, counted, 0);
    for (int i = 0; i < CALLS; i++) {
        command(PROBE_UPCALL, 1, 2);
        yield_wait();
    }
#else
    for (int i = 0; i < CALLS; i++)
        vmux_host_syscall(SYSCALL_COMMAND, PROBE_DRIVER, 0, 0, 0);
#endif
    exit_with(EXIT_TERMINATE, upcalls);
}
