/*
 * RNG, driver 0x40001: read-write allow 0 the buffer, command 1 with the
 * byte count, upcall 0 with (status, bytes written, 0).
 */
#include "rng.h"

#include "syscall.h"

enum { CMD_GET = 1, UPCALL_DONE = 0, ALLOW_RW_BUFFER = 0 };

int vmux_rng_get(void *buf, size_t len, size_t *got)
{
    struct vmux_upcall_args done = { 0, 0, 0 };
    int err = vmux_allow_rw_status(VMUX_DRIVER_RNG, ALLOW_RW_BUFFER, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_RNG, UPCALL_DONE, CMD_GET, vmux_clamp_u32(len), 0,
                                &done);
    vmux_allow_rw(VMUX_DRIVER_RNG, ALLOW_RW_BUFFER, NULL, 0);
    if (got)
        *got = err == VMUX_OK && done.a1 <= len ? done.a1 : 0;
    return err == VMUX_OK ? vmux_upcall_status(done.a0) : err;
}
