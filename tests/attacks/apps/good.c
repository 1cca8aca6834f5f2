/*
 * The bystander: a well-behaved process that keeps using the console, the
 * ADC and a crypto slot of its own, round after round, while an attacker
 * does its worst next to it. K_PARAM selects its services (bits: 1
 * console, 2 ADC, 4 crypto; 0 means all).
 *
 * Keys: K_CYCLES rounds completed; K_BAD anything wrong it saw (an error
 * status, a ciphertext that changed, its canary touched); K_FIRST_RESULT
 * its crypto handle; K_FIRST_RESULT + 1 the address of its canary buffer
 * (64 bytes of 0x77 that no one but it may write); K_FIRST_RESULT + 2 the
 * first ciphertext's first word.
 */
#include "tests/attacks/attack.h"

#define USE_CONSOLE 1u
#define USE_ADC 2u
#define USE_CRYPTO 4u

static volatile uint8_t canary[64];
static const uint8_t key[16] = { 'g', 'o', 'o', 'd', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint8_t plain[16] = "sixteen byte msg";
static volatile uint8_t cipher[16], first[16];
static const char line[] = "good\n";

static void bad(void)
{
    count(K_BAD);
}

void vmux_host_entry(void)
{
    uintptr_t use = get(K_PARAM);
    if (use == 0)
        use = USE_CONSOLE | USE_ADC | USE_CRYPTO;
    arm(ADC_DRIVER_NUM, ADC_UPCALL_DONE);
    arm(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
    fill(canary, 0x77, sizeof canary);
    put(K_FIRST_RESULT + 1, (uintptr_t)canary);
    uintptr_t h = 0;
    if (use & USE_CRYPTO) {
        regs_t r = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0);
        if (r.r0 != RET_SUCCESS_U32) {
            bad();
            use &= ~USE_CRYPTO;
        } else {
            h = r.r1;
            put(K_FIRST_RESULT, h);
            allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, key, sizeof key);
            if (!succeeded(command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0)))
                bad();
            allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, plain, sizeof plain);
            allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, cipher, sizeof cipher);
        }
    }
    for (uintptr_t round = 0;; round++) {
        if (use & USE_CONSOLE) {
            if (console_write(line, sizeof line - 1) != sizeof line - 1)
                bad();
        }
        if (use & USE_ADC) {
            if (!succeeded(command(ADC_DRIVER_NUM, ADC_CMD_SINGLE, 0, 0)))
                bad();
            else if (wait_for(ADC_DRIVER_NUM, ADC_UPCALL_DONE).r0 != ADC_MODE_SINGLE)
                bad();
        }
        if (use & USE_CRYPTO) {
            fill(cipher, 0, sizeof cipher);
            if (!succeeded(command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h))) {
                bad();
            } else {
                regs_t done = wait_for(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
                if (done.r0 != 0 || done.r1 != sizeof cipher)
                    bad();
                if (round == 0) {
                    copy(first, cipher, sizeof first);
                    put(K_FIRST_RESULT + 2, (uintptr_t)first[0] | (uintptr_t)first[1] << 8 |
                                                (uintptr_t)first[2] << 16 |
                                                (uintptr_t)first[3] << 24);
                } else {
                    for (unsigned i = 0; i < sizeof cipher; i++)
                        if (cipher[i] != first[i]) {
                            bad();
                            break;
                        }
                }
            }
        }
        if (!all(canary, 0x77, sizeof canary))
            bad();
        count(K_CYCLES);
        if ((use & (USE_CONSOLE | USE_ADC | USE_CRYPTO)) == 0)
            park();
    }
}
