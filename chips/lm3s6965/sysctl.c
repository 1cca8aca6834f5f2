#include "chips/lm3s6965/sysctl.h"

#include <string.h>

#include "chips/lm3s6965/lm3s6965.h"

#define PLL_LOCK_SPINS 100000u
#define SYSDIV_50MHZ 3u   /* 200 MHz / (3 + 1) */

static uint32_t sysclk_hz = 12000000u;   /* the internal oscillator until set up */

void lm3s_clock_init(void)
{
    /* RCC2 would override RCC; this driver uses RCC only. */
    SYSCTL_RCC2 &= ~RCC2_USERCC2;

    /* 1. Run from the raw oscillator while the PLL is reconfigured. */
    uint32_t rcc = SYSCTL_RCC;
    rcc |= RCC_BYPASS;
    rcc &= ~RCC_USESYSDIV;
    SYSCTL_RCC = rcc;

    /* 2. Main oscillator, 8 MHz crystal, PLL powered up. */
    rcc &= ~(RCC_OSCSRC_MASK | RCC_XTAL_MASK | RCC_PWRDN);
    rcc |= RCC_XTAL_8MHZ << RCC_XTAL_SHIFT;
    SYSCTL_MISC = SYSCTL_RIS_PLLLRIS;
    SYSCTL_RCC = rcc;

    /* 3. The divider for 50 MHz. */
    rcc &= ~RCC_SYSDIV_MASK;
    rcc |= (SYSDIV_50MHZ << RCC_SYSDIV_SHIFT) | RCC_USESYSDIV;
    SYSCTL_RCC = rcc;

    /* 4. Wait for lock, then leave bypass. */
    for (uint32_t i = 0; i < PLL_LOCK_SPINS; i++) {
        if (SYSCTL_RIS & SYSCTL_RIS_PLLLRIS) {
            SYSCTL_RCC = rcc & ~RCC_BYPASS;
            sysclk_hz = LM3S_SYSCLK_HZ;
            return;
        }
    }
    /* No lock: stay on the crystal, divided. */
    sysclk_hz = LM3S_CRYSTAL_HZ / (SYSDIV_50MHZ + 1u);
}

uint32_t lm3s_sysclk_hz(void)
{
    return sysclk_hz;
}

void lm3s_clock_enable(uint32_t rcgc0, uint32_t rcgc1, uint32_t rcgc2)
{
    SYSCTL_RCGC0 |= rcgc0;
    SYSCTL_RCGC1 |= rcgc1;
    SYSCTL_RCGC2 |= rcgc2;
    /* Three system clocks before the peripheral may be touched. */
    (void)SYSCTL_RCGC2;
    (void)SYSCTL_RCGC2;
    (void)SYSCTL_RCGC2;
}

bool lm3s_factory_mac(uint8_t mac[6])
{
    uint32_t u0 = SYSCTL_USER0, u1 = SYSCTL_USER1;
    if (u0 == 0xffffffffu || u1 == 0xffffffffu)
        return false;
    /* The low three bytes of each, lowest first (little-endian). */
    memcpy(mac, &u0, 3);
    memcpy(mac + 3, &u1, 3);
    return true;
}
