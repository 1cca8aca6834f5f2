#include "boards/common/demo.h"

#include <inttypes.h>
#include <string.h>

#include "boards/common/console.h"
#include "boards/common/mgmt_auth.h"
#include "kernel/fmt.h"
#include "kernel/process.h"

static struct demo_board board;
static demo_command_fn clients_command; /* the demo clients' "adc" */

/* ------------------------------------------------------------ kernel */

static struct console kernel_console;

struct console *demo_kernel_console(void)
{
    return &kernel_console;
}

void demo_report_exit(const struct process *p)
{
    console_printf(&kernel_console, "process %s exited: %u\n", p->name, (unsigned)p->exit_code);
}

/* Processes' low-level debug lines, on the kernel's channel. */
static struct low_level_debug_driver *kernel_debug;

static size_t kernel_debug_room(struct low_level_debug_sink *self)
{
    (void)self;
    size_t room = console_room(&kernel_console);
    return room > CONSOLE_BUFFER / 2 ? room - CONSOLE_BUFFER / 2 : 0;
}

static void kernel_debug_write(struct low_level_debug_sink *self, const char *fmt, va_list ap)
{
    (void)self;
    console_vprintf(&kernel_console, fmt, ap);
}

static void kernel_drained(struct console *c)
{
    (void)c;
    low_level_debug_driver_sink_ready(kernel_debug);
}

struct low_level_debug_sink *demo_kernel_debug_sink(struct low_level_debug_driver *d)
{
    static struct low_level_debug_sink sink = { kernel_debug_room, kernel_debug_write };
    kernel_debug = d;
    kernel_console.drained = kernel_drained;
    return &sink;
}

/* ------------------------------------------------------------ mgmt */

static struct console mgmt;
static struct mgmt_auth auth;

/* Counters are uint32_t: PRIu32 is right on every board ("%lu" on
 * Cortex-M3, "%u" on the host); kernel/fmt.h knows both. */
#define U32 "%" PRIu32

/* One tally (kernel/tally.h) on a line: "WHAT: taken ..., in flight N". */
static void print_tally(const char *what, const struct tally *t)
{
    console_printf(&mgmt, "%s: taken " U32 ", delivered " U32 ", failed " U32 ", refused " U32
                          ", departed " U32 ", in flight " U32 "\n",
                   what, t->n[TALLY_TAKEN], t->n[TALLY_DELIVERED], t->n[TALLY_FAILED],
                   t->n[TALLY_REFUSED], t->n[TALLY_DEPARTED], tally_in_flight(t));
}

/* The upcalls of every process, every life (kernel/process.h). */
static void print_upcalls(void)
{
    uint32_t n[7] = { 0 };
    for (unsigned s = 0; s < PROCESS_MAX; s++) {
        const struct process *p = process_at(s);
        if (p == NULL)
            continue;
        const struct process_counters *k = &p->counters;
        const uint32_t v[7] = { k->upcalls_scheduled, k->upcalls_delivered, k->upcalls_dropped,
                                k->upcalls_replaced, k->upcalls_unsubscribed, k->upcalls_ended,
                                p->queue_count };
        for (unsigned i = 0; i < 7; i++)
            n[i] += v[i];
    }
    console_printf(&mgmt, "upcalls: scheduled " U32 ", delivered " U32 ", queue full " U32
                          ", replaced " U32 ", unsubscribed " U32 ", at end " U32 ", queued " U32
                          "\n", n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
}

/* "stats", a line at a time (console_report): every mux's counters, and
 * for each path its tally. */
static bool stats_line(struct console *c, unsigned line)
{
    const struct uart_mux *u = board.uart_mux;
    const struct udp_mux *n = board.udp_mux;
    const struct adc_mux *adc = board.adc_mux ? board.adc_mux : board.process_adc_mux;
    const struct crypto_mux *k = board.crypto_mux;
    (void)c;
    switch (line) {
    case 0:
        console_printf(&mgmt, "uart mux: frames sent " U32 ", held " U32 ", no owner " U32
                              ", held full " U32 ", bad control " U32 ", hw errors " U32
                              ", queries answered " U32 ", coalesced " U32 "\n",
                       u->counters.frames_sent, u->counters.frames_held,
                       u->counters.frames_no_owner, u->counters.frames_dropped_full,
                       u->counters.control_bad, u->counters.hw_errors,
                       u->counters.queries_answered, u->counters.queries_coalesced);
        break;
    case 1:
        console_printf(&mgmt, "uart decoder: frames " U32 ", bad crc " U32 ", runt " U32
                              ", malformed " U32 ", oversized " U32 "\n",
                       u->decoder.counters.frames, u->decoder.counters.bad_crc,
                       u->decoder.counters.runt, u->decoder.counters.malformed,
                       u->decoder.counters.oversized);
        break;
    case 2:
        print_tally("uart out, bytes", &u->counters.tx);
        break;
    case 3:
        print_tally("uart in, bytes", &u->counters.rx);
        break;
    case 4:
        if (board.console_driver)
            print_tally("console writes of processes, bytes", &board.console_driver->tx);
        break;
    case 5:
        if (board.console_driver)
            print_tally("console reads of processes, bytes", &board.console_driver->rx);
        break;
    case 6:
        console_printf(&mgmt, "alarm mux: armed " U32 ", sets " U32 ", fires " U32
                              ", heap full " U32 "\n",
                       alarm_mux_armed_count(board.alarm_mux), board.alarm_mux->counters.sets,
                       board.alarm_mux->counters.fires, board.alarm_mux->counters.heap_full);
        break;
    case 7:
        console_printf(&mgmt, "udp mux: arrived " U32 ", port zero " U32 ", no port " U32
                              ", held full " U32 ", oversized " U32 "\n",
                       n->counters.arrived, n->counters.port_zero, n->counters.no_port,
                       n->counters.dropped_full, n->counters.oversized);
        break;
    case 8:
        console_printf(&mgmt, "udp sends refused: to 0.0.0.0/8 " U32 ", to self " U32
                              ", to loopback " U32 ", to multicast " U32 ", broadcast by processes "
                              U32 "\n",
                       n->counters.to_nowhere, n->counters.to_self, n->counters.to_loopback,
                       n->counters.to_multicast,
                       board.udp_driver ? board.udp_driver->broadcast_refused : 0);
        break;
    case 9:
        print_tally("udp in, datagrams", &n->counters.rx);
        break;
    case 10:
        print_tally("udp out, datagrams", &n->counters.tx);
        break;
    case 11:
        if (board.udp_driver)
            print_tally("udp receives of processes, datagrams", &board.udp_driver->rx);
        break;
    case 12:
        if (adc)
            console_printf(&mgmt, "adc mux: conversions " U32 ", runs " U32 ", shared " U32
                                  ", errors " U32 ", timeouts " U32 ", out of range " U32 "\n",
                           adc->counters.conversions, adc->counters.runs, adc->counters.shared,
                           adc->counters.errors, adc->counters.timeouts,
                           adc->counters.out_of_range);
        break;
    case 13:
        if (adc)
            print_tally("adc, samples", &adc->counters.samples);
        break;
    case 14:
        console_printf(&mgmt, "crypto mux: slots %u/%u reserved, refused " U32 ", not holder " U32
                              ", operations " U32 "\n",
                       crypto_mux_reserved_count(k), k->slot_count,
                       k->counters.reservations_refused, k->counters.not_holder,
                       k->counters.operations);
        break;
    case 15:
        print_tally("crypto, operations", &k->counters.ops);
        break;
    case 16:
        print_upcalls();
        break;
    case 17:
        console_printf(&mgmt, "auth: challenges " U32 ", authenticated " U32 ", refused: "
                              "unauthenticated " U32 ", stale " U32 ", wrong answer " U32 "\n",
                       auth.counters.challenges, auth.counters.authenticated,
                       auth.counters.unauthenticated, auth.counters.stale,
                       auth.counters.bad_tag);
        break;
    case 18:
        if (board.rng_mux)
            console_printf(&mgmt, "rng mux (%s): fills " U32 ", bytes " U32 ", timeouts " U32
                                  ", spurious " U32 "\n",
                           board.rng_source, board.rng_mux->counters.fills,
                           board.rng_mux->counters.bytes,
                           board.rng_mux->counters.timeouts, board.rng_mux->counters.spurious);
        break;
    case 19:
        if (board.rng_mux)
            print_tally("rng, requests", &board.rng_mux->counters.requests);
        break;
    case 20:
        if (kernel_debug)
            print_tally("low-level debug of processes, entries", &kernel_debug->counters.entries);
        break;
    default:
        return false;
    }
    return true;
}

/* A line about pin i of t: its name, whether it is active (an LED on, a
 * button pressed; a GPIO pin's level), who holds it (held tables), and
 * the one process the board gives it to, if it names one. */
static void print_pin(const char *kind, const struct pin_table *t, unsigned i)
{
    const struct pin *p = &t->pins[i];
    bool level = false;
    hil_gpio_read(p->bank, p->index, &level);
    const char *held = !t->holders                     ? "shared"
                       : client_is_none(t->holders[i]) ? "free"
                                                       : client_name(t->holders[i]);
    console_printf(&mgmt, "%s %u %s: %u, %s%s%s\n", kind, i, p->name,
                   (unsigned)pin_active(p, level), held, p->owner ? ", only for " : "",
                   p->owner ? p->owner : "");
}

/* "pins", a line at a time (console_report): every LED, button and GPIO
 * pin, then the pin drivers' counters. */
static bool pins_line(struct console *c, unsigned line)
{
    static const char kinds[][8] = { "led", "button", "gpio" };
    const struct demo_pins *pins = board.pins;
    const struct pin_table *t[3] = { &pins->leds->leds, &pins->buttons->buttons,
                                     &pins->gpio->pins };
    (void)c;
    for (unsigned k = 0; k < 3; line -= t[k]->count, k++)
        if (line < t[k]->count) {
            print_pin(kinds[k], t[k], line);
            return true;
        }
    if (line > 0)
        return false;
    const struct button_counters *b = &pins->buttons->counters;
    const struct gpio_driver_counters *g = &pins->gpio->counters;
    console_printf(&mgmt, "pins: leds refused " U32 "; buttons edges " U32 ", merged " U32
                          ", upcalls " U32 ", dropped " U32 ", refused " U32 "; gpio edges " U32
                          ", upcalls " U32 ", dropped " U32 ", refused " U32 "\n",
                   t[0]->refused, b->edges, b->merged, b->upcalls, b->dropped, t[1]->refused,
                   g->edges, g->upcalls, g->dropped, t[2]->refused);
    return true;
}

/* A client's name (below). */
static const char *name_of(client_id_t id);

/* "buses", a line at a time (console_report): each client of the SPI
 * mux (its chip) and of the I2C mux (its address) with its tally, then
 * the muxes' counters, the processes refused a device, the sensor's. */
static bool buses_line(struct console *c, unsigned line)
{
    const struct demo_buses *b = board.buses;
    const struct bus_mux *m[2] = { &b->spi->bus, &b->i2c->bus };
    char what[48];
    (void)c;
    for (unsigned k = 0; k < 2; line -= m[k]->clients.capacity, k++) {
        if (line >= m[k]->clients.capacity)
            continue;
        struct client_entry *e = client_table_at(&m[k]->clients, line);
        if (e == NULL)
            return true;
        const struct bus_client *bc = container_of(e, struct bus_client, entry);
        if (k == 0)
            vmux_snprintf(what, sizeof what, "spi %s on %s, transfers", name_of(e->id),
                          container_of(bc, struct spi_device, bus)->chip->name);
        else
            vmux_snprintf(what, sizeof what, "i2c %s at 0x%02x, transactions", name_of(e->id),
                          container_of(bc, struct i2c_device, bus)->address);
        print_tally(what, &bc->ops);
        return true;
    }
    if (line < 4) {
        const struct bus_mux *x = m[line / 2];
        const char *bus = line < 2 ? "spi" : "i2c";
        if (line % 2 == 0)
            console_printf(&mgmt, "%s mux: turns " U32 ", timeouts " U32 ", held turns cut " U32
                                  ", spurious " U32 "; refused to processes " U32 "\n",
                           bus, x->counters.turns, x->counters.timeouts, x->counters.cut,
                           x->counters.spurious,
                           line < 2 ? b->spi_driver->refused : b->i2c_driver->refused);
        else
            print_tally(line < 2 ? "spi, transfers" : "i2c, transactions", &x->counters.ops);
        return true;
    }
    if (line > 4)
        return false;
    console_printf(&mgmt, "tmp105: readings " U32 ", shared " U32 ", errors " U32 "\n",
                   b->thermometer->readings, b->thermometer->shared, b->thermometer->errors);
    return true;
}

/* A client's name: a process's own, or the name of a kernel client's
 * channel (every kernel client of the boards has one; kernel/client.h's
 * table of names is left out of the image). */
static const char *name_of(client_id_t id)
{
    unsigned at = 0;
    const struct process *p = process_of_client(id);
    struct client_entry *e = client_table_next_of(&board.uart_mux->clients, id, &at);
    return p   ? p->name
           : e ? container_of(e, struct uart_mux_client, entry)->name
               : client_name(id);
}

/* "clients", a line at a time: each client of each mux with its tallies
 * (kernel/tally.h); line numbers run over the UART channels (two lines
 * each), then the slots of the UDP (two each), ADC, crypto and RNG
 * muxes. */
static bool clients_line(struct console *c, unsigned line)
{
    char what[UART_MUX_NAME_MAX + 48];
    (void)c;
    if (line < 2 * 256u) {
        struct uart_mux_client *u = uart_mux_channel_owner(board.uart_mux, (uint8_t)(line / 2));
        if (u == NULL || line < 2)
            return true;
        if (line % 2 == 0) {
            vmux_snprintf(what, sizeof what, "channel %u: %s (%s), bytes out", line / 2,
                          u->name, client_is_kernel(u->entry.id) ? "kernel" : "process");
            print_tally(what, &u->counters.tx);
        } else {
            vmux_snprintf(what, sizeof what, "channel %u: %s, bytes in", line / 2, u->name);
            print_tally(what, &u->counters.rx);
        }
        return true;
    }
    line -= 2 * 256u;
    const struct client_table *t = &board.udp_mux->clients;
    if (line < 2 * t->capacity) {
        struct client_entry *e = client_table_at(t, line / 2);
        if (e) {
            const struct udp_client *d = container_of(e, struct udp_client, entry);
            vmux_snprintf(what, sizeof what, "udp %s, datagrams %s", name_of(e->id),
                          line % 2 ? "out" : "in");
            print_tally(what, line % 2 ? &d->counters.tx : &d->counters.rx);
        }
        return true;
    }
    line -= 2 * t->capacity;
    const struct adc_mux *adc = board.adc_mux ? board.adc_mux : board.process_adc_mux;
    t = adc ? &adc->clients : NULL;
    if (t && line < t->capacity) {
        struct client_entry *e = client_table_at(t, line);
        if (e) {
            vmux_snprintf(what, sizeof what, "adc %s, samples", name_of(e->id));
            print_tally(what, &container_of(e, struct adc_mux_client, entry)->samples);
        }
        return true;
    }
    line -= t ? t->capacity : 0;
    t = &board.crypto_mux->clients;
    if (line < t->capacity) {
        struct client_entry *e = client_table_at(t, line);
        if (e) {
            vmux_snprintf(what, sizeof what, "crypto %s, operations", name_of(e->id));
            print_tally(what, &container_of(e, struct crypto_mux_client, entry)->operations);
        }
        return true;
    }
    line -= t->capacity;
    t = board.rng_mux ? &board.rng_mux->clients : NULL;
    if (t && line < t->capacity) {
        struct client_entry *e = client_table_at(t, line);
        if (e) {
            vmux_snprintf(what, sizeof what, "rng %s, requests", name_of(e->id));
            print_tally(what, &container_of(e, struct rng_mux_client, entry)->requests);
        }
        return true;
    }
    return false;
}

/* The list of commands; first, unless line asked for it ("help", or an
 * empty line), that line is not one of them. */
static void mgmt_help(const char *line)
{
    if (*line && strcmp(line, "help") != 0)
        console_printf(&mgmt, "unknown command: %s\n", line);
    console_printf(&mgmt, "commands: stats, clients,%s%s%s%s help; to change: challenge, "
                          "auth TAG COMMAND\n",
                   board.pins ? " pins," : "", board.buses ? " buses," : "",
                   clients_command ? " adc [CHANNEL]," : "",
                   !board.mgmt_command ? ""
                   : board.mgmt_help  ? board.mgmt_help
                                      : " ps, stop NAME, start NAME,");
}

/* A command, once it may run. */
static void mgmt_run(char *line)
{
    if (strcmp(line, "stats") == 0)
        console_report(&mgmt, stats_line);
    else if (strcmp(line, "clients") == 0)
        console_report(&mgmt, clients_line);
    else if (strcmp(line, "pins") == 0 && board.pins)
        console_report(&mgmt, pins_line);
    else if (strcmp(line, "buses") == 0 && board.buses)
        console_report(&mgmt, buses_line);
    else if ((!clients_command || !clients_command(&mgmt, line)) &&
             (!board.mgmt_command || !board.mgmt_command(&mgmt, line)))
        mgmt_help(line);
}

/* What anyone on the wire may do: read, and ask for a challenge. Every
 * other command, known or not, needs an answer (default deny: a command
 * added later is closed until it is listed here). */
static bool mgmt_open(const char *line)
{
    static const char open[][8] = { "stats", "clients", "help", "ps", "pins", "buses", "storage", "" };
    for (unsigned i = 0; i < sizeof open / sizeof open[0]; i++)
        if (strcmp(line, open[i]) == 0)
            return true;
    return false;
}

/* "auth TAG COMMAND": COMMAND runs if TAG answers the challenge. Any
 * answer, even a malformed one, uses the challenge up. */
static void mgmt_answer(char *rest)
{
    char *command = rest + strnlen(rest, 2 * MGMT_TAG_SIZE);
    if (*command == ' ')
        command++;
    vmux_err_t err = mgmt_auth_check(&auth, rest, command);
    if (err == VMUX_SUCCESS)
        mgmt_run(command);
    else
        console_printf(&mgmt, "auth: refused (%s)\n",
                       err == VMUX_OFF       ? "no key"
                       : err == VMUX_ALREADY ? "no fresh challenge"
                                             : "wrong answer");
}

static void mgmt_line(struct console *c, char *line)
{
    (void)c;
    char nonce[MGMT_HEX_SIZE];
    if (strncmp(line, "auth ", 5) == 0) {
        mgmt_answer(line + 5);
    } else if (strcmp(line, "challenge") == 0) {
        if (mgmt_auth_challenge(&auth, board.mgmt_stir ? board.mgmt_stir() : 0, nonce))
            console_printf(&mgmt, "challenge %s\n", nonce);
        else
            console_printf(&mgmt, "refused: no key\n");
    } else if (mgmt_open(line)) {
        mgmt_run(line);
    } else {
        auth.counters.unauthenticated++;
        console_printf(&mgmt, "refused (not authenticated): %s\n", line);
    }
}

/* ------------------------------------------------------------ start */

void demo_start(const struct demo_board *b)
{
    board = *b;
    if (board.name == NULL)
        board.name = "host";
    console_attach(&kernel_console, board.uart_mux, CLIENT_NAME("kernel"), NULL);
    console_printf(&kernel_console, "vmux %s board up: uart mux, alarm mux, crypto mux (%u key "
                                    "slots), adc (%u channels)\n",
                   board.name, board.crypto_mux->slot_count, hil_adc_channel_count(board.adc));
}

void demo_mgmt_start(void)
{
    mgmt_auth_init(&auth, board.mgmt_key, board.mgmt_salt);
    static struct console_input mgmt_input; /* zeroes: in .bss, not in flash */
    mgmt_input.line_received = mgmt_line;
    console_attach(&mgmt, board.uart_mux, CLIENT_NAME("mgmt"), &mgmt_input);
    console_printf(&mgmt, "management channel: type '@mgmt help'\n");
}

struct console *demo_mgmt_console(void)
{
    return &mgmt;
}

void demo_set_clients_command(demo_command_fn command)
{
    clients_command = command;
}
