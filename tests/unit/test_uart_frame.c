/* UART mux wire protocol: CRC, COBS framing round trips, and recovery
 * from noise, truncation, corruption and oversized frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "capsules/uart_frame.h"

static void crc_matches_the_ccitt_false_check_value(void **state)
{
    (void)state;
    assert_int_equal(uart_frame_crc16((const uint8_t *)"123456789", 9), 0x29b1);
    assert_int_equal(uart_frame_crc16(NULL, 0), 0xffff);
}

/* Decode a wire buffer, returning the number of valid frames and the last one. */
static unsigned decode_all(struct uart_frame_decoder *d, const uint8_t *wire, size_t n,
                           uint8_t *channel, uint8_t *payload, size_t *len)
{
    unsigned frames = 0;
    for (size_t i = 0; i < n; i++) {
        if (uart_frame_decoder_push(d, wire[i]) == UART_FRAME_READY) {
            frames++;
            *channel = uart_frame_channel(d);
            *len = uart_frame_payload_len(d);
            memcpy(payload, uart_frame_payload(d), *len);
        }
    }
    return frames;
}

static void worked_example_from_the_protocol_doc(void **state)
{
    (void)state;
    uint8_t wire[UART_FRAME_WIRE_MAX];
    size_t n = uart_frame_encode(2, (const uint8_t *)"hi", 2, wire, sizeof wire);
    /* decoded: 02 68 69 crc(02 68 69) */
    uint8_t decoded[3] = { 2, 'h', 'i' };
    uint16_t crc = uart_frame_crc16(decoded, 3);
    assert_int_equal(n, 7);
    assert_int_equal(wire[0], 6);       /* COBS code: 5 data bytes, no zero */
    assert_int_equal(wire[1], 2);
    assert_int_equal(wire[2], 'h');
    assert_int_equal(wire[3], 'i');
    assert_int_equal(wire[4], crc >> 8);
    assert_int_equal(wire[5], crc & 0xff);
    assert_int_equal(wire[6], 0);
    /* the three worked examples of docs/uart-mux-protocol.md, byte for byte */
    static const uint8_t hi[] = { 0x06, 0x02, 0x68, 0x69, 0xdd, 0xf0, 0x00 };
    static const uint8_t with_zero[] = { 0x03, 0x01, 0x41, 0x03, 0xc5, 0x51, 0x00 };
    static const uint8_t announce[] = { 0x01, 0x0b, 0x01, 0x04, 'c', 'r', 'y', 'p', 't', 'o',
                                        0x66, 0x44, 0x00 };
    assert_int_equal(uart_frame_encode(2, (const uint8_t *)"hi", 2, wire, sizeof wire), sizeof hi);
    assert_memory_equal(wire, hi, sizeof hi);
    assert_int_equal(uart_frame_encode(1, (const uint8_t *)"\x41\x00", 2, wire, sizeof wire),
                     sizeof with_zero);
    assert_memory_equal(wire, with_zero, sizeof with_zero);
    assert_int_equal(uart_frame_encode(0, (const uint8_t *)"\x01\x04" "crypto", 8, wire, sizeof wire),
                     sizeof announce);
    assert_memory_equal(wire, announce, sizeof announce);
    /* a payload with zeroes never puts a zero on the wire before the end */
    uint8_t zeros[10] = {0};
    n = uart_frame_encode(0, zeros, sizeof zeros, wire, sizeof wire);
    for (size_t i = 0; i + 1 < n; i++)
        assert_int_not_equal(wire[i], 0);
    assert_int_equal(wire[n - 1], 0);
}

static void round_trips_every_length_and_channel(void **state)
{
    (void)state;
    struct uart_frame_decoder d;
    uart_frame_decoder_init(&d);
    uint8_t payload[UART_FRAME_PAYLOAD_MAX], got[UART_FRAME_PAYLOAD_MAX];
    uint8_t wire[UART_FRAME_WIRE_MAX];
    uint32_t seed = 99;
    for (size_t len = 0; len <= UART_FRAME_PAYLOAD_MAX; len++) {
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1664525u + 1013904223u;
            /* plenty of zeroes and 0xff to exercise COBS block edges */
            payload[i] = (seed >> 24) < 64 ? 0 : (seed >> 24) > 200 ? 0xff : (uint8_t)(seed >> 16);
        }
        uint8_t ch = (uint8_t)(len * 7);
        size_t n = uart_frame_encode(ch, payload, len, wire, sizeof wire);
        assert_true(n > 0 && n <= UART_FRAME_WIRE_MAX);
        uint8_t got_ch = 0;
        size_t got_len = 0;
        assert_int_equal(decode_all(&d, wire, n, &got_ch, got, &got_len), 1);
        assert_int_equal(got_ch, ch);
        assert_int_equal(got_len, len);
        assert_memory_equal(got, payload, len);
    }
    /* 254 non-zero bytes end a COBS block exactly at the frame end */
    memset(payload, 0x41, sizeof payload);
    for (size_t len = 250; len <= 255; len++) {
        size_t n = uart_frame_encode(1, payload, len, wire, sizeof wire);
        uint8_t c;
        size_t l;
        assert_int_equal(decode_all(&d, wire, n, &c, got, &l), 1);
        assert_int_equal(l, len);
    }
    assert_int_equal(d.counters.bad_crc + d.counters.malformed + d.counters.runt, 0);
}

/* The byte-wise CRC (no table) against the definition, bit by bit: the
 * check value, every two-byte message, and pseudo-random messages. */
static uint16_t crc16_bitwise(const uint8_t *data, size_t len)
{
    uint16_t crc = 0xffff;
    for (size_t n = 0; n < len; n++) {
        crc ^= (uint16_t)(data[n] << 8);
        for (int i = 0; i < 8; i++)
            crc = (uint16_t)((crc & 0x8000u) ? ((unsigned)crc << 1) ^ 0x1021u : (unsigned)crc << 1);
    }
    return crc;
}

static void crc_matches_the_bitwise_definition(void **state)
{
    (void)state;
    assert_int_equal(uart_frame_crc16((const uint8_t *)"123456789", 9), 0x29b1);
    for (uint32_t v = 0; v <= 0xffffu; v++) {
        uint8_t two[2] = { (uint8_t)(v >> 8), (uint8_t)v };
        assert_int_equal(uart_frame_crc16(two, 2), crc16_bitwise(two, 2));
    }
    uint32_t seed = 12345;
    uint8_t msg[300];
    for (int m = 0; m < 2000; m++) {
        size_t len = (seed >> 8) % sizeof msg;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            msg[i] = (uint8_t)(seed >> 16);
        }
        assert_int_equal(uart_frame_crc16(msg, len), crc16_bitwise(msg, len));
    }
}

static void encoder_refuses_oversize_and_small_output(void **state)
{
    (void)state;
    uint8_t payload[UART_FRAME_PAYLOAD_MAX + 1] = {0};
    uint8_t wire[UART_FRAME_WIRE_MAX + 8];
    assert_int_equal(uart_frame_encode(1, payload, UART_FRAME_PAYLOAD_MAX + 1, wire, sizeof wire), 0);
    assert_int_equal(uart_frame_encode(1, payload, 10, wire, 5), 0);
    assert_int_equal(uart_frame_encode(1, NULL, 3, wire, sizeof wire), 0);
}

static void corrupted_frame_is_rejected_and_next_one_decodes(void **state)
{
    (void)state;
    struct uart_frame_decoder d;
    uart_frame_decoder_init(&d);
    uint8_t wire[2 * UART_FRAME_WIRE_MAX], got[UART_FRAME_PAYLOAD_MAX];
    size_t a = uart_frame_encode(3, (const uint8_t *)"secret", 6, wire, sizeof wire);
    size_t b = uart_frame_encode(4, (const uint8_t *)"next", 4, wire + a, sizeof wire - a);
    wire[3] ^= 0x10; /* flip a bit in the first frame's payload */
    uint8_t ch = 0;
    size_t len = 0;
    assert_int_equal(decode_all(&d, wire, a + b, &ch, got, &len), 1);
    assert_int_equal(ch, 4);
    assert_int_equal(len, 4);
    assert_int_equal(d.counters.bad_crc, 1);
}

static void noise_truncation_and_oversize_resynchronise(void **state)
{
    (void)state;
    struct uart_frame_decoder d;
    uart_frame_decoder_init(&d);
    uint8_t wire[4096], got[UART_FRAME_PAYLOAD_MAX];
    size_t n = 0;
    /* line noise */
    const uint8_t noise[] = { 0x13, 0x37, 0xfe, 0x00, 0x42, 0x00, 0x00 };
    memcpy(wire + n, noise, sizeof noise);
    n += sizeof noise;
    /* a truncated frame: the head of a frame, then the delimiter */
    size_t t = uart_frame_encode(5, (const uint8_t *)"truncated", 9, wire + n, sizeof wire - n);
    n += t / 2;
    wire[n++] = 0;
    /* an oversized run with no delimiter */
    memset(wire + n, 0x01, 600);
    n += 600;
    wire[n++] = 0;
    /* finally a good frame */
    n += uart_frame_encode(9, (const uint8_t *)"ok", 2, wire + n, sizeof wire - n);
    uint8_t ch = 0;
    size_t len = 0;
    assert_int_equal(decode_all(&d, wire, n, &ch, got, &len), 1);
    assert_int_equal(ch, 9);
    assert_memory_equal(got, "ok", 2);
    assert_true(d.counters.runt + d.counters.bad_crc + d.counters.malformed >= 2);
    assert_int_equal(d.counters.oversized, 1);
}

static void random_garbage_never_yields_a_frame_by_accident_often(void **state)
{
    (void)state;
    struct uart_frame_decoder d;
    uart_frame_decoder_init(&d);
    uint32_t seed = 7;
    unsigned accepted = 0, ended = 0;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint8_t byte = (seed >> 16) % 40 == 0 ? 0 : (uint8_t)(seed >> 8);
        enum uart_frame_status st = uart_frame_decoder_push(&d, byte);
        if (st != UART_FRAME_MORE)
            ended++;
        if (st == UART_FRAME_READY)
            accepted++;
        assert_true(d.len <= UART_FRAME_DECODED_MAX);
    }
    assert_true(ended > 1000);
    /* CRC-16: about 1 in 65536 garbage frames passes */
    assert_true(accepted <= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_matches_the_ccitt_false_check_value),
        cmocka_unit_test(worked_example_from_the_protocol_doc),
        cmocka_unit_test(round_trips_every_length_and_channel),
        cmocka_unit_test(encoder_refuses_oversize_and_small_output),
        cmocka_unit_test(crc_matches_the_bitwise_definition),
        cmocka_unit_test(corrupted_frame_is_rejected_and_next_one_decodes),
        cmocka_unit_test(noise_truncation_and_oversize_resynchronise),
        cmocka_unit_test(random_garbage_never_yields_a_frame_by_accident_often),
    };
    return cmocka_run_group_tests_name("uart_frame", tests, NULL, NULL);
}
