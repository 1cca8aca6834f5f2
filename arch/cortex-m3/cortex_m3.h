/*
 * ARMv7-M core registers (System Control Space) and small inline helpers
 * every Cortex-M3 driver uses. Addresses and bits are architectural
 * (ARMv7-M Architecture Reference Manual, B3), the same on every M3.
 */
#ifndef VMUX_ARCH_CORTEX_M3_CORTEX_M3_H
#define VMUX_ARCH_CORTEX_M3_CORTEX_M3_H

#include <stdint.h>

#define MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* SysTick */
#define SYST_CSR  MMIO32(0xE000E010u)
#define SYST_RVR  MMIO32(0xE000E014u)
#define SYST_CVR  MMIO32(0xE000E018u)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)   /* 1: the processor clock */
#define SYST_CSR_COUNTFLAG (1u << 16)
#define SYST_MAX           0x00ffffffu /* 24-bit counter */

/* NVIC: one bit per external interrupt, 32 per word */
#define NVIC_ISER(n) MMIO32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n) MMIO32(0xE000E180u + 4u * (n))
#define NVIC_ISPR(n) MMIO32(0xE000E200u + 4u * (n))
#define NVIC_ICPR(n) MMIO32(0xE000E280u + 4u * (n))
#define NVIC_IPR_BYTE(irq) (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (irq)))

/* System control block */
#define SCB_ICSR  MMIO32(0xE000ED04u)
#define SCB_VTOR  MMIO32(0xE000ED08u)
#define SCB_AIRCR MMIO32(0xE000ED0Cu)
#define SCB_SCR   MMIO32(0xE000ED10u)
#define SCB_CCR   MMIO32(0xE000ED14u)
#define SCB_SHPR3 MMIO32(0xE000ED20u)
#define SCB_SHCSR MMIO32(0xE000ED24u)
#define SCB_CFSR  MMIO32(0xE000ED28u)
#define SCB_HFSR  MMIO32(0xE000ED2Cu)
#define SCB_MMFAR MMIO32(0xE000ED34u)
#define SCB_BFAR  MMIO32(0xE000ED38u)

#define ICSR_VECTACTIVE_MASK 0x1ffu
#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_PENDSTSET (1u << 26)
#define CCR_UNALIGN_TRP (1u << 3)
#define CCR_DIV_0_TRP   (1u << 4)
#define CCR_STKALIGN    (1u << 9)
#define SHCSR_SVCALLPENDED (1u << 15)
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
#define HFSR_FORCED  (1u << 30)
#define HFSR_VECTTBL (1u << 1)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)

static inline void nvic_enable_irq(unsigned irq)
{
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

static inline void nvic_disable_irq(unsigned irq)
{
    NVIC_ICER(irq / 32u) = 1u << (irq % 32u);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/* Make the interrupt pending from software: its handler runs as soon as
 * interrupts are unmasked, as if the device had raised it. */
static inline void nvic_set_pending(unsigned irq)
{
    NVIC_ISPR(irq / 32u) = 1u << (irq % 32u);
}

static inline void nvic_clear_pending(unsigned irq)
{
    NVIC_ICPR(irq / 32u) = 1u << (irq % 32u);
}

#endif
