/* Simulated ADC: readings follow the seeded model at completion time,
 * split-phase timing, busy and invalid requests, continuous and buffered
 * runs, stop, fault injection and the conversion counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"

#define SEED 0xc0ffeeu
#define START_NS 1234567891ull
#define CONV SIM_ADC_DEFAULT_CONVERSION_NS
#define MS 1000000ull
#define NS_PER_S 1000000000ull
#define LOG_MAX 64
#define SENTINEL 0xbeefu

static struct sim_adc adc;
static struct hil_adc *hil = &adc.hil;

/* A client that logs every completion, with its time, and can stop the
 * ADC from inside a callback. */
struct sample_record {
    unsigned channel;
    uint16_t value;
    vmux_err_t status;
    uint64_t at_ns;
};

static struct recorder {
    struct hil_adc_client client;
    struct sample_record samples[LOG_MAX];
    unsigned sample_count;
    unsigned buffer_count;
    unsigned buffer_channel;
    uint16_t *buffer;
    size_t buffer_filled;
    vmux_err_t buffer_status;
    uint64_t buffer_at_ns;
    bool in_request;             /* a request is on the stack */
    unsigned inside_request;     /* callbacks made from inside one */
    unsigned stop_at_sample;     /* stop() from this sample_done (1-based) */
    unsigned resample_count;     /* sample() again from sample_done */
} rec;

static void on_sample(struct hil_adc_client *self, unsigned channel,
                      uint16_t value, vmux_err_t status)
{
    (void)self;
    if (rec.in_request)
        rec.inside_request++;
    assert_true(rec.sample_count < LOG_MAX);
    rec.samples[rec.sample_count++] = (struct sample_record){
        channel, value, status, sim_now_ns()
    };
    if (rec.sample_count == rec.stop_at_sample)
        assert_int_equal(hil_adc_stop(hil), VMUX_SUCCESS);
    if (rec.resample_count) {
        rec.resample_count--;
        assert_int_equal(hil_adc_sample(hil, channel), VMUX_SUCCESS);
    }
}

static void on_buffer(struct hil_adc_client *self, unsigned channel,
                      uint16_t *buf, size_t count, vmux_err_t status)
{
    (void)self;
    if (rec.in_request)
        rec.inside_request++;
    rec.buffer_count++;
    rec.buffer_channel = channel;
    rec.buffer = buf;
    rec.buffer_filled = count;
    rec.buffer_status = status;
    rec.buffer_at_ns = sim_now_ns();
}

static void start_with(const struct sim_adc_config *config)
{
    test_board_reset(START_NS);
    assert_int_equal(sim_adc_init(&adc, config), VMUX_SUCCESS);
    rec = (struct recorder){ 0 };
    rec.client.sample_done = on_sample;
    rec.client.buffer_done = on_buffer;
    hil_adc_set_client(hil, &rec.client);
}

static void start(void)
{
    struct sim_adc_config config = { .seed = SEED };
    start_with(&config);
}

/* Requests, flagged so that a callback from inside one is caught. */
static vmux_err_t sample(unsigned ch)
{
    rec.in_request = true;
    vmux_err_t err = hil_adc_sample(hil, ch);
    rec.in_request = false;
    return err;
}

static vmux_err_t continuous(unsigned ch, uint32_t hz)
{
    rec.in_request = true;
    vmux_err_t err = hil_adc_sample_continuous(hil, ch, hz);
    rec.in_request = false;
    return err;
}

static vmux_err_t buffered(unsigned ch, uint32_t hz, uint16_t *buf, size_t len)
{
    rec.in_request = true;
    vmux_err_t err = hil_adc_sample_buffer(hil, ch, hz, buf, len);
    rec.in_request = false;
    return err;
}

static vmux_err_t stop(void)
{
    rec.in_request = true;
    vmux_err_t err = hil_adc_stop(hil);
    rec.in_request = false;
    return err;
}

/* When the k-th conversion of a run started at t0 completes. */
static uint64_t run_time(uint64_t t0, uint64_t k, uint32_t hz)
{
    return t0 + CONV + (uint64_t)((unsigned __int128)k * NS_PER_S / hz);
}

static void fill(uint16_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = SENTINEL;
}

/* ------------------------------------------------------------ model */

static void model_is_pure_bounded_and_moving(void **state)
{
    (void)state;
    for (unsigned ch = 0; ch < 8; ch++) {
        unsigned distinct = 0;
        uint16_t last = 0xffff;
        for (uint64_t t = 0; t < 100 * MS; t += 100000) {
            uint16_t v = sim_adc_model_value(SEED, ch, t);
            assert_int_equal(v, sim_adc_model_value(SEED, ch, t));
            assert_true(v <= SIM_ADC_MAX_VALUE);
            if (v != last)
                distinct++;
            last = v;
        }
        /* A signal, not a constant: most steps of 100 us change it. */
        assert_true(distinct > 500);
    }
}

static void seed_and_channel_change_the_signal(void **state)
{
    (void)state;
    unsigned other_seed_same = 0, other_channel_same = 0, total = 0;
    for (unsigned ch = 0; ch < 8; ch++) {
        for (uint64_t t = START_NS; t < START_NS + 50 * MS; t += 997 * 1000) {
            uint16_t v = sim_adc_model_value(SEED, ch, t);
            if (v == sim_adc_model_value(SEED + 1, ch, t))
                other_seed_same++;
            if (v == sim_adc_model_value(SEED, (ch + 1) % 8, t))
                other_channel_same++;
            total++;
        }
    }
    assert_true(other_seed_same * 20 < total);
    assert_true(other_channel_same * 20 < total);
}

/* ------------------------------------------------------------ single */

static void reports_channels_and_resolution(void **state)
{
    (void)state;
    start();
    assert_int_equal(hil_adc_channel_count(hil), 8);
    assert_int_equal(hil_adc_resolution_bits(hil), 12);
    struct sim_adc_config config = { .seed = 1, .channels = 3, .conversion_ns = 25000 };
    start_with(&config);
    assert_int_equal(hil_adc_channel_count(hil), 3);
}

static void reading_is_model_at_completion(void **state)
{
    (void)state;
    start();
    for (unsigned ch = 0; ch < 8; ch++) {
        uint64_t t0 = sim_now_ns();
        assert_int_equal(sample(ch), VMUX_SUCCESS);
        sim_settle();                         /* no time: nothing yet */
        assert_int_equal(rec.sample_count, ch);
        sim_advance(CONV - 1);
        assert_int_equal(rec.sample_count, ch);
        sim_advance(1);
        assert_int_equal(rec.sample_count, ch + 1);
        struct sample_record *r = &rec.samples[ch];
        assert_int_equal(r->channel, ch);
        assert_int_equal(r->status, VMUX_SUCCESS);
        assert_int_equal(r->at_ns, t0 + CONV);
        assert_int_equal(r->value, sim_adc_model_value(SEED, ch, t0 + CONV));
        sim_advance(3 * MS + 17);             /* elsewhere on the wave */
    }
    assert_int_equal(rec.inside_request, 0);
    assert_int_equal(sim_adc_conversions(&adc), 8);
}

static void conversion_time_is_configurable(void **state)
{
    (void)state;
    struct sim_adc_config config = { .seed = 7, .conversion_ns = 25000 };
    start_with(&config);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(2), VMUX_SUCCESS);
    sim_advance(24999);
    assert_int_equal(rec.sample_count, 0);
    sim_advance(1);
    assert_int_equal(rec.sample_count, 1);
    assert_int_equal(rec.samples[0].value, sim_adc_model_value(7, 2, t0 + 25000));
}

/* Two converters with different seeds read different values at the same
 * instant; with the same seed, the same value. */
static struct sim_adc other;
static struct {
    struct hil_adc_client client;
    uint16_t value;
    unsigned count;
} peer;

static void on_peer_sample(struct hil_adc_client *self, unsigned channel,
                           uint16_t value, vmux_err_t status)
{
    (void)self;
    (void)channel;
    assert_int_equal(status, VMUX_SUCCESS);
    peer.value = value;
    peer.count++;
}

static void seeds_drive_the_readings(void **state)
{
    (void)state;
    struct sim_adc_config a = { .seed = 11 }, b = { .seed = 12 };
    uint16_t first[8], second[8], again[8];
    for (int run = 0; run < 3; run++) {
        start_with(run == 1 ? &b : &a);
        for (unsigned ch = 0; ch < 8; ch++) {
            assert_int_equal(sample(ch), VMUX_SUCCESS);
            sim_advance(CONV);
        }
        uint16_t *out = run == 0 ? first : run == 1 ? second : again;
        for (unsigned ch = 0; ch < 8; ch++)
            out[ch] = rec.samples[ch].value;
    }
    unsigned differ = 0;
    for (unsigned ch = 0; ch < 8; ch++) {
        assert_int_equal(first[ch], again[ch]);
        differ += first[ch] != second[ch];
    }
    assert_true(differ >= 6);

    /* Side by side, at the same instant: each reads its own seed. */
    start_with(&a);
    assert_int_equal(sim_adc_init(&other, &b), VMUX_SUCCESS);
    peer.client.sample_done = on_peer_sample;
    peer.count = 0;
    hil_adc_set_client(&other.hil, &peer.client);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(3), VMUX_SUCCESS);
    assert_int_equal(hil_adc_sample(&other.hil, 3), VMUX_SUCCESS);
    sim_advance(CONV);
    assert_int_equal(rec.sample_count, 1);
    assert_int_equal(peer.count, 1);
    assert_int_equal(rec.samples[0].value, sim_adc_model_value(11, 3, t0 + CONV));
    assert_int_equal(peer.value, sim_adc_model_value(12, 3, t0 + CONV));
    assert_int_not_equal(rec.samples[0].value, peer.value);
}

/*
 * The window between the "interrupt" and the loop: a probe event at the
 * same instant as a conversion, scheduled after it, runs after the
 * conversion's event and before the kernel loop delivers the result
 * (sim_settle fires every due event, then runs the loop).
 */
static struct sim_event probe;
static vmux_err_t (*probe_action)(void);
static vmux_err_t probe_result;
static unsigned probe_seen_samples;

static void probe_fire(struct sim_event *ev)
{
    (void)ev;
    probe_seen_samples = rec.sample_count;
    probe_result = probe_action();
}

static void probe_at(uint64_t at_ns, vmux_err_t (*action)(void))
{
    probe_action = action;
    probe_result = VMUX_FAIL;
    sim_event_schedule(&probe, at_ns, probe_fire);
}

static vmux_err_t sample_channel_1(void)
{
    return sample(1);
}

static void busy_while_converting(void **state)
{
    (void)state;
    start();
    uint16_t buf[4];
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(1), VMUX_SUCCESS);
    assert_int_equal(sample(1), VMUX_BUSY);
    assert_int_equal(sample(2), VMUX_BUSY);
    assert_int_equal(continuous(1, 1000), VMUX_BUSY);
    assert_int_equal(buffered(1, 1000, buf, 4), VMUX_BUSY);

    /* Converted, but not yet delivered: still busy. */
    probe_at(t0 + CONV, sample_channel_1);
    sim_advance(CONV);
    assert_int_equal(probe_seen_samples, 0);
    assert_int_equal(probe_result, VMUX_BUSY);
    assert_int_equal(rec.sample_count, 1);

    assert_int_equal(sample(1), VMUX_SUCCESS);     /* idle again */
    sim_advance(CONV);
    assert_int_equal(rec.sample_count, 2);
    assert_int_equal(sim_adc_conversions(&adc), 2);
    assert_int_equal(rec.inside_request, 0);
}

static void invalid_channel(void **state)
{
    (void)state;
    start();
    uint16_t buf[4];
    assert_int_equal(sample(8), VMUX_INVALID);
    assert_int_equal(sample(1000), VMUX_INVALID);
    assert_int_equal(continuous(8, 1000), VMUX_INVALID);
    assert_int_equal(buffered(8, 1000, buf, 4), VMUX_INVALID);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.sample_count, 0);
    assert_int_equal(rec.buffer_count, 0);
    assert_int_equal(sim_adc_conversions(&adc), 0);
    assert_int_equal(stop(), VMUX_ALREADY);

    struct sim_adc_config config = { .channels = 4 };
    start_with(&config);
    assert_int_equal(sample(4), VMUX_INVALID);
    assert_int_equal(sample(3), VMUX_SUCCESS);
    sim_advance(CONV);
    assert_int_equal(rec.sample_count, 1);
}

/* A client may start the next conversion from its sample_done. */
static void next_request_from_callback(void **state)
{
    (void)state;
    start();
    rec.resample_count = 2;
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(5), VMUX_SUCCESS);
    sim_advance(MS);
    assert_int_equal(rec.sample_count, 3);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(rec.samples[i].at_ns, t0 + (i + 1) * CONV);
        assert_int_equal(rec.samples[i].value,
                         sim_adc_model_value(SEED, 5, t0 + (i + 1) * CONV));
    }
}

/* stop() aborts a single conversion silently. Once converted, the
 * completion is on its way: stop() says ALREADY and sample_done follows. */
static void stop_during_single(void **state)
{
    (void)state;
    start();
    assert_int_equal(sample(0), VMUX_SUCCESS);
    sim_advance(CONV / 2);
    assert_int_equal(stop(), VMUX_SUCCESS);
    assert_int_equal(stop(), VMUX_ALREADY);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.sample_count, 0);
    assert_int_equal(sim_adc_conversions(&adc), 0);

    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(0), VMUX_SUCCESS);
    probe_at(t0 + CONV, stop);
    sim_advance(CONV);
    assert_int_equal(probe_result, VMUX_ALREADY);
    assert_int_equal(rec.sample_count, 1);
    assert_int_equal(rec.samples[0].value, sim_adc_model_value(SEED, 0, t0 + CONV));
}

/* ------------------------------------------------------------ continuous */

static void continuous_one_sample_per_period(void **state)
{
    (void)state;
    start();
    uint64_t t0 = sim_now_ns();
    assert_int_equal(continuous(6, 1000), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(rec.sample_count, 0);
    sim_advance(10 * MS);                   /* k = 0..9 are due, 10 is not */
    assert_int_equal(rec.sample_count, 10);
    for (unsigned k = 0; k < 10; k++) {
        struct sample_record *r = &rec.samples[k];
        assert_int_equal(r->channel, 6);
        assert_int_equal(r->status, VMUX_SUCCESS);
        assert_int_equal(r->at_ns, run_time(t0, k, 1000));
        assert_int_equal(r->value, sim_adc_model_value(SEED, 6, run_time(t0, k, 1000)));
    }
    assert_int_equal(sim_adc_conversions(&adc), 10);

    /* It holds the converter. */
    uint16_t buf[2];
    assert_int_equal(sample(6), VMUX_BUSY);
    assert_int_equal(continuous(6, 1000), VMUX_BUSY);
    assert_int_equal(buffered(6, 1000, buf, 2), VMUX_BUSY);

    /* stop() ends it silently. */
    assert_int_equal(stop(), VMUX_SUCCESS);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.sample_count, 10);
    assert_int_equal(sim_adc_conversions(&adc), 10);
    assert_int_equal(stop(), VMUX_ALREADY);
    assert_int_equal(rec.inside_request, 0);
    assert_int_equal(sample(6), VMUX_SUCCESS);
}

/* A rate that does not divide a second keeps its schedule: no drift from
 * a rounded period. */
static void continuous_uneven_rate_does_not_drift(void **state)
{
    (void)state;
    start();
    uint64_t t0 = sim_now_ns();
    assert_int_equal(continuous(0, 7), VMUX_SUCCESS);
    sim_advance(5 * NS_PER_S);
    assert_int_equal(rec.sample_count, 35);
    assert_int_equal(rec.samples[1].at_ns, t0 + CONV + 142857142);
    assert_int_equal(rec.samples[3].at_ns, t0 + CONV + 428571428);
    assert_int_equal(rec.samples[7].at_ns, t0 + CONV + NS_PER_S);
    for (unsigned k = 0; k < 35; k++)
        assert_int_equal(rec.samples[k].at_ns, run_time(t0, k, 7));
    assert_int_equal(stop(), VMUX_SUCCESS);
}

static void continuous_stop_from_callback(void **state)
{
    (void)state;
    start();
    rec.stop_at_sample = 3;
    assert_int_equal(continuous(2, 10000), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(rec.sample_count, 3);
    assert_int_equal(sim_adc_conversions(&adc), 3);
    assert_int_equal(sample(2), VMUX_SUCCESS);
}

/* Converted but not yet delivered when stop() comes: dropped, silently. */
static void continuous_stop_between_interrupt_and_loop(void **state)
{
    (void)state;
    start();
    uint64_t t0 = sim_now_ns();
    assert_int_equal(continuous(2, 1000), VMUX_SUCCESS);
    sim_advance(CONV);
    assert_int_equal(rec.sample_count, 1);
    probe_at(run_time(t0, 1, 1000), stop);   /* after conversion k = 1 */
    sim_advance(NS_PER_S);
    assert_int_equal(probe_result, VMUX_SUCCESS);
    assert_int_equal(rec.sample_count, 1);
    assert_int_equal(sim_adc_conversions(&adc), 2);
}

static void continuous_rate_limits(void **state)
{
    (void)state;
    start();
    assert_int_equal(continuous(0, 0), VMUX_INVALID);
    assert_int_equal(continuous(0, SIM_ADC_MAX_HZ + 1), VMUX_INVALID);
    assert_int_equal(continuous(0, SIM_ADC_MAX_HZ), VMUX_SUCCESS);
    sim_advance(100 * 1000);                 /* 10 periods of 10 us */
    assert_int_equal(rec.sample_count, 10);
    assert_int_equal(stop(), VMUX_SUCCESS);

    /* A period shorter than a conversion cannot be met. */
    struct sim_adc_config slow = { .conversion_ns = 20000 };
    start_with(&slow);
    assert_int_equal(continuous(0, 50001), VMUX_INVALID);
    assert_int_equal(continuous(0, 50000), VMUX_SUCCESS);

    /* A fast converter still has the documented ceiling. */
    uint16_t buf[4];
    struct sim_adc_config fast = { .conversion_ns = 1000 };
    start_with(&fast);
    assert_int_equal(continuous(0, SIM_ADC_MAX_HZ + 1), VMUX_INVALID);
    assert_int_equal(buffered(0, SIM_ADC_MAX_HZ + 1, buf, 4), VMUX_INVALID);
    assert_int_equal(continuous(0, SIM_ADC_MAX_HZ), VMUX_SUCCESS);
}

/* ------------------------------------------------------------ buffered */

static void buffered_fills_with_model_values(void **state)
{
    (void)state;
    start();
    uint16_t buf[21];
    fill(buf, 21);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(buffered(4, 10000, buf, 20), VMUX_SUCCESS);
    uint64_t last = run_time(t0, 19, 10000);
    sim_advance(last - 1 - sim_now_ns());
    assert_int_equal(rec.buffer_count, 0);
    assert_int_equal(sim_adc_conversions(&adc), 19);
    assert_int_equal(sample(4), VMUX_BUSY);
    sim_advance(1);
    assert_int_equal(rec.buffer_count, 1);
    assert_int_equal(rec.buffer_at_ns, last);
    assert_ptr_equal(rec.buffer, buf);
    assert_int_equal(rec.buffer_channel, 4);
    assert_int_equal(rec.buffer_filled, 20);
    assert_int_equal(rec.buffer_status, VMUX_SUCCESS);
    for (unsigned k = 0; k < 20; k++)
        assert_int_equal(buf[k], sim_adc_model_value(SEED, 4, run_time(t0, k, 10000)));
    assert_int_equal(buf[20], SENTINEL);     /* not one past the end */
    assert_int_equal(rec.sample_count, 0);  /* no per-sample callbacks */

    /* Done means idle; and exactly once. */
    assert_int_equal(stop(), VMUX_ALREADY);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.buffer_count, 1);
    assert_int_equal(sim_adc_conversions(&adc), 20);
    assert_int_equal(sample(4), VMUX_SUCCESS);
    assert_int_equal(rec.inside_request, 0);
}

static void buffered_cancel_returns_partial_count(void **state)
{
    (void)state;
    start();
    uint16_t buf[50];
    fill(buf, 50);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(buffered(7, 1000, buf, 50), VMUX_SUCCESS);
    sim_advance(5 * MS + MS / 2);           /* k = 0..5 done */
    assert_int_equal(stop(), VMUX_SUCCESS);
    assert_int_equal(rec.buffer_count, 0);  /* not from inside stop() */
    assert_int_equal(rec.inside_request, 0);
    assert_int_equal(stop(), VMUX_ALREADY);
    sim_settle();
    assert_int_equal(rec.buffer_count, 1);
    assert_ptr_equal(rec.buffer, buf);
    assert_int_equal(rec.buffer_status, VMUX_CANCEL);
    assert_int_equal(rec.buffer_filled, 6);
    for (unsigned k = 0; k < 6; k++)
        assert_int_equal(buf[k], sim_adc_model_value(SEED, 7, run_time(t0, k, 1000)));
    for (unsigned k = 6; k < 50; k++)
        assert_int_equal(buf[k], SENTINEL);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.buffer_count, 1);
    assert_int_equal(sim_adc_conversions(&adc), 6);
    assert_int_equal(stop(), VMUX_ALREADY);

    /* Cancelled before the first conversion: count 0. */
    assert_int_equal(buffered(7, 1000, buf, 50), VMUX_SUCCESS);
    assert_int_equal(stop(), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(rec.buffer_count, 2);
    assert_int_equal(rec.buffer_filled, 0);
    assert_int_equal(rec.buffer_status, VMUX_CANCEL);
}

/* The last conversion is in but buffer_done not yet delivered: the run is
 * over, stop() says ALREADY and the full count arrives. */
static void buffered_stop_after_last_conversion(void **state)
{
    (void)state;
    start();
    uint16_t buf[3];
    uint64_t t0 = sim_now_ns();
    assert_int_equal(buffered(1, 1000, buf, 3), VMUX_SUCCESS);
    /* Conversion k = 2 is scheduled when k = 1 completes; the probe goes
     * in after that, so that it runs after k = 2 at the same instant. */
    sim_advance(run_time(t0, 1, 1000) - t0);
    probe_at(run_time(t0, 2, 1000), stop);
    sim_advance(NS_PER_S);
    assert_int_equal(probe_result, VMUX_ALREADY);
    assert_int_equal(rec.buffer_count, 1);
    assert_int_equal(rec.buffer_filled, 3);
    assert_int_equal(rec.buffer_status, VMUX_SUCCESS);
}

static void buffered_bad_arguments(void **state)
{
    (void)state;
    start();
    uint16_t buf[4];
    assert_int_equal(buffered(0, 1000, NULL, 4), VMUX_INVALID);
    assert_int_equal(buffered(0, 1000, buf, 0), VMUX_SIZE);
    assert_int_equal(buffered(0, 0, buf, 4), VMUX_INVALID);
    assert_int_equal(buffered(0, SIM_ADC_MAX_HZ + 1, buf, 4), VMUX_INVALID);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.buffer_count, 0);
    assert_int_equal(stop(), VMUX_ALREADY);
}

/* ------------------------------------------------------------ faults */

static void injected_error_reaches_single_client(void **state)
{
    (void)state;
    start();
    sim_adc_inject_error(&adc, VMUX_FAIL);
    assert_int_equal(sample(3), VMUX_SUCCESS);
    assert_int_equal(rec.sample_count, 0);
    sim_advance(CONV);
    assert_int_equal(rec.sample_count, 1);
    assert_int_equal(rec.samples[0].status, VMUX_FAIL);
    assert_int_equal(rec.samples[0].value, 0);
    assert_int_equal(rec.samples[0].channel, 3);
    assert_int_equal(adc.counters.errors, 1);

    /* Only the next conversion. */
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(3), VMUX_SUCCESS);
    sim_advance(CONV);
    assert_int_equal(rec.samples[1].status, VMUX_SUCCESS);
    assert_int_equal(rec.samples[1].value, sim_adc_model_value(SEED, 3, t0 + CONV));

    /* VMUX_SUCCESS clears an injection. */
    sim_adc_inject_error(&adc, VMUX_NODEVICE);
    sim_adc_inject_error(&adc, VMUX_SUCCESS);
    assert_int_equal(sample(3), VMUX_SUCCESS);
    sim_advance(CONV);
    assert_int_equal(rec.samples[2].status, VMUX_SUCCESS);
    assert_int_equal(sim_adc_conversions(&adc), 3);
    assert_int_equal(adc.counters.errors, 1);
}

static void injected_error_in_continuous_run_keeps_going(void **state)
{
    (void)state;
    start();
    uint64_t t0 = sim_now_ns();
    assert_int_equal(continuous(5, 1000), VMUX_SUCCESS);
    sim_advance(2 * MS);                    /* k = 0, 1 */
    sim_adc_inject_error(&adc, VMUX_BUSY);
    sim_advance(3 * MS);                    /* k = 2 fails; 3, 4 fine */
    assert_int_equal(rec.sample_count, 5);
    assert_int_equal(rec.samples[2].status, VMUX_BUSY);
    assert_int_equal(rec.samples[2].value, 0);
    for (unsigned k = 0; k < 5; k++) {
        if (k == 2)
            continue;
        assert_int_equal(rec.samples[k].status, VMUX_SUCCESS);
        assert_int_equal(rec.samples[k].value,
                         sim_adc_model_value(SEED, 5, run_time(t0, k, 1000)));
    }
    assert_int_equal(stop(), VMUX_SUCCESS);
}

static void injected_error_ends_buffered_run(void **state)
{
    (void)state;
    start();
    uint16_t buf[10];
    fill(buf, 10);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(buffered(0, 1000, buf, 10), VMUX_SUCCESS);
    sim_advance(3 * MS);                    /* k = 0..2 filled */
    sim_adc_inject_error(&adc, VMUX_FAIL);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.buffer_count, 1);
    assert_int_equal(rec.buffer_status, VMUX_FAIL);
    assert_int_equal(rec.buffer_filled, 3);
    assert_int_equal(rec.buffer_at_ns, run_time(t0, 3, 1000));
    for (unsigned k = 0; k < 3; k++)
        assert_int_equal(buf[k], sim_adc_model_value(SEED, 0, run_time(t0, k, 1000)));
    assert_int_equal(buf[3], SENTINEL);
    assert_int_equal(sim_adc_conversions(&adc), 4);
    assert_int_equal(sample(0), VMUX_SUCCESS);   /* idle again */
}

/* A hung conversion never completes and keeps the ADC busy; stop() clears
 * it, silently, and the next request behaves. */
static void injected_hang_never_completes_until_stop(void **state)
{
    (void)state;
    start();
    uint16_t buf[2];
    sim_adc_inject_hang(&adc);
    assert_int_equal(sample(2), VMUX_SUCCESS);
    sim_advance(3600 * NS_PER_S);
    assert_int_equal(rec.sample_count, 0);
    assert_int_equal(sim_adc_conversions(&adc), 0);
    uint64_t at;
    assert_false(sim_next_event(&at));       /* nothing will ever come */
    assert_int_equal(sample(2), VMUX_BUSY);
    assert_int_equal(continuous(2, 1000), VMUX_BUSY);
    assert_int_equal(buffered(2, 1000, buf, 2), VMUX_BUSY);

    assert_int_equal(stop(), VMUX_SUCCESS);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.sample_count, 0);
    assert_int_equal(stop(), VMUX_ALREADY);

    /* The hang was one-shot: the next conversion is normal. */
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(2), VMUX_SUCCESS);
    sim_advance(CONV);
    assert_int_equal(rec.sample_count, 1);
    assert_int_equal(rec.samples[0].status, VMUX_SUCCESS);
    assert_int_equal(rec.samples[0].value, sim_adc_model_value(SEED, 2, t0 + CONV));
    assert_int_equal(sim_adc_conversions(&adc), 1);
}

/* A hang waits for a single conversion: runs are not affected. */
static void injected_hang_spares_runs(void **state)
{
    (void)state;
    start();
    uint16_t buf[4];
    sim_adc_inject_hang(&adc);
    assert_int_equal(buffered(1, 1000, buf, 4), VMUX_SUCCESS);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.buffer_count, 1);
    assert_int_equal(rec.buffer_filled, 4);
    assert_int_equal(sample(1), VMUX_SUCCESS);
    sim_advance(NS_PER_S);
    assert_int_equal(rec.sample_count, 0);  /* this one hangs */
    assert_int_equal(stop(), VMUX_SUCCESS);
}

/* ------------------------------------------------------------ counter */

static void counter_counts_hardware_conversions(void **state)
{
    (void)state;
    start();
    uint16_t buf[7];
    assert_int_equal(sim_adc_conversions(&adc), 0);
    assert_int_equal(sample(0), VMUX_SUCCESS);
    assert_int_equal(sim_adc_conversions(&adc), 0);   /* not yet converted */
    sim_advance(CONV);
    assert_int_equal(sim_adc_conversions(&adc), 1);

    assert_int_equal(continuous(0, 1000), VMUX_SUCCESS);
    sim_advance(5 * MS);
    assert_int_equal(stop(), VMUX_SUCCESS);
    assert_int_equal(sim_adc_conversions(&adc), 6);

    assert_int_equal(buffered(0, 1000, buf, 7), VMUX_SUCCESS);
    sim_advance(NS_PER_S);
    assert_int_equal(sim_adc_conversions(&adc), 13);

    /* Rejected requests and idle time convert nothing. */
    assert_int_equal(sample(99), VMUX_INVALID);
    sim_advance(NS_PER_S);
    assert_int_equal(sim_adc_conversions(&adc), 13);
    assert_int_equal(adc.counters.conversions, 13);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_is_pure_bounded_and_moving),
        cmocka_unit_test(seed_and_channel_change_the_signal),
        cmocka_unit_test(reports_channels_and_resolution),
        cmocka_unit_test(reading_is_model_at_completion),
        cmocka_unit_test(conversion_time_is_configurable),
        cmocka_unit_test(seeds_drive_the_readings),
        cmocka_unit_test(busy_while_converting),
        cmocka_unit_test(invalid_channel),
        cmocka_unit_test(next_request_from_callback),
        cmocka_unit_test(stop_during_single),
        cmocka_unit_test(continuous_one_sample_per_period),
        cmocka_unit_test(continuous_uneven_rate_does_not_drift),
        cmocka_unit_test(continuous_stop_from_callback),
        cmocka_unit_test(continuous_stop_between_interrupt_and_loop),
        cmocka_unit_test(continuous_rate_limits),
        cmocka_unit_test(buffered_fills_with_model_values),
        cmocka_unit_test(buffered_cancel_returns_partial_count),
        cmocka_unit_test(buffered_stop_after_last_conversion),
        cmocka_unit_test(buffered_bad_arguments),
        cmocka_unit_test(injected_error_reaches_single_client),
        cmocka_unit_test(injected_error_in_continuous_run_keeps_going),
        cmocka_unit_test(injected_error_ends_buffered_run),
        cmocka_unit_test(injected_hang_never_completes_until_stop),
        cmocka_unit_test(injected_hang_spares_runs),
        cmocka_unit_test(counter_counts_hardware_conversions),
    };
    return cmocka_run_group_tests_name("sim_adc", tests, NULL, NULL);
}
