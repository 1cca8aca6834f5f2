#include "capsules/drivers/udp_driver.h"

#include <string.h>

#include "capsules/drivers/driver_common.h"
#include "kernel/wipe.h"

_Static_assert(UDP_DRIVER_MAX_PAYLOAD <= UDP_PAYLOAD_MAX, "payload beyond one datagram");

/* An endpoint as a process writes it: IPv6 address, port. */
struct endpoint6 {
    uint8_t addr[16];
    uint16_t port;
};

/* A process's use of UDP, in its grant. */
struct udp_grant {
    struct driver_owner owner;       /* first: see driver_grant_init */
    struct udp_client udp;           /* attached on the first bind */
    struct udp_binding binding;
    uint8_t bound_addr[16];          /* the address it bound, with binding's port */
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
    addr[12] = (uint8_t)(ip >> 24);
    addr[13] = (uint8_t)(ip >> 16);
    addr[14] = (uint8_t)(ip >> 8);
    addr[15] = (uint8_t)ip;
}

/* The IPv4 address of an IPv4-mapped address; false for any other. */
static bool v4_of(const uint8_t addr[16], uint32_t *ip)
{
    if (memcmp(addr, v4_mapped_prefix, sizeof v4_mapped_prefix) != 0)
        return false;
    *ip = (uint32_t)addr[12] << 24 | (uint32_t)addr[13] << 16 | (uint32_t)addr[14] << 8 |
          addr[15];
    return true;
}

/* Ports from the process: low byte first (Tock's host_slice_to_u16). */
static void endpoint_parse(const uint8_t *b, struct endpoint6 *e)
{
    memcpy(e->addr, b, sizeof e->addr);
    e->port = (uint16_t)(b[16] | b[17] << 8);
}

/* The sender, for the process: high byte first (Tock's encode_u16). */
static void endpoint_encode(uint8_t *b, const struct udp_endpoint *from)
{
    v4_mapped(b, from->ip);
    b[16] = (uint8_t)(from->port >> 8);
    b[17] = (uint8_t)from->port;
}

static bool endpoint_is_zero(const struct endpoint6 *e)
{
    static const uint8_t zero[16];
    return e->port == 0 && memcmp(e->addr, zero, sizeof zero) == 0;
}

static void interface_addr(const struct udp_driver *drv, uint8_t addr[16])
{
    v4_mapped(addr, drv->mux->net->ip.address);
}

/*
 * Read bytes [at, at+len) of a configuration: read-write allow num, which
 * must be exactly UDP_CONFIG_SIZE bytes. driver_common reads only
 * read-only allows; these are read-write ones the kernel also reads.
 */
static bool read_config(struct process *p, const struct syscall_driver *d, unsigned num,
                        size_t at, uint8_t *dst, size_t len)
{
    size_t have;
    const uint8_t *cfg = process_allowed_rw(p, d, num, &have);
    if (cfg == NULL || have != UDP_CONFIG_SIZE || at + len > have)
        return false;
    memcpy(dst, cfg + at, len);
    return true;
}

/* ------------------------------------------------------------ receive */

static void keep_listening(struct udp_grant *s)
{
    (void)udp_mux_receive(&s->udp, s->rx, sizeof s->rx); /* BUSY: listening already */
}

/* Copy a datagram to the process as it is now: all of it, or nothing. */
static void deliver(struct udp_grant *s, struct process *p, size_t len,
                    const struct udp_received *info)
{
    const struct syscall_driver *d = s->owner.driver;
    size_t room;
    process_allowed_rw(p, d, UDP_ALLOW_RW_RX, &room);
    if (len > room)
        return; /* Tock drops what does not fit */
    driver_copy_out(p, d, UDP_ALLOW_RW_RX, 0, s->rx, len, NULL);
    size_t have;
    process_allowed_rw(p, d, UDP_ALLOW_RW_RX_CFG, &have);
    if (have == UDP_CONFIG_SIZE) {
        uint8_t cfg[UDP_CONFIG_SIZE] = { 0 };
        endpoint_encode(cfg, &info->from);
        driver_copy_out(p, d, UDP_ALLOW_RW_RX_CFG, 0, cfg, sizeof cfg, NULL);
    }
    driver_owner_upcall(&s->owner, UDP_UPCALL_RECEIVED, (uint32_t)len, 0, 0);
}

static void receive_done(struct udp_client *c, uint8_t *buf, size_t len,
                         const struct udp_received *info, vmux_err_t status)
{
    struct udp_grant *s = grant_of(c);
    struct process *p = driver_owner_process(&s->owner);
    (void)buf;
    if (p != NULL && status == VMUX_SUCCESS)
        deliver(s, p, len, info);
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
 * the bound endpoint; INVALID otherwise. */
static vmux_err_t send_target(struct udp_grant *s, struct process *p, struct udp_endpoint *to)
{
    uint8_t cfg[UDP_CONFIG_SIZE];
    if (!read_config(p, s->owner.driver, UDP_ALLOW_RW_CFG, 0, cfg, sizeof cfg))
        return VMUX_INVALID;
    struct endpoint6 src, dst;
    endpoint_parse(cfg, &src);
    endpoint_parse(cfg + UDP_ENDPOINT_SIZE, &dst);
    wipe(cfg, sizeof cfg);
    if (src.port != udp_binding_port(&s->binding) ||
        memcmp(src.addr, s->bound_addr, sizeof src.addr) != 0)
        return VMUX_INVALID; /* never sent from any other endpoint */
    to->port = dst.port;
    return v4_of(dst.addr, &to->ip) ? VMUX_SUCCESS : VMUX_INVALID; /* 0s: the mux's INVALID */
}

static struct syscall_return start_send(struct udp_grant *s, struct process *p)
{
    if (s->sending)
        return syscall_failure(VMUX_BUSY);
    if (!s->binding.bound)
        return syscall_failure(VMUX_RESERVE);
    struct udp_endpoint to;
    vmux_err_t err = send_target(s, p, &to);
    if (err != VMUX_SUCCESS)
        return syscall_failure(err);
    size_t len;
    process_allowed_ro(p, s->owner.driver, UDP_ALLOW_RO_TX, &len);
    if (len > sizeof s->tx)
        return syscall_failure(VMUX_SIZE);
    if (driver_copy_in(p, s->owner.driver, UDP_ALLOW_RO_TX, 0, s->tx, len, NULL) < len)
        err = VMUX_INVALID; /* the process gave up the memory under it */
    else
        err = udp_mux_send(&s->binding, &to, s->tx, len);
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
    uint8_t raw[UDP_ENDPOINT_SIZE];
    if (!read_config(p, s->owner.driver, UDP_ALLOW_RW_RX_CFG, UDP_ENDPOINT_SIZE, raw,
                     sizeof raw))
        return VMUX_INVALID;
    struct endpoint6 want;
    endpoint_parse(raw, &want);
    if (s->sending)
        return VMUX_BUSY;
    if (endpoint_is_zero(&want)) {
        if (s->binding.bound)
            udp_mux_unbind(&s->binding);
        return VMUX_SUCCESS;
    }
    struct udp_driver *drv = driver_of(s->owner.driver);
    uint8_t local[16];
    interface_addr(drv, local);
    if (memcmp(want.addr, local, sizeof local) != 0)
        return VMUX_INVALID;
    if (!s->udp.entry.attached) {
        vmux_err_t err = udp_mux_attach(drv->mux, &s->udp, process_client(p), &udp_ops,
                                        s->hold, sizeof s->hold);
        if (err != VMUX_SUCCESS)
            return err;
    }
    vmux_err_t err = rebind(s, want.port);
    if (err != VMUX_SUCCESS)
        return err;
    memcpy(s->bound_addr, want.addr, sizeof s->bound_addr);
    keep_listening(s);
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ driver */

static struct syscall_return interfaces(const struct syscall_driver *d, struct process *p,
                                        syscall_reg_t n)
{
    size_t have;
    process_allowed_rw(p, d, UDP_ALLOW_RW_CFG, &have);
    if (have % UDP_IFACE_ADDR_SIZE != 0 || have / UDP_IFACE_ADDR_SIZE != n)
        return syscall_failure(VMUX_INVALID);
    if (n > 0) {
        uint8_t addr[UDP_IFACE_ADDR_SIZE];
        interface_addr(driver_of(d), addr);
        driver_copy_out(p, d, UDP_ALLOW_RW_CFG, 0, addr, sizeof addr, NULL);
    }
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
