/*
 * The chip's free-running 32-bit counter, built on SysTick.
 *
 * SysTick counts the system clock (CLKSOURCE = processor clock; QEMU's
 * lm3s6965evb does not wire the SysTick reference clock) down from
 * 2^24 - 1 and interrupts on every wrap, 2^24 cycles apart (0.34 s at
 * 50 MHz). lm3s_timebase_now() extends it in software:
 *
 *     now = start of the current period + (2^24 - 1 - SYST_CVR)   (mod 2^32)
 *
 * where every read (with interrupts masked) that finds the count smaller
 * than the previous read's moves the period start on by 2^24. The
 * SysTick handler, the top half, is just such a read, so at least one
 * happens per period and no wrap goes unseen. This does not rely on the
 * pending bit being set at the instant of the reload: QEMU reloads the
 * counter first and pends the exception a little later, so a scheme
 * built on the pending bit went backwards there. now() counts at
 * lm3s_sysclk_hz(), never goes backwards, and wraps from 0xffffffff to 0
 * every 2^32 cycles (86 s at 50 MHz). Interrupts must not stay masked for
 * a whole SysTick period (0.34 s), or a wrap is lost.
 *
 * The alarm (alarm.c) and the UART's idle timing (uart.c) read it.
 */
#ifndef VMUX_CHIPS_LM3S6965_TIMEBASE_H
#define VMUX_CHIPS_LM3S6965_TIMEBASE_H

#include <stdint.h>

/* Start counting from `start` (0 normally; a test starts just below the
 * wrap to see alarms cross it). */
void lm3s_timebase_init(uint32_t start);
uint32_t lm3s_timebase_now(void);
uint32_t lm3s_timebase_hz(void);

#endif
