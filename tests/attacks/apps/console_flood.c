/*
 * A console writer: writes K_PARAM bytes (1..4096) again and again, each
 * write as soon as the last one is done: K_PARAM2 writes, then it parks
 * (0: for ever). Keys: K_CYCLES writes done; K_FIRST_RESULT bytes
 * written, as the upcalls count them; K_DONE once parked.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t text[4096];

void vmux_host_entry(void)
{
    uintptr_t n = get(K_PARAM);
    if (n == 0 || n > sizeof text)
        n = 64;
    for (uintptr_t i = 0; i < n; i++)
        text[i] = (uint8_t)('a' + i % 26);
    for (uintptr_t writes = get(K_PARAM2); writes == 0 || get(K_CYCLES) < writes;) {
        put(K_FIRST_RESULT, get(K_FIRST_RESULT) + console_write(text, n));
        count(K_CYCLES);
    }
    put(K_DONE, 1);
    park();
}
