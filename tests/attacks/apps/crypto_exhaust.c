/*
 * Attack: take every key register. Reserves until refused. Results:
 *   K_FIRST_RESULT + 0   registers it got
 *   K_FIRST_RESULT + 1   the error that stopped it            NOMEM
 *   K_FIRST_RESULT + 2   a further try                        NOMEM
 * Then it holds them, parked, until the test stops it.
 */
#include "tests/attacks/attack.h"

void vmux_host_entry(void)
{
    uintptr_t got = 0;
    regs_t r;
    while ((r = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0)).r0 == RET_SUCCESS_U32)
        got++;
    put(K_FIRST_RESULT + 0, got);
    put(K_FIRST_RESULT + 1, r.r1);
    put(K_FIRST_RESULT + 2, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0).r1);
    put(K_DONE, 1);
    park();
}
