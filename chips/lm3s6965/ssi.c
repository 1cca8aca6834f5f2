#include "chips/lm3s6965/ssi.h"

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/platform.h"

#define SSI_PINS ((1u << 2) | (1u << 4) | (1u << 5)) /* PA2 clock, PA4 in, PA5 out */

static struct lm3s_ssi *ssi0;

static struct lm3s_ssi *of(struct hil_spi *h)
{
    return container_of(h, struct lm3s_ssi, hil);
}

/* Bytes in, then bytes out; at the end, the bottom half. */
void lm3s_ssi0_irq(void)
{
    struct lm3s_ssi *s = ssi0;
    SSI_ICR = SSI_INT_RT;
    if (!s->busy) { /* aborted while this interrupt was pending */
        SSI_IM = 0;
        return;
    }
    for (;;) {
        while (SSI_SR & SSI_SR_RNE) {
            uint8_t b = (uint8_t)SSI_DR;
            if (s->got < s->len) {
                if (s->read)
                    s->read[s->got] = b;
                s->got++;
            }
        }
        unsigned sent = s->sent;
        while (s->sent < s->len && (unsigned)(s->sent - s->got) < SSI_FIFO_DEPTH &&
               (SSI_SR & SSI_SR_TNF))
            SSI_DR = s->write[s->sent++];
        if (s->sent == sent)
            break; /* nothing more to send now: wait for the bytes in flight */
    }
    if (s->got == s->len) {
        SSI_IM = 0;
        deferred_call_raise(&s->irq);
    } else {
        SSI_IM = s->sent < s->len ? SSI_INT_TX | SSI_INT_RX | SSI_INT_RT : SSI_INT_RX | SSI_INT_RT;
    }
}

static void bottom_half(struct deferred_call *dc)
{
    struct lm3s_ssi *s = container_of(dc, struct lm3s_ssi, irq);
    if (!s->busy || s->got != s->len)
        return; /* aborted */
    s->busy = false;
    s->hil.client->transfer_done(s->hil.client, s->write, s->read, s->len, VMUX_SUCCESS);
}

static vmux_err_t ssi_configure(struct hil_spi *h, unsigned mode, uint32_t rate_hz)
{
    if (mode > HIL_SPI_MODE_3 || rate_hz == 0)
        return VMUX_INVALID;
    if (of(h)->busy)
        return VMUX_BUSY;
    /* rate = sysclk / (cpsdvsr * (1 + scr)): cpsdvsr even, 2..254; scr 0..255 */
    uint32_t sysclk = lm3s_sysclk_hz(), cpsdvsr = 2, scr;
    for (;;) {
        scr = (sysclk + cpsdvsr * rate_hz - 1u) / (cpsdvsr * rate_hz);
        if (scr <= 256u || cpsdvsr == 254u)
            break;
        cpsdvsr += 2u;
    }
    scr = scr > 256u ? 255u : scr - 1u; /* scr >= 1: sysclk >= rate * cpsdvsr * 1 */
    SSI_CR1 = 0;
    SSI_CPSR = cpsdvsr;
    SSI_CR0 = scr << 8 | (mode & HIL_SPI_CPHA ? SSI_CR0_SPH : 0) |
              (mode & HIL_SPI_CPOL ? SSI_CR0_SPO : 0) | SSI_CR0_8BIT;
    SSI_CR1 = SSI_CR1_SSE;
    return VMUX_SUCCESS;
}

static vmux_err_t ssi_transfer(struct hil_spi *h, const uint8_t *write, uint8_t *read, size_t len)
{
    struct lm3s_ssi *s = of(h);
    if (write == NULL)
        return VMUX_INVALID;
    if (len == 0 || len > UINT16_MAX)
        return VMUX_SIZE;
    if (s->busy)
        return VMUX_BUSY;
    s->write = write;
    s->read = read;
    s->len = (uint16_t)len;
    s->sent = s->got = 0;
    s->busy = true;
    SSI_IM = SSI_INT_TX; /* the transmit FIFO is empty: the top half starts it */
    return VMUX_SUCCESS;
}

static void ssi_abort(struct hil_spi *h)
{
    uint32_t state = platform_irq_save();
    SSI_IM = 0;
    of(h)->busy = false;
    platform_irq_restore(state);
    while (SSI_SR & SSI_SR_RNE)
        (void)SSI_DR;
}

static const struct hil_spi_ops lm3s_ssi_ops = {
    .configure = ssi_configure,
    .transfer = ssi_transfer,
    .abort = ssi_abort,
};

vmux_err_t lm3s_ssi0_init(struct lm3s_ssi *s)
{
    *s = (struct lm3s_ssi){ .hil.ops = &lm3s_ssi_ops };
    vmux_err_t err = deferred_call_register(&s->irq, bottom_half);
    if (err != VMUX_SUCCESS)
        return err;
    ssi0 = s;
    lm3s_clock_enable(0, RCGC1_SSI0, RCGC2_GPIOA);
    GPIO_AFSEL(GPIOA_BASE) |= SSI_PINS;
    GPIO_DEN(GPIOA_BASE) |= SSI_PINS;
    ssi_configure(&s->hil, HIL_SPI_MODE_0, 1000000u);
    nvic_enable_irq(LM3S_IRQ_SSI0);
    return VMUX_SUCCESS;
}
