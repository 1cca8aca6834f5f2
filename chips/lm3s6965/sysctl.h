/*
 * LM3S6965 system control: the system clock, peripheral clock gates and
 * the factory MAC address.
 *
 * Clock. lm3s_clock_init() runs the PLL from the EVB's 8 MHz crystal
 * (400 MHz VCO, /2, SYSDIV /4) for a 50 MHz system clock, the
 * data sheet's sequence: bypass, power the PLL up, wait for lock (bounded:
 * on timeout the clock stays on the crystal and lm3s_sysclk_hz() says
 * so), then switch over. QEMU computes its clock from SYSDIV alone
 * (200 MHz / (SYSDIV + 1)), so the emulated board runs at 50 MHz too.
 * Every timing in the drivers (SysTick, GPTM, baud rate) derives from
 * lm3s_sysclk_hz().
 *
 * MAC. The EVB's factory MAC lives in USER0/USER1 (three bytes each, low
 * byte first); QEMU stores the -nic MAC there. lm3s_factory_mac() is
 * false when the registers are unprogrammed (all ones).
 */
#ifndef VMUX_CHIPS_LM3S6965_SYSCTL_H
#define VMUX_CHIPS_LM3S6965_SYSCTL_H

#include <stdbool.h>
#include <stdint.h>

#define LM3S_SYSCLK_HZ 50000000u
#define LM3S_CRYSTAL_HZ 8000000u

void lm3s_clock_init(void);
uint32_t lm3s_sysclk_hz(void);

/* Ungate peripherals (the RCGCn bits of lm3s6965.h), with the few
 * cycles of delay the data sheet asks for before the first access. */
void lm3s_clock_enable(uint32_t rcgc0, uint32_t rcgc1, uint32_t rcgc2);

bool lm3s_factory_mac(uint8_t mac[6]);

#endif
