/*
 * The LM3S6965's interrupt vectors (IRQ 0..43), placed right after the
 * core's 16 (.vectors.core, arch/cortex-m3/startup.c). The data sheet
 * stops at 43 (the hibernation module): no device raises a higher one,
 * and only privileged code could pend it in the NVIC, so the table ends
 * there.
 *
 * Every entry is arch_irq_entry (arch/cortex-m3/arch.h), which calls the
 * IRQ's handler from arch_irq_handlers[] and, when the interrupt came
 * while a process ran, may give the CPU back to the kernel. Each handler
 * is a weak alias of a stub calling arch_unexpected_exception(), which
 * panics naming the IRQ; a driver takes its interrupt by defining the
 * strong symbol (uart.c defines lm3s_uart0_isr, and so on). So an
 * interrupt nobody expects stops the kernel with a report instead of
 * firing forever.
 */
#include <stdint.h>

#include "arch/cortex-m3/arch.h"
#include "chips/lm3s6965/lm3s6965.h"

typedef void (*vector_t)(void);

/* Aliases must name a function of this file. */
__attribute__((used)) static void unclaimed(void)
{
    arch_unexpected_exception();
}

#define IRQ(name) void name(void) __attribute__((weak, alias("unclaimed")))

IRQ(lm3s_gpioa_isr);    IRQ(lm3s_gpiob_isr);    IRQ(lm3s_gpioc_isr);    IRQ(lm3s_gpiod_isr);
IRQ(lm3s_gpioe_isr);    IRQ(lm3s_uart0_isr);    IRQ(lm3s_uart1_isr);    IRQ(lm3s_ssi0_isr);
IRQ(lm3s_i2c0_isr);     IRQ(lm3s_pwm_fault_isr); IRQ(lm3s_pwm0_isr);    IRQ(lm3s_pwm1_isr);
IRQ(lm3s_pwm2_isr);     IRQ(lm3s_qei0_isr);     IRQ(lm3s_adc_ss0_isr);  IRQ(lm3s_adc_ss1_isr);
IRQ(lm3s_adc_ss2_isr);  IRQ(lm3s_adc_ss3_isr);  IRQ(lm3s_watchdog_isr); IRQ(lm3s_timer0a_isr);
IRQ(lm3s_timer0b_isr);  IRQ(lm3s_timer1a_isr);  IRQ(lm3s_timer1b_isr);  IRQ(lm3s_timer2a_isr);
IRQ(lm3s_timer2b_isr);  IRQ(lm3s_comp0_isr);    IRQ(lm3s_comp1_isr);    IRQ(lm3s_comp2_isr);
IRQ(lm3s_sysctl_isr);   IRQ(lm3s_flash_isr);    IRQ(lm3s_gpiof_isr);    IRQ(lm3s_gpiog_isr);
IRQ(lm3s_gpioh_isr);    IRQ(lm3s_uart2_isr);    IRQ(lm3s_ssi1_isr);     IRQ(lm3s_timer3a_isr);
IRQ(lm3s_timer3b_isr);  IRQ(lm3s_i2c1_isr);     IRQ(lm3s_qei1_isr);     IRQ(lm3s_can0_isr);
IRQ(lm3s_can1_isr);     IRQ(lm3s_can2_isr);     IRQ(lm3s_ethernet_isr); IRQ(lm3s_hibernate_isr);

/* The handlers, by IRQ number, for arch_irq_entry (arch.h). */
__attribute__((used)) const arch_irq_handler_t arch_irq_handlers[LM3S_IRQ_COUNT] = {
    lm3s_gpioa_isr,    lm3s_gpiob_isr,    lm3s_gpioc_isr,    lm3s_gpiod_isr,     /* 0-3 */
    lm3s_gpioe_isr,    lm3s_uart0_isr,    lm3s_uart1_isr,    lm3s_ssi0_isr,      /* 4-7 */
    lm3s_i2c0_isr,     lm3s_pwm_fault_isr, lm3s_pwm0_isr,    lm3s_pwm1_isr,      /* 8-11 */
    lm3s_pwm2_isr,     lm3s_qei0_isr,     lm3s_adc_ss0_isr,  lm3s_adc_ss1_isr,   /* 12-15 */
    lm3s_adc_ss2_isr,  lm3s_adc_ss3_isr,  lm3s_watchdog_isr, lm3s_timer0a_isr,   /* 16-19 */
    lm3s_timer0b_isr,  lm3s_timer1a_isr,  lm3s_timer1b_isr,  lm3s_timer2a_isr,   /* 20-23 */
    lm3s_timer2b_isr,  lm3s_comp0_isr,    lm3s_comp1_isr,    lm3s_comp2_isr,     /* 24-27 */
    lm3s_sysctl_isr,   lm3s_flash_isr,    lm3s_gpiof_isr,    lm3s_gpiog_isr,     /* 28-31 */
    lm3s_gpioh_isr,    lm3s_uart2_isr,    lm3s_ssi1_isr,     lm3s_timer3a_isr,   /* 32-35 */
    lm3s_timer3b_isr,  lm3s_i2c1_isr,     lm3s_qei1_isr,     lm3s_can0_isr,      /* 36-39 */
    lm3s_can1_isr,     lm3s_can2_isr,     lm3s_ethernet_isr, lm3s_hibernate_isr, /* 40-43 */
};

/* Every entry goes through the architecture's dispatcher. */
#define E4 arch_irq_entry, arch_irq_entry, arch_irq_entry, arch_irq_entry
__attribute__((section(".vectors.irq"), used))
const vector_t lm3s_irq_vectors[LM3S_IRQ_COUNT] = {
    E4, E4, E4, E4, E4, E4, E4, E4, E4, E4, E4,
};
