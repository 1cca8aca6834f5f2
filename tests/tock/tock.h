/*
 * The system calls of the Tock-convention test apps, as a Tock app makes
 * them on Cortex-M (TRD104): `svc CLASS`, arguments in r0-r3. Each
 * wrapper's inline assembly declares as outputs exactly the registers
 * libtock-c declares for that call, and no clobbers beyond its own:
 *   command, subscribe, allow   r0-r3 out
 *   memop                       r0-r1 out (r2, r3 must survive)
 *   yield-wait-for              r0-r2 out (r3 must survive)
 *   yield no-wait, yield wait   nothing out; r2, r3, r12, lr clobbered
 *                               (an upcall may run in them)
 *   exit                        does not return
 * So a kernel that writes a register the return variant does not define
 * corrupts these apps, as it would corrupt a libtock-c app.
 *
 * Output: tock_print*() write on the console (driver 0x1) and wait for
 * the write to complete. Tests print "ok NAME" or "FAIL NAME: detail"
 * lines and one "done: N ok, M failed" line (tock_done()); the QEMU
 * scripts grep them.
 */
#ifndef VMUX_TESTS_TOCK_TOCK_H
#define VMUX_TESTS_TOCK_TOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TRD104 return variants and error codes */
enum {
    TOCK_FAILURE = 0, TOCK_FAILURE_U32 = 1, TOCK_FAILURE_2U32 = 2, TOCK_FAILURE_U64 = 3,
    TOCK_SUCCESS = 128, TOCK_SUCCESS_U32 = 129, TOCK_SUCCESS_2U32 = 130, TOCK_SUCCESS_U64 = 131,
    TOCK_SUCCESS_3U32 = 132, TOCK_SUCCESS_U32_U64 = 133,
};
enum {
    TOCK_FAIL = 1, TOCK_BUSY = 2, TOCK_ALREADY = 3, TOCK_OFF = 4, TOCK_RESERVE = 5,
    TOCK_INVAL = 6, TOCK_SIZE = 7, TOCK_CANCEL = 8, TOCK_NOMEM = 9, TOCK_NOSUPPORT = 10,
    TOCK_NODEVICE = 11, TOCK_UNINSTALLED = 12, TOCK_NOACK = 13,
};

struct tock_ret {
    uint32_t r0, r1, r2, r3;
};

/* What the kernel passed to _start, and the break crt0 set. */
struct tock_entry {
    uint32_t binary, ram, ram_size, initial_break, app_break;
};
extern struct tock_entry tock_entry;

typedef void tock_upcall(int, int, int, void *);

static inline struct tock_ret tock_command(uint32_t driver, uint32_t cmd, uint32_t a, uint32_t b)
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = cmd;
    register uint32_t r2 __asm__("r2") = a;
    register uint32_t r3 __asm__("r3") = b;
    __asm__ volatile("svc 2" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_ret){ r0, r1, r2, r3 };
}

static inline struct tock_ret tock_subscribe(uint32_t driver, uint32_t num, tock_upcall *fn,
                                             void *data)
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = num;
    register uint32_t r2 __asm__("r2") = (uint32_t)fn;
    register uint32_t r3 __asm__("r3") = (uint32_t)data;
    __asm__ volatile("svc 1" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_ret){ r0, r1, r2, r3 };
}

static inline struct tock_ret tock_allow_rw(uint32_t driver, uint32_t num, void *buf, size_t len)
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = num;
    register uint32_t r2 __asm__("r2") = (uint32_t)buf;
    register uint32_t r3 __asm__("r3") = len;
    __asm__ volatile("svc 3" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_ret){ r0, r1, r2, r3 };
}

static inline struct tock_ret tock_allow_ro(uint32_t driver, uint32_t num, const void *buf,
                                            size_t len)
{
    register uint32_t r0 __asm__("r0") = driver;
    register uint32_t r1 __asm__("r1") = num;
    register uint32_t r2 __asm__("r2") = (uint32_t)buf;
    register uint32_t r3 __asm__("r3") = len;
    __asm__ volatile("svc 4" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (struct tock_ret){ r0, r1, r2, r3 };
}

/* Only r0 and r1 come back: r2 and r3 are the caller's. */
static inline struct tock_ret tock_memop(uint32_t op, uint32_t arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = arg;
    __asm__ volatile("svc 5" : "+r"(r0), "+r"(r1) : : "memory");
    return (struct tock_ret){ r0, r1, 0, 0 };
}

/* yield-no-wait: 1 when an upcall ran. */
static inline int tock_yield_no_wait(void)
{
    volatile uint8_t ran = 0;
    register uint32_t r0 __asm__("r0") = 0;
    register uint32_t r1 __asm__("r1") = (uint32_t)&ran;
    __asm__ volatile("svc 0" : : "r"(r0), "r"(r1) : "memory", "r2", "r3", "r12", "lr");
    return ran;
}

static inline void tock_yield(void)
{
    register uint32_t r0 __asm__("r0") = 1;
    register uint32_t r1 __asm__("r1") = 0;
    __asm__ volatile("svc 0" : : "r"(r0), "r"(r1) : "memory", "r2", "r3", "r12", "lr");
}

/* yield-wait-for: the upcall's three values, without running it. */
static inline struct tock_ret tock_yield_wait_for(uint32_t driver, uint32_t num)
{
    register uint32_t r0 __asm__("r0") = 2;
    register uint32_t r1 __asm__("r1") = driver;
    register uint32_t r2 __asm__("r2") = num;
    __asm__ volatile("svc 0" : "+r"(r0), "+r"(r1), "+r"(r2) : : "memory");
    return (struct tock_ret){ r0, r1, r2, 0 };
}

__attribute__((noreturn)) static inline void tock_exit(uint32_t kind, uint32_t code)
{
    register uint32_t r0 __asm__("r0") = kind; /* 0 terminate, 1 restart */
    register uint32_t r1 __asm__("r1") = code;
    __asm__ volatile("svc 6" : : "r"(r0), "r"(r1) : "memory");
    __builtin_unreachable();
}

/* ------------------------------------------------------------ helpers */

#define TOCK_CONSOLE 0x1u
#define TOCK_ALARM 0x0u

void tock_print(const char *s);
void tock_print_hex(uint32_t v);
void tock_print_dec(uint32_t v);

/* Record one check: prints "ok NAME" or "FAIL NAME: got G, want W". */
void tock_check(const char *name, bool ok, uint32_t got, uint32_t want);
#define TOCK_EXPECT_EQ(name, got, want) \
    tock_check((name), (uint32_t)(got) == (uint32_t)(want), (uint32_t)(got), (uint32_t)(want))
#define TOCK_EXPECT(name, cond) tock_check((name), (cond), 0, 1)

/* "done: N ok, M failed"; returns M. */
unsigned tock_done(void);

/* Sleep on the alarm driver (0x0) for ms milliseconds. */
void tock_sleep_ms(uint32_t ms);

#endif
