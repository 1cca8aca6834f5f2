/*
 * remnant: looks in the heap it grows into (memop sbrk: RAM above the
 * end of its .bss, where its start-up code put the break, and which
 * neither that code nor its stack touches; its TBF asks for 256 bytes of
 * app heap)
 * for what an earlier life of its slot left there, leaves its own mark,
 * waits 200 ms and asks for a restart. Each
 * life prints "life: N marks of an earlier life found"; a restart is a
 * new client of the slot, so every life must find 0 (the kernel wipes a
 * process's RAM before each start).
 */
#include "libvmux.h"

#define WORDS 64u
#define MARK 0x5ec2e7a5u

static unsigned look_and_mark(void)
{
    uintptr_t old_break = 0;
    if (vmux_sbrk((int32_t)(WORDS * 4u), &old_break) != 0)
        return 1000;
    volatile uint32_t *area = (volatile uint32_t *)old_break;
    unsigned found = 0;
    for (unsigned i = 0; i < WORDS; i++) {
        if (area[i] == MARK)
            found++;
        area[i] = MARK;
    }
    return found;
}

int main(void)
{
    unsigned found = look_and_mark();
    vmux_printf("life: %u marks of an earlier life found\n", found);
    vmux_sleep_ms(200);
    vmux_exit_restart(0);
}
