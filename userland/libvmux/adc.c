/*
 * ADC, driver 0x5 (Tock's numbers): command 0 channel count, 1 single
 * sample (channel), 2 continuous (channel, hz), 5 stop, 101 resolution,
 * 102 reference voltage; upcall 0 with (mode, channel, value), mode 0
 * for a single sample and 1 for a continuous one.
 */
#include "adc.h"

#include "syscall.h"

enum {
    CMD_CHANNELS = 0,
    CMD_SINGLE = 1,
    CMD_CONTINUOUS = 2,
    CMD_STOP = 5,
    CMD_RESOLUTION = 101,
    CMD_REFERENCE = 102,
    UPCALL_SAMPLE = 0,
    MODE_SINGLE = 0,
    MODE_CONTINUOUS = 1,
};

static int command_u32(uint32_t command, uint32_t arg, uint32_t *out)
{
    return vmux_result_u32(vmux_command(VMUX_DRIVER_ADC, command, arg, 0), out);
}

int vmux_adc_channel_count(uint32_t *count)
{
    return command_u32(CMD_CHANNELS, 0, count);
}

int vmux_adc_resolution_bits(uint32_t channel, uint32_t *bits)
{
    return command_u32(CMD_RESOLUTION, channel, bits);
}

int vmux_adc_reference_mv(uint32_t channel, uint32_t *mv)
{
    return command_u32(CMD_REFERENCE, channel, mv);
}

int vmux_adc_sample(uint32_t channel, uint32_t *value)
{
    struct vmux_upcall_args s;
    int err = vmux_command_wait(VMUX_DRIVER_ADC, UPCALL_SAMPLE, CMD_SINGLE, channel, 0, &s);
    /* samples of a continuous run of ours may come first */
    while (err == VMUX_OK && s.a0 != MODE_SINGLE)
        s = vmux_yield_wait_for(VMUX_DRIVER_ADC, UPCALL_SAMPLE);
    if (err == VMUX_OK)
        *value = s.a2;
    return err;
}

static struct {
    vmux_adc_cb cb;
    void *ctx;
} sampler;

static void sampled(uint32_t mode, uint32_t channel, uint32_t value, uintptr_t appdata)
{
    (void)appdata;
    if ((mode == MODE_SINGLE || mode == MODE_CONTINUOUS) && sampler.cb)
        sampler.cb(channel, value, sampler.ctx);
}

static int start(uint32_t command, uint32_t channel, uint32_t hz, vmux_adc_cb cb, void *ctx)
{
    sampler.cb = cb;
    sampler.ctx = ctx;
    return vmux_command_async(VMUX_DRIVER_ADC, UPCALL_SAMPLE, sampled, 0, command, channel, hz);
}

int vmux_adc_sample_async(uint32_t channel, vmux_adc_cb cb, void *ctx)
{
    return start(CMD_SINGLE, channel, 0, cb, ctx);
}

int vmux_adc_continuous(uint32_t channel, uint32_t hz, vmux_adc_cb cb, void *ctx)
{
    return start(CMD_CONTINUOUS, channel, hz, cb, ctx);
}

int vmux_adc_stop(void)
{
    return vmux_command_status(VMUX_DRIVER_ADC, CMD_STOP, 0, 0);
}
