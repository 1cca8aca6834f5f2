/* Every test program writes stdout unbuffered, so cmocka's results (on
 * stdout) and its summary (on stderr) come out in order when both go to
 * one pipe. */
#include <stdio.h>

__attribute__((constructor)) static void unbuffered_output(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
}
