/*
 * The time-slice timer for processes: GPTM timer 2A, 32-bit one-shot at
 * the system clock, as a struct cm3_slice_timer (arch/cortex-m3/process.h).
 * Its time-out interrupt (IRQ 23) tells the process layer the slice is
 * over; arch_irq_entry then returns to the kernel if a process was
 * running. Call lm3s_slice_init() after lm3s_clock_init().
 */
#ifndef VMUX_CHIPS_LM3S6965_SLICE_H
#define VMUX_CHIPS_LM3S6965_SLICE_H

#include "arch/cortex-m3/process.h"

extern const struct cm3_slice_timer lm3s_slice_timer;

void lm3s_slice_init(void);

#endif
