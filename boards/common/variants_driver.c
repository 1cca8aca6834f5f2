#include "boards/common/variants_driver.h"

static struct syscall_return variants_command(const struct syscall_driver *d, struct process *p,
                                              void *state, uint32_t command, syscall_reg_t a,
                                              syscall_reg_t b)
{
    (void)d, (void)p, (void)state, (void)a, (void)b;
    static const uint32_t variant[] = {
        RET_FAILURE,      RET_FAILURE_U32,  RET_FAILURE_2U32, RET_FAILURE_U64,  RET_SUCCESS,
        RET_SUCCESS_U32,  RET_SUCCESS_2U32, RET_SUCCESS_U64,  RET_SUCCESS_3U32, RET_SUCCESS_U32_U64,
    };
    if (command == 0 || command > sizeof variant / sizeof variant[0])
        return syscall_failure(VMUX_NOSUPPORT);
    uint32_t v = variant[command - 1];
    /* failures carry an error code in r1 */
    return (struct syscall_return){ { v, v < RET_SUCCESS ? VMUX_FAIL : 0x11111111u, 0x22222222u,
                                      0x33333333u } };
}

const struct syscall_driver variants_driver = {
    .number = VARIANTS_DRIVER_NUM,
    .command = variants_command,
};
