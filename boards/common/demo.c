#include "boards/common/demo.h"

#include <inttypes.h>
#include <string.h>

#include "boards/common/console.h"
#include "kernel/fmt.h"

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

/* ------------------------------------------------------------ mgmt */

static struct console mgmt;

/* Counters are uint32_t: PRIu32 is right on every board ("%lu" on
 * Cortex-M3, "%u" on the host); kernel/fmt.h knows both. */
#define U32 "%" PRIu32

static void mgmt_stats(void)
{
    const struct uart_mux *u = board.uart_mux;
    console_printf(&mgmt,
                   "uart mux: frames sent " U32 ", no owner " U32 ", held full " U32
                   ", bad control " U32 ", hw errors " U32 "\n",
                   u->counters.frames_sent, u->counters.frames_no_owner,
                   u->counters.frames_dropped_full, u->counters.control_bad,
                   u->counters.hw_errors);
    console_printf(&mgmt, "uart decoder: frames " U32 ", bad crc " U32 ", runt " U32
                          ", malformed " U32 ", oversized " U32 "\n",
                   u->decoder.counters.frames, u->decoder.counters.bad_crc,
                   u->decoder.counters.runt, u->decoder.counters.malformed,
                   u->decoder.counters.oversized);
    const struct alarm_mux *a = board.alarm_mux;
    console_printf(&mgmt, "alarm mux: armed " U32 ", sets " U32 ", fires " U32
                          ", heap full " U32 "\n",
                   alarm_mux_armed_count(a), a->counters.sets, a->counters.fires,
                   a->counters.heap_full);
    const struct udp_mux *n = board.udp_mux;
    console_printf(&mgmt, "udp mux: delivered " U32 ", no port " U32 ", held full " U32
                          ", sent " U32 ", send failed " U32 "\n",
                   n->counters.delivered, n->counters.no_port, n->counters.dropped_full,
                   n->counters.sent, n->counters.send_failed);
    const struct crypto_mux *c = board.crypto_mux;
    console_printf(&mgmt, "crypto mux: slots %u/%u reserved, refused " U32 ", not holder " U32
                          ", operations " U32 "\n",
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
    else if ((!clients_command || !clients_command(&mgmt, line)) &&
             (!board.mgmt_command || !board.mgmt_command(&mgmt, line)))
        console_printf(&mgmt, "commands: stats, clients,%s%s help\n",
                       clients_command ? " adc [CHANNEL]," : "",
                       board.mgmt_command ? " ps, stop NAME, start NAME," : "");
}

/* ------------------------------------------------------------ start */

void demo_start(const struct demo_board *b)
{
    board = *b;
    if (board.name == NULL)
        board.name = "host";
    console_attach(&kernel_console, board.uart_mux, "kernel", NULL);
    console_printf(&kernel_console, "vmux %s board up: uart mux, alarm mux, crypto mux (%u key "
                                    "slots), adc (%u channels)\n",
                   board.name, board.crypto_mux->slot_count, hil_adc_channel_count(board.adc));
}

void demo_mgmt_start(void)
{
    console_attach(&mgmt, board.uart_mux, "mgmt", mgmt_line);
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
