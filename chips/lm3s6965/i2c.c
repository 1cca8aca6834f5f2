#include "chips/lm3s6965/i2c.h"

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/platform.h"

#define I2C_PINS ((1u << 2) | (1u << 3)) /* PB2 clock, PB3 data */
#define GPIOB_BASE GPIO_BASE(1u)
#define I2C_HZ 100000u

enum { IDLE, WRITING, READING, ENDED };

static struct lm3s_i2c *i2c0;

static struct lm3s_i2c *of(struct hil_i2c *h)
{
    return container_of(h, struct lm3s_i2c, hil);
}

/* Start the next byte; a START that fails at once (QEMU: nobody at the
 * address) raises no interrupt of its own, so pend it. */
static void command(uint32_t mcs)
{
    I2C_MCS = mcs;
    if ((I2C_MCS & (I2C_MCS_BUSY | I2C_MCS_ERROR)) == I2C_MCS_ERROR && !(I2C_MRIS & 1u))
        NVIC_ISPR(0) = 1u << LM3S_IRQ_I2C0;
}

/* The first byte of a part: its address, START, STOP too when alone. */
static void start_part(struct lm3s_i2c *i, bool read)
{
    uint16_t len = read ? i->read_len : i->write_len;
    i->phase = read ? READING : WRITING;
    i->at = 0;
    I2C_MSA = (uint32_t)i->address << 1 | read;
    if (!read)
        I2C_MDR = i->buf[0];
    command(I2C_MCS_START | I2C_MCS_RUN | (len == 1 ? I2C_MCS_STOP : read ? I2C_MCS_ACK : 0));
}

static void end(struct lm3s_i2c *i, vmux_err_t status)
{
    i->status = status;
    i->phase = ENDED;
    deferred_call_raise(&i->irq);
}

void lm3s_i2c0_irq(void)
{
    struct lm3s_i2c *i = i2c0;
    I2C_MICR = 1u;
    uint32_t mcs = I2C_MCS;
    if (i->phase == IDLE || i->phase == ENDED || (mcs & I2C_MCS_BUSY))
        return;
    if (mcs & I2C_MCS_ERROR) {
        if (mcs & I2C_MCS_BUSBSY)
            I2C_MCS = I2C_MCS_STOP;
        end(i, mcs & (I2C_MCS_ADRACK | I2C_MCS_DATACK | I2C_MCS_ARBLST) ? VMUX_NOACK : VMUX_FAIL);
        return;
    }
    bool reading = i->phase == READING;
    uint16_t len = reading ? i->read_len : i->write_len;
    if (reading)
        i->buf[i->at] = (uint8_t)I2C_MDR;
    if (++i->at < len) {
        if (!reading)
            I2C_MDR = i->buf[i->at];
        command(I2C_MCS_RUN | (i->at + 1u == len ? I2C_MCS_STOP : reading ? I2C_MCS_ACK : 0));
    } else if (!reading && i->read_len) {
        start_part(i, true);
    } else {
        end(i, VMUX_SUCCESS);
    }
}

static void bottom_half(struct deferred_call *dc)
{
    struct lm3s_i2c *i = container_of(dc, struct lm3s_i2c, irq);
    if (i->phase != ENDED)
        return; /* reset meanwhile */
    i->phase = IDLE;
    i->hil.client->done(i->hil.client, i->buf, i->status);
}

static vmux_err_t i2c_transfer(struct hil_i2c *h, unsigned addr, uint8_t *buf, size_t write_len,
                               size_t read_len)
{
    struct lm3s_i2c *i = of(h);
    if (addr > HIL_I2C_ADDRESS_MAX || buf == NULL)
        return VMUX_INVALID;
    if ((write_len | read_len) == 0 || write_len > UINT16_MAX || read_len > UINT16_MAX)
        return VMUX_SIZE;
    if (i->phase != IDLE)
        return VMUX_BUSY;
    i->buf = buf;
    i->address = (uint8_t)addr;
    i->write_len = (uint16_t)write_len;
    i->read_len = (uint16_t)read_len;
    start_part(i, write_len == 0);
    return VMUX_SUCCESS;
}

static void master_on(void)
{
    I2C_MCR = I2C_MCR_MFE;
    I2C_MTPR = lm3s_sysclk_hz() / (20u * I2C_HZ) - 1u; /* SCL = sysclk / (20 (1 + TPR)) */
    I2C_MIMR = 1u;
}

static void i2c_reset(struct hil_i2c *h)
{
    uint32_t state = platform_irq_save();
    of(h)->phase = IDLE;
    if (I2C_MCS & I2C_MCS_BUSBSY)
        I2C_MCS = I2C_MCS_STOP;
    I2C_MCR = 0;
    master_on();
    I2C_MICR = 1u;
    NVIC_ICPR(0) = 1u << LM3S_IRQ_I2C0;
    platform_irq_restore(state);
}

static const struct hil_i2c_ops lm3s_i2c_ops = {
    .transfer = i2c_transfer,
    .reset = i2c_reset,
};

vmux_err_t lm3s_i2c0_init(struct lm3s_i2c *i)
{
    *i = (struct lm3s_i2c){ .hil.ops = &lm3s_i2c_ops };
    vmux_err_t err = deferred_call_register(&i->irq, bottom_half);
    if (err != VMUX_SUCCESS)
        return err;
    i2c0 = i;
    lm3s_clock_enable(0, RCGC1_I2C0, RCGC2_GPIO(1u));
    GPIO_AFSEL(GPIOB_BASE) |= I2C_PINS;
    GPIO_ODR(GPIOB_BASE) |= I2C_PINS;
    GPIO_DEN(GPIOB_BASE) |= I2C_PINS;
    master_on();
    nvic_enable_irq(LM3S_IRQ_I2C0);
    return VMUX_SUCCESS;
}
