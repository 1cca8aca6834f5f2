/*
 * The system call ABI, as Tock's TRD104 defines it.
 *
 * A call is a class and four 32-bit argument registers; its result is
 * four 32-bit registers, the first holding a return variant. The same
 * encoding is used on every architecture: on Cortex-M the class is the
 * svc immediate and the registers are r0-r3; on the host board, the
 * entry function vmux_host_syscall() takes and returns them as values
 * (userland/include/vmux/host_syscall.h).
 *
 * This header is the kernel's view: the numbers, and the portable
 * dispatcher that the architecture calls for every trap.
 */
#ifndef VMUX_KERNEL_SYSCALL_H
#define VMUX_KERNEL_SYSCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/errors.h"

enum syscall_class {
    SYSCALL_YIELD = 0,
    SYSCALL_SUBSCRIBE = 1,
    SYSCALL_COMMAND = 2,
    SYSCALL_ALLOW_RW = 3,
    SYSCALL_ALLOW_RO = 4,
    SYSCALL_MEMOP = 5,
    SYSCALL_EXIT = 6,
};

enum yield_kind {
    YIELD_NO_WAIT = 0,
    YIELD_WAIT = 1,
    YIELD_WAIT_FOR = 2,
};

enum exit_kind {
    EXIT_TERMINATE = 0,
    EXIT_RESTART = 1,
};

/* Return variants (register r0 of the result). */
enum syscall_variant {
    RET_FAILURE = 0,
    RET_FAILURE_U32 = 1,
    RET_FAILURE_2U32 = 2,
    RET_FAILURE_U64 = 3,
    RET_SUCCESS = 128,
    RET_SUCCESS_U32 = 129,
    RET_SUCCESS_2U32 = 130,
    RET_SUCCESS_U64 = 131,
    RET_SUCCESS_3U32 = 132,
    RET_SUCCESS_U32_U64 = 133,
};

enum memop_op {
    MEMOP_BRK = 0,
    MEMOP_SBRK = 1,
    MEMOP_MEMORY_START = 2,
    MEMOP_MEMORY_END = 3,
    MEMOP_FLASH_START = 4,
    MEMOP_FLASH_END = 5,
    MEMOP_GRANT_START = 6,
    MEMOP_FLASH_REGIONS = 7,
    MEMOP_FLASH_REGION_START = 8,
    MEMOP_FLASH_REGION_END = 9,
    MEMOP_DEBUG_STACK_START = 10,
    MEMOP_DEBUG_HEAP_START = 11,
};

/* A register: 32 bits on Cortex-M, pointer-sized on the host board. */
typedef uintptr_t syscall_reg_t;

/* The four result registers. Only the registers the variant in r[0]
 * defines are written back to the process (syscall_return_regs()); the
 * others keep the values the process had when it trapped, as Tock's
 * TRD104 encoding does. Userspace (libtock-c's inline assembly) declares
 * only the defined ones as outputs and may keep live values in the rest:
 * writing them would corrupt the caller. */
struct syscall_return {
    syscall_reg_t r[4];
};

/* How many registers, from r0, variant v defines: Failure r0-r1, Failure
 * with u32 r0-r2, Failure with 2 u32 or u64 r0-r3; Success r0, Success
 * with u32 r0-r1, with 2 u32 or u64 r0-r2, with 3 u32 or u32 and u64
 * r0-r3. */
static inline __attribute__((always_inline)) unsigned syscall_variant_regs(syscall_reg_t v)
{
    /* two bits a variant: failures 0-3, then successes 128-133 */
    if (v < 4)
        return (unsigned)((0xF9u >> (v * 2u)) & 3u) + 1u; /* 2, 3, 4, 4 */
    if (v - RET_SUCCESS <= RET_SUCCESS_U32_U64 - RET_SUCCESS)
        return (unsigned)((0xFA4u >> ((v - RET_SUCCESS) * 2u)) & 3u) + 1u; /* 1, 2, 3, 3, 4, 4 */
    return 4u;
}

static inline struct syscall_return syscall_success(void)
{
    return (struct syscall_return){ { RET_SUCCESS, 0, 0, 0 } };
}

static inline struct syscall_return syscall_success_u32(syscall_reg_t a)
{
    return (struct syscall_return){ { RET_SUCCESS_U32, a, 0, 0 } };
}

static inline struct syscall_return syscall_success_2u32(syscall_reg_t a, syscall_reg_t b)
{
    return (struct syscall_return){ { RET_SUCCESS_2U32, a, b, 0 } };
}

static inline struct syscall_return syscall_success_3u32(syscall_reg_t a, syscall_reg_t b,
                                                       syscall_reg_t c)
{
    return (struct syscall_return){ { RET_SUCCESS_3U32, a, b, c } };
}

/* 64-bit values travel low word first (r1 = low, r2 = high). */
static inline struct syscall_return syscall_success_u64(uint64_t v)
{
    return (struct syscall_return){ { RET_SUCCESS_U64, (uint32_t)v, (uint32_t)(v >> 32), 0 } };
}

static inline struct syscall_return syscall_failure(vmux_err_t err)
{
    return (struct syscall_return){ { RET_FAILURE, (uint32_t)err, 0, 0 } };
}

static inline struct syscall_return syscall_failure_u32(vmux_err_t err, syscall_reg_t a)
{
    return (struct syscall_return){ { RET_FAILURE_U32, (uint32_t)err, a, 0 } };
}

static inline struct syscall_return syscall_failure_2u32(vmux_err_t err, syscall_reg_t a,
                                                        syscall_reg_t b)
{
    return (struct syscall_return){ { RET_FAILURE_2U32, (uint32_t)err, a, b } };
}

/* SUCCESS or FAILURE from an error code. */
static inline struct syscall_return syscall_status(vmux_err_t err)
{
    return err == VMUX_SUCCESS ? syscall_success() : syscall_failure(err);
}

#endif
