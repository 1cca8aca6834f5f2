/*
 * What newlib (nano) needs from the system. The kernel has no heap: its
 * memory is static. snprintf() links malloc in (for growing stream
 * buffers, which string output never does), so _sbrk exists, and always
 * refuses: any malloc returns NULL instead of taking memory that later
 * phases give to processes.
 */
#include <errno.h>
#include <stddef.h>

void *_sbrk(ptrdiff_t increment);

void *_sbrk(ptrdiff_t increment)
{
    (void)increment;
    errno = ENOMEM;
    return (void *)-1;
}
