/*
 * tock-restart: exit-restart. Each life prints whether its .bss and .data
 * came back as the image has them (a restart is a fresh start), marks
 * them, and asks for a restart.
 */
#include "../../tock.h"

static uint32_t zeroed;
static uint32_t initialised = 0x600dcafe;

int main(void)
{
    bool fresh = zeroed == 0 && initialised == 0x600dcafeu;
    zeroed = 1;
    initialised = 0;
    tock_print(fresh ? "life: fresh\n" : "life: NOT fresh\n");
    tock_sleep_ms(20);
    tock_exit(1, 0);
}
