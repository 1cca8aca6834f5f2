/* Unbounded recursion: the stack runs into the guard page below the
 * process's RAM. The fault must still be handled (on the alternate stack). */
#include "tests/apps/app.h"

static volatile int deeper = 1; /* always: the compiler cannot know */

static uintptr_t depth(volatile uint8_t *caller)
{
    volatile uint8_t frame[512];
    frame[0] = caller ? caller[0] + 1 : 0;
    if (!deeper)
        return 0;
    return depth(frame) + frame[1]; /* not a tail call */
}

void vmux_host_entry(void)
{
    command(PROBE_COUNT, 0, 0);
    exit_with(EXIT_TERMINATE, depth(0));
}
