/*
 * AES-ECB of one block, K_PARAM2 times (0: for ever, else then it parks),
 * in a key register of its own;
 * every fourth time with the output allow shrunk to 8 bytes while the
 * operation runs (it ends SIZE). Keys: K_PHASE 1 once its key is loaded; K_CYCLES operations
 * that came back; K_FIRST_RESULT of those, the ones with status 0; K_BAD
 * a refused reservation or request.
 */
#include "tests/attacks/attack.h"

static const uint8_t key[16] = "crypto loop key!";
static const uint8_t plain[16] = "one block, again";
static volatile uint8_t out[16];

void vmux_host_entry(void)
{
    regs_t r = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0);
    uintptr_t h = r.r1;
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, key, sizeof key);
    if (!succeeded(r) || !succeeded(command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0))) {
        count(K_BAD);
        park();
    }
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, plain, sizeof plain);
    arm(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
    put(K_PHASE, 1);
    uintptr_t rounds = get(K_PARAM2);
    for (uintptr_t round = 0; rounds == 0 || round < rounds; round++) {
        allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, out, sizeof out);
        if (!succeeded(command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h))) {
            count(K_BAD);
            park();
        }
        if (round % 4 == 3)
            allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, out, 8);
        if (wait_for(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE).r0 == 0)
            count(K_FIRST_RESULT);
        count(K_CYCLES);
    }
    put(K_DONE, 1);
    park();
}
