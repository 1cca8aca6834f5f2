/*
 * UDP, driver 0x30002 (Tock's numbers, Tock 2.x allow layout):
 *   read-only allow 0   the payload to send
 *   read-write allow 0  the receive buffer
 *   read-write allow 1  the send configuration: source then destination
 *                       endpoint; also where command 1 lists interfaces
 *   read-write allow 2  the receive configuration: the endpoint to bind
 *                       in bytes 18-35; the kernel writes each sender
 *                       into bytes 0-17
 *   command 1 interfaces (n), 2 send, 3 bind, 4 maximum payload
 *   upcall 0 received (length, 0, 0), upcall 1 sent (StatusCode, 0, 0)
 *
 * An endpoint is 16 address bytes and a 2-byte port. Byte order of the
 * port, as in Tock's capsule: the kernel parses configurations with the
 * low byte first, and writes the sender's port high byte first.
 */
#include "udp.h"

#include <stdbool.h>

#include "runtime.h"
#include "syscall.h"

enum {
    CMD_INTERFACES = 1,
    CMD_SEND = 2,
    CMD_BIND = 3,
    CMD_MAX_PAYLOAD = 4,
    UPCALL_RX = 0,
    UPCALL_TX = 1,
    ALLOW_RO_TX = 0,
    ALLOW_RW_RX = 0,
    ALLOW_RW_CFG = 1,
    ALLOW_RW_RX_CFG = 2,
    ENDPOINT_SIZE = 18,
    CFG_SIZE = 2 * ENDPOINT_SIZE,
};

static struct {
    struct vmux_udp_endpoint local; /* zeros while unbound */
    bool bound;
    uint8_t rx_cfg[CFG_SIZE];
    uint8_t tx_cfg[CFG_SIZE];
    vmux_udp_sent_cb sent_cb;
    void *sent_ctx;
    vmux_udp_recv_cb recv_cb;
    void *recv_ctx;
    size_t recv_size;
} udp;

static void encode_endpoint(uint8_t out[ENDPOINT_SIZE], const struct vmux_udp_endpoint *e)
{
    vmux_memcpy(out, e->addr, 16);
    out[16] = (uint8_t)(e->port & 0xff); /* parsed low byte first */
    out[17] = (uint8_t)(e->port >> 8);
}

static void decode_sender(struct vmux_udp_endpoint *e)
{
    vmux_memcpy(e->addr, udp.rx_cfg, 16);
    e->port = (uint16_t)(udp.rx_cfg[16] << 8 | udp.rx_cfg[17]); /* written high byte first */
}

static void unallow_tx(void)
{
    vmux_allow_ro(VMUX_DRIVER_UDP, ALLOW_RO_TX, NULL, 0);
}

static void unallow_rx(void)
{
    vmux_allow_rw(VMUX_DRIVER_UDP, ALLOW_RW_RX, NULL, 0);
}

/* ------------------------------------------------------------ setup */

int vmux_udp_interfaces(uint8_t (*addrs)[16], uint32_t n, uint32_t *total)
{
    int err = vmux_allow_rw_status(VMUX_DRIVER_UDP, ALLOW_RW_CFG, addrs, (size_t)n * 16);
    if (err == VMUX_OK)
        err = vmux_result_u32(vmux_command(VMUX_DRIVER_UDP, CMD_INTERFACES, n, 0), total);
    vmux_allow_rw(VMUX_DRIVER_UDP, ALLOW_RW_CFG, NULL, 0);
    return err;
}

int vmux_udp_max_payload(uint32_t *len)
{
    return vmux_result_u32(vmux_command(VMUX_DRIVER_UDP, CMD_MAX_PAYLOAD, 0, 0), len);
}

int vmux_udp_bind_endpoint(const struct vmux_udp_endpoint *local)
{
    vmux_memset(udp.rx_cfg, 0, sizeof udp.rx_cfg);
    encode_endpoint(udp.rx_cfg + ENDPOINT_SIZE, local);
    /* stays allowed: the kernel writes each sender here */
    int err = vmux_allow_rw_status(VMUX_DRIVER_UDP, ALLOW_RW_RX_CFG, udp.rx_cfg, CFG_SIZE);
    if (err == VMUX_OK)
        err = vmux_command_status(VMUX_DRIVER_UDP, CMD_BIND, 0, 0);
    if (err == VMUX_OK) {
        static const struct vmux_udp_endpoint none;
        udp.local = *local;
        udp.bound = vmux_memcmp(local->addr, none.addr, 16) != 0 || local->port != 0;
    }
    return err;
}

int vmux_udp_bind(uint16_t port)
{
    uint8_t addr[1][16];
    uint32_t total;
    int err = vmux_udp_interfaces(addr, 1, &total);
    if (err == VMUX_OK && total == 0)
        err = VMUX_ENODEVICE;
    if (err != VMUX_OK)
        return err;
    struct vmux_udp_endpoint local;
    vmux_memcpy(local.addr, addr[0], 16);
    local.port = port;
    return vmux_udp_bind_endpoint(&local);
}

int vmux_udp_unbind(void)
{
    struct vmux_udp_endpoint none;
    vmux_memset(&none, 0, sizeof none);
    return vmux_udp_bind_endpoint(&none); /* the all-zero endpoint unbinds */
}

/* ------------------------------------------------------------ send */

static int send_setup(const struct vmux_udp_endpoint *src, const struct vmux_udp_endpoint *dst,
                      const void *buf, size_t len)
{
    encode_endpoint(udp.tx_cfg, src);
    encode_endpoint(udp.tx_cfg + ENDPOINT_SIZE, dst);
    int err = vmux_allow_rw_status(VMUX_DRIVER_UDP, ALLOW_RW_CFG, udp.tx_cfg, CFG_SIZE);
    if (err == VMUX_OK)
        err = vmux_allow_ro_status(VMUX_DRIVER_UDP, ALLOW_RO_TX, buf, len);
    return err;
}

int vmux_udp_send_from(const struct vmux_udp_endpoint *src, const struct vmux_udp_endpoint *dst,
                       const void *buf, size_t len)
{
    struct vmux_upcall_args sent;
    int err = send_setup(src, dst, buf, len);
    /* Success with 0 (queued) or 1 (sent at once): either way, upcall 1 */
    if (err == VMUX_OK)
        err = vmux_command_wait(VMUX_DRIVER_UDP, UPCALL_TX, CMD_SEND, 0, 0, &sent);
    if (err == VMUX_OK)
        err = vmux_upcall_status(sent.a0);
    unallow_tx();
    return err;
}

int vmux_udp_send_to(const struct vmux_udp_endpoint *dst, const void *buf, size_t len)
{
    return vmux_udp_send_from(&udp.local, dst, buf, len);
}

static void sent(uint32_t status, uint32_t a1, uint32_t a2, uintptr_t appdata)
{
    (void)a1;
    (void)a2;
    (void)appdata;
    unallow_tx();
    if (udp.sent_cb)
        udp.sent_cb(vmux_upcall_status(status), udp.sent_ctx);
}

int vmux_udp_send_to_async(const struct vmux_udp_endpoint *dst, const void *buf, size_t len,
                           vmux_udp_sent_cb cb, void *ctx)
{
    udp.sent_cb = cb;
    udp.sent_ctx = ctx;
    int err = send_setup(&udp.local, dst, buf, len);
    if (err == VMUX_OK)
        err = vmux_command_async(VMUX_DRIVER_UDP, UPCALL_TX, sent, 0, CMD_SEND, 0, 0);
    return err;
}

/* ------------------------------------------------------------ receive */

int vmux_udp_recv(void *buf, size_t size, size_t *len, struct vmux_udp_endpoint *from)
{
    if (!udp.bound)
        return VMUX_ERESERVE;
    int err = vmux_allow_rw_status(VMUX_DRIVER_UDP, ALLOW_RW_RX, buf, size);
    if (err == VMUX_OK)
        err = vmux_subscribe_status(VMUX_DRIVER_UDP, UPCALL_RX, vmux_upcall_nop, 0);
    if (err == VMUX_OK) {
        struct vmux_upcall_args got = vmux_yield_wait_for(VMUX_DRIVER_UDP, UPCALL_RX);
        *len = got.a0 < size ? got.a0 : size;
        if (from)
            decode_sender(from);
    }
    unallow_rx();
    return err;
}

static void received(uint32_t len, uint32_t a1, uint32_t a2, uintptr_t appdata)
{
    (void)a1;
    (void)a2;
    (void)appdata;
    struct vmux_udp_endpoint from;
    decode_sender(&from);
    if (udp.recv_cb)
        udp.recv_cb(len < udp.recv_size ? len : udp.recv_size, &from, udp.recv_ctx);
}

int vmux_udp_recv_start(void *buf, size_t size, vmux_udp_recv_cb cb, void *ctx)
{
    if (!udp.bound)
        return VMUX_ERESERVE;
    udp.recv_cb = cb;
    udp.recv_ctx = ctx;
    udp.recv_size = size;
    int err = vmux_allow_rw_status(VMUX_DRIVER_UDP, ALLOW_RW_RX, buf, size);
    if (err == VMUX_OK)
        err = vmux_subscribe_status(VMUX_DRIVER_UDP, UPCALL_RX, received, 0);
    return err;
}

int vmux_udp_recv_stop(void)
{
    int err = vmux_subscribe_status(VMUX_DRIVER_UDP, UPCALL_RX, NULL, 0);
    unallow_rx();
    return err;
}
