/*
 * Start-up of the Tock-convention test apps, written from Tock's entry
 * convention (the one libtock-c's crt0 follows), so that these apps test
 * the kernel against what a Tock app expects:
 *
 *   r0  the app binary (just past the TBF header), which begins with the
 *       startup header tock_app.ld describes
 *   r1  the start of the process's RAM     r2  the size of its allocation
 *   r3  the initial break
 *
 * _start puts the stack at RAM start + stack size, moves the break to
 * the end of .bss with memop brk (below the initial break: the kernel must
 * allow it), tells the kernel where stack and heap start (memop 10, 11),
 * sets r9 to the GOT and calls tock_start(), which fixes the GOT, copies
 * .data, zeroes .bss, applies the relocation data and runs main().
 * Everything before r9 is set uses no global variable.
 */
#include "tock.h"

struct startup_header {
    uint32_t got_image, got, got_size;
    uint32_t data_image, data, data_size;
    uint32_t bss, bss_size;
    uint32_t relocations;
    uint32_t stack_size;
};

struct tock_entry tock_entry;

int main(void);
void tock_start(uint32_t binary, uint32_t ram, uint32_t ram_size, uint32_t initial_break);

__attribute__((section(".start"), naked, noreturn, used)) void _start(void)
{
    __asm__ volatile(
        "mov r8, r2\n\t"            /* keep the size and the initial break */
        "mov r10, r3\n\t"           /* for tock_entry (callee-saved) */
        "ldr r4, [r0, #36]\n\t"     /* stack top: RAM start + stack size, */
        "add r4, r4, r1\n\t"        /* rounded up to 8 */
        "add r4, r4, #7\n\t"
        "bic r4, r4, #7\n\t"
        "ldr r5, [r0, #24]\n\t"     /* the break we need: end of .bss */
        "ldr r6, [r0, #28]\n\t"
        "add r5, r5, r6\n\t"
        "add r5, r5, r1\n\t"
        "mov r6, r0\n\t"            /* binary and RAM start, kept */
        "mov r7, r1\n\t"
        "cmp r5, r3\n\t"            /* lowering: the new stack is inside */
        "it ls\n\t"                 /* what stays accessible, move first */
        "movls sp, r4\n\t"
        "movs r0, #0\n\t"           /* memop brk */
        "mov r1, r5\n\t"
        "svc 5\n\t"
        "mov sp, r4\n\t"
        "movs r0, #10\n\t"          /* memop: the stack starts here */
        "mov r1, r4\n\t"
        "svc 5\n\t"
        "movs r0, #11\n\t"          /* memop: the heap starts here */
        "mov r1, r5\n\t"
        "svc 5\n\t"
        "ldr r0, [r6, #4]\n\t"      /* r9: the GOT in RAM */
        "add r9, r0, r7\n\t"
        "mov r0, r6\n\t"
        "mov r1, r7\n\t"
        "mov r2, r8\n\t"
        "mov r3, r10\n\t"
        "bl tock_start\n\t"
        "bkpt #255\n\t");
}

/* A link address: bit 31 set is flash (from 0x80000000), clear is RAM. */
static uint32_t relocate(uint32_t link, uint32_t binary, uint32_t ram)
{
    return (link & 0x80000000u) ? (link ^ 0x80000000u) + binary : link + ram;
}

__attribute__((noreturn, used, optimize("no-tree-loop-distribute-patterns")))
void tock_start(uint32_t binary, uint32_t ram, uint32_t ram_size, uint32_t initial_break)
{
    const struct startup_header *h = (const struct startup_header *)binary;
    uint32_t *got = (uint32_t *)(ram + h->got);
    const uint32_t *got_image = (const uint32_t *)(binary + h->got_image);
    for (uint32_t i = 0; i < h->got_size / 4u; i++)
        got[i] = relocate(got_image[i], binary, ram);
    uint32_t *data = (uint32_t *)(ram + h->data);
    const uint32_t *data_image = (const uint32_t *)(binary + h->data_image);
    for (uint32_t i = 0; i < h->data_size / 4u; i++)
        data[i] = data_image[i];
    uint32_t *bss = (uint32_t *)(ram + h->bss);
    for (uint32_t i = 0; i < h->bss_size / 4u; i++)
        bss[i] = 0;
    const uint32_t *rel = (const uint32_t *)(binary + h->relocations);
    uint32_t rel_bytes = rel[0];
    for (uint32_t i = 0; i < rel_bytes / 8u; i++) {
        uint32_t *word = (uint32_t *)(ram + rel[1 + 2 * i]);
        *word = relocate(*word, binary, ram);
    }
    tock_entry = (struct tock_entry){ binary, ram, ram_size, initial_break,
                                      ram + h->bss + h->bss_size };
    main();
    for (;;)
        tock_yield();
}
