#include "capsules/uart_frame.h"

#include <string.h>

/* CRC-16/CCITT-FALSE a byte at a time: the CRC of each byte value
 * (polynomial 0x1021, MSB first), 512 bytes of flash for about six
 * instructions a byte (the nibble table it replaces took 32 bytes and
 * twice as many). */
static const uint16_t crc_table[256] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
    0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
    0x1231, 0x0210, 0x3273, 0x2252, 0x52b5, 0x4294, 0x72f7, 0x62d6,
    0x9339, 0x8318, 0xb37b, 0xa35a, 0xd3bd, 0xc39c, 0xf3ff, 0xe3de,
    0x2462, 0x3443, 0x0420, 0x1401, 0x64e6, 0x74c7, 0x44a4, 0x5485,
    0xa56a, 0xb54b, 0x8528, 0x9509, 0xe5ee, 0xf5cf, 0xc5ac, 0xd58d,
    0x3653, 0x2672, 0x1611, 0x0630, 0x76d7, 0x66f6, 0x5695, 0x46b4,
    0xb75b, 0xa77a, 0x9719, 0x8738, 0xf7df, 0xe7fe, 0xd79d, 0xc7bc,
    0x48c4, 0x58e5, 0x6886, 0x78a7, 0x0840, 0x1861, 0x2802, 0x3823,
    0xc9cc, 0xd9ed, 0xe98e, 0xf9af, 0x8948, 0x9969, 0xa90a, 0xb92b,
    0x5af5, 0x4ad4, 0x7ab7, 0x6a96, 0x1a71, 0x0a50, 0x3a33, 0x2a12,
    0xdbfd, 0xcbdc, 0xfbbf, 0xeb9e, 0x9b79, 0x8b58, 0xbb3b, 0xab1a,
    0x6ca6, 0x7c87, 0x4ce4, 0x5cc5, 0x2c22, 0x3c03, 0x0c60, 0x1c41,
    0xedae, 0xfd8f, 0xcdec, 0xddcd, 0xad2a, 0xbd0b, 0x8d68, 0x9d49,
    0x7e97, 0x6eb6, 0x5ed5, 0x4ef4, 0x3e13, 0x2e32, 0x1e51, 0x0e70,
    0xff9f, 0xefbe, 0xdfdd, 0xcffc, 0xbf1b, 0xaf3a, 0x9f59, 0x8f78,
    0x9188, 0x81a9, 0xb1ca, 0xa1eb, 0xd10c, 0xc12d, 0xf14e, 0xe16f,
    0x1080, 0x00a1, 0x30c2, 0x20e3, 0x5004, 0x4025, 0x7046, 0x6067,
    0x83b9, 0x9398, 0xa3fb, 0xb3da, 0xc33d, 0xd31c, 0xe37f, 0xf35e,
    0x02b1, 0x1290, 0x22f3, 0x32d2, 0x4235, 0x5214, 0x6277, 0x7256,
    0xb5ea, 0xa5cb, 0x95a8, 0x8589, 0xf56e, 0xe54f, 0xd52c, 0xc50d,
    0x34e2, 0x24c3, 0x14a0, 0x0481, 0x7466, 0x6447, 0x5424, 0x4405,
    0xa7db, 0xb7fa, 0x8799, 0x97b8, 0xe75f, 0xf77e, 0xc71d, 0xd73c,
    0x26d3, 0x36f2, 0x0691, 0x16b0, 0x6657, 0x7676, 0x4615, 0x5634,
    0xd94c, 0xc96d, 0xf90e, 0xe92f, 0x99c8, 0x89e9, 0xb98a, 0xa9ab,
    0x5844, 0x4865, 0x7806, 0x6827, 0x18c0, 0x08e1, 0x3882, 0x28a3,
    0xcb7d, 0xdb5c, 0xeb3f, 0xfb1e, 0x8bf9, 0x9bd8, 0xabbb, 0xbb9a,
    0x4a75, 0x5a54, 0x6a37, 0x7a16, 0x0af1, 0x1ad0, 0x2ab3, 0x3a92,
    0xfd2e, 0xed0f, 0xdd6c, 0xcd4d, 0xbdaa, 0xad8b, 0x9de8, 0x8dc9,
    0x7c26, 0x6c07, 0x5c64, 0x4c45, 0x3ca2, 0x2c83, 0x1ce0, 0x0cc1,
    0xef1f, 0xff3e, 0xcf5d, 0xdf7c, 0xaf9b, 0xbfba, 0x8fd9, 0x9ff8,
    0x6e17, 0x7e36, 0x4e55, 0x5e74, 0x2e93, 0x3eb2, 0x0ed1, 0x1ef0,
};

/* crc's bits above 16 are garbage until the caller masks them: the
 * index takes bits 8-15 only. */
static inline uint32_t crc16_byte(uint32_t crc, uint8_t byte)
{
    return (crc << 8) ^ crc_table[((crc >> 8) ^ byte) & 0xffu];
}

/* crc over data[0, len), two bytes a round (the loop's own cost halved). */
static uint32_t crc16_run(uint32_t crc, const uint8_t *data, size_t len)
{
    size_t i = 0;
    for (; i + 2 <= len; i += 2)
        crc = crc16_byte(crc16_byte(crc, data[i]), data[i + 1]);
    if (i < len)
        crc = crc16_byte(crc, data[i]);
    return crc;
}

uint16_t uart_frame_crc16(const uint8_t *data, size_t len)
{
    return (uint16_t)crc16_run(0xffff, data, len);
}

/* COBS, one decoded byte at a time: the open block's code byte is at
 * code_at and counts the block's bytes so far (plus one). */
struct cobs_writer {
    uint8_t *out;
    uint8_t *code_at;
    uint32_t code;
};

static inline void cobs_close_block(struct cobs_writer *w)
{
    *w->code_at = (uint8_t)w->code;
    w->code_at = w->out++;
    w->code = 1;
}

static inline void cobs_put(struct cobs_writer *w, uint8_t byte)
{
    if (byte != 0) {
        *w->out++ = byte;
        if (++w->code != 0xff)
            return;
    }
    cobs_close_block(w);
}

/* How many bytes of p[0, n) come before the first zero (n when none):
 * a word at a time, with the has-a-zero-byte test. */
static size_t zero_free(const uint8_t *p, size_t n)
{
    const uintptr_t ones = (uintptr_t)-1 / 0xff, highs = ones << 7;
    size_t i = 0;
    for (; i + sizeof(uintptr_t) <= n; i += sizeof(uintptr_t)) {
        uintptr_t v;
        memcpy(&v, p + i, sizeof v);
        if ((v - ones) & ~v & highs)
            break;
    }
    while (i < n && p[i] != 0)
        i++;
    return i;
}

/* COBS of a run of bytes: zero-free stretches are copied whole. */
static void cobs_put_run(struct cobs_writer *w, const uint8_t *p, size_t n)
{
    while (n > 0) {
        size_t room = 0xffu - w->code; /* data bytes the open block takes */
        size_t run = zero_free(p, n < room ? n : room);
        memcpy(w->out, p, run);
        w->out += run;
        w->code += (uint32_t)run;
        p += run;
        n -= run;
        if (w->code == 0xff) {
            cobs_close_block(w); /* a full block: its implied zero is none */
        } else if (n > 0) {
            cobs_close_block(w); /* a zero: the block ends there */
            p++;
            n--;
        }
    }
}

/* A frame of len payload bytes takes at most this many bytes encoded,
 * delimiter included. */
static size_t encoded_max(size_t len)
{
    size_t decoded = len + 3u;
    return decoded + (decoded + 253u) / 254u + 1u;
}

size_t uart_frame_encode(uint8_t channel, const uint8_t *payload, size_t len,
                         uint8_t *out, size_t cap)
{
    if (len > UART_FRAME_PAYLOAD_MAX || (len > 0 && payload == NULL) || cap < encoded_max(len))
        return 0;
    uint32_t crc = crc16_run(crc16_byte(0xffff, channel), payload, len);
    struct cobs_writer w = { out + 1, out, 1 };
    cobs_put(&w, channel);
    cobs_put_run(&w, payload, len);
    cobs_put(&w, (uint8_t)(crc >> 8));
    cobs_put(&w, (uint8_t)crc);
    *w.code_at = (uint8_t)w.code;
    *w.out++ = 0x00;
    return (size_t)(w.out - out);
}

void uart_frame_decoder_init(struct uart_frame_decoder *d)
{
    memset(d, 0, sizeof *d);
}

static void restart(struct uart_frame_decoder *d)
{
    d->len = 0;
    d->block_left = 0;
    d->zero_pending = false;
    d->in_frame = false;
    d->overflow = false;
}

static enum uart_frame_status end_of_frame(struct uart_frame_decoder *d)
{
    enum uart_frame_status st;
    if (d->overflow) {
        st = UART_FRAME_OVERSIZED;
        d->counters.oversized++;
    } else if (d->block_left != 0) {
        st = UART_FRAME_MALFORMED;
        d->counters.malformed++;
    } else if (d->len < 3) {
        st = UART_FRAME_RUNT;
        d->counters.runt++;
    } else {
        uint16_t want = (uint16_t)(d->buf[d->len - 2] << 8 | d->buf[d->len - 1]);
        if (uart_frame_crc16(d->buf, d->len - 2u) != want) {
            st = UART_FRAME_BAD_CRC;
            d->counters.bad_crc++;
        } else {
            st = UART_FRAME_READY;
            d->counters.frames++;
        }
    }
    uint16_t len = d->len;
    restart(d);
    if (st == UART_FRAME_READY)
        d->len = len; /* keep the frame readable until the next push */
    return st;
}

enum uart_frame_status uart_frame_decoder_push(struct uart_frame_decoder *d, uint8_t byte)
{
    if (!d->in_frame) {
        restart(d);
        if (byte == 0x00)
            return UART_FRAME_MORE; /* empty frame: idle line or resync */
        d->in_frame = true;
    } else if (byte == 0x00) {
        return end_of_frame(d);
    }
    if (d->overflow)
        return UART_FRAME_MORE;
    if (d->block_left > 0) {
        d->block_left--;
    } else {
        /* A code byte: what it adds is the previous block's implied zero. */
        bool zero = d->zero_pending;
        d->block_left = (uint8_t)(byte - 1);
        d->zero_pending = byte != 0xff;
        if (!zero)
            return UART_FRAME_MORE;
        byte = 0;
    }
    /* Past the maximum, everything up to the delimiter is discarded. */
    if (d->len < UART_FRAME_DECODED_MAX)
        d->buf[d->len++] = byte;
    else
        d->overflow = true;
    return UART_FRAME_MORE;
}
