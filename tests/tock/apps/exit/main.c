/* tock-exit: exit-terminate with a completion code the kernel reports. */
#include "../../tock.h"

int main(void)
{
    tock_print("exiting with 42\n");
    tock_exit(0, 42);
}
