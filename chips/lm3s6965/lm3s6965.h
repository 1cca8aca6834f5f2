/*
 * TI Stellaris LM3S6965: memory map, interrupt numbers and the registers
 * the vmux drivers use (Stellaris LM3S6965 data sheet; QEMU's
 * -M lm3s6965evb models the same map, see hw/arm/stellaris.c).
 *
 *   0x00000000  256 KiB flash          0x20000000  64 KiB SRAM
 *   0x40004000  GPIO ports A..D (+0x1000 each; PL061)
 *   0x40008000  SSI0 (PL022)           0x4000C000  UART0 (PL011)
 *   0x40020000  I2C0 master            0x40024000  GPIO ports E..G
 *   0x40030000  GPTM timer 0..3 (+0x1000 each)
 *   0x40038000  ADC                    0x40048000  Ethernet MAC
 *   0x400FE000  system control
 */
#ifndef VMUX_CHIPS_LM3S6965_LM3S6965_H
#define VMUX_CHIPS_LM3S6965_LM3S6965_H

#include <stdint.h>

#include "arch/cortex-m3/cortex_m3.h"

#define LM3S_REG(base, off) MMIO32((base) + (off))

/* ------------------------------------------------------------ interrupts */
enum lm3s_irq {
    LM3S_IRQ_GPIOA = 0,       /* B..E: 1..4 */
    LM3S_IRQ_UART0 = 5,
    LM3S_IRQ_UART1 = 6,
    LM3S_IRQ_SSI0 = 7,
    LM3S_IRQ_I2C0 = 8,
    LM3S_IRQ_ADC_SS0 = 14,
    LM3S_IRQ_ADC_SS3 = 17,
    LM3S_IRQ_TIMER0A = 19,
    LM3S_IRQ_TIMER1A = 21,
    LM3S_IRQ_TIMER2A = 23,
    LM3S_IRQ_SYSCTL = 28,
    LM3S_IRQ_GPIOF = 30,
    LM3S_IRQ_GPIOG = 31,
    LM3S_IRQ_UART2 = 33,
    LM3S_IRQ_TIMER3A = 35,
    LM3S_IRQ_ETHERNET = 42,
    LM3S_IRQ_HIBERNATE = 43,
};
#define LM3S_IRQ_COUNT 44u   /* vector table entries after the 16 core ones */

/* ------------------------------------------------------------ system control */
#define SYSCTL_BASE 0x400FE000u
#define SYSCTL_DID0  LM3S_REG(SYSCTL_BASE, 0x000)
#define SYSCTL_RIS   LM3S_REG(SYSCTL_BASE, 0x050)
#define SYSCTL_MISC  LM3S_REG(SYSCTL_BASE, 0x058)
#define SYSCTL_RCC   LM3S_REG(SYSCTL_BASE, 0x060)
#define SYSCTL_RCC2  LM3S_REG(SYSCTL_BASE, 0x070)
#define SYSCTL_RCGC0 LM3S_REG(SYSCTL_BASE, 0x100)
#define SYSCTL_RCGC1 LM3S_REG(SYSCTL_BASE, 0x104)
#define SYSCTL_RCGC2 LM3S_REG(SYSCTL_BASE, 0x108)
#define SYSCTL_USER0 LM3S_REG(SYSCTL_BASE, 0x1E0)
#define SYSCTL_USER1 LM3S_REG(SYSCTL_BASE, 0x1E4)

#define SYSCTL_RIS_PLLLRIS   (1u << 6)
#define RCC_OSCSRC_MASK      (3u << 4)
#define RCC_XTAL_SHIFT       6
#define RCC_XTAL_MASK        (0xfu << 6)
#define RCC_XTAL_8MHZ        0xeu
#define RCC_BYPASS           (1u << 11)
#define RCC_PWRDN            (1u << 13)
#define RCC_USESYSDIV        (1u << 22)
#define RCC_SYSDIV_SHIFT     23
#define RCC_SYSDIV_MASK      (0xfu << 23)
#define RCC2_USERCC2         (1u << 31)

#define RCGC0_ADC      (1u << 16)
#define RCGC0_MAXADCSPD_1M (3u << 8)
#define RCGC1_UART0    (1u << 0)
#define RCGC1_SSI0     (1u << 4)
#define RCGC1_I2C0     (1u << 12)
#define RCGC1_TIMER(n) (1u << (16 + (n)))
#define RCGC2_GPIOA    (1u << 0)
#define RCGC2_GPIO(port) (1u << (port))   /* port 0 = A .. 6 = G */
#define RCGC2_EMAC0    (1u << 28)
#define RCGC2_EPHY0    (1u << 30)

/* ------------------------------------------------------------ GPIO (PL061) */
#define GPIOA_BASE 0x40004000u
#define GPIO_PORTS 7u               /* A..G on the LM3S6965 */
#define GPIO_BASE(port) ((port) < 4u ? 0x40004000u + 0x1000u * (port) \
                                     : 0x40024000u + 0x1000u * ((port) - 4u))
/* DATA is address-masked: bits 9..2 of the offset select the bits that a
 * read returns and a write changes. */
#define GPIO_DATA(base, bits) LM3S_REG(base, (uint32_t)(bits) << 2)
#define GPIO_DIR(base)   LM3S_REG(base, 0x400)
#define GPIO_IS(base)    LM3S_REG(base, 0x404)
#define GPIO_IBE(base)   LM3S_REG(base, 0x408)
#define GPIO_IEV(base)   LM3S_REG(base, 0x40C)
#define GPIO_IM(base)    LM3S_REG(base, 0x410)
#define GPIO_MIS(base)   LM3S_REG(base, 0x418)
#define GPIO_ICR(base)   LM3S_REG(base, 0x41C)
#define GPIO_AFSEL(base) LM3S_REG(base, 0x420)
#define GPIO_ODR(base)   LM3S_REG(base, 0x50C)
#define GPIO_PUR(base)   LM3S_REG(base, 0x510)
#define GPIO_PDR(base)   LM3S_REG(base, 0x514)
#define GPIO_DEN(base)   LM3S_REG(base, 0x51C)

/* ------------------------------------------------------------ UART (PL011) */
#define UART0_BASE 0x4000C000u
#define UART_DR(b)    LM3S_REG(b, 0x000)
#define UART_RSR(b)   LM3S_REG(b, 0x004)
#define UART_FR(b)    LM3S_REG(b, 0x018)
#define UART_IBRD(b)  LM3S_REG(b, 0x024)
#define UART_FBRD(b)  LM3S_REG(b, 0x028)
#define UART_LCRH(b)  LM3S_REG(b, 0x02C)
#define UART_CTL(b)   LM3S_REG(b, 0x030)
#define UART_IFLS(b)  LM3S_REG(b, 0x034)
#define UART_IM(b)    LM3S_REG(b, 0x038)
#define UART_RIS(b)   LM3S_REG(b, 0x03C)
#define UART_MIS(b)   LM3S_REG(b, 0x040)
#define UART_ICR(b)   LM3S_REG(b, 0x044)

#define UART_FR_BUSY (1u << 3)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_FR_TXFE (1u << 7)
#define UART_DR_ERRORS (0xfu << 8)     /* FE, PE, BE, OE beside the data byte */
#define UART_DR_OE     (1u << 11)
#define UART_LCRH_FEN  (1u << 4)
#define UART_LCRH_WLEN_8 (3u << 5)
#define UART_CTL_UARTEN (1u << 0)
#define UART_CTL_TXE   (1u << 8)
#define UART_CTL_RXE   (1u << 9)
#define UART_INT_RX    (1u << 4)
#define UART_INT_TX    (1u << 5)
#define UART_INT_RT    (1u << 6)
#define UART_INT_ERR   (0xfu << 7)     /* FE, PE, BE, OE */
#define UART_IFLS_TX_1_8 0u
#define UART_IFLS_RX_1_2 (2u << 3)
#define UART_FIFO_DEPTH 16u

/* ------------------------------------------------------------ SSI0 (PL022) */
#define SSI0_BASE 0x40008000u
#define SSI_CR0   LM3S_REG(SSI0_BASE, 0x000)
#define SSI_CR1   LM3S_REG(SSI0_BASE, 0x004)
#define SSI_DR    LM3S_REG(SSI0_BASE, 0x008)
#define SSI_SR    LM3S_REG(SSI0_BASE, 0x00C)
#define SSI_CPSR  LM3S_REG(SSI0_BASE, 0x010)
#define SSI_IM    LM3S_REG(SSI0_BASE, 0x014)
#define SSI_ICR   LM3S_REG(SSI0_BASE, 0x020)

#define SSI_CR0_8BIT   0x7u          /* DSS: 8-bit frames, Freescale SPI */
#define SSI_CR0_SPO    (1u << 6)
#define SSI_CR0_SPH    (1u << 7)
#define SSI_CR1_SSE    (1u << 1)
#define SSI_SR_TNF     (1u << 1)
#define SSI_SR_RNE     (1u << 2)
#define SSI_INT_RT     (1u << 1)
#define SSI_INT_RX     (1u << 2)
#define SSI_INT_TX     (1u << 3)
#define SSI_FIFO_DEPTH 8u

/* ------------------------------------------------------------ I2C0 master */
#define I2C0_BASE 0x40020000u
#define I2C_MSA   LM3S_REG(I2C0_BASE, 0x000)
#define I2C_MCS   LM3S_REG(I2C0_BASE, 0x004)
#define I2C_MDR   LM3S_REG(I2C0_BASE, 0x008)
#define I2C_MTPR  LM3S_REG(I2C0_BASE, 0x00C)
#define I2C_MIMR  LM3S_REG(I2C0_BASE, 0x010)
#define I2C_MRIS  LM3S_REG(I2C0_BASE, 0x014)
#define I2C_MICR  LM3S_REG(I2C0_BASE, 0x01C)
#define I2C_MCR   LM3S_REG(I2C0_BASE, 0x020)

#define I2C_MCS_RUN    (1u << 0)     /* written */
#define I2C_MCS_START  (1u << 1)
#define I2C_MCS_STOP   (1u << 2)
#define I2C_MCS_ACK    (1u << 3)
#define I2C_MCS_BUSY   (1u << 0)     /* read */
#define I2C_MCS_ERROR  (1u << 1)
#define I2C_MCS_ADRACK (1u << 2)
#define I2C_MCS_DATACK (1u << 3)
#define I2C_MCS_ARBLST (1u << 4)
#define I2C_MCS_BUSBSY (1u << 6)
#define I2C_MCR_MFE    (1u << 4)

/* ------------------------------------------------------------ GPTM */
#define TIMER_BASE(n) (0x40030000u + 0x1000u * (n))
#define GPTM_CFG(b)    LM3S_REG(b, 0x000)
#define GPTM_TAMR(b)   LM3S_REG(b, 0x004)
#define GPTM_CTL(b)    LM3S_REG(b, 0x00C)
#define GPTM_IMR(b)    LM3S_REG(b, 0x018)
#define GPTM_RIS(b)    LM3S_REG(b, 0x01C)
#define GPTM_MIS(b)    LM3S_REG(b, 0x020)
#define GPTM_ICR(b)    LM3S_REG(b, 0x024)
#define GPTM_TAILR(b)  LM3S_REG(b, 0x028)

#define GPTM_CFG_32BIT     0u
#define GPTM_TAMR_ONESHOT  1u
#define GPTM_TAMR_PERIODIC 2u
#define GPTM_CTL_TAEN      (1u << 0)
#define GPTM_CTL_TAOTE     (1u << 5)   /* timer A triggers the ADC */
#define GPTM_INT_TATO      (1u << 0)

/* ------------------------------------------------------------ ADC */
#define ADC_BASE 0x40038000u
#define ADC_ACTSS  LM3S_REG(ADC_BASE, 0x000)
#define ADC_RIS    LM3S_REG(ADC_BASE, 0x004)
#define ADC_IM     LM3S_REG(ADC_BASE, 0x008)
#define ADC_ISC    LM3S_REG(ADC_BASE, 0x00C)
#define ADC_OSTAT  LM3S_REG(ADC_BASE, 0x010)
#define ADC_EMUX   LM3S_REG(ADC_BASE, 0x014)
#define ADC_USTAT  LM3S_REG(ADC_BASE, 0x018)
#define ADC_SSMUX(n)   LM3S_REG(ADC_BASE, 0x040 + 0x20 * (n))
#define ADC_SSCTL(n)   LM3S_REG(ADC_BASE, 0x044 + 0x20 * (n))
#define ADC_SSFIFO(n)  LM3S_REG(ADC_BASE, 0x048 + 0x20 * (n))
#define ADC_SSFSTAT(n) LM3S_REG(ADC_BASE, 0x04C + 0x20 * (n))

#define ADC_SSCTL_END0 (1u << 1)
#define ADC_SSCTL_IE0  (1u << 2)
#define ADC_SSFSTAT_EMPTY (1u << 8)
#define ADC_SSFSTAT_FULL  (1u << 12)
#define ADC_EMUX_TIMER 5u

/* ------------------------------------------------------------ Ethernet MAC */
#define MAC_BASE 0x40048000u
#define MAC_RIS   LM3S_REG(MAC_BASE, 0x000)   /* read: raw status; write: acknowledge */
#define MAC_IACK  LM3S_REG(MAC_BASE, 0x000)
#define MAC_IM    LM3S_REG(MAC_BASE, 0x004)
#define MAC_RCTL  LM3S_REG(MAC_BASE, 0x008)
#define MAC_TCTL  LM3S_REG(MAC_BASE, 0x00C)
#define MAC_DATA  LM3S_REG(MAC_BASE, 0x010)
#define MAC_IA0   LM3S_REG(MAC_BASE, 0x014)
#define MAC_IA1   LM3S_REG(MAC_BASE, 0x018)
#define MAC_THR   LM3S_REG(MAC_BASE, 0x01C)
#define MAC_NP    LM3S_REG(MAC_BASE, 0x034)
#define MAC_TR    LM3S_REG(MAC_BASE, 0x038)

#define MAC_INT_RX    (1u << 0)
#define MAC_INT_TXER  (1u << 1)
#define MAC_INT_TXEMP (1u << 2)
#define MAC_INT_FOV   (1u << 3)
#define MAC_INT_RXER  (1u << 4)
#define MAC_INT_MD    (1u << 5)
#define MAC_INT_PHY   (1u << 6)
#define MAC_RCTL_RXEN    (1u << 0)
#define MAC_RCTL_AMUL    (1u << 1)
#define MAC_RCTL_PRMS    (1u << 2)
#define MAC_RCTL_BADCRC  (1u << 3)
#define MAC_RCTL_RSTFIFO (1u << 4)
#define MAC_TCTL_TXEN   (1u << 0)
#define MAC_TCTL_PADEN  (1u << 1)
#define MAC_TCTL_CRC    (1u << 2)
#define MAC_TR_NEWTX    (1u << 0)
#define MAC_THR_OFF     0x3fu
#define MAC_FIFO_BYTES  2048u

#endif
