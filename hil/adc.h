/*
 * ADC HIL: a converter with numbered channels.
 *
 * Readings are unsigned and right-aligned: resolution_bits() tells how many
 * bits are significant (for example 10 or 12). A channel number at or
 * above channel_count() is VMUX_INVALID.
 *
 * sample(ch): one conversion; sample_done(ch, value, status) follows.
 * sample_continuous(ch, hz): conversions every 1/hz seconds until stop();
 *   sample_done follows for each, until stop() is called. Continuous mode
 *   holds the converter: every other request gets VMUX_BUSY.
 * sample_buffer(ch, hz, buf, len): len conversions at hz into buf;
 *   buffer_done(buf, count, status) returns the buffer.
 * stop(): ends continuous or buffered sampling. A buffered run ends with
 *   buffer_done(VMUX_CANCEL, count filled); continuous sampling ends
 *   silently. During a single conversion, stop() aborts it silently: no
 *   sample_done follows (this is how a client recovers from a conversion
 *   that never completes). VMUX_ALREADY when nothing runs, or when the
 *   conversion already finished and its sample_done is on its way.
 * Argument errors (VMUX_INVALID, VMUX_SIZE) are reported before VMUX_BUSY.
 * A conversion error reaches the client as sample_done/buffer_done with a
 * status other than VMUX_SUCCESS (value 0).
 */
#ifndef VMUX_HIL_ADC_H
#define VMUX_HIL_ADC_H

#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

struct hil_adc;

struct hil_adc_client {
    void (*sample_done)(struct hil_adc_client *self, unsigned channel,
                        uint16_t value, vmux_err_t status);
    void (*buffer_done)(struct hil_adc_client *self, unsigned channel,
                        uint16_t *buf, size_t count, vmux_err_t status);
};

struct hil_adc_ops {
    unsigned (*channel_count)(struct hil_adc *a);
    unsigned (*resolution_bits)(struct hil_adc *a);
    vmux_err_t (*sample)(struct hil_adc *a, unsigned channel);
    vmux_err_t (*sample_continuous)(struct hil_adc *a, unsigned channel, uint32_t hz);
    vmux_err_t (*sample_buffer)(struct hil_adc *a, unsigned channel, uint32_t hz,
                                uint16_t *buf, size_t len);
    vmux_err_t (*stop)(struct hil_adc *a);
};

struct hil_adc {
    const struct hil_adc_ops *ops;
    struct hil_adc_client *client;
};

static inline void hil_adc_set_client(struct hil_adc *a, struct hil_adc_client *c) { a->client = c; }
static inline unsigned hil_adc_channel_count(struct hil_adc *a) { return a->ops->channel_count(a); }
static inline unsigned hil_adc_resolution_bits(struct hil_adc *a) { return a->ops->resolution_bits(a); }
static inline vmux_err_t hil_adc_sample(struct hil_adc *a, unsigned ch) { return a->ops->sample(a, ch); }
static inline vmux_err_t hil_adc_sample_continuous(struct hil_adc *a, unsigned ch, uint32_t hz)
{
    return a->ops->sample_continuous(a, ch, hz);
}
static inline vmux_err_t hil_adc_sample_buffer(struct hil_adc *a, unsigned ch, uint32_t hz,
                                               uint16_t *buf, size_t len)
{
    return a->ops->sample_buffer(a, ch, hz, buf, len);
}
static inline vmux_err_t hil_adc_stop(struct hil_adc *a) { return a->ops->stop(a); }

#endif
