#include "boards/host/demo.h"

#include <stdio.h>
#include <string.h>

#include "boards/host/console.h"

static struct demo_board board;

/* ------------------------------------------------------------ kernel */

static struct console kernel_console;

/* ------------------------------------------------------------ mgmt */

static struct console mgmt;

static void mgmt_stats(void)
{
    const struct uart_mux *u = board.uart_mux;
    console_printf(&mgmt,
                   "uart mux: frames sent %u, no owner %u, held full %u, bad control %u, "
                   "hw errors %u\n",
                   u->counters.frames_sent, u->counters.frames_no_owner,
                   u->counters.frames_dropped_full, u->counters.control_bad,
                   u->counters.hw_errors);
    console_printf(&mgmt, "uart decoder: frames %u, bad crc %u, runt %u, malformed %u, "
                          "oversized %u\n",
                   u->decoder.counters.frames, u->decoder.counters.bad_crc,
                   u->decoder.counters.runt, u->decoder.counters.malformed,
                   u->decoder.counters.oversized);
    const struct alarm_mux *a = board.alarm_mux;
    console_printf(&mgmt, "alarm mux: armed %u, sets %u, fires %u, heap full %u\n",
                   alarm_mux_armed_count(a), a->counters.sets, a->counters.fires,
                   a->counters.heap_full);
    const struct udp_mux *n = board.udp_mux;
    console_printf(&mgmt, "udp mux: delivered %u, no port %u, held full %u, sent %u, "
                          "send failed %u\n",
                   n->counters.delivered, n->counters.no_port, n->counters.dropped_full,
                   n->counters.sent, n->counters.send_failed);
    const struct crypto_mux *c = board.crypto_mux;
    console_printf(&mgmt, "crypto mux: slots %u/%u reserved, refused %u, not holder %u, "
                          "operations %u\n",
                   crypto_mux_reserved_count(c), c->slot_count, c->counters.reservations_refused,
                   c->counters.not_holder, c->counters.operations);
}

static void mgmt_clients(void)
{
    struct uart_mux *u = board.uart_mux;
    for (unsigned ch = 1; ch < 256; ch++) {
        struct uart_mux_client *c = uart_mux_channel_owner(u, (uint8_t)ch);
        if (c)
            console_printf(&mgmt, "channel %u: %s (%s)\n", ch, c->name,
                           client_is_kernel(c->entry.id) ? "kernel" : "process");
    }
}

static void mgmt_line(struct console *c, char *line)
{
    (void)c;
    if (strcmp(line, "stats") == 0)
        mgmt_stats();
    else if (strcmp(line, "clients") == 0)
        mgmt_clients();
    else if (!board.mgmt_command || !board.mgmt_command(&mgmt, line))
        console_printf(&mgmt, "commands: stats, clients, ps, stop NAME, start NAME, help\n");
}

/* ------------------------------------------------------------ ticker */

static struct ticker {
    struct console console;
    struct virtual_alarm alarm;
    struct hil_alarm_client alarm_client;
    unsigned ticks;
} ticker;

static void ticker_fired(struct hil_alarm_client *self)
{
    struct ticker *t = container_of(self, struct ticker, alarm_client);
    struct hil_alarm *a = &t->alarm.hil;
    t->ticks++;
    console_printf(&t->console, "tick %u (counter 0x%08x)\n", t->ticks, hil_alarm_now(a));
    hil_alarm_set(a, hil_alarm_now(a), hil_alarm_frequency_hz(a) * 5);
}

/* ------------------------------------------------------------ crypto */

static struct crypto_demo {
    struct console console;
    struct crypto_mux_client client;
    crypto_handle_t slot;
    uint8_t text[32];
    uint8_t cipher[32];
} crypto_demo;

static void crypto_done(struct crypto_mux_client *c, const uint8_t *in, uint8_t *out, size_t len,
                        vmux_err_t status)
{
    struct crypto_demo *d = container_of(c, struct crypto_demo, client);
    (void)in;
    char hex[2 * sizeof d->cipher + 1];
    for (size_t i = 0; i < len && i < sizeof d->cipher; i++)
        snprintf(hex + 2 * i, 3, "%02x", out[i]);
    console_printf(&d->console, "AES-128-CTR(\"%s\") = %s (%s)\n", (const char *)d->text, hex,
                   vmux_err_name(status));
    vmux_err_t forged = crypto_mux_load_key(c, d->slot + 0x100u, d->text);
    console_printf(&d->console, "using a slot I do not hold: refused with %s\n",
                   vmux_err_name(forged));
    crypto_mux_release(c, d->slot);
    console_printf(&d->console, "released slot %u; the engine wiped it\n", d->slot & 0xffu);
}

static const struct crypto_mux_client_ops crypto_ops = { crypto_done };

static void crypto_demo_start(void)
{
    struct crypto_demo *d = &crypto_demo;
    static const uint8_t key[16] = "vmux-demo-key-01";
    static const uint8_t iv[16] = { 0 };
    console_attach(&d->console, board.uart_mux, "crypto", NULL);
    crypto_mux_attach(board.crypto_mux, &d->client, d->console.mux_client.entry.id, &crypto_ops);
    vmux_err_t err = crypto_mux_reserve(&d->client, &d->slot);
    if (err != VMUX_SUCCESS) {
        console_printf(&d->console, "no key slot: %s\n", vmux_err_name(err));
        return;
    }
    console_printf(&d->console, "reserved key slot %u of %u\n", d->slot & 0xffu,
                   board.crypto_mux->slot_count);
    crypto_mux_load_key(&d->client, d->slot, key);
    strcpy((char *)d->text, "attack at dawn");
    crypto_mux_crypt(&d->client, d->slot, CRYPTO_CTR, iv, d->text, d->cipher,
                     strlen((const char *)d->text));
}

/* ------------------------------------------------------------ udp echo */

static struct udp_echo {
    struct console console;
    struct udp_client client;
    struct udp_binding port;
    uint8_t hold[2048];
    uint8_t buf[1472];
    struct udp_endpoint reply_to;
    unsigned echoed;
} echo;

static void echo_receive(void)
{
    udp_mux_receive(&echo.client, echo.buf, sizeof echo.buf);
}

static void echo_received(struct udp_client *c, uint8_t *buf, size_t len,
                          const struct udp_received *info, vmux_err_t status)
{
    (void)c;
    if (status != VMUX_SUCCESS && status != VMUX_SIZE) {
        echo_receive();
        return;
    }
    echo.reply_to = info->from;
    if (udp_mux_send(&echo.port, &echo.reply_to, buf, len) != VMUX_SUCCESS)
        echo_receive(); /* could not echo this one: wait for the next */
}

static void echo_sent(struct udp_client *c, struct udp_binding *b, const uint8_t *buf, size_t len,
                      vmux_err_t status)
{
    (void)c, (void)b, (void)buf;
    echo.echoed++;
    console_printf(&echo.console, "echoed %zu bytes to %u.%u.%u.%u:%u (%s)\n", len,
                   (unsigned)(echo.reply_to.ip >> 24), (unsigned)(echo.reply_to.ip >> 16) & 0xff,
                   (unsigned)(echo.reply_to.ip >> 8) & 0xff, (unsigned)echo.reply_to.ip & 0xff,
                   echo.reply_to.port, vmux_err_name(status));
    echo_receive();
}

static const struct udp_client_ops echo_ops = { echo_sent, echo_received };

static void udp_echo_start(uint16_t port)
{
    console_attach(&echo.console, board.uart_mux, "udp-echo", NULL);
    vmux_err_t err = udp_mux_attach(board.udp_mux, &echo.client,
                                    echo.console.mux_client.entry.id, &echo_ops, echo.hold,
                                    sizeof echo.hold);
    if (err == VMUX_SUCCESS)
        err = udp_mux_bind(&echo.client, &echo.port, port, board.udp_reserved);
    if (err != VMUX_SUCCESS) {
        console_printf(&echo.console, "cannot bind UDP port %u: %s\n", port, vmux_err_name(err));
        return;
    }
    console_printf(&echo.console, "echoing UDP on board port %u\n", port);
    echo_receive();
}

/* ------------------------------------------------------------ start */

void demo_start(const struct demo_board *b)
{
    board = *b;
    console_attach(&kernel_console, board.uart_mux, "kernel", NULL);
    console_printf(&kernel_console, "vmux host board up: uart mux, alarm mux, crypto mux (%u key "
                                    "slots), adc (%u channels)\n",
                   board.crypto_mux->slot_count, hil_adc_channel_count(board.adc));
    console_attach(&mgmt, board.uart_mux, "mgmt", mgmt_line);
    console_printf(&mgmt, "management channel: type '@mgmt help'\n");

    console_attach(&ticker.console, board.uart_mux, "ticker", NULL);
    virtual_alarm_init(&ticker.alarm, board.alarm_mux);
    ticker.alarm_client.fired = ticker_fired;
    hil_alarm_set_client(&ticker.alarm.hil, &ticker.alarm_client);
    hil_alarm_set(&ticker.alarm.hil, hil_alarm_now(&ticker.alarm.hil),
                  hil_alarm_frequency_hz(&ticker.alarm.hil));

    crypto_demo_start();
    if (board.udp_echo_port)
        udp_echo_start(board.udp_echo_port);
}
