#include "capsules/uart_frame.h"

#include <string.h>

/* CRC-16/CCITT of each 4-bit value (polynomial 0x1021, MSB first): the
 * CRC advances a nibble at a time, a 32-byte table instead of 512. */
static const uint16_t crc_nibble[16] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
    0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
};

uint16_t uart_frame_crc16(const uint8_t *data, size_t len)
{
    uint16_t crc = 0xffff;
    for (size_t i = 0; i < len; i++) {
        crc = (uint16_t)((crc << 4) ^ crc_nibble[(crc >> 12) ^ (data[i] >> 4)]);
        crc = (uint16_t)((crc << 4) ^ crc_nibble[(crc >> 12) ^ (data[i] & 0x0f)]);
    }
    return crc;
}

/* COBS-encode one decoded byte into the output, tracking the open block. */
struct cobs_writer {
    uint8_t *out;
    size_t cap, pos, code_at;
    uint8_t code;
};

static bool cobs_put(struct cobs_writer *w, uint8_t byte)
{
    if (byte != 0) {
        if (w->pos >= w->cap)
            return false;
        w->out[w->pos++] = byte;
        w->code++;
    }
    if (byte == 0 || w->code == 0xff) {
        w->out[w->code_at] = w->code;
        if (w->pos >= w->cap)
            return false;
        w->code_at = w->pos++;
        w->code = 1;
    }
    return true;
}

size_t uart_frame_encode(uint8_t channel, const uint8_t *payload, size_t len,
                         uint8_t *out, size_t cap)
{
    if (len > UART_FRAME_PAYLOAD_MAX || cap < 2 || (len > 0 && payload == NULL))
        return 0;
    uint8_t frame[UART_FRAME_DECODED_MAX];
    frame[0] = channel;
    if (len)
        memcpy(frame + 1, payload, len);
    uint16_t crc = uart_frame_crc16(frame, len + 1);
    frame[len + 1] = (uint8_t)(crc >> 8);
    frame[len + 2] = (uint8_t)crc;

    struct cobs_writer w = { out, cap, 1, 0, 1 };
    for (size_t i = 0; i < len + 3; i++)
        if (!cobs_put(&w, frame[i]))
            return 0;
    out[w.code_at] = w.code;
    if (w.pos >= cap)
        return 0;
    out[w.pos++] = 0x00;
    return w.pos;
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
