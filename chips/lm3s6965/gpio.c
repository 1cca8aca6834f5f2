#include "chips/lm3s6965/gpio.h"

#include <stddef.h>

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/platform.h"

static struct lm3s_gpio *ports[GPIO_PORTS];

static struct lm3s_gpio *of(struct hil_gpio *h)
{
    return container_of(h, struct lm3s_gpio, hil);
}

/* Ports A..E interrupt on IRQ 0..4, F and G on 30 and 31. */
static unsigned irq_of(unsigned port)
{
    return port <= 4u ? port : port + (LM3S_IRQ_GPIOF - 5u);
}

/* ------------------------------------------------------------ interrupts */

static void port_isr(unsigned port)
{
    uint32_t base = GPIO_BASE(port);
    uint8_t mis = (uint8_t)GPIO_MIS(base);
    GPIO_ICR(base) = mis;
    struct lm3s_gpio *g = ports[port];
    if (g == NULL || mis == 0)
        return;
    g->counters.interrupts++;
    if (g->pending & mis)
        g->counters.merged++;
    g->pending |= mis;
    g->levels = (uint8_t)((g->levels & ~mis) | GPIO_DATA(base, mis));
    deferred_call_raise(&g->irq);
}

void lm3s_gpioa_isr(void) { port_isr(0); }
void lm3s_gpiob_isr(void) { port_isr(1); }
void lm3s_gpioc_isr(void) { port_isr(2); }
void lm3s_gpiod_isr(void) { port_isr(3); }
void lm3s_gpioe_isr(void) { port_isr(4); }
void lm3s_gpiof_isr(void) { port_isr(5); }
void lm3s_gpiog_isr(void) { port_isr(6); }

static void bottom_half(struct deferred_call *dc)
{
    struct lm3s_gpio *g = container_of(dc, struct lm3s_gpio, irq);
    uint32_t state = platform_irq_save();
    uint8_t pending = g->pending, levels = g->levels;
    g->pending = 0;
    platform_irq_restore(state);
    struct hil_gpio_client *c = g->hil.client;
    for (unsigned pin = 0; pin < LM3S_GPIO_PINS && c; pin++)
        if (pending & (1u << pin))
            c->edge(c, &g->hil, pin, (levels >> pin) & 1u);
}

/* Forget a recorded edge of the pins in bits. */
static void drop_pending(struct lm3s_gpio *g, uint8_t bits)
{
    uint32_t state = platform_irq_save();
    g->pending &= (uint8_t)~bits;
    platform_irq_restore(state);
}

/* ------------------------------------------------------------ HIL ops */

static unsigned gpio_pin_count(struct hil_gpio *h)
{
    (void)h;
    return LM3S_GPIO_PINS;
}

/* Set (on) or clear the bits of a register. */
static void update(volatile uint32_t *reg, uint32_t bits, bool on)
{
    *reg = on ? *reg | bits : *reg & ~bits;
}

/* The pin as a GPIO: direction, pulls, digital enable. */
static vmux_err_t configure(struct hil_gpio *h, unsigned pin, bool output, unsigned pull, bool on)
{
    if (pin >= LM3S_GPIO_PINS || pull > HIL_GPIO_PULL_DOWN)
        return VMUX_INVALID;
    uint32_t base = of(h)->base, bit = 1u << pin;
    if (!on) {
        GPIO_IM(base) &= ~bit;
        drop_pending(of(h), (uint8_t)bit);
    }
    GPIO_AFSEL(base) &= ~bit;
    update(&GPIO_PUR(base), bit, pull == HIL_GPIO_PULL_UP);
    update(&GPIO_PDR(base), bit, pull == HIL_GPIO_PULL_DOWN);
    update(&GPIO_DIR(base), bit, output);
    update(&GPIO_DEN(base), bit, on);
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_configure_output(struct hil_gpio *h, unsigned pin)
{
    return configure(h, pin, true, HIL_GPIO_PULL_NONE, true);
}

static vmux_err_t gpio_configure_input(struct hil_gpio *h, unsigned pin, enum hil_gpio_pull pull)
{
    return configure(h, pin, false, (unsigned)pull, true);
}

static vmux_err_t gpio_disable(struct hil_gpio *h, unsigned pin)
{
    return configure(h, pin, false, HIL_GPIO_PULL_NONE, false);
}

static vmux_err_t gpio_write(struct hil_gpio *h, unsigned pin, bool level)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    GPIO_DATA(of(h)->base, 1u << pin) = level ? 0xffu : 0u;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_toggle(struct hil_gpio *h, unsigned pin)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    GPIO_DATA(of(h)->base, 1u << pin) ^= 0xffu;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_read(struct hil_gpio *h, unsigned pin, bool *level)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    *level = GPIO_DATA(of(h)->base, 1u << pin) != 0;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_enable_interrupt(struct hil_gpio *h, unsigned pin, enum hil_gpio_edge edge)
{
    if (pin >= LM3S_GPIO_PINS || edge < HIL_GPIO_EDGE_RISING || edge > HIL_GPIO_EDGE_BOTH)
        return VMUX_INVALID;
    uint32_t base = of(h)->base, bit = 1u << pin;
    GPIO_IM(base) &= ~bit;
    GPIO_IS(base) &= ~bit;
    update(&GPIO_IBE(base), bit, edge == HIL_GPIO_EDGE_BOTH);
    update(&GPIO_IEV(base), bit, edge == HIL_GPIO_EDGE_RISING);
    GPIO_ICR(base) = bit;
    GPIO_IM(base) |= bit;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_disable_interrupt(struct hil_gpio *h, unsigned pin)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    GPIO_IM(of(h)->base) &= ~(1u << pin);
    drop_pending(of(h), (uint8_t)(1u << pin));
    return VMUX_SUCCESS;
}

static const struct hil_gpio_ops lm3s_gpio_ops = {
    .pin_count = gpio_pin_count,
    .configure_output = gpio_configure_output,
    .configure_input = gpio_configure_input,
    .disable = gpio_disable,
    .write = gpio_write,
    .toggle = gpio_toggle,
    .read = gpio_read,
    .enable_interrupt = gpio_enable_interrupt,
    .disable_interrupt = gpio_disable_interrupt,
};

vmux_err_t lm3s_gpio_init(struct lm3s_gpio *g, unsigned port)
{
    if (port >= GPIO_PORTS)
        return VMUX_INVALID;
    if (ports[port] != NULL)
        return VMUX_ALREADY;
    vmux_err_t err = deferred_call_register(&g->irq, bottom_half);
    if (err != VMUX_SUCCESS)
        return err;
    g->hil.ops = &lm3s_gpio_ops;
    g->hil.client = NULL;
    g->base = GPIO_BASE(port);
    g->pending = 0;
    lm3s_clock_enable(0, 0, RCGC2_GPIO(port));
    GPIO_IM(g->base) = 0;
    ports[port] = g;
    nvic_enable_irq(irq_of(port));
    return VMUX_SUCCESS;
}
