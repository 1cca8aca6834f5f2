/*
 * Attack: a storm of subscribes, good and bad: K_PARAM of them, over
 * every driver number in use and some that are not, every subscribe
 * number up to 7, with functions in its code, in its data, in the
 * kernel's memory (K_TARGET) and null. Then it exits with code 0.
 * Results: K_FIRST_RESULT + 0 accepted, + 1 refused.
 */
#include "tests/attacks/attack.h"

static uint8_t not_code[16];

static void on_upcall(uint32_t a, uint32_t b, uint32_t c, uintptr_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    count(K_BAD); /* nobody sends any */
}

void vmux_host_entry(void)
{
    static const uint32_t drivers[] = { 0, CONSOLE_DRIVER_NUM, ADC_DRIVER_NUM, UDP_DRIVER_NUM,
                                        CRYPTO_DRIVER_NUM, 0x77, 0xffffffffu };
    uintptr_t fns[4] = { (uintptr_t)on_upcall, (uintptr_t)not_code, get(K_TARGET), 0 };
    uintptr_t n = get(K_PARAM), ok = 0, refused = 0;
    for (uintptr_t i = 0; i < n; i++) {
        regs_t r = sys(SYSCALL_SUBSCRIBE, drivers[i % 7], (i / 7) % 8, fns[(i / 56) % 4], i);
        if (succeeded(r))
            ok++;
        else
            refused++;
    }
    put(K_FIRST_RESULT + 0, ok);
    put(K_FIRST_RESULT + 1, refused);
    put(K_DONE, 1);
    exit_with(EXIT_TERMINATE, 0);
}
