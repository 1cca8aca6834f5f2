/*
 * Attack: get at a key after releasing its register. Loads a key,
 * encrypts once, releases (K_PHASE 1: the test reads the register, which
 * must be all zeroes, then sets K_PARAM), then tries to use the key.
 * Results (error code, or 0xffff):
 *   K_FIRST_RESULT + 0   the released handle                (for the test)
 *   K_FIRST_RESULT + 1   encrypt with the released handle   RESERVE
 *   K_FIRST_RESULT + 2   load into it                       RESERVE
 *   K_FIRST_RESULT + 3   release it again                   RESERVE
 *   K_FIRST_RESULT + 4   1 if reserving again gives another handle
 *   K_FIRST_RESULT + 5   encrypt with the new, empty register: its
 *                        status (RESERVE: no key in it)
 *   K_FIRST_RESULT + 6   1 if that left the output untouched
 */
#include "tests/attacks/attack.h"

static const uint8_t key[16] = "a secret key!!!!";
static const uint8_t plain[16] = "plaintext block.";
static volatile uint8_t out[16];

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    arm(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
    uintptr_t h = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0).r1;
    put(K_FIRST_RESULT + 0, h);
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, key, sizeof key);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0);
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, plain, sizeof plain);
    allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, out, sizeof out);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h);
    wait_for(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RELEASE, h, 0);
    put(K_PHASE, 1);
    while (get(K_PARAM) == 0)
        yield_no_wait(0);
    result(1, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h));
    result(2, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0));
    result(3, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RELEASE, h, 0));
    uintptr_t h2 = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0).r1;
    put(K_FIRST_RESULT + 4, h2 != h);
    fill(out, 0xee, sizeof out);
    regs_t r = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h2);
    if (succeeded(r))
        put(K_FIRST_RESULT + 5, wait_for(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE).r0);
    else
        put(K_FIRST_RESULT + 5, r.r1);
    put(K_FIRST_RESULT + 6, all(out, 0xee, sizeof out));
    put(K_DONE, 1);
    park();
}
