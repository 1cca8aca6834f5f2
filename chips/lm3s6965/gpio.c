#include "chips/lm3s6965/gpio.h"

#include <stddef.h>

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/deferred.h"
#include "kernel/platform.h"

static struct lm3s_gpio *ports[GPIO_PORTS];
static struct deferred_call edges; /* one bottom half for every port */

static struct lm3s_gpio *of(struct hil_gpio *h)
{
    return container_of(h, struct lm3s_gpio, hil);
}

static uint32_t base_of(const struct lm3s_gpio *g)
{
    return GPIO_BASE(g->port);
}

/* Set (on) or clear the bits of a register. */
static void update(volatile uint32_t *reg, uint32_t bits, bool on)
{
    *reg = on ? *reg | bits : *reg & ~bits;
}

/* Ports A..E interrupt on IRQ 0..4, F and G on 30 and 31. */
static unsigned irq_of(unsigned port)
{
    return port <= 4u ? port : port + (LM3S_IRQ_GPIOF - 5u);
}

/* ------------------------------------------------------------ interrupts */

/* Every port's IRQ. Which one it is, is in IPSR (the exception number:
 * IRQ + 16); its NVIC line is enabled only once the port has an
 * instance. */
static void gpio_isr(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    unsigned irq = (ipsr & 0x1ffu) - 16u;
    struct lm3s_gpio *g = ports[irq <= 4u ? irq : irq - (LM3S_IRQ_GPIOF - 5u)];
    uint32_t base = base_of(g);
    uint8_t mis = (uint8_t)GPIO_MIS(base);
    GPIO_ICR(base) = mis;
    if (g->pending & mis)
        g->merged++;
    g->pending |= mis;
    g->levels = (uint8_t)((g->levels & ~mis) | GPIO_DATA(base, mis));
    deferred_call_raise(&edges);
}

void lm3s_gpioa_isr(void) __attribute__((alias("gpio_isr")));
void lm3s_gpiob_isr(void) __attribute__((alias("gpio_isr")));
void lm3s_gpioc_isr(void) __attribute__((alias("gpio_isr")));
void lm3s_gpiod_isr(void) __attribute__((alias("gpio_isr")));
void lm3s_gpioe_isr(void) __attribute__((alias("gpio_isr")));
void lm3s_gpiof_isr(void) __attribute__((alias("gpio_isr")));
void lm3s_gpiog_isr(void) __attribute__((alias("gpio_isr")));

/* Each port's recorded edges, port by port, pin by pin. */
static void bottom_half(struct deferred_call *dc)
{
    (void)dc;
    for (unsigned port = 0; port < GPIO_PORTS; port++) {
        struct lm3s_gpio *g = ports[port];
        if (g == NULL)
            continue;
        uint32_t state = platform_irq_save();
        uint8_t pending = g->pending, levels = g->levels;
        g->pending = 0;
        platform_irq_restore(state);
        struct hil_gpio_client *c = g->hil.client;
        for (unsigned pin = 0; pin < LM3S_GPIO_PINS && c; pin++)
            if (pending & (1u << pin))
                c->edge(c, &g->hil, pin, (levels >> pin) & 1u);
    }
}

/* Edges of the pin from now on: none, or which (IS clear: edges). */
static vmux_err_t gpio_interrupt(struct hil_gpio *h, unsigned pin, enum hil_gpio_edge edges)
{
    if (pin >= LM3S_GPIO_PINS || edges > HIL_GPIO_EDGE_BOTH)
        return VMUX_INVALID;
    struct lm3s_gpio *g = of(h);
    uint32_t base = base_of(g), bit = 1u << pin;
    GPIO_IM(base) &= ~bit;
    uint32_t state = platform_irq_save();
    g->pending &= (uint8_t)~bit;
    platform_irq_restore(state);
    if (edges == HIL_GPIO_EDGE_NONE)
        return VMUX_SUCCESS;
    GPIO_IS(base) &= ~bit;
    update(&GPIO_IBE(base), bit, edges == HIL_GPIO_EDGE_BOTH);
    update(&GPIO_IEV(base), bit, edges == HIL_GPIO_EDGE_RISING);
    GPIO_ICR(base) = bit;
    GPIO_IM(base) |= bit;
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ HIL ops */

static unsigned gpio_pin_count(struct hil_gpio *h)
{
    (void)h;
    return LM3S_GPIO_PINS;
}

/* The pin as a GPIO: direction, pulls, digital enable. */
static vmux_err_t gpio_configure(struct hil_gpio *h, unsigned pin, enum hil_gpio_mode mode)
{
    if (pin >= LM3S_GPIO_PINS || mode > HIL_GPIO_INPUT_PULL_DOWN)
        return VMUX_INVALID;
    uint32_t base = base_of(of(h)), bit = 1u << pin;
    if (mode == HIL_GPIO_DISABLED)
        gpio_interrupt(h, pin, HIL_GPIO_EDGE_NONE);
    GPIO_AFSEL(base) &= ~bit;
    update(&GPIO_PUR(base), bit, mode == HIL_GPIO_INPUT_PULL_UP);
    update(&GPIO_PDR(base), bit, mode == HIL_GPIO_INPUT_PULL_DOWN);
    update(&GPIO_DIR(base), bit, mode == HIL_GPIO_OUTPUT);
    update(&GPIO_DEN(base), bit, mode != HIL_GPIO_DISABLED);
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_write(struct hil_gpio *h, unsigned pin, bool level)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    GPIO_DATA(base_of(of(h)), 1u << pin) = level ? 0xffu : 0u;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_toggle(struct hil_gpio *h, unsigned pin)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    GPIO_DATA(base_of(of(h)), 1u << pin) ^= 0xffu;
    return VMUX_SUCCESS;
}

static vmux_err_t gpio_read(struct hil_gpio *h, unsigned pin, bool *level)
{
    if (pin >= LM3S_GPIO_PINS)
        return VMUX_INVALID;
    *level = GPIO_DATA(base_of(of(h)), 1u << pin) != 0;
    return VMUX_SUCCESS;
}

static const struct hil_gpio_ops lm3s_gpio_ops = {
    .pin_count = gpio_pin_count,
    .configure = gpio_configure,
    .write = gpio_write,
    .toggle = gpio_toggle,
    .read = gpio_read,
    .interrupt = gpio_interrupt,
};

vmux_err_t lm3s_gpio_init(struct lm3s_gpio *g, unsigned port)
{
    if (port >= GPIO_PORTS)
        return VMUX_INVALID;
    if (!edges.registered) {
        vmux_err_t err = deferred_call_register(&edges, bottom_half);
        if (err != VMUX_SUCCESS)
            return err;
    }
    g->hil.ops = &lm3s_gpio_ops;
    g->hil.client = NULL;
    g->port = (uint8_t)port;
    g->pending = 0;
    g->merged = 0;
    lm3s_clock_enable(0, 0, RCGC2_GPIO(port));
    GPIO_IM(base_of(g)) = 0;
    ports[port] = g;
    nvic_enable_irq(irq_of(port));
    return VMUX_SUCCESS;
}
