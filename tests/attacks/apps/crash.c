/*
 * Attack: crash at once, every life. Records the alarm counter at the
 * start of each life n (1, 2, ...) in K_FIRST_RESULT + n - 1 (up to 16
 * lives), counts lives in K_CYCLES, then writes through a null pointer.
 */
#include "tests/attacks/attack.h"

void vmux_host_entry(void)
{
    uintptr_t life = count(K_CYCLES);
    if (life <= 16)
        put(K_FIRST_RESULT + life - 1, command(0 /* alarm */, 2, 0, 0).r1);
    *(volatile int *)0 = 1;
    park();
}
