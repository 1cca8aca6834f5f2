/*
 * libvmux system calls: Tock's TRD104 ABI, typed.
 *
 * The raw calls below are the seven classes (yield, subscribe, command,
 * read-write allow, read-only allow, memop, exit). Each returns what the
 * kernel put in the result registers: a struct vmux_result holding the
 * return variant and r1-r3, which the helpers turn into a status or a
 * value. The trap itself (vmux_trap) is made by one of two backends,
 * chosen by which file the build compiles:
 *
 *   syscall_host.c   the host board: a call through vmux_host_syscall
 *   syscall_arm.h    Cortex-M: `svc N`, arguments and results in r0-r3
 *                    (inline, included below)
 *
 * Status convention of the whole library: an int, 0 for success, else a
 * positive error code: the kernel's (TRD104 numbers, VMUX_E*), or
 * VMUX_EBADRVAL (1024) when the kernel answered with a return variant the
 * call does not define. vmux_error_name() spells them.
 */
#ifndef VMUX_LIBVMUX_SYSCALL_H
#define VMUX_LIBVMUX_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmux/host_syscall.h" /* vmux_upcall_fn, struct vmux_regs */

/* ------------------------------------------------------------ numbers */

enum vmux_class {
    VMUX_CLASS_YIELD = 0,
    VMUX_CLASS_SUBSCRIBE = 1,
    VMUX_CLASS_COMMAND = 2,
    VMUX_CLASS_ALLOW_RW = 3,
    VMUX_CLASS_ALLOW_RO = 4,
    VMUX_CLASS_MEMOP = 5,
    VMUX_CLASS_EXIT = 6,
};

enum vmux_yield_kind {
    VMUX_YIELD_NO_WAIT = 0,
    VMUX_YIELD_WAIT = 1,
    VMUX_YIELD_WAIT_FOR = 2,
};

enum vmux_exit_kind {
    VMUX_EXIT_TERMINATE = 0,
    VMUX_EXIT_RESTART = 1,
};

/* Return variants (r0 of a result). */
enum vmux_variant {
    VMUX_FAILURE = 0,
    VMUX_FAILURE_U32 = 1,
    VMUX_FAILURE_2U32 = 2,
    VMUX_FAILURE_U64 = 3,
    VMUX_SUCCESS = 128,
    VMUX_SUCCESS_U32 = 129,
    VMUX_SUCCESS_2U32 = 130,
    VMUX_SUCCESS_U64 = 131,
    VMUX_SUCCESS_3U32 = 132,
    VMUX_SUCCESS_U32_U64 = 133,
};

/* Error codes (TRD104 numbers; 0 is success, not an error). */
enum vmux_error {
    VMUX_OK = 0,
    VMUX_EFAIL = 1,
    VMUX_EBUSY = 2,
    VMUX_EALREADY = 3,
    VMUX_EOFF = 4,
    VMUX_ERESERVE = 5,
    VMUX_EINVAL = 6,
    VMUX_ESIZE = 7,
    VMUX_ECANCEL = 8,
    VMUX_ENOMEM = 9,
    VMUX_ENOSUPPORT = 10,
    VMUX_ENODEVICE = 11,
    VMUX_EUNINSTALLED = 12,
    VMUX_ENOACK = 13,
    VMUX_EBADRVAL = 1024, /* userspace only: unexpected return variant */
};

enum vmux_memop {
    VMUX_MEMOP_BRK = 0,
    VMUX_MEMOP_SBRK = 1,
    VMUX_MEMOP_MEMORY_START = 2,
    VMUX_MEMOP_MEMORY_END = 3,
    VMUX_MEMOP_FLASH_START = 4,
    VMUX_MEMOP_FLASH_END = 5,
    VMUX_MEMOP_GRANT_START = 6,
    VMUX_MEMOP_FLASH_REGIONS = 7,
    VMUX_MEMOP_FLASH_REGION_START = 8,
    VMUX_MEMOP_FLASH_REGION_END = 9,
    VMUX_MEMOP_DEBUG_STACK_START = 10,
    VMUX_MEMOP_DEBUG_HEAP_START = 11,
};

/* ------------------------------------------------------------ results */

struct vmux_result {
    uint32_t variant;
    uintptr_t r1, r2, r3;
};

/* The three values of an upcall, as yield-wait-for returns them. */
struct vmux_upcall_args {
    uint32_t a0, a1, a2;
};

static inline bool vmux_result_is_success(struct vmux_result r)
{
    return r.variant >= VMUX_SUCCESS;
}

/* A length as a command argument (32 bits on every board). */
static inline uint32_t vmux_clamp_u32(size_t n)
{
    return n > 0xffffffffu ? 0xffffffffu : (uint32_t)n;
}

/* 0 for any success variant; the error code of a failure variant;
 * VMUX_EBADRVAL for a failure without a code. */
int vmux_result_error(struct vmux_result r);

/* The result of a call whose success variant is `want`: 0 when it is,
 * the error code of a failure, VMUX_EBADRVAL for another variant. */
int vmux_result_expect(struct vmux_result r, uint32_t want);

/* Success with u32: the value in *out (left alone on failure). On the
 * host board a pointer-sized value (memop) fills the whole register, so
 * vmux_result_uptr() reads it whole. */
int vmux_result_u32(struct vmux_result r, uint32_t *out);
int vmux_result_uptr(struct vmux_result r, uintptr_t *out);

/* Upper-case name of a status: "SUCCESS", "BUSY", ..., "BADRVAL", or
 * "?" for numbers with no name. */
const char *vmux_error_name(int status);

/* ------------------------------------------------------------ raw calls */

/* yield-no-wait: runs one pending upcall if there is one; true if it did. */
bool vmux_yield_no_wait(void);
/* yield-wait: blocks until one upcall has run. */
void vmux_yield_wait(void);
/* yield-wait-for: blocks until upcall (driver, subscribe) is due; its
 * function is not called, its values are returned. */
struct vmux_upcall_args vmux_yield_wait_for(uint32_t driver, uint32_t subscribe);

/* Success with 2 u32: the previous upcall and appdata in r1, r2.
 * Failure with 2 u32: the code in r1. fn NULL unsubscribes. */
struct vmux_result vmux_subscribe(uint32_t driver, uint32_t subscribe, vmux_upcall_fn fn,
                                  uintptr_t appdata);
/* The variants are the driver's, per command. */
struct vmux_result vmux_command(uint32_t driver, uint32_t command, uint32_t arg1, uint32_t arg2);
/* Success with 2 u32: the previous buffer and length in r1, r2. A NULL
 * buffer of length 0 withdraws the one shared before. */
struct vmux_result vmux_allow_rw(uint32_t driver, uint32_t allow, void *buf, size_t len);
struct vmux_result vmux_allow_ro(uint32_t driver, uint32_t allow, const void *buf, size_t len);
struct vmux_result vmux_memop(uint32_t op, uintptr_t arg);
_Noreturn void vmux_exit(uint32_t kind, uint32_t code);

/* ------------------------------------------------------------ helpers */

/* The status of each call (vmux_result_error of its result). */
int vmux_subscribe_status(uint32_t driver, uint32_t subscribe, vmux_upcall_fn fn,
                          uintptr_t appdata);
int vmux_allow_rw_status(uint32_t driver, uint32_t allow, void *buf, size_t len);
int vmux_allow_ro_status(uint32_t driver, uint32_t allow, const void *buf, size_t len);
int vmux_command_status(uint32_t driver, uint32_t command, uint32_t arg1, uint32_t arg2);

/* An upcall that does nothing. The blocking calls subscribe it before
 * starting an operation, so that a completion arriving before their
 * yield-wait-for is queued for it (the kernel drops events for the null
 * upcall) and the wait still finds it. */
void vmux_upcall_nop(uint32_t a0, uint32_t a1, uint32_t a2, uintptr_t appdata);

/*
 * The blocking pattern: subscribe the no-op upcall to (driver, subscribe),
 * run the command, and when it succeeds wait for that upcall and put its
 * values in *out (may be NULL). Returns the command's status.
 */
int vmux_command_wait(uint32_t driver, uint32_t subscribe, uint32_t command, uint32_t arg1,
                      uint32_t arg2, struct vmux_upcall_args *out);

/* The callback pattern: subscribe fn with appdata to (driver,
 * subscribe), then run the command. Returns the first failure's status. */
int vmux_command_async(uint32_t driver, uint32_t subscribe, vmux_upcall_fn fn, uintptr_t appdata,
                       uint32_t command, uint32_t arg1, uint32_t arg2);

/* The callback of an operation that ends with the upcall (StatusCode,
 * length, 0), e.g. a console read or a crypto operation. */
typedef void (*vmux_status_len_cb)(int status, size_t len, void *ctx);

/* Such an operation in progress: its callback, and how to withdraw the
 * buffers it shared. Subscribe vmux_status_len_upcall with the address
 * of this as appdata; the upcall withdraws, then calls back. */
struct vmux_pending_op {
    vmux_status_len_cb cb;
    void *ctx;
    void (*withdraw)(void);
};
void vmux_status_len_upcall(uint32_t status, uint32_t len, uint32_t a2, uintptr_t pending_op);

/* An upcall argument that is a StatusCode (0 or an error code) as a
 * status; VMUX_EBADRVAL for a number that is neither. */
int vmux_upcall_status(uint32_t code);

/* yield-wait until *done is set (by an upcall). */
void vmux_yield_until(const volatile bool *done);

/* memop sbrk: the increment is 32-bit signed on every board; the old
 * break in *old_break. */
int vmux_sbrk(int32_t increment, uintptr_t *old_break);

_Noreturn void vmux_exit_terminate(uint32_t code);
_Noreturn void vmux_exit_restart(uint32_t code);

/* ------------------------------------------------------------ backend */

/* Implemented once per board (syscall_host.c, or syscall_arm.h inline):
 * one trap of class class_id, register values in and out. */
#if defined(__arm__)
#include "syscall_arm.h"
#else
struct vmux_regs vmux_trap(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2,
                           uintptr_t r3);
#endif

#endif
