/*
 * UART mux wire protocol: framing, byte by byte (docs/uart-mux-protocol.md).
 *
 * A frame before encoding:
 *     channel (1 byte) | payload (0..255 bytes) | CRC-16 (2 bytes, big-endian)
 * The CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xffff, no reflection,
 * no final xor) over channel and payload. The frame is COBS-encoded, so
 * it contains no zero byte, and a single 0x00 ends it on the wire. A zero
 * byte is therefore always a frame boundary: after noise, truncation or an
 * oversized frame, the decoder is back in step at the next 0x00.
 *
 * Channel 0 is the kernel's control channel (see uart_mux.h); every other
 * channel belongs to one client.
 *
 * This file is used by the kernel's UART mux and by tools/vmuxterm, so
 * both ends share one implementation.
 */
#ifndef VMUX_CAPSULES_UART_FRAME_H
#define VMUX_CAPSULES_UART_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UART_FRAME_PAYLOAD_MAX 255u
#define UART_FRAME_DECODED_MAX (1u + UART_FRAME_PAYLOAD_MAX + 2u)
/* COBS adds one byte per 254 started, plus the 0x00 delimiter. */
#define UART_FRAME_WIRE_MAX (UART_FRAME_DECODED_MAX + (UART_FRAME_DECODED_MAX + 253u) / 254u + 1u)

uint16_t uart_frame_crc16(const uint8_t *data, size_t len);

/*
 * Encode one frame into out (capacity cap), delimiter included. Returns
 * the number of bytes written, or 0 when len > UART_FRAME_PAYLOAD_MAX or
 * out is too small.
 */
size_t uart_frame_encode(uint8_t channel, const uint8_t *payload, size_t len,
                         uint8_t *out, size_t cap);

enum uart_frame_status {
    UART_FRAME_MORE,        /* byte consumed, no frame yet */
    UART_FRAME_READY,       /* a valid frame is in the decoder */
    UART_FRAME_BAD_CRC,     /* frame ended, integrity check failed */
    UART_FRAME_RUNT,        /* frame ended shorter than channel + CRC */
    UART_FRAME_MALFORMED,   /* frame ended inside a COBS block */
    UART_FRAME_OVERSIZED,   /* frame ended after exceeding the maximum */
};

struct uart_frame_counters {
    uint32_t frames;        /* valid frames decoded */
    uint32_t bad_crc;
    uint32_t runt;
    uint32_t malformed;
    uint32_t oversized;
};

struct uart_frame_decoder {
    uint8_t buf[UART_FRAME_DECODED_MAX];
    uint16_t len;
    uint8_t block_left;     /* data bytes left in the current COBS block */
    bool zero_pending;      /* block ended with an implied zero */
    bool in_frame;          /* at least one byte since the last delimiter */
    bool overflow;          /* discarding until the next delimiter */
    struct uart_frame_counters counters;
};

void uart_frame_decoder_init(struct uart_frame_decoder *d);

/* Feed one byte from the wire. After UART_FRAME_READY, the frame is
 * readable with the accessors below until the next push. */
enum uart_frame_status uart_frame_decoder_push(struct uart_frame_decoder *d, uint8_t byte);

static inline uint8_t uart_frame_channel(const struct uart_frame_decoder *d)
{
    return d->buf[0];
}

static inline const uint8_t *uart_frame_payload(const struct uart_frame_decoder *d)
{
    return d->buf + 1;
}

static inline size_t uart_frame_payload_len(const struct uart_frame_decoder *d)
{
    return (size_t)d->len - 3u;
}

#endif
