/*
 * Attack: keep a crypto handle across a restart. Life 1 reserves a
 * register, loads a key, remembers the handle (K_FIRST_RESULT) and asks
 * for a restart. Life 2 uses the remembered handle. Results of life 2
 * (error code, or 0xffff):
 *   K_FIRST_RESULT + 1   encrypt with it     RESERVE
 *   K_FIRST_RESULT + 2   load a key into it  RESERVE
 *   K_FIRST_RESULT + 3   release it          RESERVE
 */
#include "tests/attacks/attack.h"

static const uint8_t key[16] = "first life key!!";
static const uint8_t plain[16] = "plaintext block.";
static volatile uint8_t out[16];

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, key, sizeof key);
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, plain, sizeof plain);
    allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, out, sizeof out);
    if (count(K_CYCLES) == 1) {
        uintptr_t h = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0).r1;
        command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0);
        put(K_FIRST_RESULT, h);
        exit_with(EXIT_RESTART, 0);
    }
    uintptr_t h = get(K_FIRST_RESULT);
    result(1, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    result(2, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0));
    result(3, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RELEASE, h, 0));
    put(K_DONE, 1);
    park();
}
