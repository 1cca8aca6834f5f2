/*
 * Fuzz the UART frame decoder with arbitrary wire bytes. Invariants:
 * nothing crashes or overflows (ASan), every frame it accepts has a valid
 * size, and re-encoding an accepted frame decodes to the same frame.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/uart_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct uart_frame_decoder d, check;
    uart_frame_decoder_init(&d);
    for (size_t i = 0; i < size; i++) {
        if (uart_frame_decoder_push(&d, data[i]) != UART_FRAME_READY)
            continue;
        size_t len = uart_frame_payload_len(&d);
        if (len > UART_FRAME_PAYLOAD_MAX)
            abort();
        uint8_t wire[UART_FRAME_WIRE_MAX];
        size_t n = uart_frame_encode(uart_frame_channel(&d), uart_frame_payload(&d), len, wire,
                                     sizeof wire);
        if (n == 0)
            abort();
        uart_frame_decoder_init(&check);
        int frames = 0;
        for (size_t k = 0; k < n; k++)
            if (uart_frame_decoder_push(&check, wire[k]) == UART_FRAME_READY) {
                frames++;
                if (uart_frame_channel(&check) != uart_frame_channel(&d) ||
                    uart_frame_payload_len(&check) != len ||
                    memcmp(uart_frame_payload(&check), uart_frame_payload(&d), len) != 0)
                    abort();
            }
        if (frames != 1)
            abort();
    }
    return 0;
}
