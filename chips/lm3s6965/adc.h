/*
 * LM3S6965 ADC: struct hil_adc (hil/adc.h) on sample sequencer 3 (one
 * conversion per trigger), triggered by GPTM timer 1A.
 *
 * Trigger. Every conversion is started by timer 1A's ADC trigger output
 * (EMUX = timer; the timer's TAOTE bit): a single sample arms the timer
 * one-shot for LM3S_ADC_TRIGGER_US, a continuous or buffered run at hz
 * arms it periodic, sysclk / hz cycles apart (so samples do not drift).
 * The trigger is used even for single samples because QEMU implements
 * no processor trigger (its PSSI does nothing); real hardware behaves
 * the same way with it. QEMU's converter returns 0x200 plus 0..7 of
 * noise on every channel; a QEMU trigger pulse also puts two readings in
 * the FIFO where hardware puts one, so the top half keeps the newest
 * reading per interrupt.
 *
 * Interrupt. The sequencer's interrupt (IRQ 17) is the top half: it
 * acknowledges it, empties the sequencer FIFO (keeping the newest
 * reading) into a small ring of LM3S_ADC_RING readings and raises the
 * deferred call; a reading that finds the ring full is counted as an
 * overrun and dropped. The bottom half takes readings out of the ring:
 *   single      sample_done(ch, value, SUCCESS) for the first, and the
 *               converter is idle again before the call;
 *   continuous  sample_done for each, until stop() (from a callback too);
 *   buffered    copies them into the buffer; when it is full the timer
 *               stops and buffer_done(buf, len, SUCCESS) returns it.
 *
 * Rules (hil/adc.h): channel >= 4 VMUX_INVALID; hz outside
 * 1..LM3S_ADC_MAX_HZ VMUX_INVALID; NULL buffer VMUX_INVALID; len 0
 * VMUX_SIZE; any of these before VMUX_BUSY, which any request gets while
 * something runs or a completion is owed. stop(): a continuous run ends
 * silently; a single conversion is aborted silently unless its reading
 * is already in the ring (then VMUX_ALREADY and sample_done follows); a
 * buffered run ends with buffer_done(VMUX_CANCEL, count filled) from the
 * loop; VMUX_ALREADY when nothing runs.
 *
 * Storage in struct lm3s_adc (the board's, static); one instance.
 */
#ifndef VMUX_CHIPS_LM3S6965_ADC_H
#define VMUX_CHIPS_LM3S6965_ADC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/adc.h"
#include "kernel/deferred.h"

#define LM3S_ADC_CHANNELS 4u
#define LM3S_ADC_RESOLUTION_BITS 10u
#define LM3S_ADC_MAX_HZ 100000u
/* A single sample is taken 1 ms after the request, as a slow averaging
 * converter would (the host board's simulated ADC does the same): the
 * processes an alarm tick wakes together all ask for their sample before
 * it is taken, and the ADC mux serves them with one conversion. */
#define LM3S_ADC_TRIGGER_US 1000u
#define LM3S_ADC_RING 8u

enum lm3s_adc_mode {
    LM3S_ADC_IDLE,
    LM3S_ADC_SINGLE,
    LM3S_ADC_CONTINUOUS,
    LM3S_ADC_BUFFER,
    LM3S_ADC_BUFFER_ENDING,   /* buffer_done on its way */
};

struct lm3s_adc_counters {
    uint32_t conversions;     /* interrupts with a reading */
    uint32_t extra_readings;  /* further readings in the same interrupt */
    uint32_t overruns;        /* readings dropped: ring full */
};

struct lm3s_adc {
    struct hil_adc hil;
    volatile enum lm3s_adc_mode mode;
    unsigned channel;
    uint16_t *buf;
    size_t len, filled;
    vmux_err_t end_status;    /* of a buffered run that ended */
    uint16_t ring[LM3S_ADC_RING];
    volatile uint8_t ring_head, ring_count;
    struct deferred_call irq;
    struct lm3s_adc_counters counters;
};

/* Call after lm3s_clock_init(). VMUX_NOMEM when no deferred call is left. */
vmux_err_t lm3s_adc_init(struct lm3s_adc *adc);

#endif
