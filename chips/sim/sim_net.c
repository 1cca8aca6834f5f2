#include "chips/sim/sim_net.h"

#include <limits.h>
#include <poll.h>
#include <string.h>

#include <slirp/libslirp.h>

/* What Ethernet puts around a frame on the wire, in bytes. */
#define WIRE_PREAMBLE 8u   /* preamble and start delimiter */
#define WIRE_FCS 4u
#define WIRE_GAP 12u       /* inter-frame gap */
#define WIRE_MIN_FRAME 60u /* shorter frames are padded (64 with FCS) */

static struct sim_net *of_hil(struct hil_net *n)
{
    return container_of(n, struct sim_net, hil);
}

uint64_t sim_net_wire_ns(size_t len)
{
    uint64_t bytes = WIRE_PREAMBLE + (len < WIRE_MIN_FRAME ? WIRE_MIN_FRAME : len) +
                     WIRE_FCS + WIRE_GAP;
    return bytes * 8u * 1000000000ull / SIM_NET_BITS_PER_SECOND;
}

static bool frame_len_ok(size_t len)
{
    return len >= NET_FRAME_MIN && len <= NET_FRAME_MAX;
}

/* ------------------------------------------------------------ receive */

static void enqueue(struct sim_net *nic, const uint8_t *frame, size_t len);
static void late_arrival(struct sim_event *ev);

/* A frame reaches the NIC from the wire: this is the receive interrupt. */
static void arrive(struct sim_net *nic, const uint8_t *frame, size_t len)
{
    if (!frame_len_ok(len)) {
        nic->counters.rx_dropped_size++;
        return;
    }
    switch (sim_fault_take(&nic->rx_fault)) {
    case SIM_FAULT_ERROR:
        nic->counters.rx_dropped_error++;
        return;
    case SIM_FAULT_NEVER:
        return;
    case SIM_FAULT_LATE:
        if (nic->rx_late_pending)
            break;
        memcpy(nic->rx_late.data, frame, len);
        nic->rx_late.len = (uint16_t)len;
        nic->rx_late_pending = true;
        sim_event_schedule(&nic->rx_late_event, sim_now_ns() + nic->rx_fault.fault.delay_ns,
                           late_arrival);
        return;
    case SIM_FAULT_TWICE:
        enqueue(nic, frame, len);
        break;
    case SIM_FAULT_CORRUPT: {
        uint8_t copy[NET_FRAME_MAX];
        memcpy(copy, frame, len);
        copy[len / 2] ^= 0x10;
        enqueue(nic, copy, len);
        return;
    }
    default:
        break;
    }
    enqueue(nic, frame, len);
}

static void late_arrival(struct sim_event *ev)
{
    struct sim_net *nic = container_of(ev, struct sim_net, rx_late_event);
    nic->rx_late_pending = false;
    enqueue(nic, nic->rx_late.data, nic->rx_late.len);
}

static void enqueue(struct sim_net *nic, const uint8_t *frame, size_t len)
{
    if (!nic->rx_enabled) {
        nic->counters.rx_dropped_disabled++;
        return;
    }
    if (nic->rx_count == SIM_NET_RX_SLOTS) {
        nic->counters.rx_dropped_full++;
        return;
    }
    struct sim_net_frame *slot = &nic->rx[(nic->rx_head + nic->rx_count) % SIM_NET_RX_SLOTS];
    memcpy(slot->data, frame, len);
    slot->len = (uint16_t)len;
    nic->rx_count++;
    deferred_call_raise(&nic->rx_irq);
}

/* Bottom half: one frame per turn, re-raised while more wait, so a busy
 * link shares the loop fairly with the other deferred calls. */
static void rx_bottom_half(struct deferred_call *dc)
{
    struct sim_net *nic = container_of(dc, struct sim_net, rx_irq);
    if (nic->rx_count == 0)
        return;
    struct sim_net_frame *slot = &nic->rx[nic->rx_head];
    if (nic->hil.client) {
        nic->counters.rx_frames++;
        nic->counters.rx_bytes += slot->len;
        nic->hil.client->frame_received(nic->hil.client, slot->data, slot->len);
    } else {
        nic->counters.rx_dropped_no_client++;
    }
    /* Free the slot only now: the client read it in place. */
    nic->rx_head = (nic->rx_head + 1) % SIM_NET_RX_SLOTS;
    nic->rx_count--;
    if (nic->rx_count)
        deferred_call_raise(&nic->rx_irq);
}

static void set_receive_enabled(struct hil_net *n, bool on)
{
    of_hil(n)->rx_enabled = on;
}

/* ------------------------------------------------------------ transmit */

static void capture(struct sim_net *nic, const uint8_t *frame, size_t len)
{
    if (nic->capture_count == SIM_NET_CAPTURE_SLOTS) {
        nic->counters.tx_capture_dropped++;
        return;
    }
    unsigned i = (nic->capture_head + nic->capture_count) % SIM_NET_CAPTURE_SLOTS;
    memcpy(nic->capture[i].data, frame, len);
    nic->capture[i].len = (uint16_t)len;
    nic->capture_count++;
}

static void late_interrupt(struct sim_event *ev)
{
    deferred_call_raise(&container_of(ev, struct sim_net, tx_late)->tx_irq);
}

/* The last bit has left: the frame reaches the far end, and the transmit
 * interrupt fires. */
static void wire_done(struct sim_event *ev)
{
    struct sim_net *nic = container_of(ev, struct sim_net, tx_wire);
    enum sim_fault_kind fault = nic->tx_applying;
    const uint8_t *frame = nic->tx_frame;
    uint8_t copy[NET_FRAME_MAX];
    if (fault == SIM_FAULT_CORRUPT) {
        memcpy(copy, frame, nic->tx_len);
        copy[nic->tx_len / 2] ^= 0x10;
        frame = copy;
    }
    if (fault == SIM_FAULT_ERROR)
        nic->tx_status = sim_fault_error(&nic->tx_fault.fault);
    else if (nic->peer)
        arrive(nic->peer, frame, nic->tx_len);
    else if (nic->slirp)
        slirp_input(nic->slirp, frame, (int)nic->tx_len);
    else
        capture(nic, frame, nic->tx_len);
    if (fault == SIM_FAULT_NEVER) {
        /* The interrupt is lost: the NIC is free, and nobody is told. */
        nic->tx_busy = false;
        nic->tx_frame = NULL;
        nic->tx_len = 0;
        nic->tx_applying = SIM_FAULT_NONE;
        return;
    }
    if (fault == SIM_FAULT_LATE)
        sim_event_schedule(&nic->tx_late, sim_now_ns() + nic->tx_fault.fault.delay_ns,
                           late_interrupt);
    else
        deferred_call_raise(&nic->tx_irq);
}

static void tx_bottom_half(struct deferred_call *dc)
{
    struct sim_net *nic = container_of(dc, struct sim_net, tx_irq);
    if (!nic->tx_busy)
        return;
    uint8_t *frame = nic->tx_frame;
    size_t len = nic->tx_len;
    vmux_err_t status = nic->tx_status;
    unsigned calls = nic->tx_applying == SIM_FAULT_TWICE ? 2 : 1;
    /* Idle before the callback, so the client may transmit again from it. */
    nic->tx_busy = false;
    nic->tx_frame = NULL;
    nic->tx_len = 0;
    nic->tx_status = VMUX_SUCCESS;
    nic->tx_applying = SIM_FAULT_NONE;
    if (status == VMUX_SUCCESS) {
        nic->counters.tx_frames++;
        nic->counters.tx_bytes += len;
    }
    for (unsigned i = 0; i < calls && nic->hil.client; i++)
        nic->hil.client->transmit_done(nic->hil.client, frame, len, status);
}

static vmux_err_t transmit(struct hil_net *n, uint8_t *frame, size_t len)
{
    struct sim_net *nic = of_hil(n);
    if (frame == NULL)
        return VMUX_INVALID;
    if (!frame_len_ok(len))
        return VMUX_SIZE;
    if (nic->tx_busy)
        return VMUX_BUSY;
    enum sim_fault_kind fault = sim_fault_take(&nic->tx_fault);
    if (fault == SIM_FAULT_REFUSE)
        return sim_fault_error(&nic->tx_fault.fault);
    nic->tx_applying = fault;
    nic->tx_status = VMUX_SUCCESS;
    nic->tx_busy = true;
    nic->tx_frame = frame;
    nic->tx_len = len;
    sim_event_schedule(&nic->tx_wire, sim_now_ns() + sim_net_wire_ns(len), wire_done);
    return VMUX_SUCCESS;
}

static void mac_address(struct hil_net *n, uint8_t out[NET_MAC_SIZE])
{
    memcpy(out, of_hil(n)->mac, NET_MAC_SIZE);
}

static const struct hil_net_ops sim_net_ops = {
    .mac_address = mac_address,
    .transmit = transmit,
    .set_receive_enabled = set_receive_enabled,
};

vmux_err_t sim_net_init(struct sim_net *nic, const uint8_t mac[NET_MAC_SIZE])
{
    if (nic == NULL || mac == NULL)
        return VMUX_INVALID;
    memset(nic, 0, sizeof *nic);
    nic->hil.ops = &sim_net_ops;
    memcpy(nic->mac, mac, NET_MAC_SIZE);
    vmux_err_t err = deferred_call_register(&nic->tx_irq, tx_bottom_half);
    if (err == VMUX_SUCCESS)
        err = deferred_call_register(&nic->rx_irq, rx_bottom_half);
    return err;
}

/* ------------------------------------------------------------ test hooks */

vmux_err_t sim_net_inject(struct sim_net *nic, const uint8_t *frame, size_t len)
{
    if (nic == NULL || frame == NULL)
        return VMUX_INVALID;
    if (!frame_len_ok(len))
        return VMUX_SIZE;
    arrive(nic, frame, len);
    return VMUX_SUCCESS;
}

void sim_net_inject_fault(struct sim_net *nic, enum sim_net_direction dir,
                          const struct sim_fault *fault)
{
    sim_fault_arm(dir == SIM_NET_TX ? &nic->tx_fault : &nic->rx_fault, fault);
}

uint32_t sim_net_faults_applied(const struct sim_net *nic)
{
    return nic->tx_fault.applied + nic->rx_fault.applied;
}

size_t sim_net_take_tx(struct sim_net *nic, uint8_t *out, size_t max)
{
    if (nic == NULL || nic->capture_count == 0)
        return 0;
    const struct sim_net_frame *f = &nic->capture[nic->capture_head];
    if (out)
        memcpy(out, f->data, f->len < max ? f->len : max);
    size_t len = f->len;
    nic->capture_head = (nic->capture_head + 1) % SIM_NET_CAPTURE_SLOTS;
    nic->capture_count--;
    return len;
}

/* ------------------------------------------------------------ peer */

vmux_err_t sim_net_connect_pair(struct sim_net *a, struct sim_net *b)
{
    if (a == NULL || b == NULL || a == b)
        return VMUX_INVALID;
    if (a->peer || a->slirp || b->peer || b->slirp)
        return VMUX_BUSY;
    a->peer = b;
    b->peer = a;
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ libslirp */

static ssize_t slirp_send_packet(const void *buf, size_t len, void *opaque)
{
    /* Slirp is the far end of the wire; a full queue just drops, and TCP
     * inside slirp retransmits. */
    arrive(opaque, buf, len);
    return (ssize_t)len;
}

static void slirp_guest_error(const char *msg, void *opaque)
{
    (void)msg;
    struct sim_net *nic = opaque;
    nic->counters.slirp_guest_errors++;
}

static int64_t slirp_clock_get_ns(void *opaque)
{
    (void)opaque;
    return (int64_t)sim_now_ns();
}

static void slirp_timer_fire(struct sim_event *ev)
{
    struct sim_net_slirp_timer *t = container_of(ev, struct sim_net_slirp_timer, expiry);
    t->cb(t->cb_opaque);
}

static void *slirp_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
    struct sim_net *nic = opaque;
    for (unsigned i = 0; i < SIM_NET_SLIRP_TIMERS; i++) {
        struct sim_net_slirp_timer *t = &nic->timers[i];
        if (!t->in_use) {
            t->in_use = true;
            t->cb = cb;
            t->cb_opaque = cb_opaque;
            return t;
        }
    }
    nic->counters.slirp_timer_exhausted++;
    return NULL;
}

static void slirp_timer_free(void *timer, void *opaque)
{
    (void)opaque;
    struct sim_net_slirp_timer *t = timer;
    if (t == NULL)
        return;
    sim_event_cancel(&t->expiry);
    t->in_use = false;
}

/* Slirp gives absolute expiry times in milliseconds of our clock. */
static void slirp_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    struct sim_net_slirp_timer *t = timer;
    if (t == NULL)
        return;
    uint64_t at_ns = expire_ms > 0 ? (uint64_t)expire_ms * 1000000u : 0;
    sim_event_schedule(&t->expiry, at_ns, slirp_timer_fire);
}

/* sim_wait() polls every round anyway, so nothing needs registering or
 * kicking. */
static void slirp_register_poll_fd(int fd, void *opaque)
{
    (void)fd;
    (void)opaque;
}

static void slirp_unregister_poll_fd(int fd, void *opaque)
{
    (void)fd;
    (void)opaque;
}

static void slirp_notify(void *opaque)
{
    (void)opaque;
}

static const SlirpCb slirp_callbacks = {
    .send_packet = slirp_send_packet,
    .guest_error = slirp_guest_error,
    .clock_get_ns = slirp_clock_get_ns,
    .timer_new = slirp_timer_new,
    .timer_free = slirp_timer_free,
    .timer_mod = slirp_timer_mod,
    .register_poll_fd = slirp_register_poll_fd,
    .unregister_poll_fd = slirp_unregister_poll_fd,
    .notify = slirp_notify,
};

static short poll_events_of(int slirp_events)
{
    short events = 0;
    if (slirp_events & SLIRP_POLL_IN)
        events |= POLLIN;
    if (slirp_events & SLIRP_POLL_OUT)
        events |= POLLOUT;
    if (slirp_events & SLIRP_POLL_PRI)
        events |= POLLPRI;
    /* POLLERR and POLLHUP are always reported; asking is not needed. */
    return events;
}

static int slirp_events_of(short revents)
{
    int events = 0;
    if (revents & POLLIN)
        events |= SLIRP_POLL_IN;
    if (revents & POLLOUT)
        events |= SLIRP_POLL_OUT;
    if (revents & POLLPRI)
        events |= SLIRP_POLL_PRI;
    if (revents & (POLLERR | POLLNVAL))
        events |= SLIRP_POLL_ERR;
    if (revents & POLLHUP)
        events |= SLIRP_POLL_HUP;
    return events;
}

/* Slirp's add_poll: append to sim_wait's array; the index comes back to us
 * in get_revents. -1 tells slirp the fd is not polled this round. */
static int add_poll(int fd, int events, void *opaque)
{
    struct sim_net *nic = opaque;
    struct pollfd *pfds = nic->poll_fds;
    if (*nic->poll_n >= nic->poll_max) {
        nic->counters.slirp_poll_overflow++;
        return -1;
    }
    unsigned i = (*nic->poll_n)++;
    pfds[i].fd = fd;
    pfds[i].events = poll_events_of(events);
    pfds[i].revents = 0;
    return (int)i;
}

static int get_revents(int idx, void *opaque)
{
    struct sim_net *nic = opaque;
    const struct pollfd *pfds = nic->poll_fds;
    return slirp_events_of(pfds[idx].revents);
}

/*
 * One poll hook serves every NIC attached to libslirp. It is static, not
 * part of struct sim_net, because sim.h cannot remove a hook: a hook
 * inside a NIC would dangle once the NIC is re-initialised or goes out of
 * scope. Detaching takes the NIC off this list instead.
 */
static struct sim_net *slirp_nics;

static void poll_fill(struct sim_poll_hook *hook, void *pfds, unsigned *n, unsigned max,
                      int *timeout_ms)
{
    (void)hook;
    for (struct sim_net *nic = slirp_nics; nic; nic = nic->slirp_next) {
        nic->poll_fds = pfds;
        nic->poll_n = n;
        nic->poll_max = max;
        uint32_t timeout = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;
        slirp_pollfds_fill(nic->slirp, &timeout, add_poll, nic);
        if (*timeout_ms < 0 || timeout < (uint32_t)*timeout_ms)
            *timeout_ms = timeout > INT_MAX ? INT_MAX : (int)timeout;
        nic->poll_filled = true;
    }
}

static void poll_dispatch(struct sim_poll_hook *hook, void *pfds, bool error)
{
    (void)hook;
    for (struct sim_net *nic = slirp_nics; nic; nic = nic->slirp_next) {
        /* Only a NIC filled this round: slirp's saved indices refer to it. */
        if (!nic->poll_filled)
            continue;
        nic->poll_fds = pfds;
        nic->poll_filled = false;
        slirp_pollfds_poll(nic->slirp, error, get_revents, nic);
    }
}

static struct sim_poll_hook slirp_poll_hook = {
    .fill = poll_fill,
    .dispatch = poll_dispatch,
};

vmux_err_t sim_net_attach_slirp(struct sim_net *nic)
{
    if (nic == NULL)
        return VMUX_INVALID;
    if (nic->peer || nic->slirp)
        return VMUX_BUSY;

    SlirpConfig cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.version = 4;
    cfg.restricted = 0;
    cfg.in_enabled = true;
    cfg.vnetwork.s_addr = htonl(SIM_NET_SLIRP_NETWORK);
    cfg.vnetmask.s_addr = htonl(SIM_NET_SLIRP_NETMASK);
    cfg.vhost.s_addr = htonl(SIM_NET_SLIRP_HOST);
    cfg.in6_enabled = false;
    cfg.vdhcp_start.s_addr = htonl(SIM_NET_SLIRP_GUEST);
    cfg.vnameserver.s_addr = htonl(SIM_NET_SLIRP_NETWORK | 3u);
    cfg.disable_dns = true;
    cfg.disable_dhcp = false;

    nic->slirp = slirp_new(&cfg, &slirp_callbacks, nic);
    if (nic->slirp == NULL)
        return VMUX_FAIL;
    nic->poll_filled = false;
    nic->slirp_next = slirp_nics;
    slirp_nics = nic;
    /* Again after every sim_reset(), which forgets all hooks. */
    sim_poll_hook_add(&slirp_poll_hook);
    return VMUX_SUCCESS;
}

vmux_err_t sim_net_slirp_add_udp_forward(struct sim_net *nic, uint16_t host_port,
                                         uint16_t guest_port)
{
    if (nic == NULL)
        return VMUX_INVALID;
    if (nic->slirp == NULL)
        return VMUX_OFF;
    struct in_addr host = { .s_addr = htonl(INADDR_LOOPBACK) };
    struct in_addr guest = { .s_addr = htonl(SIM_NET_SLIRP_GUEST) };
    /* Slirp binds the host socket now; failure means the port is taken. */
    if (slirp_add_hostfwd(nic->slirp, 1, host, host_port, guest, guest_port) < 0)
        return VMUX_BUSY;
    return VMUX_SUCCESS;
}

void sim_net_detach(struct sim_net *nic)
{
    if (nic == NULL)
        return;
    if (nic->peer) {
        nic->peer->peer = NULL;
        nic->peer = NULL;
    }
    if (nic->slirp) {
        for (struct sim_net **p = &slirp_nics; *p; p = &(*p)->slirp_next) {
            if (*p == nic) {
                *p = nic->slirp_next;
                break;
            }
        }
        nic->slirp_next = NULL;
        nic->poll_filled = false;
        slirp_cleanup(nic->slirp);
        nic->slirp = NULL;
        for (unsigned i = 0; i < SIM_NET_SLIRP_TIMERS; i++) {
            sim_event_cancel(&nic->timers[i].expiry);
            nic->timers[i].in_use = false;
        }
    }
}
