/*
 * ADC, driver 0x5: single samples (blocking or with a callback), and
 * continuous sampling, which vmux offers processes only on a board that
 * grants them the capability for it; elsewhere it is refused (NOSUPPORT,
 * as Tock's virtualized ADC answers).
 *
 * Samples come as Tock's ADC gives them: left-justified to 16 bits, so
 * 0xfff0 is a 12-bit converter's largest reading and a 10-bit one's is
 * 0xffc0. vmux_adc_reading() turns a sample back into the converter's
 * reading, with the resolution vmux_adc_resolution_bits() told.
 */
#ifndef VMUX_LIBVMUX_ADC_H
#define VMUX_LIBVMUX_ADC_H

#include <stdint.h>

#define VMUX_DRIVER_ADC 0x5u

/* Command 0 answers with the channel count (Tock's ADC). */
int vmux_adc_channel_count(uint32_t *count);
int vmux_adc_resolution_bits(uint32_t channel, uint32_t *bits);
int vmux_adc_reference_mv(uint32_t channel, uint32_t *mv);

/* One sample of channel (left-justified to 16 bits). */
int vmux_adc_sample(uint32_t channel, uint32_t *value);

/* The converter's reading in a sample, for a converter of bits bits. */
static inline uint32_t vmux_adc_reading(uint32_t sample, uint32_t bits)
{
    return bits && bits < 16 ? sample >> (16 - bits) : sample;
}

/* Callback forms, cb(channel, value, ctx) from a yield: one sample, or a
 * sample every 1/hz s until vmux_adc_stop(). They share one callback. */
typedef void (*vmux_adc_cb)(uint32_t channel, uint32_t value, void *ctx);
int vmux_adc_sample_async(uint32_t channel, vmux_adc_cb cb, void *ctx);
int vmux_adc_continuous(uint32_t channel, uint32_t hz, vmux_adc_cb cb, void *ctx);
int vmux_adc_stop(void);

#endif
