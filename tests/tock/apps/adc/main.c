/*
 * tock-adc: the ADC driver (0x5) as a Tock app (libtock-c's adc) uses
 * it: the channel count, the resolution (command 101), one sample by
 * upcall (mode 0, channel, value), the value left-justified to 16 bits
 * as Tock's ADC HIL has it (the bits below the converter's resolution
 * are 0), a channel past the last refused (NODEVICE). A kernel client
 * may hold the converter for a run of its own (the board's capability):
 * then a sample is BUSY, and the app tries again later.
 */
#include "../../tock.h"

#define ADC 0x5u

static volatile uint32_t got, got_mode, got_channel, got_value;

static void adc_done(int mode, int channel, int value, void *data)
{
    (void)data;
    got_mode = (uint32_t)mode;
    got_channel = (uint32_t)channel;
    got_value = (uint32_t)value;
    got++;
}

int main(void)
{
    struct tock_ret r = tock_command(ADC, 0, 0, 0);
    TOCK_EXPECT_EQ("channel_count_is_success_u32", r.r0, TOCK_SUCCESS_U32);
    uint32_t channels = r.r1;
    TOCK_EXPECT("at_least_one_channel", channels >= 1);
    r = tock_command(ADC, 101, 0, 0);
    TOCK_EXPECT_EQ("resolution_is_success_u32", r.r0, TOCK_SUCCESS_U32);
    uint32_t bits = r.r1;
    TOCK_EXPECT("resolution_8_to_16_bits", bits >= 8 && bits <= 16);

    tock_subscribe(ADC, 0, adc_done, 0);
    unsigned low_bits_set = 0, nonzero = 0;
    for (unsigned k = 0; k < 4; k++) {
        uint32_t before = got;
        unsigned tries = 0;
        while ((r = tock_command(ADC, 1, 0, 0)).r0 == TOCK_FAILURE && r.r1 == TOCK_BUSY &&
               ++tries < 100)
            tock_sleep_ms(10);
        TOCK_EXPECT_EQ("single_sample", r.r0 == TOCK_SUCCESS ? 0 : r.r1, 0);
        while (r.r0 == TOCK_SUCCESS && got == before)
            tock_yield();
        low_bits_set += (got_value & ((1u << (16 - bits)) - 1u)) != 0;
        nonzero += got_value != 0;
        tock_sleep_ms(5);
    }
    TOCK_EXPECT_EQ("upcall_mode_single", got_mode, 0);
    TOCK_EXPECT_EQ("upcall_channel", got_channel, 0);
    TOCK_EXPECT("value_fits_16_bits", got_value <= 0xffffu);
    TOCK_EXPECT_EQ("value_left_justified", low_bits_set, 0);
    TOCK_EXPECT("a_sample_not_zero", nonzero > 0);
    r = tock_command(ADC, 1, channels, 0);
    TOCK_EXPECT("channel_past_the_last_nodevice", r.r0 == TOCK_FAILURE && r.r1 == TOCK_NODEVICE);
    tock_done();
    return 0;
}
