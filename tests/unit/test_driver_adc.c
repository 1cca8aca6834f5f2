/* ADC driver 0x5 through scripted processes over the ADC mux and a
 * simulated ADC: command 0's channel count, single samples shared between
 * processes, continuous and buffered sampling offered only with the
 * board's capability, buffers swapped during a run, what a process's end
 * leaves behind. Readings are checked against the simulated signal,
 * sim_adc_model_value(), at the instant each conversion completes, in
 * Tock's format: left-justified to 16 bits (the 12-bit reading << 4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/drivers/adc_driver.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"
#include "tests/unit/test_driver_common.h"

#define SEED 0xadc5u
#define CONV SIM_ADC_DEFAULT_CONVERSION_NS
#define US 1000ull
#define MS 1000000ull
#define CLIENTS 4
#define ADC ADC_DRIVER_NUM

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_adc adc;
static struct adc_mux mux;
static struct client_entry *slots[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];
static struct adc_driver drv;
static struct harness_process hp[2];

/* The board's choice: with or without the capability. */
static void boot(const cap_adc_continuous_t *cap)
{
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    struct sim_adc_config config = { .seed = SEED };
    assert_int_equal(sim_adc_init(&adc, &config), VMUX_SUCCESS);
    assert_int_equal(adc_mux_init(&mux, &adc.hil, &watchdog.hil, slots, rr_bits, CLIENTS),
                     VMUX_SUCCESS);
    adc_driver_init(&drv, &mux, cap);
    harness_reset();
    assert_int_equal(process_register_driver(&drv.driver), VMUX_SUCCESS);
    assert_non_null(harness_spawn(&hp[0], "alpha", RESTART_NEVER));
    assert_non_null(harness_spawn(&hp[1], "beta", RESTART_NEVER));
    td_subscribe(&hp[0], ADC, ADC_UPCALL_DONE);
    td_subscribe(&hp[1], ADC, ADC_UPCALL_DONE);
}

static int setup_plain(void **state)
{
    (void)state;
    boot(NULL);
    return 0;
}

static int setup_granted(void **state)
{
    (void)state;
    boot(test_board_cap_adc_continuous());
    return 0;
}

static struct syscall_return adc_cmd(unsigned i, uint32_t cmd, syscall_reg_t a, syscall_reg_t b)
{
    return td_command(&hp[i], ADC, cmd, a, b);
}

/* What a process gets: the converter's reading left-justified to 16 bits. */
static uint16_t model(unsigned channel, uint64_t at_ns)
{
    return (uint16_t)(sim_adc_model_value(SEED, channel, at_ns) << (16 - SIM_ADC_RESOLUTION_BITS));
}

static void expect_sample(unsigned i, unsigned mode, uint32_t channel, uint32_t value)
{
    td_expect_upcall(&hp[i], ADC, ADC_UPCALL_DONE, mode, channel, value);
}

/* The sample at byte offset of i's RAM (16-bit little-endian). */
static uint16_t sample_at(unsigned i, unsigned offset)
{
    return (uint16_t)(hp[i].ram[offset] | hp[i].ram[offset + 1] << 8);
}

/* ------------------------------------------------------------ commands */

static void adc_command_zero_returns_the_channel_count_and_allocates_nothing(void **state)
{
    (void)state;
    uintptr_t grants = hp[0].process->kernel_break;
    td_assert_u32(adc_cmd(0, 0, 0, 0), SIM_ADC_DEFAULT_CHANNELS);
    assert_int_equal(hp[0].process->kernel_break, grants);
}

static void adc_single_sample_upcall_carries_mode_channel_and_value(void **state)
{
    (void)state;
    sim_advance(3 * MS);
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 3, 0));
    sim_advance(1 * MS);
    expect_sample(0, ADC_MODE_SINGLE, 3, model(3, 3 * MS + CONV));
    assert_int_equal(td_pending(&hp[0]), 0);
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 7, 0)); /* and again, another channel */
    sim_advance(1 * MS);
    expect_sample(0, ADC_MODE_SINGLE, 7, model(7, 4 * MS + CONV));
}

static void adc_single_sample_refuses_bad_channel_and_a_second_request(void **state)
{
    (void)state;
    td_assert_failure(adc_cmd(0, ADC_CMD_SINGLE, SIM_ADC_DEFAULT_CHANNELS, 0), VMUX_NODEVICE);
    td_assert_failure(adc_cmd(0, ADC_CMD_SINGLE, 0x10000, 0), VMUX_NODEVICE);
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 1, 0));
    td_assert_failure(adc_cmd(0, ADC_CMD_SINGLE, 2, 0), VMUX_BUSY);
    sim_advance(1 * MS);
    assert_int_equal(td_pending(&hp[0]), 1); /* the refused one asked for nothing */
}

/* A process gets the converter's reading left-justified to 16 bits (so
 * its low 4 bits are clear on a 12-bit converter), and the reading back
 * with the resolution command 101 still answers: value >> (16 - bits). */
static void adc_samples_are_left_justified_to_16_bits(void **state)
{
    (void)state;
    struct syscall_return r = adc_cmd(0, ADC_CMD_RESOLUTION, 0, 0);
    td_assert_u32(r, SIM_ADC_RESOLUTION_BITS);
    unsigned bits = (unsigned)r.r[1];
    for (unsigned k = 0; k < 20; k++) {
        unsigned ch = k % SIM_ADC_DEFAULT_CHANNELS;
        uint64_t at = sim_now_ns() + CONV;
        td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, ch, 0));
        sim_advance(1 * MS);
        struct upcall u;
        assert_true(td_take(&hp[0], &u));
        uint16_t raw = sim_adc_model_value(SEED, ch, at);
        assert_int_equal(u.args[2], (uint32_t)raw << 4);
        assert_int_equal(u.args[2] >> (16 - bits), raw);
        assert_int_equal(u.args[2] & 0xfu, 0);
    }
}

static void adc_resolution_reference_and_unknown_commands(void **state)
{
    (void)state;
    td_assert_u32(adc_cmd(0, ADC_CMD_RESOLUTION, 0, 0), SIM_ADC_RESOLUTION_BITS);
    td_assert_failure(adc_cmd(0, ADC_CMD_RESOLUTION, SIM_ADC_DEFAULT_CHANNELS, 0),
                      VMUX_NODEVICE);
    td_assert_failure(adc_cmd(0, ADC_CMD_REFERENCE_MV, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(adc_cmd(0, ADC_CMD_REFERENCE_MV, 99, 0), VMUX_NODEVICE);
    td_assert_failure(adc_cmd(0, 6, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(adc_cmd(0, 100, 0, 0), VMUX_NOSUPPORT);
    td_assert_failure(adc_cmd(0, 103, 0, 0), VMUX_NOSUPPORT);
}

static void adc_failed_conversion_still_completes_with_value_zero(void **state)
{
    (void)state;
    sim_adc_inject_error(&adc, VMUX_FAIL);
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 2, 0));
    sim_advance(1 * MS);
    expect_sample(0, ADC_MODE_SINGLE, 2, 0);
}

/* ------------------------------------------------------------ policy */

static void sharing_adc_two_processes_same_channel_one_reading(void **state)
{
    (void)state;
    sim_advance(7 * MS);
    uint32_t before = sim_adc_conversions(&adc);
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 0, 0));
    td_assert_success(adc_cmd(1, ADC_CMD_SINGLE, 0, 0));
    sim_advance(1 * MS);
    assert_int_equal(sim_adc_conversions(&adc), before + 1);
    uint16_t value = model(0, 7 * MS + CONV);
    expect_sample(0, ADC_MODE_SINGLE, 0, value);
    expect_sample(1, ADC_MODE_SINGLE, 0, value);
    assert_int_equal(mux.counters.shared, 1);
}

static void capability_adc_continuous_not_offered_without_grant(void **state)
{
    (void)state;
    td_allow(&hp[0], false, ADC, 0, 100, 16);
    td_allow(&hp[0], false, ADC, 1, 200, 16);
    for (uint32_t cmd = ADC_CMD_CONTINUOUS; cmd <= ADC_CMD_STOP; cmd++)
        td_assert_failure(adc_cmd(0, cmd, 0, 1000), VMUX_NOSUPPORT);
    sim_advance(10 * MS);
    assert_int_equal(mux.counters.runs, 0);
    assert_int_equal(sim_adc_conversions(&adc), 0);
    assert_int_equal(td_pending(&hp[0]), 0);
    /* single samples are still there */
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 0, 0));
    sim_advance(1 * MS);
    assert_int_equal(td_pending(&hp[0]), 1);
}

static void capability_adc_continuous_offered_with_grant(void **state)
{
    (void)state;
    td_assert_success(adc_cmd(0, ADC_CMD_CONTINUOUS, 1, 1000));
    td_assert_failure(adc_cmd(1, ADC_CMD_CONTINUOUS, 2, 1000), VMUX_BUSY); /* one run */
    td_assert_failure(adc_cmd(0, ADC_CMD_CONTINUOUS, 1, 1000), VMUX_BUSY);
    td_assert_failure(adc_cmd(0, ADC_CMD_SINGLE, 1, 0), VMUX_BUSY);
    sim_advance(3 * MS);
    for (uint64_t k = 0; k < 3; k++)
        expect_sample(0, ADC_MODE_CONTINUOUS, 1, model(1, CONV + k * MS));
    td_assert_success(adc_cmd(0, ADC_CMD_STOP, 0, 0));
    td_assert_success(adc_cmd(0, ADC_CMD_STOP, 0, 0)); /* idle: fine */
    sim_advance(5 * MS);
    assert_int_equal(td_pending(&hp[0]), 0);
    /* now beta may */
    td_assert_success(adc_cmd(1, ADC_CMD_CONTINUOUS, 2, 1000));
    sim_advance(1 * MS);
    assert_int_equal(td_pending(&hp[1]), 1);
    td_assert_failure(adc_cmd(1, ADC_CMD_CONTINUOUS, SIM_ADC_DEFAULT_CHANNELS, 1000),
                      VMUX_BUSY);
    td_assert_failure(adc_cmd(0, ADC_CMD_CONTINUOUS, SIM_ADC_DEFAULT_CHANNELS, 1000),
                      VMUX_INVALID);
    td_assert_failure(adc_cmd(0, ADC_CMD_BUFFER, 0, 1000), VMUX_NOMEM); /* no buffer */
    td_allow(&hp[0], false, ADC, 0, 100, 1);
    td_assert_failure(adc_cmd(0, ADC_CMD_BUFFER, 0, 1000), VMUX_NOMEM); /* not one sample */
    td_allow(&hp[0], false, ADC, 0, 100, 16);
    td_assert_failure(adc_cmd(0, ADC_CMD_BUFFER, 0, 0), VMUX_INVALID);
    td_assert_failure(adc_cmd(0, ADC_CMD_BUFFER, 0, 1000), VMUX_BUSY); /* beta's stream */
}

static void adc_buffered_sampling_fills_the_allow_little_endian(void **state)
{
    (void)state;
    td_fill(&hp[0], 100, 0xee, 24);
    td_allow(&hp[0], false, ADC, 0, 100, 20);
    td_assert_success(adc_cmd(0, ADC_CMD_BUFFER, 2, 1000));
    sim_advance(20 * MS);
    expect_sample(0, ADC_MODE_BUFFER, 10u << 8 | 2, (uint32_t)harness_addr(&hp[0], 100));
    for (unsigned k = 0; k < 10; k++)
        assert_int_equal(sample_at(0, 100 + 2 * k), model(2, CONV + k * MS));
    assert_true(td_all(&hp[0].ram[120], 0xee, 4));
    assert_int_equal(td_pending(&hp[0]), 0); /* once */
}

static void adc_buffered_sampling_larger_than_the_kernel_buffer_takes_chunks(void **state)
{
    (void)state;
    unsigned n = ADC_DRIVER_BUF_SAMPLES + 36;
    td_allow(&hp[0], false, ADC, 0, 100, 2 * n + 1);
    td_assert_success(adc_cmd(0, ADC_CMD_BUFFER, 5, 10000));
    sim_advance(50 * MS);
    expect_sample(0, ADC_MODE_BUFFER, n << 8 | 5, (uint32_t)harness_addr(&hp[0], 100));
    for (unsigned k = 0; k < ADC_DRIVER_BUF_SAMPLES; k++)
        assert_int_equal(sample_at(0, 100 + 2 * k), model(5, CONV + k * 100 * US));
    assert_int_equal(mux.counters.runs, 2);
}

static void adc_continuous_buffering_alternates_the_two_allows(void **state)
{
    (void)state;
    td_allow(&hp[0], false, ADC, 0, 100, 8);
    td_allow(&hp[0], false, ADC, 1, 200, 8);
    td_assert_success(adc_cmd(0, ADC_CMD_CONTINUOUS_BUFFER, 4, 1000));
    sim_advance(10 * MS); /* three buffers of 4 samples, the fourth under way */
    uint32_t first = (uint32_t)harness_addr(&hp[0], 100);
    uint32_t second = (uint32_t)harness_addr(&hp[0], 200);
    expect_sample(0, ADC_MODE_CONTINUOUS_BUFFER, 4u << 8 | 4, first);
    expect_sample(0, ADC_MODE_CONTINUOUS_BUFFER, 4u << 8 | 4, second);
    expect_sample(0, ADC_MODE_CONTINUOUS_BUFFER, 4u << 8 | 4, first);
    td_assert_success(adc_cmd(0, ADC_CMD_STOP, 0, 0));
    sim_advance(20 * MS);
    assert_int_equal(td_pending(&hp[0]), 0);
    assert_int_equal(adc.mode, SIM_ADC_IDLE);
}

static void buffer_swapped_during_operation(void **state)
{
    (void)state;
    uint8_t *old = td_fill(&hp[0], 100, 0xaa, 16);
    uint8_t *fresh = td_fill(&hp[0], 200, 0xcc, 16);
    td_allow(&hp[0], false, ADC, 0, 100, 16);
    td_assert_success(adc_cmd(0, ADC_CMD_BUFFER, 3, 1000));
    sim_advance(2 * MS);
    td_allow(&hp[0], false, ADC, 0, 200, 6); /* smaller, elsewhere */
    sim_advance(20 * MS);
    expect_sample(0, ADC_MODE_BUFFER, 3u << 8 | 3, (uint32_t)harness_addr(&hp[0], 200));
    assert_true(td_all(old, 0xaa, 16));
    for (unsigned k = 0; k < 3; k++)
        assert_int_equal(sample_at(0, 200 + 2 * k), model(3, CONV + k * MS));
    assert_true(td_all(fresh + 6, 0xcc, 10));
}

static void lifecycle_process_end_releases_mux_resources(void **state)
{
    (void)state;
    /* a waiting request is dropped: no conversion for it, no upcall */
    td_assert_success(adc_cmd(0, ADC_CMD_SINGLE, 0, 0));
    td_assert_success(adc_cmd(1, ADC_CMD_SINGLE, 1, 0));
    td_end_long_life(&hp[0], true);
    hp[0].upcall_count = 0;
    sim_advance(1 * MS);
    assert_int_equal(sim_adc_conversions(&adc), 1);
    assert_int_equal(hp[0].upcall_count, 0);
    expect_sample(1, ADC_MODE_SINGLE, 1, model(1, CONV));
    /* a run is stopped, and the others may use the ADC again */
    assert_int_equal(process_start(test_board_cap_process_management(), hp[0].process),
                     VMUX_SUCCESS);
    assert_int_equal(hp[0].process->state, PROCESS_READY); /* a new life, at once */
    td_subscribe(&hp[0], ADC, ADC_UPCALL_DONE);
    td_allow(&hp[0], false, ADC, 0, 100, 2 * ADC_DRIVER_BUF_SAMPLES);
    td_assert_success(adc_cmd(0, ADC_CMD_BUFFER, 2, 1000));
    sim_advance(3 * MS);
    td_assert_failure(adc_cmd(1, ADC_CMD_SINGLE, 1, 0), VMUX_BUSY);
    td_fill(&hp[0], 100, 0xaa, 2 * ADC_DRIVER_BUF_SAMPLES);
    process_end(hp[0].process, true, -1);
    hp[0].upcall_count = 0;
    sim_advance(1 * MS);
    assert_int_equal(adc.mode, SIM_ADC_IDLE);
    td_assert_success(adc_cmd(1, ADC_CMD_SINGLE, 1, 0));
    sim_advance(1 * MS);
    assert_int_equal(td_pending(&hp[1]), 1);
    assert_int_equal(hp[0].upcall_count, 0);
    assert_true(td_all(&hp[0].ram[100], 0xaa, 2 * ADC_DRIVER_BUF_SAMPLES));
}

#define PLAIN(name) cmocka_unit_test_setup(name, setup_plain)
#define GRANTED(name) cmocka_unit_test_setup(name, setup_granted)

int main(void)
{
    const struct CMUnitTest tests[] = {
        PLAIN(adc_command_zero_returns_the_channel_count_and_allocates_nothing),
        PLAIN(adc_single_sample_upcall_carries_mode_channel_and_value),
        PLAIN(adc_single_sample_refuses_bad_channel_and_a_second_request),
        PLAIN(adc_samples_are_left_justified_to_16_bits),
        PLAIN(adc_resolution_reference_and_unknown_commands),
        PLAIN(adc_failed_conversion_still_completes_with_value_zero),
        PLAIN(sharing_adc_two_processes_same_channel_one_reading),
        PLAIN(capability_adc_continuous_not_offered_without_grant),
        GRANTED(capability_adc_continuous_offered_with_grant),
        GRANTED(adc_buffered_sampling_fills_the_allow_little_endian),
        GRANTED(adc_buffered_sampling_larger_than_the_kernel_buffer_takes_chunks),
        GRANTED(adc_continuous_buffering_alternates_the_two_allows),
        GRANTED(buffer_swapped_during_operation),
        GRANTED(lifecycle_process_end_releases_mux_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
