/*
 * The names a new process may not take (kernel/process.h,
 * process_name_check()). On its own so that the host tools run the very
 * check the board's loader runs: tools/vmuxload links this file and
 * kernel/client.c, reserves the names it read from the kernel image, and
 * stands in for the process table with the apps it has already started
 * (its own process_find()).
 */
#include "kernel/client.h"
#include "kernel/process.h"

vmux_err_t process_name_check(const char *name, const char **why)
{
    if (name == NULL)
        name = "app";
    vmux_err_t err = client_name_reserved(name) ? VMUX_RESERVE
                     : process_find(name)        ? VMUX_BUSY
                                                 : VMUX_SUCCESS;
    if (err != VMUX_SUCCESS && why)
        *why = err == VMUX_RESERVE ? "a kernel name" : "another app's name";
    return err;
}
