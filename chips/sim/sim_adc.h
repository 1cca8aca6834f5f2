/*
 * Simulated ADC: struct hil_adc on the host board's simulated clock.
 *
 * Contract (see hil/adc.h), with the simulation's own rules:
 *
 * Signal. Every channel carries a deterministic signal, a pure function of
 * the seed, the channel and the simulated time: sim_adc_model_value(). A
 * conversion's value is the model at the instant the conversion completes,
 * so a test predicts any reading from the completion time alone.
 *
 * Timing. A single conversion started at t0 completes at
 * t0 + conversion_ns. A continuous or buffered run started at t0 at hz
 * completes its k-th conversion (k = 0, 1, ...) at
 *     t0 + conversion_ns + floor(k * 1e9 / hz)
 * (no drift for rates that do not divide a second). Each completion is a
 * simulated event; it plays the interrupt by raising the ADC's deferred
 * call, and the client is called from the kernel loop, never from inside a
 * request. hz must be 1..SIM_ADC_MAX_HZ and leave a period no shorter than
 * the conversion time; otherwise VMUX_INVALID.
 *
 * Busy. One operation at a time: from a request until its completion has
 * been delivered (a single or buffered run), or until stop() (continuous),
 * every request gets VMUX_BUSY.
 *
 * stop(). Ends continuous sampling silently. Ends a buffered run with
 * buffer_done(VMUX_CANCEL, count filled so far), delivered later from the
 * loop. Aborts a single conversion silently: no sample_done follows (this
 * is what clears an injected hang). VMUX_ALREADY when nothing runs, or when
 * a run has finished and only its completion is still on its way.
 *
 * Faults, for robustness tests of the layers above:
 *   sim_adc_inject_error(adc, err): the next conversion to complete, in any
 *     mode, completes with status err and value 0. A single conversion
 *     reports sample_done(ch, 0, err); continuous sampling reports it and
 *     keeps going; a buffered run ends with buffer_done(err, count of the
 *     values filled before the failed one). VMUX_SUCCESS clears it.
 *   sim_adc_inject_hang(adc): the next sample() is accepted (VMUX_SUCCESS)
 *     but its conversion never completes and the ADC stays busy, as a
 *     wedged converter would; only stop() (or sim_adc_init) recovers it.
 *     Continuous and buffered runs are not affected.
 *   sim_adc_inject_fault(adc, &fault) (chips/sim/sim_fault.h), for single
 *     conversions (sample()) only:
 *       REFUSE   sample() returns the error.
 *       ERROR    as sim_adc_inject_error: sample_done(ch, 0, error).
 *       LATE     the conversion completes delay_ns late.
 *       NEVER    as sim_adc_inject_hang.
 *       TWICE    sample_done is called twice with the same reading.
 *       CORRUPT  the reading has bit 15 flipped: a garbled data register,
 *                outside the converter's 12-bit range.
 *
 * Buffers: a buffer given to sample_buffer() belongs to the ADC until
 * buffer_done returns it; the simulated DMA writes buf[k] when conversion
 * k completes. Storage: all state lives in struct sim_adc, which the board
 * owns (static storage; no allocation).
 */
#ifndef VMUX_CHIPS_SIM_SIM_ADC_H
#define VMUX_CHIPS_SIM_SIM_ADC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/adc.h"
#include "kernel/deferred.h"

#define SIM_ADC_RESOLUTION_BITS 12u
#define SIM_ADC_MAX_VALUE ((1u << SIM_ADC_RESOLUTION_BITS) - 1u)
#define SIM_ADC_DEFAULT_CHANNELS 8u
#define SIM_ADC_DEFAULT_CONVERSION_NS 10000u    /* 10 us */
#define SIM_ADC_MAX_HZ 100000u

/*
 * The signal on channel of an ADC seeded with seed, at sim time t_ns:
 * a triangle wave whose period (1 to 100 ms), phase, floor and swing are
 * derived from a hash of (seed, channel), plus noise of at most +/-4 LSB
 * from a hash of (seed, channel, t_ns), clamped to 0..SIM_ADC_MAX_VALUE.
 * Pure: the same arguments always give the same value.
 */
uint16_t sim_adc_model_value(uint32_t seed, unsigned channel, uint64_t t_ns);

/* Zero fields take the defaults above (a seed of 0 is used as is). */
struct sim_adc_config {
    uint32_t seed;
    unsigned channels;
    uint64_t conversion_ns;
};

struct sim_adc_counters {
    uint32_t conversions;   /* conversions completed by the "hardware" */
    uint32_t errors;        /* of those, completed with an injected error */
};

enum sim_adc_mode {
    SIM_ADC_IDLE,
    SIM_ADC_SINGLE,
    SIM_ADC_CONTINUOUS,
    SIM_ADC_BUFFER,
};

struct sim_adc {
    struct hil_adc hil;
    struct sim_adc_config config;
    enum sim_adc_mode mode;
    unsigned channel;
    /* A continuous or buffered run: its start and rate. */
    uint64_t run_start_ns;
    uint32_t hz;
    uint64_t next_index;         /* k of the next conversion to complete */
    /* The data register: one reading waiting for the bottom half. */
    bool latched;
    uint16_t value;
    vmux_err_t status;
    /* A buffered run: the buffer, and how the run ended once it has. */
    uint16_t *buf;
    size_t len;
    size_t filled;
    bool finished;
    vmux_err_t finish_status;
    /* Faults armed by the tests. */
    vmux_err_t injected_error;
    bool hang_next;
    struct sim_fault_slot fault;
    enum sim_fault_kind applying;   /* to the single conversion under way */
    struct sim_event conversion;
    struct deferred_call irq;
    struct sim_adc_counters counters;
};

/*
 * Initialise adc from config (NULL: all defaults), idle, with no client
 * and zero counters. Call it after the simulation and the deferred calls
 * are (re)set, e.g. after test_board_reset(). VMUX_NOMEM when no deferred
 * call is left.
 */
vmux_err_t sim_adc_init(struct sim_adc *adc, const struct sim_adc_config *config);

/* Conversions completed so far (adc->counters.conversions). */
uint32_t sim_adc_conversions(const struct sim_adc *adc);

void sim_adc_inject_error(struct sim_adc *adc, vmux_err_t err);
void sim_adc_inject_hang(struct sim_adc *adc);
/* NULL or SIM_FAULT_NONE disarms. */
void sim_adc_inject_fault(struct sim_adc *adc, const struct sim_fault *fault);
uint32_t sim_adc_faults_applied(const struct sim_adc *adc);

#endif
