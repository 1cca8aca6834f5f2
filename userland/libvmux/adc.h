/*
 * ADC, driver 0x5: single samples (blocking or with a callback), and
 * continuous sampling, which vmux offers processes only on a board that
 * grants them the capability for it; elsewhere it is refused (NOSUPPORT,
 * as Tock's virtualized ADC answers).
 */
#ifndef VMUX_LIBVMUX_ADC_H
#define VMUX_LIBVMUX_ADC_H

#include <stdint.h>

#define VMUX_DRIVER_ADC 0x5u

/* Command 0 answers with the channel count (Tock's ADC). */
int vmux_adc_channel_count(uint32_t *count);
int vmux_adc_resolution_bits(uint32_t channel, uint32_t *bits);
int vmux_adc_reference_mv(uint32_t channel, uint32_t *mv);

/* One sample of channel. */
int vmux_adc_sample(uint32_t channel, uint32_t *value);

/* Callback forms, cb(channel, value, ctx) from a yield: one sample, or a
 * sample every 1/hz s until vmux_adc_stop(). They share one callback. */
typedef void (*vmux_adc_cb)(uint32_t channel, uint32_t value, void *ctx);
int vmux_adc_sample_async(uint32_t channel, vmux_adc_cb cb, void *ctx);
int vmux_adc_continuous(uint32_t channel, uint32_t hz, vmux_adc_cb cb, void *ctx);
int vmux_adc_stop(void);

#endif
