/*
 * Fuzz the UART mux's receive path with arbitrary wire bytes, three
 * attached clients reading all the time. Confidentiality invariant: every
 * byte a client receives belongs to a frame on that client's own channel.
 * An independent decoder replays the same input to know which bytes were
 * sent to whom; each client's received stream must be a prefix-preserving
 * subsequence of exactly its channel's frames (whole frames, in order,
 * some possibly dropped when its hold buffer was full).
 *
 * The input is a script, so the fuzzer controls channels and payloads
 * without having to forge CRCs: an op byte with the top bit set copies
 * (op & 0x3f) raw noise bytes onto the wire; otherwise the next two bytes
 * are a channel and a length, and that many payload bytes are framed
 * properly (with a corrupted CRC when op & 0x40).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boards/test/test_board.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_uart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CLIENTS 3
#define STREAM_MAX 8192

static struct sim_uart wire;
static struct uart_mux mux;
static struct client_entry *slots[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];
static struct reader {
    struct uart_mux_client c;
    uint8_t buf[64];
    uint8_t got[STREAM_MAX];
    size_t got_len;
} readers[CLIENTS];

static void write_done(struct uart_mux_client *c, const uint8_t *b, size_t n, vmux_err_t s)
{
    (void)c, (void)b, (void)n, (void)s;
}

static void read_done(struct uart_mux_client *c, uint8_t *b, size_t n, vmux_err_t s)
{
    struct reader *r = container_of(c, struct reader, c);
    if (s == VMUX_SUCCESS) {
        if (b != r->buf || r->got_len + n > STREAM_MAX)
            abort();
        memcpy(r->got + r->got_len, b, n);
        r->got_len += n;
    }
    uart_mux_read(c, r->buf, sizeof r->buf);
}

static const struct uart_mux_client_ops ops = { write_done, read_done };

/* Does got consist of whole frames of want, in order? */
static int is_frame_subsequence(const uint8_t *got, size_t got_len, const uint8_t *frames,
                                const size_t *frame_lens, size_t frame_count)
{
    size_t at = 0, off = 0;
    for (size_t f = 0; f < frame_count && at < got_len; f++) {
        size_t len = frame_lens[f];
        if (at + len <= got_len && memcmp(got + at, frames + off, len) == 0)
            at += len;
        off += len;
    }
    return at == got_len;
}

static uint8_t stream[16384];

/* Turn the script into wire bytes. */
static size_t build_wire(const uint8_t *data, size_t size)
{
    size_t n = 0, i = 0;
    while (i < size && n + UART_FRAME_WIRE_MAX < sizeof stream) {
        uint8_t op = data[i++];
        if (op & 0x80) {
            size_t len = op & 0x3f;
            if (len > size - i)
                len = size - i;
            memcpy(stream + n, data + i, len);
            n += len;
            i += len;
            continue;
        }
        if (size - i < 2)
            break;
        uint8_t channel = data[i], len = data[i + 1];
        i += 2;
        if (len > size - i)
            len = (uint8_t)(size - i);
        size_t w = uart_frame_encode(channel, data + i, len, stream + n, sizeof stream - n);
        if (w && (op & 0x40))
            stream[n] ^= 0x01; /* corrupt: the decoder must reject it */
        n += w;
        i += len;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *script, size_t script_size)
{
    if (script_size > 4096)
        return 0;
    size_t size = build_wire(script, script_size);
    const uint8_t *data = stream;
    test_board_reset(0);
    struct sim_uart_config cfg = { .backend = SIM_UART_MEMORY, .baud = 1000000 };
    sim_uart_init(&wire, &cfg);
    uart_mux_init(&mux, &wire.hil, slots, rr_bits, CLIENTS);
    static const char *names[CLIENTS] = { "a", "b", "c" };
    memset(readers, 0, sizeof readers);
    for (unsigned i = 0; i < CLIENTS; i++) {
        uart_mux_attach(&mux, &readers[i].c, client_process(i, 1), names[i], &ops);
        uart_mux_read(&readers[i].c, readers[i].buf, sizeof readers[i].buf);
    }
    uart_mux_start(&mux);

    /* the reference: what each channel was sent, frame by frame */
    static uint8_t frames[CLIENTS][STREAM_MAX];
    static size_t frame_lens[CLIENTS][STREAM_MAX / 2];
    size_t frame_bytes[CLIENTS] = {0}, frame_count[CLIENTS] = {0};
    static struct uart_frame_decoder ref;
    uart_frame_decoder_init(&ref);
    for (size_t i = 0; i < size; i++) {
        if (uart_frame_decoder_push(&ref, data[i]) != UART_FRAME_READY)
            continue;
        for (unsigned c = 0; c < CLIENTS; c++) {
            if (uart_frame_channel(&ref) != readers[c].c.channel)
                continue;
            size_t len = uart_frame_payload_len(&ref);
            memcpy(frames[c] + frame_bytes[c], uart_frame_payload(&ref), len);
            frame_bytes[c] += len;
            frame_lens[c][frame_count[c]++] = len;
        }
    }

    /* feed the wire in pieces, letting the kernel run between them */
    size_t at = 0;
    while (at < size) {
        size_t piece = 1 + data[at] % 97;
        if (piece > size - at)
            piece = size - at;
        sim_uart_inject_rx(&wire, data + at, piece);
        at += piece;
        sim_advance(100000);
    }
    sim_advance(10000000);

    for (unsigned c = 0; c < CLIENTS; c++)
        if (!is_frame_subsequence(readers[c].got, readers[c].got_len, frames[c], frame_lens[c],
                                  frame_count[c]))
            abort();
    sim_uart_close(&wire);
    return 0;
}
