/*
 * tock-abi: the process ABI as a Tock app sees it, checked from inside.
 *
 *  - entry registers (crt0 kept them in tock_entry) against the memops;
 *  - every memop, brk below the initial break, the allow high-water mark;
 *  - registers: for each system call class and each return variant it
 *    can produce, the app fills r4-r12 and lr with patterns and r0-r3
 *    with its arguments, makes the call in assembly, and checks that
 *    every register the variant does not define still holds what it
 *    held (an upcall may change r0-r3, r12 and lr only: it is a call).
 *
 * A test image may register a "variants" driver (0x9f0f0) whose command
 * N returns return variant N of TRD104's list; without it the variants
 * no real driver returns are skipped and say so.
 */
#include "../../tock.h"

#define VARIANTS_DRIVER 0x9f0f0u

struct probe {
    uint32_t in[4];
    uint32_t out[4];
    uint32_t changed;     /* bit n: rn differs from its pattern; bit 14: lr */
    uint32_t upcall[3];   /* what the probe upcall received */
};

/* Patterns in r4-r12 and lr, the call, then which of them changed. */
#define PROBE(n)                                                                          \
    __attribute__((naked, noinline)) static void probe_svc##n(struct probe *p)          \
    {                                                                                     \
        (void)p;                                                                          \
        __asm__ volatile("push {r4-r11, lr}\n\t"                                          \
                         "push {r0}\n\t"                                                  \
                         "ldr r4, =0xa4a4a4a4\n\tldr r5, =0xa5a5a5a5\n\t"                 \
                         "ldr r6, =0xa6a6a6a6\n\tldr r7, =0xa7a7a7a7\n\t"                 \
                         "ldr r8, =0xa8a8a8a8\n\tldr r9, =0xa9a9a9a9\n\t"                 \
                         "ldr r10, =0xaaaaaaaa\n\tldr r11, =0xabababab\n\t"               \
                         "ldr r12, =0xacacacac\n\tldr lr, =0xaeaeaeae\n\t"                \
                         "ldr r3, [r0, #12]\n\tldr r2, [r0, #8]\n\t"                      \
                         "ldr r1, [r0, #4]\n\tldr r0, [r0, #0]\n\t"                       \
                         "svc #" #n "\n\t"                                                \
                         "push {r0-r3}\n\t"                                               \
                         "movs r0, #0\n\t"                                                \
                         "ldr r1, =0xa4a4a4a4\n\tcmp r4, r1\n\tit ne\n\torrne r0, r0, #0x10\n\t"    \
                         "ldr r1, =0xa5a5a5a5\n\tcmp r5, r1\n\tit ne\n\torrne r0, r0, #0x20\n\t"    \
                         "ldr r1, =0xa6a6a6a6\n\tcmp r6, r1\n\tit ne\n\torrne r0, r0, #0x40\n\t"    \
                         "ldr r1, =0xa7a7a7a7\n\tcmp r7, r1\n\tit ne\n\torrne r0, r0, #0x80\n\t"    \
                         "ldr r1, =0xa8a8a8a8\n\tcmp r8, r1\n\tit ne\n\torrne r0, r0, #0x100\n\t"   \
                         "ldr r1, =0xa9a9a9a9\n\tcmp r9, r1\n\tit ne\n\torrne r0, r0, #0x200\n\t"   \
                         "ldr r1, =0xaaaaaaaa\n\tcmp r10, r1\n\tit ne\n\torrne r0, r0, #0x400\n\t"  \
                         "ldr r1, =0xabababab\n\tcmp r11, r1\n\tit ne\n\torrne r0, r0, #0x800\n\t"  \
                         "ldr r1, =0xacacacac\n\tcmp r12, r1\n\tit ne\n\torrne r0, r0, #0x1000\n\t" \
                         "ldr r1, =0xaeaeaeae\n\tcmp lr, r1\n\tit ne\n\torrne r0, r0, #0x4000\n\t"  \
                         "ldr r1, [sp, #16]\n\t"                                          \
                         "str r0, [r1, #32]\n\t"                                          \
                         "ldr r2, [sp, #0]\n\tstr r2, [r1, #16]\n\t"                      \
                         "ldr r2, [sp, #4]\n\tstr r2, [r1, #20]\n\t"                      \
                         "ldr r2, [sp, #8]\n\tstr r2, [r1, #24]\n\t"                      \
                         "ldr r2, [sp, #12]\n\tstr r2, [r1, #28]\n\t"                     \
                         "add sp, sp, #20\n\t"                                            \
                         "pop {r4-r11, pc}\n\t"                                           \
                         ".ltorg\n\t");                                                   \
    }

PROBE(0)
PROBE(1)
PROBE(2)
PROBE(3)
PROBE(4)
PROBE(5)

/* An upcall that touches nothing but r0-r3: stores its values in the
 * probe its appdata points to. */
__attribute__((naked, noinline)) static void probe_upcall(int a, int b, int c, void *probe)
{
    (void)a, (void)b, (void)c, (void)probe;
    __asm__ volatile("str r0, [r3, #36]\n\t"
                     "str r1, [r3, #40]\n\t"
                     "str r2, [r3, #44]\n\t"
                     "bx lr\n\t");
}

static struct probe pr;

static void call_class(unsigned class_id, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    pr = (struct probe){ { a, b, c, d }, { 0 }, 0, { 0 } };
    switch (class_id) {
    case 0: probe_svc0(&pr); break;
    case 1: probe_svc1(&pr); break;
    case 2: probe_svc2(&pr); break;
    case 3: probe_svc3(&pr); break;
    case 4: probe_svc4(&pr); break;
    default: probe_svc5(&pr); break;
    }
}

/* After a call whose result defines r0..r(defined-1): the variant in r0
 * when want_variant is not ~0, every other argument register as passed,
 * r4-r12 and lr (unless lr_may_change) as the patterns. */
static void expect_kept(const char *name, unsigned defined, uint32_t want_variant,
                        bool lr_may_change)
{
    uint32_t bad = pr.changed & (lr_may_change ? ~0x4000u : ~0u);
    for (unsigned i = defined; i < 4; i++)
        if (pr.out[i] != pr.in[i])
            bad |= 1u << i;
    if (want_variant != ~0u && pr.out[0] != want_variant)
        bad |= 1u << 16;
    tock_check(name, bad == 0, bad, 0);
}

void _start(void);

static void entry_and_memory(void)
{
    const struct tock_entry *e = &tock_entry;
    uint32_t flash = tock_memop(4, 0).r1;
    uint32_t header_size = *((const uint16_t *)(uintptr_t)flash + 1);
    TOCK_EXPECT_EQ("entry_r0_is_the_binary_after_the_tbf_header", e->binary, flash + header_size);
    /* the 10-word startup header, then _start (tock_app.ld) */
    TOCK_EXPECT_EQ("entry_r0_points_at_the_startup_header",
                   (uint32_t)(uintptr_t)&_start & ~1u, e->binary + 40u);
    TOCK_EXPECT_EQ("entry_r1_is_memop_2", e->ram, tock_memop(2, 0).r1);
    TOCK_EXPECT_EQ("entry_r2_is_the_allocation_memop_3", e->ram + e->ram_size,
                   tock_memop(3, 0).r1);
    TOCK_EXPECT("entry_r3_initial_break_inside_memory",
                e->initial_break > e->ram && e->initial_break <= tock_memop(6, 0).r1);
    TOCK_EXPECT_EQ("tbf_version_at_memop_4", *(const uint16_t *)(uintptr_t)flash, 2);
    TOCK_EXPECT("memop_5_flash_end_after_binary", tock_memop(5, 0).r1 > e->binary);

    /* crt0 moved the break to the end of .bss (up from Tock's small
     * initial break; lowering it below the initial one is the unit
     * tests' memop_moves_the_break_within_the_quota) */
    uint32_t brk = tock_memop(1, 0).r1;
    TOCK_EXPECT_EQ("brk_at_the_end_of_bss", brk, e->app_break);
    struct tock_ret r = tock_memop(1, 256);
    TOCK_EXPECT_EQ("sbrk_returns_the_old_break", r.r1, brk);
    volatile uint32_t *grown = (volatile uint32_t *)(uintptr_t)brk;
    grown[0] = 0x1234u;
    grown[63] = 0x5678u;
    TOCK_EXPECT_EQ("sbrk_memory_usable", grown[0] + grown[63], 0x1234u + 0x5678u);
    TOCK_EXPECT_EQ("memop_3_does_not_move_with_the_break", tock_memop(3, 0).r1,
                   e->ram + e->ram_size);
    /* (the stack and data live below the break: a brk lower than the end
     * of .bss would take them away; the unit tests lower it to the very
     * start of memory) */
    TOCK_EXPECT_EQ("brk_below_memory_refused", tock_memop(0, e->ram - 4).r1, TOCK_NOMEM);
    TOCK_EXPECT_EQ("brk_back_to_the_end_of_bss", tock_memop(0, brk).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("brk_again", tock_memop(0, brk + 256).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("brk_into_grants_refused", tock_memop(0, tock_memop(6, 0).r1 + 4).r1,
                   TOCK_NOMEM);

    /* an allowed buffer pins the break above it, even once withdrawn */
    uint8_t *buf = (uint8_t *)(uintptr_t)(brk + 64);
    TOCK_EXPECT_EQ("allow_in_the_heap", tock_allow_rw(TOCK_CONSOLE, 1, buf, 16).r0,
                   TOCK_SUCCESS_2U32);
    TOCK_EXPECT_EQ("brk_below_an_allowed_buffer_refused", tock_memop(0, brk + 64 + 15).r1,
                   TOCK_NOMEM);
    tock_allow_rw(TOCK_CONSOLE, 1, 0, 0);
    TOCK_EXPECT_EQ("high_water_mark_stays", tock_memop(0, brk + 64 + 15).r1, TOCK_NOMEM);
    TOCK_EXPECT_EQ("brk_at_the_mark", tock_memop(0, brk + 64 + 16).r0, TOCK_SUCCESS);

    TOCK_EXPECT_EQ("memop_7_regions", tock_memop(7, 0).r0, TOCK_SUCCESS_U32);
    r = tock_memop(8, 0);
    TOCK_EXPECT("memop_8_no_region_fails", r.r0 == TOCK_FAILURE && r.r1 == TOCK_FAIL);
    TOCK_EXPECT_EQ("memop_10_stack_hint", tock_memop(10, e->ram).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("memop_11_heap_hint", tock_memop(11, brk).r0, TOCK_SUCCESS);
    TOCK_EXPECT_EQ("memop_unknown_nosupport", tock_memop(12, 0).r1, TOCK_NOSUPPORT);
}

static void registers(void)
{
    /* command: Success (r0), Failure (r0-r1), Success u32 (r0-r1) */
    call_class(2, TOCK_CONSOLE, 0, 0x22222222u, 0x33333333u);
    expect_kept("regs_command_success_keeps_r1_r12_lr", 1, TOCK_SUCCESS, false);
    call_class(2, 0x7eadu, 1, 0x22222222u, 0x33333333u);
    expect_kept("regs_command_failure_keeps_r2_r12_lr", 2, TOCK_FAILURE, false);
    call_class(2, TOCK_ALARM, 1, 0x22222222u, 0x33333333u);
    expect_kept("regs_command_success_u32_keeps_r2_r12_lr", 2, TOCK_SUCCESS_U32, false);
    /* memop: Success u32, Success, Failure */
    call_class(5, 2, 0x11111111u, 0x22222222u, 0x33333333u);
    expect_kept("regs_memop_success_u32_keeps_r2_r12_lr", 2, TOCK_SUCCESS_U32, false);
    call_class(5, 10, tock_entry.ram, 0x22222222u, 0x33333333u);
    expect_kept("regs_memop_success_keeps_r1_r12_lr", 1, TOCK_SUCCESS, false);
    call_class(5, 8, 5, 0x22222222u, 0x33333333u);
    expect_kept("regs_memop_failure_keeps_r2_r12_lr", 2, TOCK_FAILURE, false);
    /* subscribe: Success 2 u32 (r0-r2), Failure 2 u32 (r0-r3) */
    call_class(1, TOCK_ALARM, 0, 0, 0x33333333u);
    expect_kept("regs_subscribe_success_keeps_r3_r12_lr", 3, TOCK_SUCCESS_2U32, false);
    call_class(1, 0x7eadu, 0, 0, 0x33333333u);
    expect_kept("regs_subscribe_failure_keeps_r4_r12_lr", 4, TOCK_FAILURE_2U32, false);
    /* allows: Success 2 u32, Failure 2 u32 */
    call_class(4, TOCK_CONSOLE, 1, 0, 0);
    expect_kept("regs_allow_ro_success_keeps_r3_r12_lr", 3, TOCK_SUCCESS_2U32, false);
    call_class(3, TOCK_CONSOLE, 1, 4, 16); /* address 4: not the process's */
    expect_kept("regs_allow_rw_failure_keeps_r4_r12_lr", 4, TOCK_FAILURE_2U32, false);
    /* yield no-wait, nothing queued: no register written (r1 points at
     * a flag byte the kernel writes 0 to) */
    static volatile uint8_t flag = 0x55;
    call_class(0, 0, (uint32_t)(uintptr_t)&flag, 0x22222222u, 0x33333333u);
    expect_kept("regs_yield_no_wait_writes_nothing", 0, ~0u, false);
    TOCK_EXPECT_EQ("yield_no_wait_flag_zero", flag, 0);
    /* a reserved yield kind: returns at once, nothing written */
    call_class(0, 9, 0x11111111u, 0x22222222u, 0x33333333u);
    expect_kept("regs_yield_reserved_writes_nothing", 0, ~0u, false);
    /* yield-wait-for an alarm that fired: r0-r2 its values, r3 kept */
    tock_subscribe(TOCK_ALARM, 0, 0, 0);
    struct tock_ret set = tock_command(TOCK_ALARM, 5, 1, 0);
    call_class(0, 2, TOCK_ALARM, 0, 0x33333333u);
    expect_kept("regs_yield_wait_for_keeps_r3_r12_lr", 3, ~0u, false);
    TOCK_EXPECT_EQ("yield_wait_for_returns_the_upcall", pr.out[1], set.r1);
    /* yield-wait running an upcall: it is a call (r0-r3, lr may change),
     * r4-r11 and r12 are kept (the upcall here does not touch r12) */
    tock_subscribe(TOCK_ALARM, 0, probe_upcall, &pr);
    set = tock_command(TOCK_ALARM, 5, 1, 0);
    pr = (struct probe){ { 1, 0, 0x22222222u, 0x33333333u }, { 0 }, 0, { 0 } };
    probe_svc0(&pr);
    expect_kept("regs_upcall_keeps_r4_r12", 4, ~0u, true);
    TOCK_EXPECT_EQ("upcall_ran_with_its_values", pr.upcall[1], set.r1);
    tock_subscribe(TOCK_ALARM, 0, 0, 0);

    /* the variants no vmux driver returns, through a test driver */
    if (tock_command(VARIANTS_DRIVER, 0, 0, 0).r0 != TOCK_SUCCESS) {
        tock_print("skip variants driver absent\n");
        return;
    }
    static const struct {
        const char *name;
        uint32_t variant;
        unsigned defined;
    } all[] = {
        { "regs_variant_failure", TOCK_FAILURE, 2 },
        { "regs_variant_failure_u32", TOCK_FAILURE_U32, 3 },
        { "regs_variant_failure_2u32", TOCK_FAILURE_2U32, 4 },
        { "regs_variant_failure_u64", TOCK_FAILURE_U64, 4 },
        { "regs_variant_success", TOCK_SUCCESS, 1 },
        { "regs_variant_success_u32", TOCK_SUCCESS_U32, 2 },
        { "regs_variant_success_2u32", TOCK_SUCCESS_2U32, 3 },
        { "regs_variant_success_u64", TOCK_SUCCESS_U64, 3 },
        { "regs_variant_success_3u32", TOCK_SUCCESS_3U32, 4 },
        { "regs_variant_success_u32_u64", TOCK_SUCCESS_U32_U64, 4 },
    };
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) {
        call_class(2, VARIANTS_DRIVER, 1 + i, 0x22222222u, 0x33333333u);
        expect_kept(all[i].name, all[i].defined, all[i].variant, false);
    }
}

int main(void)
{
    tock_print("tock-abi: start\n");
    entry_and_memory();
    registers();
    tock_done();
    return 0;
}
