#include "capsules/net/netif.h"

#include <string.h>

#include "kernel/wipe.h"

enum { FRAME_ARP = 0, FRAME_ICMP = 1, FIRST_UDP_FRAME = 2 };

static bool is_udp_frame(const struct netif *n, const struct netif_frame *f)
{
    return f >= n->frames + FIRST_UDP_FRAME;
}

/* The frame leaves the sender's hands for good: no byte of it survives. */
static void free_frame(struct netif *n, struct netif_frame *f)
{
    wipe(f->data, sizeof f->data);
    f->len = 0;
    f->state = NETIF_FRAME_FREE;
    f->sender = NULL;
    if (is_udp_frame(n, f) && n->udp_room)
        deferred_call_raise(n->udp_room);
}

void netif_release(struct netif *n, struct netif_frame *f, vmux_err_t status)
{
    struct netif_sender *sender = f->sender;
    free_frame(n, f);
    if (sender)
        sender->frame_done(sender, status);
}

/* The queued frame that has waited longest, or NULL. */
static struct netif_frame *oldest_queued(struct netif *n)
{
    struct netif_frame *oldest = NULL;
    for (unsigned i = 0; i < n->frame_count; i++) {
        struct netif_frame *f = &n->frames[i];
        if (f->state == NETIF_FRAME_QUEUED &&
            (oldest == NULL || (int32_t)(f->order - oldest->order) < 0))
            oldest = f;
    }
    return oldest;
}

/* Keep the driver busy while frames wait. */
static void transmit_next(struct netif *n)
{
    while (n->on_wire == NULL) {
        struct netif_frame *f = oldest_queued(n);
        if (f == NULL)
            return;
        vmux_err_t err = hil_net_transmit(n->hw, f->data, f->len);
        if (err == VMUX_SUCCESS) {
            f->state = NETIF_FRAME_ON_WIRE;
            n->on_wire = f;
            if (n->watchdog)
                hil_alarm_set(n->watchdog, hil_alarm_now(n->watchdog), n->watchdog_ticks);
            return;
        }
        n->counters.eth.tx_errors++;
        netif_release(n, f, err);
    }
}

void netif_queue(struct netif *n, struct netif_frame *f)
{
    f->state = NETIF_FRAME_QUEUED;
    f->order = n->next_order++;
    transmit_next(n);
}

/* The frame on the wire is done with: counted, wiped and freed, its
 * sender told; the next frame goes to the driver. */
__attribute__((noinline)) /* from two callbacks: smaller as a call */
static void end_on_wire(struct netif *n, uint32_t *counter, vmux_err_t status)
{
    struct netif_frame *f = n->on_wire;
    n->on_wire = NULL;
    (*counter)++;
    netif_release(n, f, status);
    transmit_next(n);
}

static void hw_transmit_done(struct hil_net_client *self, uint8_t *frame, size_t len,
                             vmux_err_t status)
{
    struct netif *n = container_of(self, struct netif, hw_client);
    (void)len;
    struct netif_frame *f = n->on_wire;
    if (f == NULL || frame != f->data) {
        n->counters.eth.tx_spurious++; /* not the frame on the wire */
        return;
    }
    if (n->watchdog)
        hil_alarm_disarm(n->watchdog);
    struct eth_counters *count = &n->counters.eth;
    end_on_wire(n, status == VMUX_SUCCESS ? &count->tx_frames : &count->tx_errors, status);
}

/* The frame on the wire was not returned in time: give it up. */
static void watchdog_fired(struct hil_alarm_client *self)
{
    struct netif *n = container_of(self, struct netif, watchdog_client);
    if (n->on_wire)
        end_on_wire(n, &n->counters.eth.tx_timeouts, VMUX_FAIL);
}

void netif_set_watchdog(struct netif *n, struct hil_alarm *alarm, uint32_t timeout_us)
{
    n->watchdog = alarm;
    n->watchdog_client.fired = watchdog_fired;
    hil_alarm_set_client(alarm, &n->watchdog_client);
    n->watchdog_ticks = hil_alarm_timeout_ticks(alarm, timeout_us);
}

static void hw_frame_received(struct hil_net_client *self, const uint8_t *frame, size_t len)
{
    ethernet_input(container_of(self, struct netif, hw_client), frame, len);
}

/* The first free frame for role, or NULL. */
static struct netif_frame *free_frame_for(const struct netif *n, enum netif_role role)
{
    unsigned first = role == NETIF_ROLE_UDP ? FIRST_UDP_FRAME : (unsigned)role;
    unsigned end = role == NETIF_ROLE_UDP ? n->frame_count : first + 1;
    for (unsigned i = first; i < end; i++)
        if (n->frames[i].state == NETIF_FRAME_FREE)
            return &n->frames[i];
    return NULL;
}

struct netif_frame *netif_take(struct netif *n, enum netif_role role,
                               struct netif_sender *sender)
{
    struct netif_frame *f = free_frame_for(n, role);
    if (f) {
        f->state = NETIF_FRAME_FILLING;
        f->sender = sender;
    }
    return f;
}

bool netif_udp_room(const struct netif *n)
{
    return free_frame_for(n, NETIF_ROLE_UDP) != NULL;
}

void netif_forget_sender(struct netif *n, struct netif_sender *sender)
{
    for (unsigned i = 0; i < n->frame_count; i++) {
        struct netif_frame *f = &n->frames[i];
        if (f->sender != sender || f->state == NETIF_FRAME_FREE)
            continue;
        if (f->state == NETIF_FRAME_ON_WIRE)
            f->sender = NULL; /* lent to the driver: wiped when it returns */
        else
            free_frame(n, f);
    }
}

vmux_err_t netif_init(struct netif *n, struct hil_net *hw, const struct ipv4_config *ip,
                      struct netif_frame *frames, unsigned frame_count,
                      struct hil_alarm *alarm)
{
    if (n == NULL || hw == NULL || ip == NULL || frames == NULL || alarm == NULL)
        return VMUX_INVALID;
    if (frame_count < NETIF_FRAMES_MIN)
        return VMUX_SIZE;
    memset(n, 0, sizeof *n);
    n->hw = hw;
    n->ip = *ip;
    n->frames = frames;
    n->frame_count = frame_count;
    for (unsigned i = 0; i < frame_count; i++)
        free_frame(n, &frames[i]);
    hil_net_mac_address(hw, n->mac);
    n->hw_client.transmit_done = hw_transmit_done;
    n->hw_client.frame_received = hw_frame_received;
    hil_net_set_client(hw, &n->hw_client);
    arp_init(n, alarm);
    return VMUX_SUCCESS;
}

void netif_start(struct netif *n)
{
    hil_net_set_receive_enabled(n->hw, true);
}
