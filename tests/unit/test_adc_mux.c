/* ADC mux: shared same-channel readings, round robin between channels,
 * capability-gated continuous and buffered runs and what others get
 * meanwhile, hardware errors and hung conversions, departures, bad
 * arguments. A simulated ADC and a virtual alarm (the watchdog) on the
 * simulated clock; time moves only with sim_advance(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"

#define SEED 0x5eed1u
#define CONV SIM_ADC_DEFAULT_CONVERSION_NS
#define US 1000ull
#define MS 1000000ull
#define CAPACITY 8
#define PROBES 6
#define LOG_MAX 128

static struct sim_adc adc;
static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct adc_mux mux;
static struct client_entry *slots[CAPACITY];
static uint32_t rr_bits[RR_WORDS(CAPACITY)];

struct reading {
    unsigned channel;
    uint16_t value;
    vmux_err_t status;
    uint64_t at_ns;
};

/* A client that logs its readings and can ask again from each one. */
static struct probe {
    struct adc_mux_client client;
    client_id_t id;
    struct reading log[LOG_MAX];
    unsigned count;
    bool resample;
    unsigned buffers;           /* buffer_done calls */
    uint16_t *buf;
    size_t filled;
    vmux_err_t buffer_status;
} probes[PROBES];

static bool in_request;         /* a request is on the stack */
static unsigned order[LOG_MAX]; /* which probe each successful reading went to */
static unsigned order_count;

static unsigned probe_index(struct adc_mux_client *c)
{
    return (unsigned)(container_of(c, struct probe, client) - probes);
}

static void on_sample(struct adc_mux_client *c, unsigned channel, uint16_t value,
                      vmux_err_t status)
{
    assert_false(in_request);
    struct probe *p = &probes[probe_index(c)];
    assert_true(p->count < LOG_MAX);
    p->log[p->count++] = (struct reading){ channel, value, status, sim_now_ns() };
    if (status == VMUX_SUCCESS && order_count < LOG_MAX)
        order[order_count++] = probe_index(c);
    if (p->resample)
        assert_int_equal(adc_mux_sample(c, channel), VMUX_SUCCESS);
}

static void on_buffer(struct adc_mux_client *c, unsigned channel, uint16_t *buf,
                      size_t count, vmux_err_t status)
{
    (void)channel;
    assert_false(in_request);
    struct probe *p = &probes[probe_index(c)];
    p->buffers++;
    p->buf = buf;
    p->filled = count;
    p->buffer_status = status;
}

static const struct adc_mux_client_ops probe_ops = { on_sample, on_buffer };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    struct sim_adc_config config = { .seed = SEED };
    assert_int_equal(sim_adc_init(&adc, &config), VMUX_SUCCESS);
    assert_int_equal(adc_mux_init(&mux, &adc.hil, &watchdog.hil, slots, rr_bits, CAPACITY),
                     VMUX_SUCCESS);
    memset(probes, 0, sizeof probes);
    order_count = 0;
    for (unsigned i = 0; i < PROBES; i++) {
        probes[i].id = client_process(i + 1, 1);
        assert_int_equal(adc_mux_attach(&mux, &probes[i].client, probes[i].id, &probe_ops),
                         VMUX_SUCCESS);
    }
    return 0;
}

/* ------------------------------------------------------------ requests */

static vmux_err_t sample(unsigned p, unsigned channel)
{
    in_request = true;
    vmux_err_t err = adc_mux_sample(&probes[p].client, channel);
    in_request = false;
    return err;
}

static vmux_err_t stream(unsigned p, const cap_adc_continuous_t *cap, unsigned channel,
                         uint32_t hz)
{
    in_request = true;
    vmux_err_t err = adc_mux_start_continuous(&probes[p].client, cap, channel, hz);
    in_request = false;
    return err;
}

static vmux_err_t buffered(unsigned p, const cap_adc_continuous_t *cap, unsigned channel,
                           uint32_t hz, uint16_t *buf, size_t len)
{
    in_request = true;
    vmux_err_t err = adc_mux_sample_buffer(&probes[p].client, cap, channel, hz, buf, len);
    in_request = false;
    return err;
}

static const struct reading *last(unsigned p)
{
    assert_true(probes[p].count > 0);
    return &probes[p].log[probes[p].count - 1];
}

/* A successful reading: the model's value on its channel when it came. */
static void assert_true_reading(const struct reading *r, unsigned channel)
{
    assert_int_equal(r->status, VMUX_SUCCESS);
    assert_int_equal(r->channel, channel);
    assert_int_equal(r->value, sim_adc_model_value(SEED, channel, r->at_ns));
}

static const cap_adc_continuous_t *cap(void) { return test_board_cap_adc_continuous(); }

/* p asks for channel and gets a true reading of it within a millisecond. */
static void assert_served(unsigned p, unsigned channel)
{
    unsigned before = probes[p].count;
    assert_int_equal(sample(p, channel), VMUX_SUCCESS);
    sim_advance(1 * MS);
    assert_int_equal(probes[p].count, before + 1);
    assert_true_reading(last(p), channel);
}

/* ------------------------------------------------------------ sharing */

static void sharing_adc_simultaneous_same_channel_requests_take_one_reading(void **state)
{
    (void)state;
    uint32_t before = sim_adc_conversions(&adc);
    for (unsigned p = 0; p < 4; p++)
        assert_int_equal(sample(p, 3), VMUX_SUCCESS);
    sim_advance(1 * MS);
    assert_int_equal(sim_adc_conversions(&adc) - before, 1);
    for (unsigned p = 0; p < 4; p++) {
        assert_int_equal(probes[p].count, 1);
        assert_true_reading(last(p), 3);
        assert_int_equal(last(p)->at_ns, CONV);
        assert_int_equal(last(p)->value, last(0)->value);
    }
    assert_int_equal(mux.counters.conversions, 1);
    assert_int_equal(mux.counters.shared, 3);

    /* A later request is not served from the old reading. */
    assert_served(1, 3);
    assert_int_equal(sim_adc_conversions(&adc) - before, 2);
    assert_true(last(1)->at_ns > 1 * MS);
}

/* ------------------------------------------------------------ fairness */

static void availability_adc_channels_served_round_robin(void **state)
{
    (void)state;
    const unsigned n = 4;
    /* Ask highest index first: the order of asking must not matter. */
    for (unsigned p = n; p-- > 0;) {
        probes[p].resample = true;
        assert_int_equal(sample(p, p), VMUX_SUCCESS);
    }
    sim_advance(40 * CONV + CONV / 2);
    assert_true(order_count >= 40);
    /* Each saturating client is served again after exactly n-1 others:
     * lowest-index-first would serve probe 0 every time. */
    for (unsigned k = n; k < order_count; k++)
        assert_int_equal(order[k], order[k - n]);
    bool seen[4] = { false };
    for (unsigned k = 0; k < n; k++)
        seen[order[k]] = true;
    for (unsigned p = 0; p < n; p++) {
        assert_true(seen[p]);
        assert_true_reading(last(p), p);
    }
    /* Different channels never share: one conversion per reading. */
    assert_int_equal(mux.counters.shared, 0);
    assert_int_equal(sim_adc_conversions(&adc), order_count);
}

/* ------------------------------------------------------------ capability */

static void capability_adc_continuous_refused_without_capability(void **state)
{
    (void)state;
    static const uint32_t zeroed[16];
    const cap_adc_continuous_t *forged = (const cap_adc_continuous_t *)(const void *)zeroed;
    uint16_t buf[4];
    assert_int_equal(stream(0, NULL, 3, 1000), VMUX_RESERVE);
    assert_int_equal(stream(0, forged, 3, 1000), VMUX_RESERVE);
    assert_int_equal(buffered(0, NULL, 3, 1000, buf, 4), VMUX_RESERVE);
    assert_int_equal(buffered(0, forged, 3, 1000, buf, 4), VMUX_RESERVE);
    assert_false(adc_mux_holds_run(&probes[0].client));
    sim_advance(10 * MS);
    assert_int_equal(sim_adc_conversions(&adc), 0);
    assert_int_equal(probes[0].count + probes[0].buffers, 0);
    assert_int_equal(mux.counters.runs, 0);
    assert_int_equal(mux.counters.refused_no_capability, 4);
    /* Nothing holds the converter: another channel is served. */
    assert_served(1, 5);
}

static void capability_adc_continuous_with_capability_streams(void **state)
{
    (void)state;
    sim_advance(7 * MS);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(stream(0, cap(), 3, 1000), VMUX_SUCCESS);
    assert_true(adc_mux_holds_run(&probes[0].client));
    assert_int_equal(stream(1, cap(), 4, 1000), VMUX_BUSY);  /* one stream at a time */
    sim_advance(3 * MS + MS / 2);
    assert_int_equal(probes[0].count, 4);
    for (unsigned k = 0; k < 4; k++) {
        assert_int_equal(probes[0].log[k].at_ns, t0 + CONV + k * MS);
        assert_true_reading(&probes[0].log[k], 3);
    }
    assert_int_equal(mux.counters.runs, 1);

    assert_int_equal(adc_mux_stop_continuous(&probes[0].client), VMUX_SUCCESS);
    assert_int_equal(adc_mux_stop_continuous(&probes[0].client), VMUX_ALREADY);
    uint32_t stopped_at = sim_adc_conversions(&adc);
    sim_advance(5 * MS);
    assert_int_equal(probes[0].count, 4);
    assert_int_equal(sim_adc_conversions(&adc), stopped_at);
    assert_false(adc_mux_holds_run(&probes[0].client));
}

static void capability_adc_stream_serves_same_channel_and_blocks_others(void **state)
{
    (void)state;
    assert_int_equal(stream(0, cap(), 3, 1000), VMUX_SUCCESS);
    sim_advance(MS / 2);
    uint32_t before = sim_adc_conversions(&adc);
    assert_int_equal(sample(1, 3), VMUX_SUCCESS);   /* same channel: from the stream */
    assert_int_equal(sample(2, 3), VMUX_SUCCESS);
    assert_int_equal(sample(3, 5), VMUX_BUSY);      /* other channel: refused at once */
    assert_int_equal(sample(0, 3), VMUX_BUSY);      /* the holder has its stream */
    sim_advance(1 * MS);
    for (unsigned p = 1; p <= 2; p++) {
        assert_int_equal(probes[p].count, 1);
        assert_int_equal(last(p)->at_ns, last(0)->at_ns);
        assert_int_equal(last(p)->value, last(0)->value);
        assert_true_reading(last(p), 3);
    }
    /* Only the stream converted: one hardware conversion, no single one. */
    assert_int_equal(sim_adc_conversions(&adc) - before, 1);
    assert_int_equal(mux.counters.conversions, 0);
    assert_int_equal(mux.counters.shared, 2);
    assert_int_equal(probes[3].count, 0);

    assert_int_equal(adc_mux_stop_continuous(&probes[0].client), VMUX_SUCCESS);
    assert_served(3, 5);
}

static void capability_adc_buffered_run_fills_buffer_and_blocks_others(void **state)
{
    (void)state;
    uint16_t buf[8];
    memset(buf, 0xff, sizeof buf);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(buffered(0, cap(), 2, 10000, buf, 8), VMUX_SUCCESS);
    assert_int_equal(sample(1, 2), VMUX_BUSY);  /* its samples are its holder's */
    assert_int_equal(sample(1, 5), VMUX_BUSY);
    sim_advance(1 * MS);
    assert_int_equal(probes[0].buffers, 1);
    assert_int_equal(probes[0].buffer_status, VMUX_SUCCESS);
    assert_ptr_equal(probes[0].buf, buf);
    assert_int_equal(probes[0].filled, 8);
    for (unsigned k = 0; k < 8; k++)
        assert_int_equal(buf[k], sim_adc_model_value(SEED, 2, t0 + CONV + k * 100 * US));
    assert_int_equal(probes[0].count, 0);

    /* Stopped midway: the buffer comes back with what was filled. */
    assert_int_equal(buffered(0, cap(), 2, 10000, buf, 8), VMUX_SUCCESS);
    sim_advance(250 * US);
    assert_int_equal(adc_mux_stop_buffer(&probes[0].client), VMUX_SUCCESS);
    sim_advance(1 * MS);
    assert_int_equal(probes[0].buffers, 2);
    assert_int_equal(probes[0].buffer_status, VMUX_CANCEL);
    assert_int_equal(probes[0].filled, 3);
    assert_int_equal(adc_mux_stop_buffer(&probes[0].client), VMUX_ALREADY);

    /* Stopped before it could start: back with nothing filled. */
    assert_int_equal(sample(1, 5), VMUX_SUCCESS);
    sim_advance(0);                             /* its conversion is in flight */
    assert_int_equal(buffered(0, cap(), 2, 10000, buf, 8), VMUX_SUCCESS);
    assert_int_equal(adc_mux_stop_buffer(&probes[0].client), VMUX_SUCCESS);
    sim_advance(1 * MS);
    assert_int_equal(probes[0].buffers, 3);
    assert_int_equal(probes[0].buffer_status, VMUX_CANCEL);
    assert_int_equal(probes[0].filled, 0);
    assert_int_equal(probes[1].count, 1);
    assert_true_reading(last(1), 5);
    assert_int_equal(mux.counters.runs, 2);
}

/* ------------------------------------------------------------ hardware faults */

static void availability_adc_hardware_error_reaches_waiting_clients(void **state)
{
    (void)state;
    sim_adc_inject_error(&adc, VMUX_NODEVICE);
    assert_int_equal(sample(0, 4), VMUX_SUCCESS);
    assert_int_equal(sample(1, 4), VMUX_SUCCESS);
    assert_int_equal(sample(2, 6), VMUX_SUCCESS);
    sim_advance(1 * MS);
    for (unsigned p = 0; p <= 1; p++) {
        assert_int_equal(probes[p].count, 1);
        assert_int_equal(last(p)->status, VMUX_NODEVICE);
        assert_int_equal(last(p)->value, 0);
    }
    assert_int_equal(probes[2].count, 1);
    assert_true_reading(last(2), 6);
    assert_int_equal(mux.counters.errors, 1);
    assert_int_equal(mux.counters.shared, 0);   /* an error is not a shared reading */
}

static void availability_adc_refused_start_reaches_waiting_clients(void **state)
{
    (void)state;
    /* Wedge the driver behind the mux's back: it refuses with BUSY. */
    assert_int_equal(hil_adc_sample_continuous(&adc.hil, 1, 1000), VMUX_SUCCESS);
    assert_int_equal(sample(0, 4), VMUX_SUCCESS);
    assert_int_equal(sample(1, 4), VMUX_SUCCESS);
    sim_advance(5 * MS);                        /* its stray samples reach nobody */
    for (unsigned p = 0; p <= 1; p++) {
        assert_int_equal(probes[p].count, 1);
        assert_int_equal(last(p)->status, VMUX_BUSY);
    }
    assert_int_equal(mux.counters.errors, 1);
    assert_int_equal(mux.counters.conversions, 0);
    assert_int_equal(alarm_mux_armed_count(&alarms), 0);

    assert_int_equal(hil_adc_stop(&adc.hil), VMUX_SUCCESS);
    assert_served(0, 4);
}

static void availability_adc_hung_conversion_times_out_and_mux_recovers(void **state)
{
    (void)state;
    sim_adc_inject_hang(&adc);
    assert_int_equal(sample(0, 2), VMUX_SUCCESS);
    assert_int_equal(sample(1, 2), VMUX_SUCCESS);
    assert_int_equal(sample(2, 5), VMUX_SUCCESS);
    sim_advance(ADC_MUX_DEFAULT_TIMEOUT_US * US - 1 * US);
    for (unsigned p = 0; p <= 2; p++)
        assert_int_equal(probes[p].count, 0);
    sim_advance(1 * US);
    for (unsigned p = 0; p <= 1; p++) {
        assert_int_equal(probes[p].count, 1);
        assert_int_equal(last(p)->status, VMUX_FAIL);
        assert_int_equal(last(p)->at_ns, ADC_MUX_DEFAULT_TIMEOUT_US * US);
    }
    assert_int_equal(mux.counters.timeouts, 1);
    /* The others are served as soon as the hung conversion is given up. */
    sim_advance(1 * MS);
    assert_int_equal(probes[2].count, 1);
    assert_true_reading(last(2), 5);
    assert_int_equal(last(2)->at_ns, ADC_MUX_DEFAULT_TIMEOUT_US * US + CONV);

    /* The converter works again, and the watchdog is idle between conversions. */
    assert_served(0, 2);
    assert_int_equal(alarm_mux_armed_count(&alarms), 0);
    sim_advance(20 * MS);
    assert_int_equal(mux.counters.timeouts, 1);

    /* The timeout is the board's to choose. */
    adc_mux_set_timeout_us(&mux, 2000);
    sim_adc_inject_hang(&adc);
    uint64_t t0 = sim_now_ns();
    assert_int_equal(sample(0, 2), VMUX_SUCCESS);
    sim_advance(3 * MS);
    assert_int_equal(probes[0].count, 3);
    assert_int_equal(last(0)->status, VMUX_FAIL);
    assert_int_equal(last(0)->at_ns, t0 + 2 * MS);
}

/* ------------------------------------------------------------ departure */

static void departure_adc_pending_request_dropped_without_callback(void **state)
{
    (void)state;
    assert_int_equal(sample(0, 1), VMUX_SUCCESS);
    assert_int_equal(sample(1, 1), VMUX_SUCCESS);
    assert_int_equal(sample(2, 6), VMUX_SUCCESS);
    sim_advance(0);                             /* channel 1 is converting */
    client_departed(probes[0].id);
    client_departed(probes[2].id);
    sim_advance(1 * MS);
    assert_int_equal(probes[0].count, 0);
    assert_int_equal(probes[2].count, 0);
    assert_int_equal(probes[1].count, 1);
    assert_true_reading(last(1), 1);
    assert_int_equal(mux.counters.conversions, 1); /* channel 6 was never converted */
    assert_int_equal(sample(0, 1), VMUX_OFF);
}

static void departure_adc_stream_stopped_and_queued_requests_proceed(void **state)
{
    (void)state;
    assert_int_equal(sample(2, 6), VMUX_SUCCESS);
    assert_int_equal(stream(0, cap(), 3, 1000), VMUX_SUCCESS);
    sim_advance(5 * MS);
    assert_int_equal(probes[0].count, 5);
    assert_int_equal(probes[2].count, 0);       /* blocked by the stream */
    uint32_t before = sim_adc_conversions(&adc);
    uint64_t gone_at = sim_now_ns();
    client_departed(probes[0].id);
    sim_advance(5 * MS);
    assert_int_equal(probes[0].count, 5);
    assert_int_equal(probes[2].count, 1);
    assert_true_reading(last(2), 6);
    assert_int_equal(last(2)->at_ns, gone_at + CONV);
    assert_int_equal(sim_adc_conversions(&adc) - before, 1);
}

static void departure_adc_buffered_run_stopped_and_others_proceed(void **state)
{
    (void)state;
    uint16_t buf[64];
    assert_int_equal(buffered(0, cap(), 2, 1000, buf, 64), VMUX_SUCCESS);
    sim_advance(3 * MS);
    client_departed(probes[0].id);
    assert_int_equal(sample(1, 5), VMUX_BUSY);  /* until the driver returns the buffer */
    sim_advance(0);
    assert_served(1, 5);
    assert_int_equal(probes[0].buffers, 0);
}

/* ------------------------------------------------------------ arguments */

static void requests_adc_bad_arguments_refused(void **state)
{
    (void)state;
    uint16_t buf[4];
    struct adc_mux_client stranger = { 0 };
    struct adc_mux_client extra[CAPACITY];
    assert_int_equal(adc_mux_sample(NULL, 0), VMUX_OFF);
    assert_int_equal(adc_mux_sample(&stranger, 0), VMUX_OFF);
    assert_int_equal(sample(0, SIM_ADC_DEFAULT_CHANNELS), VMUX_INVALID);
    assert_int_equal(sample(0, 1), VMUX_SUCCESS);
    assert_int_equal(sample(0, 2), VMUX_BUSY);  /* one request at a time */
    assert_int_equal(stream(0, cap(), 1, 1000), VMUX_BUSY);
    assert_int_equal(stream(1, cap(), SIM_ADC_DEFAULT_CHANNELS, 1000), VMUX_INVALID);
    assert_int_equal(stream(1, cap(), 1, 0), VMUX_INVALID);
    assert_int_equal(buffered(1, cap(), 1, 1000, NULL, 4), VMUX_INVALID);
    assert_int_equal(buffered(1, cap(), 1, 1000, buf, 0), VMUX_SIZE);
    assert_int_equal(adc_mux_stop_continuous(&probes[1].client), VMUX_ALREADY);
    assert_int_equal(adc_mux_stop_buffer(&probes[1].client), VMUX_ALREADY);
    assert_int_equal(adc_mux_stop_continuous(NULL), VMUX_ALREADY);

    assert_int_equal(adc_mux_attach(&mux, &probes[1].client, probes[1].id, &probe_ops),
                     VMUX_ALREADY);
    assert_int_equal(adc_mux_attach(&mux, NULL, probes[1].id, &probe_ops), VMUX_INVALID);
    memset(extra, 0, sizeof extra);
    assert_int_equal(adc_mux_attach(&mux, &extra[0], client_process(20, 1), NULL),
                     VMUX_INVALID);
    for (unsigned i = 0; i < CAPACITY - PROBES; i++)
        assert_int_equal(adc_mux_attach(&mux, &extra[i], client_process(20 + i, 1),
                                        &probe_ops), VMUX_SUCCESS);
    assert_int_equal(adc_mux_attach(&mux, &stranger, client_process(30, 1), &probe_ops),
                     VMUX_NOMEM);

    /* A rate the driver refuses comes back through sample_done. */
    assert_int_equal(stream(1, cap(), 1, SIM_ADC_MAX_HZ + 1), VMUX_SUCCESS);
    sim_advance(1 * MS);
    assert_int_equal(probes[1].count, 1);
    assert_int_equal(last(1)->status, VMUX_INVALID);
    assert_false(adc_mux_holds_run(&probes[1].client));
    assert_true_reading(last(0), 1);

    struct adc_mux other;
    assert_int_equal(adc_mux_init(&other, &adc.hil, &watchdog.hil, NULL, rr_bits, 4),
                     VMUX_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sharing_adc_simultaneous_same_channel_requests_take_one_reading, setup),
        cmocka_unit_test_setup(availability_adc_channels_served_round_robin, setup),
        cmocka_unit_test_setup(capability_adc_continuous_refused_without_capability, setup),
        cmocka_unit_test_setup(capability_adc_continuous_with_capability_streams, setup),
        cmocka_unit_test_setup(capability_adc_stream_serves_same_channel_and_blocks_others, setup),
        cmocka_unit_test_setup(capability_adc_buffered_run_fills_buffer_and_blocks_others, setup),
        cmocka_unit_test_setup(availability_adc_hardware_error_reaches_waiting_clients, setup),
        cmocka_unit_test_setup(availability_adc_refused_start_reaches_waiting_clients, setup),
        cmocka_unit_test_setup(availability_adc_hung_conversion_times_out_and_mux_recovers, setup),
        cmocka_unit_test_setup(departure_adc_pending_request_dropped_without_callback, setup),
        cmocka_unit_test_setup(departure_adc_stream_stopped_and_queued_requests_proceed, setup),
        cmocka_unit_test_setup(departure_adc_buffered_run_stopped_and_others_proceed, setup),
        cmocka_unit_test_setup(requests_adc_bad_arguments_refused, setup),
    };
    return cmocka_run_group_tests_name("adc_mux", tests, NULL, NULL);
}
