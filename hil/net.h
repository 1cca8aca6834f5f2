/*
 * Network interface HIL: Ethernet frames in and out.
 *
 * Frames are whole Ethernet II frames without preamble or FCS: destination
 * MAC, source MAC, EtherType, payload; 14 to NET_FRAME_MAX bytes.
 *
 * mac_address(out): the interface's own MAC.
 * transmit(frame, len): split phase; transmit_done returns the frame.
 *   VMUX_SIZE for a length outside 14..NET_FRAME_MAX.
 * frame_received(frame, len): called from the kernel loop for every frame
 *   that arrives while the interface is enabled. The frame buffer belongs
 *   to the driver and is valid only during the call: copy what you keep.
 * set_receive_enabled(on): frames arriving while disabled are dropped
 *   and counted by the driver.
 */
#ifndef VMUX_HIL_NET_H
#define VMUX_HIL_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/hil.h"

#define NET_MAC_SIZE 6u
#define NET_FRAME_MIN 14u
#define NET_FRAME_MAX 1514u

struct hil_net;

struct hil_net_client {
    void (*transmit_done)(struct hil_net_client *self, uint8_t *frame, size_t len,
                          vmux_err_t status);
    void (*frame_received)(struct hil_net_client *self, const uint8_t *frame, size_t len);
};

struct hil_net_ops {
    void (*mac_address)(struct hil_net *n, uint8_t out[NET_MAC_SIZE]);
    vmux_err_t (*transmit)(struct hil_net *n, uint8_t *frame, size_t len);
    void (*set_receive_enabled)(struct hil_net *n, bool on);
};

struct hil_net {
    const struct hil_net_ops *ops;
    struct hil_net_client *client;
};

static inline void hil_net_set_client(struct hil_net *n, struct hil_net_client *c) { n->client = c; }
static inline void hil_net_mac_address(struct hil_net *n, uint8_t out[NET_MAC_SIZE]) { n->ops->mac_address(n, out); }
static inline vmux_err_t hil_net_transmit(struct hil_net *n, uint8_t *frame, size_t len)
{
    return n->ops->transmit(n, frame, len);
}
static inline void hil_net_set_receive_enabled(struct hil_net *n, bool on) { n->ops->set_receive_enabled(n, on); }

#endif
