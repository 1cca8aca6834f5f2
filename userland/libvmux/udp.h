/*
 * UDP, driver 0x30002: bind one local port, send datagrams from it,
 * receive the datagrams sent to it.
 *
 * A process binds at most one endpoint at a time, and sends only from
 * it: Tock's driver refuses a send before a bind (VMUX_ERESERVE), a
 * source that is not the bound endpoint (VMUX_EINVAL) and a port another
 * process holds (VMUX_EBUSY); vmux's policy also keeps ports for the
 * kernel (expected: VMUX_ERESERVE). vmux's UDP driver is not written yet:
 * this follows Tock's 0x30002.
 *
 * Receiving uses one buffer: the kernel copies each datagram into it and
 * writes the sender into the library's receive configuration. A datagram
 * that does not fit is dropped by the kernel. With the callback form, the
 * data and sender are valid until the callback returns; a datagram that
 * arrives before then may overwrite them (one buffer, as in Tock).
 */
#ifndef VMUX_LIBVMUX_UDP_H
#define VMUX_LIBVMUX_UDP_H

#include <stddef.h>
#include <stdint.h>

#define VMUX_DRIVER_UDP 0x30002u

/* An IPv6 address and a port (host byte order here; the library encodes
 * it for the kernel). */
struct vmux_udp_endpoint {
    uint8_t addr[16];
    uint16_t port;
};

/* The first n of the board's interface addresses into addrs; *total:
 * how many there are. */
int vmux_udp_interfaces(uint8_t (*addrs)[16], uint32_t n, uint32_t *total);
/* The largest payload a send takes. */
int vmux_udp_max_payload(uint32_t *len);

/* Binds port on the board's first interface address. */
int vmux_udp_bind(uint16_t port);
int vmux_udp_bind_endpoint(const struct vmux_udp_endpoint *local);
int vmux_udp_unbind(void);

/* Sends len bytes from the bound endpoint to dst, and waits until the
 * kernel is done with them; the status is the send's. */
int vmux_udp_send_to(const struct vmux_udp_endpoint *dst, const void *buf, size_t len);
/* The same with an explicit source endpoint, as the ABI carries one: the
 * kernel accepts only the bound endpoint. */
int vmux_udp_send_from(const struct vmux_udp_endpoint *src, const struct vmux_udp_endpoint *dst,
                       const void *buf, size_t len);

/* Waits for a datagram to the bound port (VMUX_ERESERVE when unbound):
 * *len bytes into buf, the sender in *from (may be NULL). */
int vmux_udp_recv(void *buf, size_t size, size_t *len, struct vmux_udp_endpoint *from);

/* Callback forms. buf stays the kernel's until the callback (send) or
 * vmux_udp_recv_stop() (receive). */
typedef void (*vmux_udp_sent_cb)(int status, void *ctx);
typedef void (*vmux_udp_recv_cb)(size_t len, const struct vmux_udp_endpoint *from, void *ctx);
int vmux_udp_send_to_async(const struct vmux_udp_endpoint *dst, const void *buf, size_t len,
                           vmux_udp_sent_cb cb, void *ctx);
/* Every datagram to the bound port, until stopped. */
int vmux_udp_recv_start(void *buf, size_t size, vmux_udp_recv_cb cb, void *ctx);
int vmux_udp_recv_stop(void);

#endif
