/*
 * What the syscall-driver tests share: system calls made by scripted
 * harness processes (tests/unit/support/harness_arch.h), the assertions
 * on their results, and taking the upcalls the kernel queued for them.
 * Include after <cmocka.h>.
 */
#ifndef VMUX_TESTS_UNIT_TEST_DRIVER_COMMON_H
#define VMUX_TESTS_UNIT_TEST_DRIVER_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/syscall_driver.h"
#include "tests/unit/support/harness_arch.h"

/* The code address a process subscribes for upcall num (in its flash). */
static inline uintptr_t td_upcall_fn(struct harness_process *h, unsigned num)
{
    return (uintptr_t)h->flash + 16u * (num + 1u);
}

static inline struct syscall_return td_command(struct harness_process *h, uint32_t driver,
                                               uint32_t cmd, syscall_reg_t a, syscall_reg_t b)
{
    return harness_call(h, SYSCALL_COMMAND, driver, cmd, a, b);
}

static inline void td_assert_success(struct syscall_return r)
{
    assert_int_equal(r.r[0], RET_SUCCESS);
}

static inline void td_assert_u32(struct syscall_return r, uint32_t value)
{
    assert_int_equal(r.r[0], RET_SUCCESS_U32);
    assert_int_equal(r.r[1], value);
}

static inline void td_assert_failure(struct syscall_return r, vmux_err_t err)
{
    assert_int_equal(r.r[0], RET_FAILURE);
    assert_int_equal(r.r[1], err);
}

static inline void td_subscribe(struct harness_process *h, uint32_t driver, unsigned num)
{
    struct syscall_return r =
        harness_call(h, SYSCALL_SUBSCRIBE, driver, num, td_upcall_fn(h, num), 0x100u + num);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
}

/* Share len bytes of h's RAM from offset (len 0: withdraw the buffer). */
static inline void td_allow(struct harness_process *h, bool read_only, uint32_t driver,
                            unsigned num, unsigned offset, size_t len)
{
    struct syscall_return r =
        harness_call(h, read_only ? SYSCALL_ALLOW_RO : SYSCALL_ALLOW_RW, driver, num,
                     len ? harness_addr(h, offset) : 0, len);
    assert_int_equal(r.r[0], RET_SUCCESS_2U32);
}

/* Fill len bytes of h's RAM at offset with byte b (a canary). */
static inline uint8_t *td_fill(struct harness_process *h, unsigned offset, uint8_t b, size_t len)
{
    memset(&h->ram[offset], b, len);
    return &h->ram[offset];
}

static inline bool td_all(const uint8_t *p, uint8_t b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != b)
            return false;
    return true;
}

/* Upcalls the kernel holds for h's process. */
static inline unsigned td_pending(struct harness_process *h)
{
    return h->process->queue_count;
}

/* Let h's process take its next upcall (a yield-no-wait); false when
 * none was queued. */
static inline bool td_take(struct harness_process *h, struct upcall *out)
{
    h->upcall_count = 0;
    harness_call(h, SYSCALL_YIELD, YIELD_NO_WAIT, 0, 0, 0);
    if (h->upcall_count == 0)
        return false;
    *out = h->upcalls[0];
    return true;
}

/* Take the next upcall and check it: subscribe num of driver, with args
 * a, b, c, to the function the process subscribed. */
static inline void td_expect_upcall(struct harness_process *h, uint32_t driver, unsigned num,
                                    uint32_t a, uint32_t b, uint32_t c)
{
    struct upcall u;
    assert_true(td_take(h, &u));
    assert_int_equal(u.driver, driver);
    assert_int_equal(u.subscribe, num);
    assert_int_equal(u.fn, td_upcall_fn(h, num));
    assert_int_equal(u.args[0], a);
    assert_int_equal(u.args[1], b);
    assert_int_equal(u.args[2], c);
}

/* End h's process after a life the restart back-off counts as long (the
 * back-off itself is test_process.c's): the board's clock moves on by a
 * second on either side, so a process_start() that follows starts a new
 * life at once. */
static inline void td_end_long_life(struct harness_process *h, bool faulted)
{
    static uint64_t now_ms;
    process_restart_due(now_ms += 1000); /* its life began by then */
    process_end(h->process, faulted, faulted ? -1 : 0);
    process_restart_due(now_ms += 1000); /* and ended a second later */
}

#endif
