/*
 * Attack: restart itself in a loop. Each life writes a line to its
 * console without waiting for it (which attaches a UART channel),
 * reserves a crypto key register, and asks for a restart at once.
 * Keys: K_CYCLES lives; K_BAD a life whose write was refused (the mux
 * had no channel left).
 */
#include "tests/attacks/attack.h"

static const char line[] = "again\n";

void vmux_host_entry(void)
{
    count(K_CYCLES);
    allow_ro(CONSOLE_DRIVER_NUM, CONSOLE_ALLOW_RO_WRITE, line, sizeof line - 1);
    if (!succeeded(command(CONSOLE_DRIVER_NUM, CONSOLE_CMD_WRITE, sizeof line - 1, 0)))
        count(K_BAD);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0);
    exit_with(EXIT_RESTART, 0);
}
