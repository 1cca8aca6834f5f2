/*
 * Attack: a storm of yields: K_PARAM no-wait yields with the flag byte on
 * its stack, on the kernel's memory (K_TARGET), on its code, at address
 * 0 and at the top of the address space; and as many yields of reserved
 * kinds (3..255), which return at once. Then it exits with code 0.
 * Result: K_FIRST_RESULT + 0, the times its stack flag was written 0.
 */
#include "tests/attacks/attack.h"

void vmux_host_entry(void)
{
    uintptr_t n = get(K_PARAM), written = 0;
    uintptr_t kernel = get(K_TARGET);
    uintptr_t code = memop(MEMOP_FLASH_START, 0).r1;
    volatile uint8_t flag;
    for (uintptr_t i = 0; i < n; i++) {
        flag = 0x55;
        switch (i % 5) {
        case 0:
            yield_no_wait(&flag);
            written += flag == 0;
            break;
        case 1:
            yield_no_wait((volatile uint8_t *)kernel);
            break;
        case 2:
            yield_no_wait((volatile uint8_t *)code);
            break;
        case 3:
            yield_no_wait(0);
            break;
        default:
            yield_no_wait((volatile uint8_t *)~(uintptr_t)0);
            break;
        }
        sys(SYSCALL_YIELD, 3 + i % 253, kernel, kernel, kernel);
    }
    put(K_FIRST_RESULT, written);
    put(K_DONE, 1);
    exit_with(EXIT_TERMINATE, 0);
}
