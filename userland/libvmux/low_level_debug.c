/*
 * Low-level debug, driver 0x8: command 1 alert code, 2 one number, 3 two
 * numbers. No upcalls, no allows.
 */
#include "low_level_debug.h"

#include "syscall.h"

int vmux_debug_alert(uint32_t code)
{
    return vmux_command_status(VMUX_DRIVER_LOW_LEVEL_DEBUG, 1, code, 0);
}

int vmux_debug_print(uint32_t n)
{
    return vmux_command_status(VMUX_DRIVER_LOW_LEVEL_DEBUG, 2, n, 0);
}

int vmux_debug_print2(uint32_t n, uint32_t m)
{
    return vmux_command_status(VMUX_DRIVER_LOW_LEVEL_DEBUG, 3, n, m);
}
