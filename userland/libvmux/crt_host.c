/*
 * The host board's app entry point. The loader has set vmux_host_syscall
 * and runs this on the process's own stack: call main(), then end the
 * process with its return value (exit-terminate). Nothing else needs
 * setting up: the loader relocated the shared object, and there is no C
 * library to initialise.
 */
#include "compiler.h"
#include "syscall.h"

int main(void);

VMUX_EXPORT _Noreturn void vmux_host_entry(void);

void vmux_host_entry(void)
{
    vmux_exit_terminate((uint32_t)main());
}
