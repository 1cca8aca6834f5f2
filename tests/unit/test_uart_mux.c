/* UART mux over the simulated UART: routing by channel, hold buffers,
 * round-robin transmit, control channel, buffer discipline, bad input.
 * Tests named after the policy clause they prove. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_uart.h"

#define CLIENTS 4

static struct sim_uart wire;
static struct uart_mux mux;
static struct client_entry *slots[CLIENTS];
static uint32_t rr_bits[RR_WORDS(CLIENTS)];

static struct probe {
    struct uart_mux_client c;
    client_id_t id;
    uint8_t rx[512];
    size_t rx_len;          /* bytes received so far, all reads */
    uint8_t read_buf[300];
    unsigned reads_done, cancels;
    const uint8_t *written;
    unsigned writes_done;
    vmux_err_t last_write_status;
    bool detach_at_done;    /* detach from write_done */
    bool tx_frame_clean_after_detach;
    bool keep_reading;
    const uint8_t *again;   /* write this again from every write_done */
    size_t again_len;
} probes[CLIENTS];
static const char *names[CLIENTS] = { "alpha", "beta", "gamma", "delta" };

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return false;
    return true;
}

static void probe_write_done(struct uart_mux_client *c, const uint8_t *buf, size_t sent,
                             vmux_err_t status)
{
    struct probe *p = container_of(c, struct probe, c);
    (void)sent;
    p->written = buf;
    p->writes_done++;
    p->last_write_status = status;
    if (p->detach_at_done) {
        uart_mux_detach(c);
        p->tx_frame_clean_after_detach = all_zero(mux.tx_frame, sizeof mux.tx_frame);
        return;
    }
    if (p->again)
        assert_int_equal(uart_mux_write(c, p->again, p->again_len), VMUX_SUCCESS);
}

static void probe_read_done(struct uart_mux_client *c, uint8_t *buf, size_t n, vmux_err_t status)
{
    struct probe *p = container_of(c, struct probe, c);
    assert_ptr_equal(buf, p->read_buf); /* the reader's own buffer, back */
    if (status == VMUX_CANCEL) {
        p->cancels++;
        return;
    }
    assert_int_equal(status, VMUX_SUCCESS);
    assert_true(p->rx_len + n <= sizeof p->rx);
    memcpy(p->rx + p->rx_len, buf, n);
    p->rx_len += n;
    p->reads_done++;
    if (p->keep_reading)
        assert_int_equal(uart_mux_read(c, p->read_buf, sizeof p->read_buf), VMUX_SUCCESS);
}

static const struct uart_mux_client_ops probe_ops = { probe_write_done, probe_read_done };

/* ------------------------------------------------------------ the wire */

struct wire_frame {
    uint8_t channel;
    uint8_t payload[UART_FRAME_PAYLOAD_MAX];
    size_t len;
};
#define SEEN_MAX 4096u
static struct wire_frame seen[SEEN_MAX];
static unsigned seen_count;
static struct uart_frame_decoder peer;

/* Decode everything the mux put on the wire so far. */
static void read_wire(void)
{
    uint8_t bytes[1024];
    size_t n;
    while ((n = sim_uart_take_tx(&wire, bytes, sizeof bytes)) > 0) {
        for (size_t i = 0; i < n; i++) {
            if (uart_frame_decoder_push(&peer, bytes[i]) != UART_FRAME_READY)
                continue;
            assert_true(seen_count < SEEN_MAX);
            struct wire_frame *f = &seen[seen_count++];
            f->channel = uart_frame_channel(&peer);
            f->len = uart_frame_payload_len(&peer);
            memcpy(f->payload, uart_frame_payload(&peer), f->len);
        }
    }
}

static void inject_frame(uint8_t channel, const void *payload, size_t len)
{
    uint8_t bytes[UART_FRAME_WIRE_MAX];
    size_t n = uart_frame_encode(channel, payload, len, bytes, sizeof bytes);
    assert_true(n > 0);
    assert_int_equal(sim_uart_inject_rx(&wire, bytes, n), n);
}

/* 200 ms of wire time, draining the capture as a peer would. */
static void run(void)
{
    for (int ms = 0; ms < 200; ms++) {
        sim_advance(1000000ull);
        read_wire();
    }
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    struct sim_uart_config cfg = { .backend = SIM_UART_MEMORY, .baud = 1000000 };
    assert_int_equal(sim_uart_init(&wire, &cfg), VMUX_SUCCESS);
    uart_mux_init(&mux, &wire.hil, slots, rr_bits, CLIENTS);
    memset(probes, 0, sizeof probes);
    for (unsigned i = 0; i < CLIENTS; i++) {
        probes[i].id = client_process(i, 1);
        assert_int_equal(uart_mux_attach(&mux, &probes[i].c, probes[i].id, names[i], &probe_ops),
                         VMUX_SUCCESS);
    }
    assert_int_equal(uart_mux_start(&mux), VMUX_SUCCESS);
    seen_count = 0;
    uart_frame_decoder_init(&peer);
    run();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sim_uart_close(&wire);
    return 0;
}

static uint8_t channel_of(unsigned i) { return probes[i].c.channel; }

/* ------------------------------------------------------------ control */

static void control_channel_says_hello_and_announces_names(void **state)
{
    (void)state;
    assert_true(seen_count >= 1 + CLIENTS);
    assert_int_equal(seen[0].channel, 0);
    assert_int_equal(seen[0].payload[0], UART_CONTROL_HELLO);
    assert_int_equal(seen[0].payload[1], UART_PROTOCOL_VERSION);
    for (unsigned i = 0; i < CLIENTS; i++) {
        bool found = false;
        for (unsigned f = 1; f < seen_count; f++)
            if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_ANNOUNCE &&
                seen[f].payload[1] == channel_of(i) && seen[f].len == 2 + strlen(names[i]) &&
                memcmp(seen[f].payload + 2, names[i], strlen(names[i])) == 0)
                found = true;
        assert_true(found);
    }
    /* channels are distinct and never 0 */
    for (unsigned i = 0; i < CLIENTS; i++) {
        assert_int_not_equal(channel_of(i), 0);
        for (unsigned j = i + 1; j < CLIENTS; j++)
            assert_int_not_equal(channel_of(i), channel_of(j));
    }
}

static void query_from_the_peer_reannounces_every_channel(void **state)
{
    (void)state;
    seen_count = 0;
    uint8_t query = UART_CONTROL_QUERY;
    inject_frame(0, &query, 1);
    run();
    unsigned announces = 0;
    for (unsigned f = 0; f < seen_count; f++)
        if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_ANNOUNCE)
            announces++;
    assert_int_equal(announces, CLIENTS);
    uint8_t bogus[2] = { 0x7f, 1 };
    inject_frame(0, bogus, 2);
    run();
    assert_int_equal(mux.counters.control_bad, 1);
}

/* A peer that attaches while an answer is going out (it missed the
 * HELLO and the first ANNOUNCEs) sends its own QUERY: that QUERY adds no
 * HELLO, but the sweep then goes all the way round, so every channel is
 * announced after it. */
static void query_during_the_sweep_announces_every_channel_after_it(void **state)
{
    (void)state;
    seen_count = 0;
    uint8_t query = UART_CONTROL_QUERY;
    inject_frame(0, &query, 1);
    /* wire time in 10 us steps until HELLO and one ANNOUNCE are out */
    unsigned announced = 0;
    for (int step = 0; step < 10000 && announced < 1; step++) {
        sim_advance(10000ull);
        read_wire();
        announced = 0;
        for (unsigned f = 0; f < seen_count; f++)
            if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_ANNOUNCE)
                announced++;
    }
    assert_int_equal(announced, 1);
    assert_int_equal(seen[0].payload[0], UART_CONTROL_HELLO);
    unsigned mark = seen_count;
    inject_frame(0, &query, 1);
    run();
    assert_int_equal(mux.counters.queries_coalesced, 1);
    for (unsigned i = 0; i < CLIENTS; i++) {
        bool found = false;
        for (unsigned f = mark; f < seen_count; f++)
            if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_ANNOUNCE &&
                seen[f].payload[1] == channel_of(i))
                found = true;
        assert_true(found);
    }
    for (unsigned f = mark; f < seen_count; f++)
        assert_int_not_equal(seen[f].payload[0], UART_CONTROL_HELLO);
}

/* ------------------------------------------------------------ confidentiality */

static void confidentiality_uart_frames_reach_only_their_channel_owner(void **state)
{
    (void)state;
    for (unsigned i = 0; i < CLIENTS; i++) {
        probes[i].keep_reading = true;
        assert_int_equal(uart_mux_read(&probes[i].c, probes[i].read_buf,
                                       sizeof probes[i].read_buf), VMUX_SUCCESS);
    }
    /* 200 frames, each byte tagged with the id of the client it is for */
    uint32_t seed = 5;
    size_t expected[CLIENTS] = {0};
    for (int f = 0; f < 200; f++) {
        seed = seed * 1103515245u + 12345u;
        unsigned to = (seed >> 16) % CLIENTS;
        uint8_t payload[8];
        memset(payload, 'A' + (int)to, sizeof payload);
        size_t len = 1 + (seed >> 8) % sizeof payload;
        inject_frame(channel_of(to), payload, len);
        expected[to] += len;
        if (f % 10 == 9)
            run();
    }
    run();
    for (unsigned i = 0; i < CLIENTS; i++) {
        assert_int_equal(probes[i].rx_len, expected[i]);
        for (size_t b = 0; b < probes[i].rx_len; b++)
            assert_int_equal(probes[i].rx[b], 'A' + (int)i);
    }
}

static void confidentiality_uart_frames_for_unowned_channels_are_dropped(void **state)
{
    (void)state;
    for (unsigned i = 0; i < CLIENTS; i++)
        uart_mux_read(&probes[i].c, probes[i].read_buf, sizeof probes[i].read_buf);
    inject_frame(200, "nobody's", 8);
    run();
    assert_int_equal(mux.counters.frames_no_owner, 1);
    for (unsigned i = 0; i < CLIENTS; i++)
        assert_int_equal(probes[i].rx_len, 0);
}

static void confidentiality_uart_held_frames_wait_for_their_owner_or_drop(void **state)
{
    (void)state;
    uint8_t big[200];
    memset(big, 'g', sizeof big);
    uart_mux_read(&probes[0].c, probes[0].read_buf, sizeof probes[0].read_buf);
    inject_frame(channel_of(2), big, sizeof big);  /* held for gamma */
    inject_frame(channel_of(2), big, sizeof big);  /* no room: dropped */
    run();
    assert_int_equal(probes[2].c.counters.frames_dropped_full, 1);
    assert_int_equal(mux.counters.frames_dropped_full, 1);
    assert_int_equal(probes[0].rx_len, 0); /* never given to a waiting neighbour */
    /* gamma reads later and gets exactly its held bytes */
    assert_int_equal(uart_mux_read(&probes[2].c, probes[2].read_buf, sizeof probes[2].read_buf),
                     VMUX_SUCCESS);
    assert_int_equal(probes[2].reads_done, 0); /* not from inside the request */
    run();
    assert_int_equal(probes[2].rx_len, sizeof big);
    assert_memory_equal(probes[2].rx, big, sizeof big);
}

static void confidentiality_uart_buffer_returns_to_its_own_client(void **state)
{
    (void)state;
    static const uint8_t a_text[] = "from alpha";
    static const uint8_t b_text[] = "from beta";
    assert_int_equal(uart_mux_write(&probes[0].c, a_text, sizeof a_text), VMUX_SUCCESS);
    assert_int_equal(uart_mux_write(&probes[1].c, b_text, sizeof b_text), VMUX_SUCCESS);
    assert_int_equal(probes[0].writes_done, 0);
    run();
    assert_ptr_equal(probes[0].written, a_text);
    assert_ptr_equal(probes[1].written, b_text);
    assert_int_equal(probes[0].last_write_status, VMUX_SUCCESS);
    /* each client's bytes went out on its own channel only */
    for (unsigned f = 0; f < seen_count; f++) {
        if (seen[f].channel == channel_of(0))
            assert_memory_equal(seen[f].payload, a_text, sizeof a_text);
        if (seen[f].channel == channel_of(1))
            assert_memory_equal(seen[f].payload, b_text, sizeof b_text);
    }
}

/* A spy between the mux and the wire, on the mux's frame buffer. At each
 * transmit of a frame whose channel differs from the last frame's (its
 * owner differs), it counts the buffer holding any byte beyond that
 * frame; after one armed completion, it notes whether the buffer is all
 * zero. */
static struct buffer_spy {
    struct hil_uart hil;             /* what the mux holds while spied on */
    struct hil_uart_client to_mux;   /* the wire's client meanwhile */
    int last_channel;
    unsigned owner_changes;          /* transmits for another channel than the last */
    unsigned residue_seen;           /* ... with other bytes in the buffer */
    bool check_next_done;
    bool clean_after_done;
} spy;

static vmux_err_t spy_transmit(struct hil_uart *u, uint8_t *buf, size_t len)
{
    (void)u;
    struct uart_frame_decoder d;
    uart_frame_decoder_init(&d);
    int channel = -1;
    for (size_t i = 0; i < len; i++)
        if (uart_frame_decoder_push(&d, buf[i]) == UART_FRAME_READY)
            channel = uart_frame_channel(&d);
    assert_true(channel >= 0);
    assert_true(buf >= mux.tx_frame && buf + len <= mux.tx_frame + sizeof mux.tx_frame);
    if (channel != spy.last_channel) {
        spy.owner_changes++;
        size_t before = (size_t)(buf - mux.tx_frame), after = sizeof mux.tx_frame - before - len;
        if (!all_zero(mux.tx_frame, before) || !all_zero(buf + len, after))
            spy.residue_seen++;
    }
    spy.last_channel = channel;
    return hil_uart_transmit(&wire.hil, buf, len);
}

static vmux_err_t spy_receive(struct hil_uart *u, uint8_t *buf, size_t len)
{
    (void)u;
    return hil_uart_receive(&wire.hil, buf, len);
}

static vmux_err_t spy_abort_transmit(struct hil_uart *u)
{
    (void)u;
    return hil_uart_abort_transmit(&wire.hil);
}

static vmux_err_t spy_abort_receive(struct hil_uart *u)
{
    (void)u;
    return hil_uart_abort_receive(&wire.hil);
}

static void spy_transmit_done(struct hil_uart_client *self, uint8_t *buf, size_t sent,
                              vmux_err_t status)
{
    (void)self;
    mux.hw_client.transmit_done(&mux.hw_client, buf, sent, status);
    if (spy.check_next_done) {
        spy.check_next_done = false;
        spy.clean_after_done = all_zero(mux.tx_frame, sizeof mux.tx_frame);
    }
}

static void spy_receive_done(struct hil_uart_client *self, uint8_t *buf, size_t received,
                             vmux_err_t status)
{
    (void)self;
    mux.hw_client.receive_done(&mux.hw_client, buf, received, status);
}

static void spy_on_frame_buffer(void)
{
    static const struct hil_uart_ops ops = { spy_transmit, spy_receive, spy_abort_transmit,
                                             spy_abort_receive };
    memset(&spy, 0, sizeof spy);
    spy.hil.ops = &ops;
    spy.to_mux.transmit_done = spy_transmit_done;
    spy.to_mux.receive_done = spy_receive_done;
    spy.last_channel = -1;
    mux.uart = &spy.hil;
    hil_uart_set_client(&wire.hil, &spy.to_mux);
}

/* The mux's frame buffer holds one owner's bytes at a time: before a
 * frame of another owner goes out, nothing but that frame is in it, and
 * nothing stays once the mux is idle. */
static void confidentiality_uart_mux_buffer_is_wiped_between_clients(void **state)
{
    (void)state;
    spy_on_frame_buffer();
    static uint8_t secret[600];
    memset(secret, 's', sizeof secret);
    /* long frames of client 0 between short ones of 1 and 2, and the
     * control channel's */
    assert_int_equal(uart_mux_write(&probes[0].c, secret, sizeof secret), VMUX_SUCCESS);
    assert_int_equal(uart_mux_write(&probes[1].c, secret, 10), VMUX_SUCCESS);
    assert_int_equal(uart_mux_write(&probes[2].c, secret, 10), VMUX_SUCCESS);
    uint8_t query = UART_CONTROL_QUERY;
    inject_frame(0, &query, 1);
    run();
    assert_int_equal(probes[0].writes_done, 1);
    assert_int_equal(probes[2].writes_done, 1);
    assert_true(spy.owner_changes >= 6);
    assert_int_equal(spy.residue_seen, 0);
    assert_true(all_zero(mux.tx_frame, sizeof mux.tx_frame));
    assert_true(all_zero(mux.rx_chunk, sizeof mux.rx_chunk));
}

/* A client that departs leaves nothing in the frame buffer: at once when
 * its last frame went out, when its frame in flight completes. */
static void confidentiality_uart_mux_buffer_is_wiped_when_its_client_departs(void **state)
{
    (void)state;
    spy_on_frame_buffer();
    static uint8_t secret[200];
    memset(secret, 's', sizeof secret);
    probes[0].detach_at_done = true;
    assert_int_equal(uart_mux_write(&probes[0].c, secret, 20), VMUX_SUCCESS);
    run();
    assert_int_equal(probes[0].writes_done, 1);
    assert_false(probes[0].c.entry.attached);
    assert_true(probes[0].tx_frame_clean_after_detach);
    /* departing with its frame in flight */
    assert_int_equal(uart_mux_write(&probes[1].c, secret, sizeof secret), VMUX_SUCCESS);
    sim_settle();
    assert_true(mux.tx_busy);
    assert_false(all_zero(mux.tx_frame, sizeof mux.tx_frame));
    client_departed(probes[1].id);
    spy.check_next_done = true;
    run();
    assert_false(spy.check_next_done);
    assert_true(spy.clean_after_done);
    assert_int_equal(probes[1].writes_done, 0); /* no callbacks to the departed */
    assert_int_equal(spy.residue_seen, 0);
}

static void confidentiality_uart_abort_read_cancels_only_that_client(void **state)
{
    (void)state;
    uart_mux_read(&probes[0].c, probes[0].read_buf, sizeof probes[0].read_buf);
    uart_mux_read(&probes[1].c, probes[1].read_buf, sizeof probes[1].read_buf);
    assert_int_equal(uart_mux_abort_read(&probes[0].c), VMUX_SUCCESS);
    assert_int_equal(uart_mux_abort_read(&probes[0].c), VMUX_ALREADY);
    inject_frame(channel_of(1), "still here", 10);
    run();
    assert_int_equal(probes[0].cancels, 1);
    assert_int_equal(probes[0].rx_len, 0);
    assert_int_equal(probes[1].rx_len, 10);
}

static void confidentiality_uart_departed_client_loses_its_channel(void **state)
{
    (void)state;
    uint8_t ch = channel_of(1);
    uart_mux_read(&probes[1].c, probes[1].read_buf, sizeof probes[1].read_buf);
    seen_count = 0;
    client_departed(probes[1].id);
    run();
    bool closed = false;
    for (unsigned f = 0; f < seen_count; f++)
        if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_CLOSE &&
            seen[f].payload[1] == ch)
            closed = true;
    assert_true(closed);
    inject_frame(ch, "late", 4);
    run();
    assert_int_equal(probes[1].rx_len, 0);
    assert_int_equal(probes[1].cancels, 0); /* no callbacks to the departed */
    assert_int_equal(mux.counters.frames_no_owner, 1);
    /* a new client never inherits the old channel straight away */
    struct probe late = {0};
    assert_int_equal(uart_mux_attach(&mux, &late.c, client_process(1, 2), "beta", &probe_ops),
                     VMUX_SUCCESS);
    assert_int_not_equal(late.c.channel, ch);
}

/* ------------------------------------------------------------ availability */

static void availability_uart_tx_round_robin_within_n_minus_one_turns(void **state)
{
    (void)state;
    /* Client 3 hogs with a huge buffer; the others write moderately. */
    static uint8_t data[CLIENTS][4000];
    size_t lens[CLIENTS] = { 600, 900, 300, 4000 };
    for (unsigned i = 0; i < CLIENTS; i++) {
        memset(data[i], '0' + (int)i, lens[i]);
        assert_int_equal(uart_mux_write(&probes[i].c, data[i], lens[i]), VMUX_SUCCESS);
    }
    seen_count = 0;
    run();
    size_t got[CLIENTS] = {0};
    unsigned since_last[CLIENTS] = {0};
    for (unsigned f = 0; f < seen_count; f++) {
        if (seen[f].channel == 0)
            continue;
        for (unsigned i = 0; i < CLIENTS; i++) {
            if (seen[f].channel == channel_of(i)) {
                got[i] += seen[f].len;
                since_last[i] = 0;
            } else if (got[i] < lens[i]) {
                /* i still has bytes queued: it is waiting this turn */
                since_last[i]++;
                assert_true(since_last[i] <= CLIENTS - 1);
            }
        }
    }
    for (unsigned i = 0; i < CLIENTS; i++) {
        assert_int_equal(got[i], lens[i]);
        assert_int_equal(probes[i].writes_done, 1);
    }
}

/*
 * Policy, availability: control traffic takes turns too. The peer floods
 * the control channel with QUERYs at percent of the line rate for 50 ms
 * while every client keeps a line queued (it writes again from each
 * write_done). The control channel is one participant of the round
 * robin: between two frames of a client there are at most CLIENTS
 * frames (the CLIENTS - 1 others and one control frame), and a QUERY
 * that comes while an answer is still going out adds nothing, counted.
 */
static void query_flood(unsigned percent)
{
    static const uint8_t line[] = "a line of output";
    for (unsigned i = 0; i < CLIENTS; i++) {
        probes[i].again = line;
        probes[i].again_len = sizeof line - 1;
        assert_int_equal(uart_mux_write(&probes[i].c, line, sizeof line - 1), VMUX_SUCCESS);
    }
    seen_count = 0;
    uint8_t query = UART_CONTROL_QUERY, wire_query[8];
    size_t query_len = uart_frame_encode(0, &query, 1, wire_query, sizeof wire_query);
    assert_true(query_len > 0);
    /* a character is 10 us at 1 Mbaud */
    uint64_t every_ns = query_len * 10000ull * 100u / percent;
    unsigned queries = 0;
    for (uint64_t t = 0; t < 50000000ull; t += every_ns) {
        assert_int_equal(sim_uart_inject_rx(&wire, wire_query, query_len), query_len);
        queries++;
        sim_advance(every_ns);
        read_wire();
    }
    unsigned flood_frames = seen_count;
    for (unsigned i = 0; i < CLIENTS; i++)
        probes[i].again = NULL;
    run();

    /* every client is served within CLIENTS frames, all along the flood */
    unsigned client_frames = 0, control_frames = 0;
    for (unsigned i = 0; i < CLIENTS; i++) {
        unsigned waited = 0, own = 0;
        for (unsigned f = 0; f < flood_frames; f++) {
            if (seen[f].channel == channel_of(i)) {
                own++;
                waited = 0;
            } else if (++waited > CLIENTS) {
                fail_msg("%u%% flood: client %u waited %u frames at frame %u (bound %u)",
                         percent, i, waited, f, CLIENTS);
            }
        }
        assert_true(own > 0);
        client_frames += own;
    }
    control_frames = flood_frames - client_frames;
    assert_true(control_frames > 0);           /* the answers still go out */
    assert_true(control_frames <= flood_frames / (CLIENTS + 1) + 1);
    /* every QUERY was answered or coalesced into an answer going out */
    assert_int_equal(mux.counters.queries_answered + mux.counters.queries_coalesced, queries);
    assert_true(mux.counters.queries_coalesced > 0);
    /* after the flood the last answer is whole: HELLO, then every channel */
    unsigned hello = 0;
    for (unsigned f = 0; f < seen_count; f++)
        if (seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_HELLO)
            hello = f;
    for (unsigned i = 0; i < CLIENTS; i++) {
        bool announced = false;
        for (unsigned f = hello + 1; f < seen_count; f++)
            announced |= seen[f].channel == 0 && seen[f].payload[0] == UART_CONTROL_ANNOUNCE &&
                         seen[f].payload[1] == channel_of(i);
        assert_true(announced);
    }
}

static void availability_uart_query_flood_at_12_percent_clients_keep_round_robin_turns(
    void **state)
{
    (void)state;
    query_flood(12);
}

static void availability_uart_query_flood_at_line_rate_clients_keep_round_robin_turns(
    void **state)
{
    (void)state;
    query_flood(100);
}

/* Index of the first frame from `from` on channel ch (control messages:
 * of type type for channel ch), or seen_count. */
static unsigned find_frame(unsigned from, uint8_t ch, int type)
{
    for (unsigned f = from; f < seen_count; f++) {
        if (type < 0 && seen[f].channel == ch)
            return f;
        if (type >= 0 && seen[f].channel == 0 && seen[f].payload[0] == type &&
            seen[f].payload[1] == ch)
            return f;
    }
    return seen_count;
}

/* Policy, availability: departures never use the channels up. Every free
 * channel still owes its last owner's CLOSE (as after departures faster
 * than the wire): a new client still gets one, and the peer sees the old
 * owner's CLOSE, then the new owner's ANNOUNCE, then its frames. A client
 * that goes before it was ever announced owes no CLOSE. */
static void availability_uart_channels_owing_close_are_reused_in_order(void **state)
{
    (void)state;
    client_departed(probes[3].id);
    run();
    for (unsigned ch = 1; ch < 256; ch++)
        if (uart_mux_channel_owner(&mux, (uint8_t)ch) == NULL)
            bitset256_set(&mux.close_pending, ch);
    seen_count = 0;
    struct probe late = {0};
    assert_int_equal(uart_mux_attach(&mux, &late.c, client_process(3, 2), "late", &probe_ops),
                     VMUX_SUCCESS);
    uint8_t ch = late.c.channel;
    assert_int_equal(uart_mux_write(&late.c, (const uint8_t *)"hello", 5), VMUX_SUCCESS);
    run();
    unsigned closed = find_frame(0, ch, UART_CONTROL_CLOSE);
    unsigned announced = find_frame(0, ch, UART_CONTROL_ANNOUNCE);
    unsigned data = find_frame(0, ch, -1);
    assert_true(closed < announced && announced < data && data < seen_count);
    assert_int_equal(late.writes_done, 1);
    /* attached and gone again before its introduction: nothing owed */
    uart_mux_detach(&late.c);
    run();
    struct probe ghost = {0};
    assert_int_equal(uart_mux_attach(&mux, &ghost.c, client_process(3, 3), "ghost", &probe_ops),
                     VMUX_SUCCESS);
    ch = ghost.c.channel;
    uart_mux_detach(&ghost.c);
    seen_count = 0;
    run();
    assert_int_equal(find_frame(0, ch, UART_CONTROL_ANNOUNCE), seen_count);
    assert_int_equal(find_frame(0, ch, UART_CONTROL_CLOSE), seen_count);
}

/* ------------------------------------------------------------ errors */

static void requests_with_bad_arguments_are_refused(void **state)
{
    (void)state;
    uint8_t b[4] = {0};
    assert_int_equal(uart_mux_write(&probes[0].c, b, 0), VMUX_SIZE);
    assert_int_equal(uart_mux_write(&probes[0].c, NULL, 3), VMUX_INVALID);
    assert_int_equal(uart_mux_write(&probes[0].c, b, 4), VMUX_SUCCESS);
    assert_int_equal(uart_mux_write(&probes[0].c, b, 4), VMUX_BUSY);
    assert_int_equal(uart_mux_read(&probes[0].c, b, 0), VMUX_SIZE);
    assert_int_equal(uart_mux_read(&probes[0].c, b, 4), VMUX_SUCCESS);
    assert_int_equal(uart_mux_read(&probes[0].c, b, 4), VMUX_BUSY);
    assert_int_equal(uart_mux_attach(&mux, &probes[0].c, probes[0].id, "x", &probe_ops),
                     VMUX_ALREADY);
    struct probe extra = {0};
    assert_int_equal(uart_mux_attach(&mux, &extra.c, client_process(9, 1), "x", &probe_ops),
                     VMUX_NOMEM);
    uart_mux_detach(&probes[2].c);
    assert_int_equal(uart_mux_write(&probes[2].c, b, 4), VMUX_OFF);
    assert_int_equal(uart_mux_read(&probes[2].c, b, 4), VMUX_OFF);
}

static void bad_input_uart_garbage_is_counted_and_never_delivered(void **state)
{
    (void)state;
    uart_mux_read(&probes[0].c, probes[0].read_buf, sizeof probes[0].read_buf);
    uint8_t frame[UART_FRAME_WIRE_MAX];
    size_t n = uart_frame_encode(channel_of(0), (const uint8_t *)"tampered", 8, frame, sizeof frame);
    frame[4] ^= 0x01;
    sim_uart_inject_rx(&wire, frame, n);                       /* bad CRC */
    const uint8_t noise[] = { 0x55, 0xaa, 0x01, 0x00, 0x02, 0x00 };
    sim_uart_inject_rx(&wire, noise, sizeof noise);            /* runt/malformed */
    static uint8_t flood[700];
    memset(flood, 0x33, sizeof flood);
    sim_uart_inject_rx(&wire, flood, sizeof flood);            /* oversized */
    sim_uart_inject_rx(&wire, (const uint8_t *)"\0", 1);
    run();
    assert_int_equal(probes[0].rx_len, 0);
    assert_int_equal(mux.decoder.counters.bad_crc, 1);
    assert_int_equal(mux.decoder.counters.oversized, 1);
    assert_true(mux.decoder.counters.runt + mux.decoder.counters.malformed >= 1);
    inject_frame(channel_of(0), "good", 4); /* and the stream recovers */
    run();
    assert_int_equal(probes[0].rx_len, 4);
    assert_memory_equal(probes[0].rx, "good", 4);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(control_channel_says_hello_and_announces_names),
        T(query_from_the_peer_reannounces_every_channel),
        T(query_during_the_sweep_announces_every_channel_after_it),
        T(confidentiality_uart_frames_reach_only_their_channel_owner),
        T(confidentiality_uart_frames_for_unowned_channels_are_dropped),
        T(confidentiality_uart_held_frames_wait_for_their_owner_or_drop),
        T(confidentiality_uart_buffer_returns_to_its_own_client),
        T(confidentiality_uart_mux_buffer_is_wiped_between_clients),
        T(confidentiality_uart_mux_buffer_is_wiped_when_its_client_departs),
        T(confidentiality_uart_abort_read_cancels_only_that_client),
        T(confidentiality_uart_departed_client_loses_its_channel),
        T(availability_uart_tx_round_robin_within_n_minus_one_turns),
        T(availability_uart_query_flood_at_12_percent_clients_keep_round_robin_turns),
        T(availability_uart_query_flood_at_line_rate_clients_keep_round_robin_turns),
        T(availability_uart_channels_owing_close_are_reused_in_order),
        T(requests_with_bad_arguments_are_refused),
        T(bad_input_uart_garbage_is_counted_and_never_delivered),
    };
    return cmocka_run_group_tests_name("uart_mux", tests, NULL, NULL);
}
