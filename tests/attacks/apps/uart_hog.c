/*
 * Attack: hog the UART with huge writes. Takes 16 KiB of heap and writes
 * all of it, again and again, forever. K_CYCLES: writes completed;
 * K_FIRST_RESULT: bytes written in all.
 */
#include "tests/attacks/attack.h"

#define HOG (16u * 1024u)

void vmux_host_entry(void)
{
    volatile uint8_t *big = (volatile uint8_t *)memop(MEMOP_SBRK, HOG).r1;
    for (uintptr_t i = 0; i < HOG; i++)
        big[i] = (uint8_t)('A' + i % 26);
    uintptr_t total = 0;
    for (;;) {
        total += console_write(big, HOG);
        put(K_FIRST_RESULT, total);
        count(K_CYCLES);
    }
}
