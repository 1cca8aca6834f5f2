#include "boards/common/watchdogs.h"

static struct virtual_alarm uart_watchdog, crypto_watchdog, net_watchdog;

void board_watchdogs_start(struct alarm_mux *alarms, struct uart_mux *uart,
                           struct crypto_mux *crypto, struct netif *net)
{
    virtual_alarm_init(&uart_watchdog, alarms);
    virtual_alarm_init(&crypto_watchdog, alarms);
    virtual_alarm_init(&net_watchdog, alarms);
    uart_mux_set_watchdog(uart, &uart_watchdog.hil, BOARD_WATCHDOG_US);
    crypto_mux_set_watchdog(crypto, &crypto_watchdog.hil, BOARD_WATCHDOG_US);
    netif_set_watchdog(net, &net_watchdog.hil, BOARD_WATCHDOG_US);
}
