/* Attack: never trap again. Marks K_PHASE 1, then loops forever. */
#include "tests/attacks/attack.h"

void vmux_host_entry(void)
{
    put(K_PHASE, 1);
    for (volatile uintptr_t i = 0;; i++)
        ;
}
