#include "kernel/wipe.h"

#include <string.h>

void wipe(void *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return;
    memset(buf, 0, len);
    /* The asm claims to read the buffer through memory, so the stores
     * above are live and cannot be removed, even under LTO. */
    __asm__ __volatile__("" : : "r"(buf) : "memory");
}
