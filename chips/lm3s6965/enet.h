/*
 * LM3S6965 Ethernet MAC: struct hil_net (hil/net.h).
 *
 * Transmit. transmit(frame, len) writes the frame into the MAC's 2 KiB
 * TX FIFO word by word (the first word carries the payload length,
 * len - 14, and the first two bytes of the destination) and sets NEWTX;
 * the MAC pads short frames and appends the FCS. The TX-empty interrupt
 * is the top half: it acknowledges and raises the transmit bottom half,
 * which returns the frame with transmit_done(SUCCESS), or FAIL after a
 * TX error interrupt. One frame at a time: VMUX_BUSY until transmit_done
 * has run (the frame is already copied, but the contract is split phase).
 * NULL frame VMUX_INVALID, length outside 14..NET_FRAME_MAX VMUX_SIZE.
 *
 * Receive. The MAC's RX FIFO is the ring: frames wait there (2 KiB on
 * hardware, 31 frames in QEMU), each as a 16-bit length (frame + 6),
 * the frame, and its FCS. The RX interrupt is the top half: it only
 * acknowledges, masks further RX interrupts and raises the receive
 * bottom half. That reads one frame out of the FIFO into the driver's
 * frame buffer, hands it to frame_received (valid during the call only),
 * and raises itself again while frames remain (one frame per turn, so a
 * flood shares the loop), unmasking the RX interrupt once the FIFO is
 * empty. Frames with a length the FIFO could not hold are dropped and
 * counted; FIFO overruns (FOV) and receive errors are counted.
 *
 * Receive starts disabled. set_receive_enabled(on) sets RXEN: while off
 * the MAC takes no frames (dropped on the wire, not seen by the driver);
 * frames already in the FIFO are still delivered. MAC address: the
 * board's, written to the MAC's address registers (hardware filters on
 * it; QEMU receives everything).
 *
 * Storage: struct lm3s_enet (the board's, static), one instance,
 * including the one receive frame buffer (about 1.5 KiB).
 */
#ifndef VMUX_CHIPS_LM3S6965_ENET_H
#define VMUX_CHIPS_LM3S6965_ENET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/net.h"
#include "kernel/deferred.h"

/* length word + largest frame + FCS, in words */
#define LM3S_ENET_RX_WORDS ((2u + NET_FRAME_MAX + 4u + 3u) / 4u)

struct lm3s_enet_counters {
    uint32_t tx_frames;
    uint32_t tx_errors;
    uint32_t rx_frames;
    uint32_t rx_dropped_size;      /* length field outside what fits */
    uint32_t rx_dropped_no_client;
    uint32_t rx_overruns;          /* FOV interrupts */
    uint32_t rx_errors;            /* RXER interrupts */
};

struct lm3s_enet {
    struct hil_net hil;
    uint8_t mac[NET_MAC_SIZE];
    bool rx_enabled;
    volatile bool tx_busy;
    volatile vmux_err_t tx_status;
    uint8_t *tx_frame;
    size_t tx_len;
    struct deferred_call tx_irq;
    struct deferred_call rx_irq;
    uint32_t rx_words[LM3S_ENET_RX_WORDS];
    struct lm3s_enet_counters counters;
};

/* Reset the MAC's FIFOs, program mac, receive off. VMUX_NOMEM when no
 * deferred call is left. */
vmux_err_t lm3s_enet_init(struct lm3s_enet *e, const uint8_t mac[NET_MAC_SIZE]);

#endif
