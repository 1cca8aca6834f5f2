#include "chips/lm3s6965/uart.h"

#include <string.h>

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "chips/lm3s6965/timebase.h"
#include "kernel/muldiv.h"
#include "kernel/platform.h"

#define RX_INTERRUPTS (UART_INT_RX | UART_INT_RT)

static struct lm3s_uart *uart0;

static struct lm3s_uart *of(struct hil_uart *h)
{
    return container_of(h, struct lm3s_uart, hil);
}

/* The operation is over: its interrupts off, and the bottom half will
 * hand the buffer back. */
__attribute__((noinline)) /* from four places: smaller as a call */
static void finish(struct lm3s_uart *u, struct lm3s_uart_dir *d, uint32_t interrupts,
                   vmux_err_t status)
{
    UART_IM(u->base) &= ~interrupts;
    d->op = LM3S_UART_FINISHING;
    d->status = status;
    deferred_call_raise(&d->done);
}

/* ------------------------------------------------------------ top half */

/* At most one FIFO's worth per call, so an interrupt stays short. */
static void fill_tx(struct lm3s_uart *u)
{
    struct lm3s_uart_dir *tx = &u->tx;
    for (unsigned n = 0; n < UART_FIFO_DEPTH && tx->count < tx->len; n++) {
        if (UART_FR(u->base) & UART_FR_TXFF)
            break;
        UART_DR(u->base) = tx->buf[tx->count++];
    }
}

static void drain_rx(struct lm3s_uart *u)
{
    struct lm3s_uart_dir *rx = &u->rx;
    size_t count = rx->count;
    while (count < rx->len && !(UART_FR(u->base) & UART_FR_RXFE)) {
        uint32_t d = UART_DR(u->base);
        if (d & UART_DR_OE)
            u->counters.overruns++;
        if (d & (UART_DR_ERRORS & ~UART_DR_OE))
            u->counters.line_errors++;
        rx->buf[count++] = (uint8_t)d;
    }
    if (count != rx->count) {
        u->counters.received += (uint32_t)(count - rx->count);
        rx->count = count;
        u->last_rx = lm3s_timebase_now();
    }
}

static void service(struct lm3s_uart *u)
{
    uint32_t mis = UART_MIS(u->base);
    UART_ICR(u->base) = mis;
    u->counters.interrupts++;

    if (u->tx.op == LM3S_UART_RUNNING) {
        fill_tx(u);
        if (u->tx.count == u->tx.len)
            finish(u, &u->tx, UART_INT_TX, VMUX_SUCCESS);
    }

    if (u->rx.op != LM3S_UART_RUNNING) {
        /* Bytes wait in the FIFO for the next receive. */
        UART_IM(u->base) &= ~RX_INTERRUPTS;
        return;
    }
    drain_rx(u);
    if (mis & UART_INT_RT) {
        u->rx_idle = true;
        u->counters.idle_by_timeout++;
    }
    if (u->rx.count == u->rx.len)
        finish(u, &u->rx, RX_INTERRUPTS, VMUX_SUCCESS);
    else if (u->rx.count > 0) {
        deferred_call_raise(&u->rx.done);   /* decides about idle */
    }
}

void lm3s_uart0_isr(void)
{
    if (uart0)
        service(uart0);
    else
        UART_IM(UART0_BASE) = 0;
}

/* ------------------------------------------------------------ bottom halves */

static void deliver(struct lm3s_uart *u, struct lm3s_uart_dir *d, bool transmit)
{
    uint8_t *buf = d->buf;
    size_t count = d->count;
    vmux_err_t status = d->status;
    d->op = LM3S_UART_IDLE;
    d->buf = NULL;
    if (transmit)
        u->counters.sent += (uint32_t)count;
    struct hil_uart_client *c = u->hil.client;
    if (c == NULL)
        return;
    if (transmit && c->transmit_done)
        c->transmit_done(c, buf, count, status);
    if (!transmit && c->receive_done)
        c->receive_done(c, buf, count, status);
}

static void transmit_bottom_half(struct deferred_call *dc)
{
    struct lm3s_uart *u = container_of(dc, struct lm3s_uart, tx.done);
    if (u->tx.op == LM3S_UART_FINISHING)
        deliver(u, &u->tx, true);
}

static void receive_bottom_half(struct deferred_call *dc)
{
    struct lm3s_uart *u = container_of(dc, struct lm3s_uart, rx.done);
    uint32_t state = platform_irq_save();
    if (u->rx.op == LM3S_UART_RUNNING && u->rx.count > 0) {
        uint32_t quiet = lm3s_timebase_now() - u->last_rx;
        if (u->rx_idle || quiet >= u->char_ticks) {
            UART_IM(u->base) &= ~RX_INTERRUPTS;
            u->rx.op = LM3S_UART_FINISHING;
            u->rx.status = VMUX_SUCCESS;
        } else {
            deferred_call_raise(&u->rx.done);   /* look again next turn */
        }
    }
    bool finishing = u->rx.op == LM3S_UART_FINISHING;
    platform_irq_restore(state);
    if (finishing)
        deliver(u, &u->rx, false);
}

/* ------------------------------------------------------------ HIL ops */

static vmux_err_t check_request(const struct lm3s_uart_dir *d, const uint8_t *buf, size_t len)
{
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (d->op != LM3S_UART_IDLE)
        return VMUX_BUSY;
    return VMUX_SUCCESS;
}

static void start(struct lm3s_uart_dir *d, uint8_t *buf, size_t len)
{
    d->buf = buf;
    d->len = len;
    d->count = 0;
    d->status = VMUX_SUCCESS;
    d->op = LM3S_UART_RUNNING;
}

static vmux_err_t uart_transmit(struct hil_uart *h, uint8_t *buf, size_t len)
{
    struct lm3s_uart *u = of(h);
    vmux_err_t err = check_request(&u->tx, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    uint32_t state = platform_irq_save();
    start(&u->tx, buf, len);
    fill_tx(u);
    if (u->tx.count == u->tx.len)
        finish(u, &u->tx, 0, VMUX_SUCCESS);   /* all in the FIFO */
    else
        UART_IM(u->base) |= UART_INT_TX;
    platform_irq_restore(state);
    return VMUX_SUCCESS;
}

static vmux_err_t uart_receive(struct hil_uart *h, uint8_t *buf, size_t len)
{
    struct lm3s_uart *u = of(h);
    vmux_err_t err = check_request(&u->rx, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    uint32_t state = platform_irq_save();
    start(&u->rx, buf, len);
    u->rx_idle = false;
    UART_IM(u->base) |= RX_INTERRUPTS;
    /* Take what is already in the FIFO as soon as interrupts are on. */
    nvic_set_pending(LM3S_IRQ_UART0);
    platform_irq_restore(state);
    return VMUX_SUCCESS;
}

/* Cancel what runs, or recall a completion not yet delivered. */
static vmux_err_t abort_dir(struct lm3s_uart *u, struct lm3s_uart_dir *d, uint32_t interrupts)
{
    vmux_err_t result = VMUX_SUCCESS;
    uint32_t state = platform_irq_save();
    if (d->op == LM3S_UART_RUNNING) {
        finish(u, d, interrupts, VMUX_CANCEL);
    } else if (d->op == LM3S_UART_FINISHING && d->status != VMUX_CANCEL) {
        d->status = VMUX_CANCEL;
    } else {
        result = VMUX_ALREADY;
    }
    platform_irq_restore(state);
    return result;
}

static vmux_err_t uart_abort_transmit(struct hil_uart *h)
{
    struct lm3s_uart *u = of(h);
    return abort_dir(u, &u->tx, UART_INT_TX);
}

static vmux_err_t uart_abort_receive(struct hil_uart *h)
{
    struct lm3s_uart *u = of(h);
    return abort_dir(u, &u->rx, RX_INTERRUPTS);
}

static const struct hil_uart_ops lm3s_uart_ops = {
    .transmit = uart_transmit,
    .receive = uart_receive,
    .abort_transmit = uart_abort_transmit,
    .abort_receive = uart_abort_receive,
};

/* ------------------------------------------------------------ setup */

static void configure(uint32_t base, uint32_t baud)
{
    /* Divisor in 64ths: sysclk / (16 * baud), rounded. */
    uint32_t div64 = (muldiv32(lm3s_sysclk_hz(), 8u, baud) + 1u) / 2u;
    UART_CTL(base) = 0;
    UART_IBRD(base) = div64 >> 6;
    UART_FBRD(base) = div64 & 63u;
    UART_LCRH(base) = UART_LCRH_WLEN_8 | UART_LCRH_FEN;   /* latches the divisor */
    UART_IFLS(base) = UART_IFLS_TX_1_8 | UART_IFLS_RX_1_2;
    UART_IM(base) = 0;
    UART_ICR(base) = 0x7ffu;
    UART_CTL(base) = UART_CTL_UARTEN | UART_CTL_TXE | UART_CTL_RXE;
}

vmux_err_t lm3s_uart0_init(struct lm3s_uart *u, uint32_t baud)
{
    if (u == NULL)
        return VMUX_INVALID;
    if (baud == 0)
        baud = LM3S_UART_DEFAULT_BAUD;
    memset(u, 0, sizeof *u);
    u->hil.ops = &lm3s_uart_ops;
    u->base = UART0_BASE;
    u->char_ticks = muldiv32(lm3s_timebase_hz(), 10u, baud) + 1u;
    if (deferred_call_register(&u->tx.done, transmit_bottom_half) != VMUX_SUCCESS ||
        deferred_call_register(&u->rx.done, receive_bottom_half) != VMUX_SUCCESS)
        return VMUX_NOMEM;

    lm3s_clock_enable(0, RCGC1_UART0, RCGC2_GPIOA);
    GPIO_AFSEL(GPIOA_BASE) |= 0x3u;    /* PA0 = U0Rx, PA1 = U0Tx */
    GPIO_DEN(GPIOA_BASE) |= 0x3u;
    configure(u->base, baud);
    uart0 = u;
    nvic_enable_irq(LM3S_IRQ_UART0);
    return VMUX_SUCCESS;
}

bool lm3s_uart_tx_idle(const struct lm3s_uart *u)
{
    uint32_t fr = UART_FR(u->base);
    return u->tx.op == LM3S_UART_IDLE && (fr & UART_FR_TXFE) && !(fr & UART_FR_BUSY);
}

void lm3s_uart0_putc_polled(char c)
{
    /* Works before init too: enable the port as it stands. */
    if (!(UART_CTL(UART0_BASE) & UART_CTL_UARTEN))
        configure(UART0_BASE, LM3S_UART_DEFAULT_BAUD);
    while (UART_FR(UART0_BASE) & UART_FR_TXFF)
        ;
    UART_DR(UART0_BASE) = (uint8_t)c;
}
