/*
 * Attack: use another client's key register. K_TARGET is the victim's
 * handle (an attacker may well guess it: slot and generation are small
 * numbers). Results (error code, or 0xffff):
 *   K_FIRST_RESULT + 0   load a key of ours into its register      RESERVE
 *   K_FIRST_RESULT + 1   encrypt with its key                       RESERVE
 *   K_FIRST_RESULT + 2   release its register                       RESERVE
 *   K_FIRST_RESULT + 3   of every handle (slot 0..15, generation 0..63),
 *                        how many it could release: 0
 *   K_FIRST_RESULT + 4   upcalls it got: 0
 */
#include "tests/attacks/attack.h"

static const uint8_t our_key[16] = "evil evil evil!!";
static const uint8_t plain[16] = "0000000000000000";
static volatile uint8_t out[16];
static volatile uintptr_t upcalls;

static void on_done(uint32_t a, uint32_t b, uint32_t c, uintptr_t data)
{
    (void)a, (void)b, (void)c, (void)data;
    upcalls++;
}

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

void vmux_host_entry(void)
{
    uintptr_t victim = get(K_TARGET);
    subscribe(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE, on_done, 0);
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, our_key, sizeof our_key);
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, plain, sizeof plain);
    allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, out, sizeof out);
    result(0, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, victim, 0));
    result(1, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, victim));
    result(2, command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RELEASE, victim, 0));
    uintptr_t released = 0;
    for (uintptr_t gen = 0; gen < 64; gen++)
        for (uintptr_t slot = 0; slot < 16; slot++)
            released += succeeded(command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RELEASE,
                                          slot | gen << 8, 0));
    put(K_FIRST_RESULT + 3, released);
    volatile uint8_t flag;
    for (int i = 0; i < 10; i++)
        yield_no_wait(&flag);
    put(K_FIRST_RESULT + 4, upcalls);
    put(K_DONE, 1);
    park();
}
