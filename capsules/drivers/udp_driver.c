#include "capsules/drivers/udp_driver.h"

#include <string.h>

#include "capsules/drivers/driver_common.h"
#include "capsules/net/wire.h"
#include "kernel/wipe.h"

_Static_assert(UDP_DRIVER_MAX_PAYLOAD <= UDP_PAYLOAD_MAX, "payload beyond one datagram");

/* A process's use of UDP, in its grant. */
struct udp_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct udp_client udp;           /* attached on the first bind */
    struct udp_binding binding;
    uint32_t bound_ip;               /* the address it bound, with binding's port */
    bool sending;                    /* a send is outstanding in the mux */
    uint8_t tx[UDP_DRIVER_MAX_PAYLOAD];
    uint8_t rx[UDP_DRIVER_MAX_PAYLOAD];
    uint8_t hold[UDP_DRIVER_MAX_PAYLOAD + UDP_MUX_HOLD_RECORD];
};

static struct udp_driver *driver_of(const struct syscall_driver *d)
{
    return container_of(d, struct udp_driver, driver);
}

static struct udp_grant *grant_of(struct udp_client *c)
{
    return container_of(c, struct udp_grant, udp);
}

/* ------------------------------------------------------------ endpoints */

static const uint8_t v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

static void v4_mapped(uint8_t addr[16], uint32_t ip)
{
    memcpy(addr, v4_mapped_prefix, sizeof v4_mapped_prefix);
    wire_put32(addr + 12, ip);
}

/* The IPv4 address of an IPv4-mapped address; false for any other. */
static bool v4_of(const uint8_t addr[16], uint32_t *ip)
{
    *ip = wire_get32(addr + 12);
    return memcmp(addr, v4_mapped_prefix, sizeof v4_mapped_prefix) == 0;
}

/* The port of an endpoint from the process: low byte first (Tock's
 * host_slice_to_u16). */
static uint16_t endpoint_port(const uint8_t *e)
{
    return (uint16_t)(e[16] | e[17] << 8);
}

/* The sender, for the process: high byte first (Tock's encode_u16). */
static void endpoint_encode(uint8_t *b, const struct udp_endpoint *from)
{
    v4_mapped(b, from->ip);
    wire_put16(b + 16, from->port);
}

static bool endpoint_is_zero(const uint8_t *e)
{
    for (unsigned i = 0; i < UDP_ENDPOINT_SIZE; i++)
        if (e[i] != 0)
            return false;
    return true;
}

/*
 * The configuration in read-write allow num, or NULL unless it is exactly
 * UDP_CONFIG_SIZE bytes. It is read (and written) in place, during the
 * call that needs it; it is never kept.
 */
static uint8_t *config(struct process *p, const struct syscall_driver *d, unsigned num)
{
    size_t have;
    uint8_t *cfg = process_allowed_rw(p, d, num, &have);
    return have == UDP_CONFIG_SIZE ? cfg : NULL;
}

/* ------------------------------------------------------------ receive */

static void keep_listening(struct udp_grant *s)
{
    (void)udp_mux_receive(&s->udp, s->rx, sizeof s->rx); /* BUSY: listening already */
}

/* Copy a datagram to the process as it is now: all of it, or nothing
 * (counted: refused). */
static void deliver(struct udp_grant *s, struct process *p, size_t len,
                    const struct udp_received *info, bool whole)
{
    const struct syscall_driver *d = s->owner.driver;
    struct tally *all = &driver_of(d)->rx;
    size_t room;
    uint8_t *rx = process_allowed_rw(p, d, UDP_ALLOW_RW_RX, &room);
    tally_add(all, TALLY_TAKEN, 1);
    if (!whole || len > room) {
        tally_add(all, TALLY_REFUSED, 1); /* Tock drops what does not fit */
        return;
    }
    if (len > 0)
        memcpy(rx, s->rx, len);
    uint8_t *cfg = config(p, d, UDP_ALLOW_RW_RX_CFG);
    if (cfg) {
        endpoint_encode(cfg, &info->from);
        memset(cfg + UDP_ENDPOINT_SIZE, 0, UDP_ENDPOINT_SIZE);
    }
    driver_owner_upcall(&s->owner, UDP_UPCALL_RECEIVED, (uint32_t)len, 0, 0);
    tally_add(all, TALLY_DELIVERED, 1);
}

static void receive_done(struct udp_client *c, uint8_t *buf, size_t len,
                         const struct udp_received *info, vmux_err_t status)
{
    struct udp_grant *s = grant_of(c);
    struct process *p = driver_owner_process(&s->owner);
    (void)buf;
    if (p != NULL)
        deliver(s, p, len, info, status == VMUX_SUCCESS); /* never cut: rx is as long as the hold */
    wipe(s->rx, sizeof s->rx);
    if (p != NULL)
        keep_listening(s);
}

/* ------------------------------------------------------------ send */

static void send_done(struct udp_client *c, struct udp_binding *b, const uint8_t *buf,
                      size_t len, vmux_err_t status)
{
    struct udp_grant *s = grant_of(c);
    (void)b, (void)buf, (void)len;
    wipe(s->tx, sizeof s->tx);
    s->sending = false;
    driver_owner_upcall(&s->owner, UDP_UPCALL_SENT, driver_statuscode(status), 0, 0);
}

/* The destination of the send configuration, if its source is exactly
 * the bound endpoint (INVALID otherwise) and it is not a broadcast
 * (RESERVE: see Destinations in udp_driver.h). */
static vmux_err_t send_target(struct udp_grant *s, struct process *p, struct udp_endpoint *to)
{
    const uint8_t *cfg = config(p, s->owner.driver, UDP_ALLOW_RW_CFG);
    uint32_t src;
    if (cfg == NULL || !v4_of(cfg, &src) || src != s->bound_ip ||
        endpoint_port(cfg) != s->binding.key.port)
        return VMUX_INVALID; /* never sent from any other endpoint */
    const uint8_t *dst = cfg + UDP_ENDPOINT_SIZE;
    to->port = endpoint_port(dst);
    if (!v4_of(dst, &to->ip))
        return VMUX_INVALID;
    struct udp_driver *drv = driver_of(s->owner.driver);
    if (ipv4_is_broadcast(&drv->mux->net->ip, to->ip)) {
        drv->broadcast_refused++; /* the board's kernel clients only (see Destinations) */
        return VMUX_RESERVE;
    }
    return VMUX_SUCCESS; /* the rest is the mux's to check */
}

static struct syscall_return start_send(struct udp_grant *s, struct process *p)
{
    if (s->sending)
        return syscall_failure(VMUX_BUSY);
    if (!s->binding.bound)
        return syscall_failure(VMUX_RESERVE);
    struct udp_endpoint to;
    vmux_err_t err = send_target(s, p, &to);
    if (err == VMUX_SUCCESS) {
        size_t len;
        driver_copy_in(p, s->owner.driver, UDP_ALLOW_RO_TX, 0, s->tx, sizeof s->tx, &len);
        err = len > sizeof s->tx ? VMUX_SIZE : udp_mux_send(&s->binding, &to, s->tx, len);
    }
    if (err != VMUX_SUCCESS) {
        wipe(s->tx, sizeof s->tx);
        return syscall_failure(err);
    }
    s->sending = true;
    return syscall_success_u32(0); /* queued: upcall 1 tells the outcome */
}

/* ------------------------------------------------------------ bind */

static const struct udp_client_ops udp_ops = { send_done, receive_done };

/* Move the binding to port; the old port stays held when that fails. */
static vmux_err_t rebind(struct udp_grant *s, uint16_t port)
{
    uint16_t old = udp_binding_port(&s->binding);
    if (old != 0 && old == port)
        return VMUX_BUSY; /* as in Tock: its own binding holds the port */
    if (old != 0)
        udp_mux_unbind(&s->binding);
    vmux_err_t err = udp_mux_bind(&s->udp, &s->binding, port, NULL);
    if (err != VMUX_SUCCESS && old != 0)
        udp_mux_bind(&s->udp, &s->binding, old, NULL); /* just released: free */
    return err;
}

static vmux_err_t bind_endpoint(struct udp_grant *s, struct process *p)
{
    const uint8_t *cfg = config(p, s->owner.driver, UDP_ALLOW_RW_RX_CFG);
    if (cfg == NULL)
        return VMUX_INVALID;
    const uint8_t *want = cfg + UDP_ENDPOINT_SIZE;
    if (s->sending)
        return VMUX_BUSY;
    if (endpoint_is_zero(want)) {
        if (s->binding.bound)
            udp_mux_unbind(&s->binding);
        return VMUX_SUCCESS;
    }
    struct udp_driver *drv = driver_of(s->owner.driver);
    uint32_t ip;
    if (!v4_of(want, &ip) || ip != drv->mux->net->ip.address)
        return VMUX_INVALID;
    if (!s->udp.entry.attached) {
        vmux_err_t err = udp_mux_attach(drv->mux, &s->udp, s->owner.id, &udp_ops,
                                        s->hold, sizeof s->hold);
        if (err != VMUX_SUCCESS)
            return err;
    }
    vmux_err_t err = rebind(s, endpoint_port(want));
    if (err != VMUX_SUCCESS)
        return err;
    s->bound_ip = ip;
    keep_listening(s);
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ driver */

static struct syscall_return interfaces(const struct syscall_driver *d, struct process *p,
                                        syscall_reg_t n)
{
    size_t have;
    uint8_t *out = process_allowed_rw(p, d, UDP_ALLOW_RW_CFG, &have);
    if (have % UDP_IFACE_ADDR_SIZE != 0 || have / UDP_IFACE_ADDR_SIZE != n)
        return syscall_failure(VMUX_INVALID);
    if (n > 0)
        v4_mapped(out, driver_of(d)->mux->net->ip.address);
    return syscall_success_u32(1);
}

static struct syscall_return command(const struct syscall_driver *d, struct process *p,
                                     void *state, uint32_t cmd, syscall_reg_t arg1,
                                     syscall_reg_t arg2)
{
    struct udp_grant *s = state;
    (void)arg2;
    switch (cmd) {
    case UDP_CMD_INTERFACES:
        return interfaces(d, p, arg1);
    case UDP_CMD_SEND:
        return start_send(s, p);
    case UDP_CMD_BIND:
        return syscall_status(bind_endpoint(s, p));
    case UDP_CMD_MAX_PAYLOAD:
        return syscall_success_u32(UDP_DRIVER_MAX_PAYLOAD);
    default:
        return syscall_failure(VMUX_NOSUPPORT);
    }
}

/* Release its port, drop its send and held datagrams: no callback
 * follows. */
static void process_ended(const struct syscall_driver *d, struct process *p, void *state)
{
    struct udp_grant *s = state;
    (void)d, (void)p;
    udp_mux_detach(&s->udp);
    s->sending = false;
}

void udp_driver_init(struct udp_driver *d, struct udp_mux *mux)
{
    memset(d, 0, sizeof *d);
    d->mux = mux;
    d->driver = (struct syscall_driver){
        .number = UDP_DRIVER_NUM,
        .upcall_count = 2,
        .allow_rw_count = 3,
        .allow_ro_count = 1,
        .state_size = sizeof(struct udp_grant),
        .grant_init = driver_grant_init,
        .command = command,
        .process_ended = process_ended,
    };
}
