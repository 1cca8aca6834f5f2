#include "capsules/net/udp_mux.h"

#include <string.h>

#include "capsules/net/wire.h"

static struct udp_client *client_at(const struct udp_mux *mux, unsigned slot)
{
    struct client_entry *e = client_table_at(&mux->clients, slot);
    return e ? container_of(e, struct udp_client, entry) : NULL;
}

static struct udp_binding *binding_of(struct port_entry *e)
{
    return e ? container_of(e, struct udp_binding, key) : NULL;
}

/* ------------------------------------------------------------ sending */

/* A client takes part in the round robin while it has a send waiting and
 * no datagram in the interface. */
static void refresh_turn(struct udp_client *c)
{
    if (!c->entry.attached)
        return;
    if (c->tx_head != NULL && c->in_frame == NULL)
        rr_set_pending(&c->mux->tx_rr, c->entry.index);
    else
        rr_clear_pending(&c->mux->tx_rr, c->entry.index);
}

static void forget_send(struct udp_binding *b)
{
    b->send_state = UDP_SEND_IDLE;
    b->tx_buf = NULL;
    b->tx_len = 0;
    b->tx_next = NULL;
}

/* Hand the buffer back to the client it came from. */
static void finish_send(struct udp_client *c, struct udp_binding *b, vmux_err_t status)
{
    const uint8_t *buf = b->tx_buf;
    size_t len = b->tx_len;
    forget_send(b);
    tally_count(&c->counters.tx, &c->mux->counters.tx,
                status == VMUX_SUCCESS ? TALLY_DELIVERED : TALLY_FAILED, 1);
    c->ops->send_done(c, b, buf, len, status);
}

static struct udp_binding *dequeue(struct udp_client *c)
{
    struct udp_binding *b = c->tx_head;
    c->tx_head = b->tx_next;
    if (c->tx_head == NULL)
        c->tx_tail = NULL;
    b->tx_next = NULL;
    return b;
}

/* Sends whose binding was unbound before their turn end with CANCEL. The
 * queue is mended before any callback, which may queue sends again. */
static void cancel_unbound(struct udp_client *c)
{
    struct udp_binding *cancelled = NULL, **cancelled_tail = &cancelled;
    struct udp_binding **link = &c->tx_head;
    c->tx_tail = NULL;
    while (*link) {
        struct udp_binding *b = *link;
        if (b->bound) {
            c->tx_tail = b;
            link = &b->tx_next;
        } else {
            *link = b->tx_next;
            b->tx_next = NULL;
            *cancelled_tail = b;
            cancelled_tail = &b->tx_next;
        }
    }
    refresh_turn(c);
    while (cancelled) {
        struct udp_binding *b = cancelled;
        cancelled = b->tx_next;
        if (c->entry.attached) {
            finish_send(c, b, VMUX_CANCEL);
        } else { /* detached from a callback: no more calls */
            forget_send(b);
            tally_count(&c->counters.tx, &c->mux->counters.tx, TALLY_DEPARTED, 1);
        }
    }
}

/*
 * Write the UDP header and payload of b's send into f. This is the only
 * place in vmux that writes a UDP header, and its source port is the
 * binding's own.
 */
static size_t write_datagram(const struct netif *n, struct netif_frame *f,
                             const struct udp_binding *b)
{
    uint8_t *segment = f->data + IPV4_PAYLOAD_OFFSET;
    size_t len = UDP_HEADER_LEN + b->tx_len;
    wire_put16(segment + UDP_AT_SRC_PORT, b->key.port);
    wire_put16(segment + UDP_AT_DST_PORT, b->tx_to.port);
    wire_put16(segment + UDP_AT_LENGTH, (uint16_t)len);
    memcpy(segment + UDP_HEADER_LEN, b->tx_buf, b->tx_len);
    udp_seal(segment, len, n->ip.address, b->tx_to.ip);
    return len;
}

/* Copy b's datagram into a frame and send it. Every ending, failures
 * included, comes back through client_frame_done. */
static void send_one(struct udp_mux *mux, struct udp_client *c, struct udp_binding *b)
{
    struct netif_frame *f = netif_take(mux->net, NETIF_ROLE_UDP, &c->sender);
    b->send_state = UDP_SEND_IN_FRAME;
    c->in_frame = b;
    refresh_turn(c);
    size_t len = write_datagram(mux->net, f, b);
    vmux_err_t err = ipv4_output(mux->net, f, IPV4_PROTO_UDP, b->tx_to.ip, len);
    if (err == VMUX_SUCCESS)
        mux->net->counters.udp.tx_datagrams++;
    else
        netif_release(mux->net, f, err);
}

/* One datagram per turn, round robin, while the interface has room. */
static void serve_sends(struct udp_mux *mux)
{
    int slot;
    while (netif_udp_room(mux->net) && (slot = rr_next(&mux->tx_rr)) >= 0) {
        struct udp_client *c = client_at(mux, (unsigned)slot);
        struct udp_binding *b = dequeue(c);
        if (b->bound) {
            send_one(mux, c, b);
        } else {
            refresh_turn(c);
            finish_send(c, b, VMUX_CANCEL);
        }
    }
}

/* The interface is done with c's frame (and has raised our work call,
 * since a UDP frame is free): c may take its next turn. */
static void client_frame_done(struct netif_sender *self, vmux_err_t status)
{
    struct udp_client *c = container_of(self, struct udp_client, sender);
    struct udp_binding *b = c->in_frame;
    c->in_frame = NULL;
    refresh_turn(c);
    if (b)
        finish_send(c, b, status);
}

/* ------------------------------------------------------------ receiving */

/* A held datagram: a record, then its bytes. */
static bool hold(struct udp_client *c, const struct udp_datagram *d)
{
    struct udp_mux_counters *all = &c->mux->counters;
    if (c->hold.size < UDP_MUX_HOLD_RECORD + d->len) {
        c->counters.oversized++;
        all->oversized++;
        return false;
    }
    if (ring_space(&c->hold) < UDP_MUX_HOLD_RECORD + d->len) {
        c->counters.dropped_full++;
        all->dropped_full++;
        return false;
    }
    uint8_t record[UDP_MUX_HOLD_RECORD];
    wire_put16(record, (uint16_t)d->len);
    wire_put16(record + 2, d->dst_port);
    wire_put16(record + 4, d->src_port);
    wire_put32(record + 6, d->src_ip);
    ring_push(&c->hold, record, sizeof record);
    ring_push(&c->hold, d->payload, d->len);
    c->held++;
    tally_count(&c->counters.rx, &all->rx, TALLY_TAKEN, 1);
    return true;
}

/* Complete c's receive with a datagram described by info: its bytes from
 * payload, or from the hold when payload is NULL (the hold's copy of what
 * does not fit is wiped). */
static void complete_receive(struct udp_client *c, const struct udp_received *info,
                             const uint8_t *payload)
{
    size_t n = info->datagram_len < c->rx_len ? info->datagram_len : c->rx_len;
    uint8_t *buf = c->rx_buf;
    c->rx_buf = NULL;
    if (payload) {
        memcpy(buf, payload, n);
    } else {
        ring_pop(&c->hold, buf, n);
        ring_drop(&c->hold, info->datagram_len - n);
    }
    vmux_err_t status = VMUX_SUCCESS;
    if (n < info->datagram_len) {
        c->counters.truncated++;
        status = VMUX_SIZE;
    }
    tally_count(&c->counters.rx, &c->mux->counters.rx, TALLY_DELIVERED, 1);
    c->ops->receive_done(c, buf, n, info, status);
}

/* Complete c's receive with its oldest held datagram, if both exist. */
static void deliver_held(struct udp_client *c)
{
    if (c->rx_buf == NULL || ring_count(&c->hold) == 0)
        return;
    uint8_t record[UDP_MUX_HOLD_RECORD];
    ring_pop(&c->hold, record, sizeof record);
    c->held--;
    struct udp_received info = {
        .from = { .ip = wire_get32(record + 6), .port = wire_get16(record + 4) },
        .port = wire_get16(record + 2),
        .datagram_len = wire_get16(record),
    };
    complete_receive(c, &info, NULL);
}

void udp_mux_deliver(struct udp_mux *mux, const struct udp_datagram *d)
{
    mux->counters.arrived++;
    if (d->dst_port == 0) {
        mux->counters.port_zero++;
        return;
    }
    struct udp_binding *b = binding_of(port_table_find(&mux->ports, d->dst_port));
    if (b == NULL) {
        mux->counters.no_port++;
        return;
    }
    struct udp_client *c = b->client;
    /* A receive waiting and nothing held before this one: straight into
     * the client's buffer, no trip through the hold (what the hold could
     * not take is refused the same either way). */
    if (c->rx_buf != NULL && ring_count(&c->hold) == 0 &&
        c->hold.size >= UDP_MUX_HOLD_RECORD + d->len) {
        tally_count(&c->counters.rx, &mux->counters.rx, TALLY_TAKEN, 1);
        struct udp_received info = {
            .from = { .ip = d->src_ip, .port = d->src_port },
            .port = d->dst_port,
            .datagram_len = (uint16_t)d->len,
        };
        complete_receive(c, &info, d->payload);
        return;
    }
    if (hold(c, d))
        deliver_held(c);
}

/* ------------------------------------------------------------ the loop */

static void work(struct deferred_call *dc)
{
    struct udp_mux *mux = container_of(dc, struct udp_mux, work);
    /* A callback may detach a client: read each slot afresh. */
    for (unsigned s = 0; s < mux->clients.capacity; s++) {
        if (client_at(mux, s))
            cancel_unbound(client_at(mux, s));
        if (client_at(mux, s))
            deliver_held(client_at(mux, s));
    }
    serve_sends(mux);
}

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct udp_mux *mux = container_of(self, struct udp_mux, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&mux->clients, gone, &at)) != NULL)
        udp_mux_detach(container_of(e, struct udp_client, entry));
}

/* ------------------------------------------------------------ ports */

static bool is_reserved(const struct udp_mux *mux, uint16_t port)
{
    return port >= mux->config.reserved_first && port <= mux->config.reserved_last;
}

static void release_port(struct udp_binding *b)
{
    struct udp_client *c = b->client;
    port_table_remove(&c->mux->ports, &b->key);
    for (struct udp_binding **link = &c->bindings; *link; link = &(*link)->next_of_client) {
        if (*link == b) {
            *link = b->next_of_client;
            break;
        }
    }
    b->next_of_client = NULL;
    b->bound = false;
    c->port_count--;
}

vmux_err_t udp_mux_bind(struct udp_client *c, struct udp_binding *b, uint16_t port,
                        const cap_udp_reserved_port_t *cap)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (b == NULL || b->bound || port == 0)
        return VMUX_INVALID;
    if (b->send_state != UDP_SEND_IDLE)
        return VMUX_BUSY;
    struct udp_mux *mux = c->mux;
    if (is_reserved(mux, port) && !capability_valid(cap))
        return VMUX_RESERVE;
    struct udp_binding *holder = binding_of(port_table_find(&mux->ports, port));
    if (holder)
        return client_same(holder->client->entry.id, c->entry.id) ? VMUX_ALREADY : VMUX_BUSY;
    if (c->port_count >= mux->config.ports_per_client)
        return VMUX_NOMEM;
    b->key.port = port;
    vmux_err_t err = port_table_insert(&mux->ports, &b->key);
    if (err != VMUX_SUCCESS)
        return err;
    b->client = c;
    b->bound = true;
    b->next_of_client = c->bindings;
    c->bindings = b;
    c->port_count++;
    return VMUX_SUCCESS;
}

vmux_err_t udp_mux_unbind(struct udp_binding *b)
{
    if (b == NULL || !b->bound)
        return VMUX_OFF;
    release_port(b);
    if (b->send_state == UDP_SEND_QUEUED)
        deferred_call_raise(&b->client->mux->work); /* to say CANCEL */
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ requests */

/* Where nothing may be sent (see Destinations): the refusal, counted;
 * SUCCESS for the rest. */
static vmux_err_t check_destination(struct udp_mux *mux, uint32_t ip)
{
    struct udp_mux_counters *count = &mux->counters;
    uint32_t *refused = ip >> 24 == 0                                ? &count->to_nowhere
                        : ip == mux->net->ip.address                 ? &count->to_self
                        : ipv4_is_loopback(ip)                       ? &count->to_loopback
                        : ipv4_is_multicast(ip) && ip != IPV4_BROADCAST ? &count->to_multicast
                                                                     : NULL;
    if (refused == NULL)
        return VMUX_SUCCESS;
    (*refused)++;
    return refused == &count->to_multicast ? VMUX_NOSUPPORT : VMUX_INVALID;
}

vmux_err_t udp_mux_send(struct udp_binding *b, const struct udp_endpoint *to,
                        const uint8_t *buf, size_t len)
{
    if (b == NULL || !b->bound || !b->client->entry.attached)
        return VMUX_OFF;
    if (to == NULL || buf == NULL || to->port == 0)
        return VMUX_INVALID;
    vmux_err_t err = check_destination(b->client->mux, to->ip);
    if (err != VMUX_SUCCESS)
        return err;
    if (len > UDP_PAYLOAD_MAX)
        return VMUX_SIZE;
    if (b->send_state != UDP_SEND_IDLE)
        return VMUX_BUSY;
    struct udp_client *c = b->client;
    b->send_state = UDP_SEND_QUEUED;
    b->tx_buf = buf;
    b->tx_len = len;
    b->tx_to = *to;
    b->tx_next = NULL;
    tally_count(&c->counters.tx, &c->mux->counters.tx, TALLY_TAKEN, 1);
    if (c->tx_tail)
        c->tx_tail->tx_next = b;
    else
        c->tx_head = b;
    c->tx_tail = b;
    refresh_turn(c);
    deferred_call_raise(&c->mux->work);
    return VMUX_SUCCESS;
}

vmux_err_t udp_mux_receive(struct udp_client *c, uint8_t *buf, size_t len)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    if (c->rx_buf != NULL)
        return VMUX_BUSY;
    c->rx_buf = buf;
    c->rx_len = len;
    if (ring_count(&c->hold) > 0)
        deferred_call_raise(&c->mux->work);
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ clients */

vmux_err_t udp_mux_attach(struct udp_mux *mux, struct udp_client *c, client_id_t id,
                          const struct udp_client_ops *ops, uint8_t *hold_storage,
                          size_t hold_size)
{
    if (mux == NULL || c == NULL || ops == NULL || ops->send_done == NULL ||
        ops->receive_done == NULL || hold_storage == NULL || hold_size == 0)
        return VMUX_INVALID;
    if (c->entry.attached)
        return VMUX_ALREADY;
    unsigned at = 0;
    if (client_table_next_of(&mux->clients, id, &at) != NULL)
        return VMUX_ALREADY; /* one udp_client per client id */
    memset(c, 0, sizeof *c);
    vmux_err_t err = client_table_add(&mux->clients, &c->entry, id);
    if (err != VMUX_SUCCESS)
        return err;
    c->mux = mux;
    c->ops = ops;
    c->sender.frame_done = client_frame_done;
    ring_init(&c->hold, hold_storage, hold_size);
    return VMUX_SUCCESS;
}

void udp_mux_detach(struct udp_client *c)
{
    if (c == NULL || !c->entry.attached)
        return;
    struct udp_mux *mux = c->mux;
    while (c->bindings)
        release_port(c->bindings);
    while (c->tx_head) {
        forget_send(dequeue(c));
        tally_count(&c->counters.tx, &mux->counters.tx, TALLY_DEPARTED, 1);
    }
    if (c->in_frame) {
        forget_send(c->in_frame);
        c->in_frame = NULL;
        tally_count(&c->counters.tx, &mux->counters.tx, TALLY_DEPARTED, 1);
    }
    netif_forget_sender(mux->net, &c->sender);
    tally_count(&c->counters.rx, &mux->counters.rx, TALLY_DEPARTED, c->held);
    c->held = 0;
    ring_clear(&c->hold);
    c->rx_buf = NULL;
    rr_clear_pending(&mux->tx_rr, c->entry.index);
    client_table_remove(&mux->clients, &c->entry);
}

vmux_err_t udp_mux_init(struct udp_mux *mux, struct netif *net,
                        const struct udp_mux_config *config,
                        struct port_entry **port_storage, unsigned port_capacity,
                        struct client_entry **slot_storage, uint32_t *rr_words,
                        unsigned slot_count)
{
    if (mux == NULL || net == NULL || config == NULL || slot_storage == NULL ||
        rr_words == NULL || slot_count == 0)
        return VMUX_INVALID;
    memset(mux, 0, sizeof *mux);
    vmux_err_t err = port_table_init(&mux->ports, port_storage, port_capacity);
    if (err != VMUX_SUCCESS)
        return err;
    if (deferred_call_register(&mux->work, work) != VMUX_SUCCESS)
        return VMUX_NOMEM;
    mux->net = net;
    mux->config = *config;
    client_table_init(&mux->clients, slot_storage, slot_count);
    rr_init(&mux->tx_rr, rr_words, slot_count);
    mux->departures.client_gone = client_gone;
    client_observe(&mux->departures);
    net->udp = mux;
    net->udp_room = &mux->work;
    return VMUX_SUCCESS;
}
