/*
 * Attack: swap, then withdraw, the output buffer of a crypt in flight.
 * The test makes the engine slow (a LATE fault), so the swap lands while
 * the operation runs. Round 1: ECB into A, swap in B. Round 2: ECB into
 * C, untouched (the reference). Round 3: ECB into A, withdraw the output.
 * Results:
 *   K_FIRST_RESULT + 0, 1   round 1's upcall: status, bytes written
 *   K_FIRST_RESULT + 2      1 if A still holds only its canary
 *   K_FIRST_RESULT + 3      1 if B equals the reference C
 *   K_FIRST_RESULT + 4, 5   round 3's upcall: status (NOMEM), bytes (0)
 *   K_FIRST_RESULT + 6      1 if A still holds only its canary at the end
 */
#include "tests/attacks/attack.h"

static const uint8_t key[16] = "0123456789abcdef";
static const uint8_t plain[16] = "attack at dawn!!";
static volatile uint8_t a[16], b[16], c[16];

static regs_t crypt_into(volatile uint8_t *out, uintptr_t h, const volatile uint8_t *swap_to,
                         uintptr_t swap_len)
{
    allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, out, 16);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_CRYPT, CRYPTO_ECB_ENCRYPT, h);
    if (swap_to != out)
        allow_rw(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RW_OUTPUT, swap_to, swap_len);
    return wait_for(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
}

void vmux_host_entry(void)
{
    arm(CRYPTO_DRIVER_NUM, CRYPTO_UPCALL_DONE);
    fill(a, 0xaa, sizeof a);
    fill(b, 0xbb, sizeof b);
    uintptr_t h = command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_RESERVE, 0, 0).r1;
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_KEY, key, sizeof key);
    command(CRYPTO_DRIVER_NUM, CRYPTO_CMD_LOAD_KEY, h, 0);
    allow_ro(CRYPTO_DRIVER_NUM, CRYPTO_ALLOW_RO_INPUT, plain, sizeof plain);

    regs_t r = crypt_into(a, h, b, sizeof b);
    put(K_FIRST_RESULT + 0, r.r0);
    put(K_FIRST_RESULT + 1, r.r1);
    put(K_FIRST_RESULT + 2, all(a, 0xaa, sizeof a));
    crypt_into(c, h, c, sizeof c);
    int same = 1;
    for (unsigned i = 0; i < 16; i++)
        same &= b[i] == c[i];
    put(K_FIRST_RESULT + 3, (uintptr_t)same);
    r = crypt_into(a, h, 0, 0);
    put(K_FIRST_RESULT + 4, r.r0);
    put(K_FIRST_RESULT + 5, r.r1);
    put(K_FIRST_RESULT + 6, all(a, 0xaa, sizeof a));
    put(K_DONE, 1);
    park();
}
