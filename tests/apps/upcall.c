/*
 * Upcalls from inside yield. Subscribes upcall 0, asks the driver to
 * schedule one, and waits: the upcall reports (arg0, arg1), (arg2,
 * appdata) and (the address of one of its locals, whether it ran inside
 * the yield). Then waits again for an upcall the test schedules from
 * outside, and exits with the number of upcalls that ran.
 */
#include "tests/apps/app.h"

static volatile int in_yield;
static volatile uintptr_t upcalls;

static void on_upcall(uint32_t arg0, uint32_t arg1, uint32_t arg2, uintptr_t appdata)
{
    volatile int local = 0;
    upcalls++;
    report(arg0, arg1);
    report(arg2, appdata);
    report((uintptr_t)&local, (uintptr_t)in_yield);
}

void vmux_host_entry(void)
{
    subscribe(0, on_upcall, 0x1234);
    command(PROBE_UPCALL, 11, 22);
    in_yield = 1;
    yield_wait();
    in_yield = 0;
    report(0xd0e, upcalls);   /* marks the return from the first yield */
    in_yield = 1;
    yield_wait();
    in_yield = 0;
    exit_with(EXIT_TERMINATE, upcalls);
}
