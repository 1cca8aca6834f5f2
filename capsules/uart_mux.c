#include "capsules/uart_mux.h"

#include <string.h>

#include "kernel/wipe.h"

#define NO_SLOT 0xffu
#define TX_OWNER_NONE (-1)
#define TX_OWNER_CONTROL (-2)
#define TX_OWNER_GONE (-3)

static struct uart_mux_client *client_at(const struct uart_mux *mux, unsigned slot)
{
    struct client_entry *e = client_table_at(&mux->clients, slot);
    return e ? container_of(e, struct uart_mux_client, entry) : NULL;
}

/* The client of a slot known to be attached: one with a write queued or a
 * frame in flight, or a channel's (detach clears all three). */
static struct uart_mux_client *attached_at(const struct uart_mux *mux, unsigned slot)
{
    return container_of(mux->clients.entries[slot], struct uart_mux_client, entry);
}

/* ------------------------------------------------------------ transmit */

/* Channel ch's next message into msg, its length: the CLOSE owed for its
 * last owner, else the ANNOUNCE of its owner. */
static size_t channel_message(struct uart_mux *mux, unsigned ch, uint8_t *msg)
{
    msg[1] = (uint8_t)ch;
    if (bitset256_test(&mux->close_pending, ch)) {
        bitset256_clear(&mux->close_pending, ch);
        msg[0] = UART_CONTROL_CLOSE;
        return 2;
    }
    bitset256_clear(&mux->announce_pending, ch);
    const char *name = uart_mux_channel_owner(mux, (uint8_t)ch)->name;
    size_t name_len = strnlen(name, UART_MUX_NAME_MAX);
    msg[0] = UART_CONTROL_ANNOUNCE;
    memcpy(msg + 2, name, name_len);
    return 2 + name_len;
}

/* The control channel's turn: its next message, one frame. HELLO first
 * (the peer then forgets every channel: no CLOSE is owed any more, and
 * the sweep starts), then CLOSEs, introductions of clients that have not
 * written yet, and the sweep. Into msg; its length, 0 if none. */
static size_t control_message(struct uart_mux *mux, uint8_t *msg)
{
    if (mux->hello_pending) {
        mux->hello_pending = false;
        memset(&mux->close_pending, 0, sizeof mux->close_pending);
        mux->sweep_next = 1;
        mux->sweep_left = 255;
        msg[0] = UART_CONTROL_HELLO;
        msg[1] = UART_PROTOCOL_VERSION;
        return 2;
    }
    int ch = bitset256_first(&mux->close_pending);
    if (ch < 0)
        ch = bitset256_first(&mux->announce_pending);
    /* The sweep announces again each channel that is owned and was
     * introduced (one still to introduce is announced by that). */
    while (ch < 0 && mux->sweep_left != 0) {
        unsigned next = mux->sweep_next;
        mux->sweep_next = (uint8_t)(next == 255 ? 1 : next + 1);
        mux->sweep_left--;
        if (mux->channel_slot[next] != NO_SLOT && !bitset256_test(&mux->announce_pending, next))
            ch = (int)next;
    }
    return ch < 0 ? 0 : channel_message(mux, (unsigned)ch, msg);
}

static void finish_write(struct uart_mux *mux, struct uart_mux_client *c, vmux_err_t status)
{
    const uint8_t *buf = c->tx_buf;
    size_t sent = c->tx_sent;
    if (status != VMUX_SUCCESS)
        tally_count(&c->counters.tx, &mux->counters.tx, TALLY_FAILED,
                    (uint32_t)(c->tx_len - sent));
    c->tx_buf = NULL;
    c->tx_len = c->tx_sent = 0;
    rr_clear_pending(&mux->tx_rr, c->entry.index);
    c->ops->write_done(c, buf, sent, status); /* attach checked it */
}

/* Wipe the frame buffer now (its owner left, the mux has nothing more to
 * send, or another owner's frame comes). */
static void frame_buffer_wipe(struct uart_mux *mux)
{
    wipe(mux->tx_frame, mux->tx_frame_used);
    mux->tx_frame_used = 0;
    mux->tx_frame_owner = TX_OWNER_NONE;
}

/* The frame buffer, about to hold owner's frame: whatever another owner
 * left in it is wiped first. */
static uint8_t *frame_buffer_for(struct uart_mux *mux, int owner)
{
    if (mux->tx_frame_owner != owner) {
        frame_buffer_wipe(mux);
        mux->tx_frame_owner = owner;
    }
    return mux->tx_frame + 1;
}

/*
 * While control messages may be owed (control_due): the control
 * channel's message for its turn, or the introduction of c (slot's
 * client, NULL for none), into msg; its length, 0 when c's own frame goes
 * instead. The control channel sits in the round robin after the last
 * client slot: it takes its turn when the next client's would wrap
 * around past last (or no client waits), so it sends one frame per
 * round.
 */
static size_t control_turn(struct uart_mux *mux, const struct uart_mux_client *c, int slot,
                           uint16_t last, uint8_t *msg)
{
    if (slot < 0 || (!mux->control_last && slot <= (int)last)) {
        size_t len = control_message(mux, msg);
        if (len != 0)
            mux->control_last = true;
        else
            mux->control_due = false; /* none owed: no introduction either */
        return len;
    }
    if (c != NULL && (bitset256_test(&mux->close_pending, c->channel) ||
                      bitset256_test(&mux->announce_pending, c->channel)))
        return channel_message(mux, c->channel, msg); /* before its first frame */
    return 0;
}

/* Encode the next frame into the frame buffer: its length (0: nothing to
 * send) and its owner. */
static size_t next_frame(struct uart_mux *mux, int *owner)
{
    uint8_t msg[2 + UART_MUX_NAME_MAX];
    uint16_t last = mux->tx_rr.last;
    int slot = rr_next(&mux->tx_rr);
    struct uart_mux_client *c = slot < 0 ? NULL : attached_at(mux, (unsigned)slot);
    uint8_t channel = 0;
    const uint8_t *payload = msg;
    size_t len;
    if (mux->control_due && (len = control_turn(mux, c, slot, last, msg)) != 0) {
        mux->tx_rr.last = last; /* the client's turn is not taken */
        *owner = TX_OWNER_CONTROL;
    } else if (c == NULL) {
        return 0;
    } else {
        /* the client's own frame: its turn is taken */
        mux->control_last = false;
        len = c->tx_len - c->tx_sent;
        if (len > UART_FRAME_PAYLOAD_MAX)
            len = UART_FRAME_PAYLOAD_MAX;
        mux->tx_chunk = len;
        *owner = slot;
        channel = c->channel;
        payload = c->tx_buf + c->tx_sent;
    }
    return uart_frame_encode(channel, payload, len, frame_buffer_for(mux, *owner),
                             sizeof mux->tx_frame - 1);
}

/* Start the next transmission, if any. */
static void transmit_next(struct uart_mux *mux)
{
    while (!mux->tx_busy) {
        int owner;
        size_t n = next_frame(mux, &owner);
        if (n == 0) {
            frame_buffer_wipe(mux); /* idle: nothing of anyone's stays */
            return;
        }
        /* After a frame cut short, a 0x00 first (tx_frame[0], never
         * written) ends whatever the peer's decoder holds of it. */
        size_t resync = mux->resync;
        vmux_err_t err = hil_uart_transmit(mux->uart, mux->tx_frame + 1 - resync, n + resync);
        /* the bytes a wipe must clear: the longest frame since the last */
        if (n + 1u > mux->tx_frame_used)
            mux->tx_frame_used = (uint16_t)(n + 1u);
        if (err == VMUX_SUCCESS) {
            mux->tx_busy = true;
            mux->tx_owner = owner;
            mux->tx_serial++;
            mux->resync = false;
            return;
        }
        /* refused: the frame stays in the buffer as its owner's until
         * the next frame or the idle wipe */
        mux->counters.hw_errors++;
        if (owner < 0)
            return; /* control frame lost to a driver error: counted */
        finish_write(mux, attached_at(mux, (unsigned)owner), err);
    }
}

static void hw_transmit_done(struct hil_uart_client *self, uint8_t *buf, size_t sent,
                             vmux_err_t status)
{
    struct uart_mux *mux = container_of(self, struct uart_mux, hw_client);
    (void)buf;
    (void)sent;
    if (!mux->tx_busy) {
        mux->counters.spurious++; /* nothing is in flight: a second completion */
        return;
    }
    int owner = mux->tx_owner;
    /* tx_busy stays set through the client's callback: a write it makes
     * then needs no deferred call of its own (one is raised below). */
    mux->tx_owner = TX_OWNER_NONE;
    if (status == VMUX_SUCCESS && !mux->tx_aborting) {
        mux->counters.frames_sent++;
    } else {
        if (mux->tx_aborting) {
            mux->tx_aborting = false;
            mux->counters.tx_timeouts++;
            status = VMUX_FAIL;
        } else {
            mux->counters.hw_errors++;
        }
        mux->resync = true;
    }
    if (owner >= 0) {
        struct uart_mux_client *c = attached_at(mux, (unsigned)owner);
        if (status == VMUX_SUCCESS) {
            c->tx_sent += mux->tx_chunk;
            tally_count(&c->counters.tx, &mux->counters.tx, TALLY_DELIVERED,
                        (uint32_t)mux->tx_chunk);
            if (c->tx_sent >= c->tx_len)
                finish_write(mux, c, VMUX_SUCCESS);
        } else {
            finish_write(mux, c, status);
        }
    } else if (owner == TX_OWNER_GONE) { /* its client left: only the totals learn */
        mux->counters.tx.n[status == VMUX_SUCCESS ? TALLY_DELIVERED : TALLY_FAILED] +=
            (uint32_t)mux->tx_chunk;
        frame_buffer_wipe(mux);
    }
    /* The next frame from the loop, not from here: a driver that
     * completes twice must find nothing in flight (counted spurious),
     * not the next client's frame. */
    mux->tx_busy = false;
    deferred_call_raise(&mux->work);
}

/* ------------------------------------------------------------ receive */

/* Complete c's pending read if it was cancelled or has bytes to take. */
static void deliver(struct uart_mux_client *c)
{
    if (c->rx_buf == NULL)
        return;
    uint8_t *buf = c->rx_buf;
    if (c->rx_cancel) {
        c->rx_buf = NULL;
        c->rx_cancel = false;
        c->ops->read_done(c, buf, 0, VMUX_CANCEL);
        return;
    }
    if (ring_count(&c->held) == 0)
        return;
    size_t n = ring_pop(&c->held, buf, c->rx_len);
    c->rx_buf = NULL;
    tally_count(&c->counters.rx, &c->mux->counters.rx, TALLY_DELIVERED, (uint32_t)n);
    c->ops->read_done(c, buf, n, VMUX_SUCCESS);
}

static void handle_control(struct uart_mux *mux, const uint8_t *msg, size_t len)
{
    if (len == 1 && msg[0] == UART_CONTROL_QUERY) {
        /* One answer at a time: a QUERY while one goes out adds no
         * HELLO. Before the HELLO has gone, the answer covers it; during
         * the sweep, the sweep goes on where it was, now all the way
         * round, so a peer that came in the middle (and missed the HELLO
         * and the channels before) learns every channel too. */
        if (mux->hello_pending || mux->sweep_left != 0) {
            mux->counters.queries_coalesced++;
            if (!mux->hello_pending)
                mux->sweep_left = 255;
            return;
        }
        mux->counters.queries_answered++;
        mux->hello_pending = true;
        mux->control_due = true;
        return;
    }
    mux->counters.control_bad++;
}

static void route_frame(struct uart_mux *mux, uint8_t channel, const uint8_t *payload,
                        size_t len)
{
    if (channel == 0) {
        handle_control(mux, payload, len);
        return;
    }
    struct uart_mux_client *c = uart_mux_channel_owner(mux, channel);
    if (c == NULL) {
        mux->counters.frames_no_owner++;
        return;
    }
    if (len > ring_space(&c->held)) {
        c->counters.frames_dropped_full++;
        mux->counters.frames_dropped_full++;
        return;
    }
    ring_push(&c->held, payload, len);
    mux->counters.frames_held++;
    tally_count(&c->counters.rx, &mux->counters.rx, TALLY_TAKEN, (uint32_t)len);
    deliver(c);
}

static void start_receive(struct uart_mux *mux)
{
    if (hil_uart_receive(mux->uart, mux->rx_chunk, sizeof mux->rx_chunk) == VMUX_SUCCESS) {
        mux->rx_running = true;
        mux->rx_serial++;
    } else {
        mux->counters.hw_errors++;
    }
}

static void hw_receive_done(struct hil_uart_client *self, uint8_t *buf, size_t received,
                            vmux_err_t status)
{
    struct uart_mux *mux = container_of(self, struct uart_mux, hw_client);
    if (!mux->rx_running) {
        mux->counters.spurious++; /* nothing is in flight: a second completion */
        return;
    }
    mux->rx_running = false;
    if (mux->rx_aborting && received > 0)
        mux->counters.rx_timeouts++;
    mux->rx_aborting = false;
    if (status != VMUX_SUCCESS && status != VMUX_CANCEL)
        mux->counters.hw_errors++;
    for (size_t i = 0; i < received && i < sizeof mux->rx_chunk; i++) {
        if (uart_frame_decoder_push(&mux->decoder, buf[i]) != UART_FRAME_READY)
            continue;
        route_frame(mux, uart_frame_channel(&mux->decoder),
                    uart_frame_payload(&mux->decoder),
                    uart_frame_payload_len(&mux->decoder));
        /* The decoded frame was one client's: leave no copy behind. */
        wipe(mux->decoder.buf, mux->decoder.len);
        mux->decoder.len = 0;
    }
    wipe(mux->rx_chunk, sizeof mux->rx_chunk);
    /* The next receive, and any control frames a QUERY queued, from the
     * loop. */
    deferred_call_raise(&mux->work);
}

/* ------------------------------------------------------------ work */

static void do_work(struct deferred_call *dc)
{
    struct uart_mux *mux = container_of(dc, struct uart_mux, work);
    if (mux->started && !mux->rx_running)
        start_receive(mux);
    int s;
    while ((s = bitset256_first(&mux->deliver_pending)) >= 0) {
        bitset256_clear(&mux->deliver_pending, (unsigned)s);
        if (client_at(mux, (unsigned)s))
            deliver(client_at(mux, (unsigned)s));
    }
    transmit_next(mux);
}

static void client_gone(struct client_observer *self, client_id_t gone)
{
    struct uart_mux *mux = container_of(self, struct uart_mux, departures);
    unsigned at = 0;
    struct client_entry *e;
    while ((e = client_table_next_of(&mux->clients, gone, &at)) != NULL)
        uart_mux_detach(container_of(e, struct uart_mux_client, entry));
}

/* ------------------------------------------------------------ watchdog */

static void arm_watchdog(struct uart_mux *mux)
{
    if (mux->watchdog && mux->started)
        hil_alarm_set(mux->watchdog, hil_alarm_now(mux->watchdog), mux->watchdog_ticks);
}

/* Every timeout: what was in flight at the last tick and still is has
 * hung. */
static void watchdog_fired(struct hil_alarm_client *self)
{
    struct uart_mux *mux = container_of(self, struct uart_mux, watchdog_client);
    if (mux->tx_busy && mux->tx_serial == mux->tx_seen) {
        if (!mux->tx_aborting) {
            /* Its completion follows (with CANCEL); ALREADY: it is on its way. */
            if (hil_uart_abort_transmit(mux->uart) == VMUX_SUCCESS)
                mux->tx_aborting = true;
        } else {
            /* Not even the abort brought it back: give it up. */
            hw_transmit_done(&mux->hw_client, NULL, 0, VMUX_FAIL);
        }
    }
    mux->tx_seen = mux->tx_serial;
    if (mux->rx_running && mux->rx_serial == mux->rx_seen && !mux->rx_aborting) {
        if (hil_uart_abort_receive(mux->uart) == VMUX_SUCCESS)
            mux->rx_aborting = true;
    } else if (mux->started && !mux->rx_running) {
        deferred_call_raise(&mux->work); /* try the refused receive again */
    }
    mux->rx_seen = mux->rx_serial;
    arm_watchdog(mux);
}

void uart_mux_set_watchdog(struct uart_mux *mux, struct hil_alarm *alarm, uint32_t timeout_us)
{
    mux->watchdog = alarm;
    mux->watchdog_client.fired = watchdog_fired;
    hil_alarm_set_client(alarm, &mux->watchdog_client);
    mux->watchdog_ticks = hil_alarm_timeout_ticks(alarm, timeout_us);
    arm_watchdog(mux);
}

/* ------------------------------------------------------------ public */

void uart_mux_init(struct uart_mux *mux, struct hil_uart *uart,
                   struct client_entry **client_storage, uint32_t *rr_words,
                   unsigned client_capacity)
{
    memset(mux, 0, sizeof *mux);
    mux->uart = uart;
    if (client_capacity > NO_SLOT)
        client_capacity = NO_SLOT; /* channel_slot holds slot numbers in a byte */
    client_table_init(&mux->clients, client_storage, client_capacity);
    rr_init(&mux->tx_rr, rr_words, client_capacity);
    memset(mux->channel_slot, NO_SLOT, sizeof mux->channel_slot);
    mux->next_channel = 1;
    mux->tx_owner = TX_OWNER_NONE;
    mux->hw_client.transmit_done = hw_transmit_done;
    mux->hw_client.receive_done = hw_receive_done;
    hil_uart_set_client(uart, &mux->hw_client);
    uart_frame_decoder_init(&mux->decoder);
    deferred_call_register(&mux->work, do_work);
    mux->departures.client_gone = client_gone;
    client_observe(&mux->departures);
}

vmux_err_t uart_mux_start(struct uart_mux *mux)
{
    mux->hello_pending = true;
    mux->control_due = true;
    mux->started = true;
    if (!mux->rx_running)
        start_receive(mux);
    arm_watchdog(mux);
    deferred_call_raise(&mux->work);
    return mux->rx_running ? VMUX_SUCCESS : VMUX_FAIL;
}

/* The next channel in cyclic order that nobody owns, preferring those
 * whose CLOSE went out; one whose CLOSE is still owed is taken only when
 * there is no other (the CLOSE then goes before the new owner's
 * ANNOUNCE), so departures can never use the channels up. */
static int free_channel(struct uart_mux *mux)
{
    for (unsigned pass = 0; pass < 2; pass++)
        for (unsigned tries = 0; tries < 255; tries++) {
            unsigned ch = mux->next_channel;
            mux->next_channel = (uint8_t)(ch == 255 ? 1 : ch + 1);
            if (mux->channel_slot[ch] == NO_SLOT && (pass || !bitset256_test(&mux->close_pending, ch)))
                return (int)ch;
        }
    return -1;
}

vmux_err_t uart_mux_attach(struct uart_mux *mux, struct uart_mux_client *c,
                           client_id_t id, const char *name,
                           const struct uart_mux_client_ops *ops)
{
    if (c == NULL || ops == NULL || ops->read_done == NULL || ops->write_done == NULL)
        return VMUX_INVALID;
    if (c->entry.attached)
        return VMUX_ALREADY;
    int ch = free_channel(mux);
    if (ch < 0)
        return VMUX_NOMEM;
    memset(c, 0, sizeof *c);
    vmux_err_t err = client_table_add(&mux->clients, &c->entry, id);
    if (err != VMUX_SUCCESS)
        return err;
    c->mux = mux;
    c->ops = ops;
    c->name = name ? name : "?";
    c->channel = (uint8_t)ch;
    ring_init(&c->held, c->held_storage, sizeof c->held_storage);
    mux->channel_slot[ch] = (uint8_t)c->entry.index;
    bitset256_set(&mux->announce_pending, (unsigned)ch);
    mux->control_due = true;
    deferred_call_raise(&mux->work);
    return VMUX_SUCCESS;
}

void uart_mux_detach(struct uart_mux_client *c)
{
    if (c == NULL || !c->entry.attached)
        return;
    struct uart_mux *mux = c->mux;
    /* Its bytes not sent are departed, but for the totals the frame in
     * flight (which still leaves) ends when the driver says how. */
    size_t flying = 0;
    if (mux->tx_owner == (int)c->entry.index) {
        mux->tx_owner = TX_OWNER_GONE; /* the mux's own now, wiped when it completes */
        flying = mux->tx_chunk;
    } else if (mux->tx_frame_owner == (int)c->entry.index) {
        frame_buffer_wipe(mux); /* its last frame, sent */
    }
    if (c->tx_buf) {
        c->counters.tx.n[TALLY_DEPARTED] += (uint32_t)(c->tx_len - c->tx_sent);
        mux->counters.tx.n[TALLY_DEPARTED] += (uint32_t)(c->tx_len - c->tx_sent - flying);
    }
    rr_clear_pending(&mux->tx_rr, c->entry.index);
    client_table_remove(&mux->clients, &c->entry);
    mux->channel_slot[c->channel] = NO_SLOT;
    /* A client never announced needs no CLOSE: the peer never heard of it. */
    if (!bitset256_test(&mux->announce_pending, c->channel))
        bitset256_set(&mux->close_pending, c->channel);
    bitset256_clear(&mux->announce_pending, c->channel);
    mux->control_due = true;
    tally_count(&c->counters.rx, &mux->counters.rx, TALLY_DEPARTED, (uint32_t)ring_count(&c->held));
    ring_clear(&c->held);
    c->tx_buf = NULL;
    c->rx_buf = NULL;
    deferred_call_raise(&mux->work);
}

/* The checks every read and write request passes first. */
static vmux_err_t check_request(const struct uart_mux_client *c, const void *buf, size_t len)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (buf == NULL)
        return VMUX_INVALID;
    if (len == 0)
        return VMUX_SIZE;
    return VMUX_SUCCESS;
}

vmux_err_t uart_mux_write(struct uart_mux_client *c, const uint8_t *buf, size_t len)
{
    vmux_err_t err = check_request(c, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    if (c->tx_buf != NULL)
        return VMUX_BUSY;
    struct uart_mux *mux = c->mux;
    c->tx_buf = buf;
    c->tx_len = len;
    c->tx_sent = 0;
    tally_count(&c->counters.tx, &mux->counters.tx, TALLY_TAKEN, (uint32_t)len);
    rr_set_pending(&mux->tx_rr, c->entry.index);
    /* A frame in flight: its completion starts the next one. */
    if (!mux->tx_busy)
        deferred_call_raise(&mux->work);
    return VMUX_SUCCESS;
}

vmux_err_t uart_mux_read(struct uart_mux_client *c, uint8_t *buf, size_t len)
{
    vmux_err_t err = check_request(c, buf, len);
    if (err != VMUX_SUCCESS)
        return err;
    if (c->rx_buf != NULL)
        return VMUX_BUSY;
    c->rx_buf = buf;
    c->rx_len = len;
    c->rx_cancel = false;
    if (ring_count(&c->held) > 0) {
        bitset256_set(&c->mux->deliver_pending, c->entry.index);
        deferred_call_raise(&c->mux->work);
    }
    return VMUX_SUCCESS;
}

vmux_err_t uart_mux_abort_read(struct uart_mux_client *c)
{
    if (c == NULL || !c->entry.attached)
        return VMUX_OFF;
    if (c->rx_buf == NULL || c->rx_cancel)
        return VMUX_ALREADY;
    c->rx_cancel = true;
    bitset256_set(&c->mux->deliver_pending, c->entry.index);
    deferred_call_raise(&c->mux->work);
    return VMUX_SUCCESS;
}

struct uart_mux_client *uart_mux_channel_owner(struct uart_mux *mux, uint8_t channel)
{
    uint8_t slot = mux->channel_slot[channel];
    return slot == NO_SLOT ? NULL : attached_at(mux, slot);
}
