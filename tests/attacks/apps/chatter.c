/*
 * A well-behaved console writer: K_PARAM lines of 16 bytes, each as soon
 * as the previous one is out, then done. Keys: K_CYCLES lines written;
 * K_BAD lines that did not go out whole; K_DONE at the end.
 */
#include "tests/attacks/attack.h"

static const char line[] = "chatter: a line\n";

void vmux_host_entry(void)
{
    uintptr_t lines = get(K_PARAM);
    for (uintptr_t i = 0; i < lines; i++) {
        if (console_write(line, sizeof line - 1) != sizeof line - 1)
            count(K_BAD);
        count(K_CYCLES);
    }
    put(K_DONE, 1);
    park();
}
