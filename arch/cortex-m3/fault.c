/*
 * Fault handlers, unexpected exceptions and the panic report (arch.h).
 *
 * The four fault vectors share one naked entry. A fault taken on the
 * process stack (bit 2 of EXC_RETURN) is a process's and goes to
 * cm3_process_fault_entry (process.h). For the kernel's own faults it
 * finds the frame the hardware stacked (r0-r3, r12, lr, pc, xpsr) on the
 * main stack, saves r4-r11 next to it and hands both to fault_report(),
 * which never returns. The report is written
 * byte by byte through the board's polled writer, so it works whatever
 * state the kernel is in: nothing here allocates, formats with printf or
 * waits for an interrupt. With semihosting on, each line is mirrored to
 * the debugger console (QEMU prints it on its stderr).
 */
#include <stdint.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/cortex_m3.h"

static arch_panic_putc_fn panic_putc;

void arch_set_panic_output(arch_panic_putc_fn putc)
{
    panic_putc = putc;
}

/* ------------------------------------------------------------ output */

static char line[100];
static unsigned line_len;

static void flush_line(void)
{
    line[line_len] = '\0';
    if (line_len && arch_semihosting_enabled())
        arch_semihosting_write(line);
    line_len = 0;
}

static void out_char(char c)
{
    if (panic_putc)
        panic_putc(c);
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof line - 1)
        flush_line();
}

static void out(const char *s)
{
    while (*s)
        out_char(*s++);
}

static void out_hex(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    out("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        out_char(digits[(v >> shift) & 0xfu]);
}

static void out_dec(uint32_t v)
{
    char text[11];
    unsigned n = 0;
    do {
        text[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (n)
        out_char(text[--n]);
}

static void out_reg(const char *name, uint32_t v)
{
    out(name);
    out_char(' ');
    out_hex(v);
    out_char(' ');
}

/* ------------------------------------------------------------ report */

static const char *const exception_names[16] = {
    [1] = "Reset", [2] = "NMI", [3] = "HardFault", [4] = "MemManage", [5] = "BusFault",
    [6] = "UsageFault", [11] = "SVCall", [12] = "DebugMonitor", [14] = "PendSV",
    [15] = "SysTick",
};

const char *const cm3_cfsr_bit_names[32] = {
    [0] = "IACCVIOL", [1] = "DACCVIOL", [3] = "MUNSTKERR", [4] = "MSTKERR",
    [7] = "MMARVALID", [8] = "IBUSERR", [9] = "PRECISERR", [10] = "IMPRECISERR",
    [11] = "UNSTKERR", [12] = "STKERR", [15] = "BFARVALID", [16] = "UNDEFINSTR",
    [17] = "INVSTATE", [18] = "INVPC", [19] = "NOCP", [24] = "UNALIGNED",
    [25] = "DIVBYZERO",
};

static void exception_name(uint32_t number)
{
    if (number == 0) {
        out("thread mode");
    } else if (number < 16 && exception_names[number]) {
        out(exception_names[number]);
    } else if (number >= 16) {
        out("IRQ ");
        out_dec(number - 16u);
    } else {
        out("exception ");
        out_dec(number);
    }
}

static void begin(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    /* A NUL ends whatever frame the peer's decoder was in, so the plain
     * text that follows is not glued to a half-sent frame. */
    if (panic_putc)
        panic_putc('\0');
    line_len = 0;
    out("\n*** vmux panic: ");
}

__attribute__((noreturn)) static void finish(void)
{
    out("\n");
    flush_line();
    if (panic_putc)
        panic_putc('\0');
    arch_exit(ARCH_EXIT_PANIC);
}

__attribute__((noreturn, used)) void arch_fault_report(const uint32_t *frame, uint32_t exc_return,
                                                       const uint32_t *r4_r11)
{
    static const char *const high[8] = { "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11" };
    uint32_t cfsr = SCB_CFSR, hfsr = SCB_HFSR, mmfar = SCB_MMFAR, bfar = SCB_BFAR;

    begin();
    exception_name(SCB_ICSR & ICSR_VECTACTIVE_MASK);
    out(" ***\n");
    out_reg("pc", frame[6]);
    out_reg("lr", frame[5]);
    out_reg("xpsr", frame[7]);
    out_reg("sp", (uint32_t)(uintptr_t)(frame + 8));
    out_reg("exc_return", exc_return);
    out("\n");
    out_reg("r0", frame[0]);
    out_reg("r1", frame[1]);
    out_reg("r2", frame[2]);
    out_reg("r3", frame[3]);
    out_reg("r12", frame[4]);
    out("\n");
    for (unsigned i = 0; i < 8; i++)
        out_reg(high[i], r4_r11[i]);
    out("\n");
    out_reg("cfsr", cfsr);
    for (unsigned bit = 0; bit < 32; bit++) {
        if (((cfsr >> bit) & 1u) && cm3_cfsr_bit_names[bit]) {
            out(cm3_cfsr_bit_names[bit]);
            out_char(' ');
        }
    }
    out("\n");
    out_reg("hfsr", hfsr);
    if (hfsr & HFSR_FORCED)
        out("FORCED ");
    if (hfsr & HFSR_VECTTBL)
        out("VECTTBL ");
    if (cfsr & CFSR_MMARVALID)
        out_reg("mmfar", mmfar);
    if (cfsr & CFSR_BFARVALID)
        out_reg("bfar", bfar);
    out(exc_return & 4u ? "\nfaulted on the process stack (psp)"
                        : "\nfaulted on the kernel stack (msp)");
    finish();
}

/* EXC_RETURN bit 2 tells which stack holds the frame. The process stack
 * is only ever a process's: its faults go to the process layer
 * (arch/cortex-m3/process.h), which ends the process and returns to the
 * kernel; the report below is for the kernel's own faults (and a process
 * stack with no process behind it). */
__attribute__((naked)) void arch_fault_entry(void)
{
    __asm__ volatile(
        "tst lr, #4\n\t"
        "bne cm3_process_fault_entry\n\t"
        "mrs r0, msp\n\t"
        "mov r1, lr\n\t"
        "push {r4-r11}\n\t"
        "mov r2, sp\n\t"
        "b arch_fault_report\n\t");
}

/* ------------------------------------------------------------ panics */

__attribute__((noreturn)) void arch_panic(const char *why)
{
    uint32_t lr = (uint32_t)(uintptr_t)__builtin_return_address(0);
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    begin();
    out(why);
    out(" ***\n");
    out_reg("caller", lr);
    out("in ");
    exception_name(ipsr & 0x1ffu);
    finish();
}

/* An exception or interrupt no handler claimed: name it and stop, rather
 * than return into an interrupt that would fire again forever. */
__attribute__((noreturn)) void arch_unexpected_exception(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    begin();
    out("unexpected ");
    exception_name(ipsr & 0x1ffu);
    out(" ***");
    finish();
}
