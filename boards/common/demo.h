/*
 * The kernel's own channels and its demo clients, shared by every board
 * (boards/host, boards/lm3s6965evb): each is a client of the
 * virtualizers, with its own channel on the UART mux.
 *
 * demo_start (demo.c) starts the kernel's channels:
 *   kernel    the banner (board name, what is wired), then the board's
 *             reports (the loader's, faults)
 *   mgmt      the management console: "stats", "clients", "help", "pins"
 *             (when the board wires the pin drivers: each LED, button and
 *             GPIO pin, its level and who holds it, and the pin drivers'
 *             counters), "buses" (when it wires the buses: each client of
 *             the SPI and I2C muxes with its tally, the muxes' counters,
 *             the sensor's, the refusals), the board's commands
 *             (mgmt_command), and "adc [CH]" when the demo clients run
 *             with an ADC mux; a command it does not know gets
 *             "unknown command: X" and the list. Open to anyone on the
 *             wire: "stats", "clients", "help", "ps", "pins", "buses" and
 *             "challenge";
 *             every other command runs only as "auth TAG COMMAND" with
 *             the answer to a fresh challenge (mgmt_auth.h), and is
 *             refused and counted otherwise
 * and demo_clients_start (demo_clients.c; a kernel that does not call it
 * links none of their code) the demo clients:
 *   ticker    a line every ticker_period_ms on a virtual alarm
 *   crypto    AES-128-CTR of "attack at dawn" through the crypto mux
 *   udp-echo  echoes UDP datagrams on udp_echo_port (when non-zero)
 *   adc       one sample and one buffered run through the ADC mux (when
 *             the board wires one)
 *   thermo    the temperature (the TMP105, capsules/tmp105.h) and the
 *             time of the clock on the I2C bus, once a second (when the
 *             board wires the buses)
 *
 * The board fills struct demo_board; fields left zero or NULL take the
 * defaults below or leave that client out.

 */
#ifndef VMUX_BOARDS_COMMON_DEMO_H
#define VMUX_BOARDS_COMMON_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/drivers/button_driver.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/drivers/gpio_driver.h"
#include "capsules/drivers/i2c_driver.h"
#include "capsules/drivers/spi_driver.h"
#include "capsules/drivers/led_driver.h"
#include "capsules/drivers/low_level_debug_driver.h"
#include "capsules/drivers/udp_driver.h"
#include "capsules/i2c_mux.h"
#include "capsules/net/udp_mux.h"
#include "capsules/rng_mux.h"
#include "capsules/spi_mux.h"
#include "capsules/tmp105.h"
#include "capsules/uart_mux.h"
#include "hil/adc.h"
#include "kernel/capability.h"
#include "kernel/process.h"

#define DEMO_TICKER_PERIOD_MS 5000u   /* default; the first tick comes after 1 s */

struct console;
struct demo_board;

/* The pin drivers, for "pins" (the board's, const). */
struct demo_pins {
    struct led_driver *leds;
    struct button_driver *buttons;
    struct gpio_driver *gpio;
};

/* The buses, for "buses" and the thermo client (the board's, const). */
struct demo_buses {
    const struct spi_mux *spi;
    struct i2c_mux *i2c;
    struct tmp105 *thermometer;
    const struct spi_driver *spi_driver;
    const struct i2c_driver *i2c_driver;
    const cap_bus_device_t *cap;    /* for the thermo client's clock */
    uint8_t rtc_address;            /* a DS1338's; 0: none */
};

/* A command on the management channel: true when it was handled. */
typedef bool (*demo_command_fn)(struct console *mgmt, const char *line);

struct demo_board {
    const char *name;              /* "host": the banner says "vmux host board up" */
    struct uart_mux *uart_mux;
    struct alarm_mux *alarm_mux;
    struct crypto_mux *crypto_mux;
    struct hil_adc *adc;           /* for the banner's channel count */
    struct adc_mux *adc_mux;       /* NULL: no adc client, no "adc" command */
    const cap_adc_continuous_t *adc_continuous;
    struct udp_mux *udp_mux;
    struct rng_mux *rng_mux;       /* NULL: no RNG in the stats */
    const char *rng_source;        /* where its bytes come from, for the stats */
    const cap_udp_reserved_port_t *udp_reserved;
    uint16_t udp_echo_port;        /* the kernel's echo client; 0 for none */
    uint32_t ticker_period_ms;     /* 0: DEMO_TICKER_PERIOD_MS */
    /* What processes use, for the management channel's stats (NULL: not
     * shown): their ADC mux when the demo's adc client has none, and the
     * syscall drivers whose totals count what they drop. */
    const struct adc_mux *process_adc_mux;
    const struct console_driver *console_driver;
    const struct udp_driver *udp_driver;
    const struct demo_pins *pins;  /* NULL: no pin drivers, no "pins" */
    const struct demo_buses *buses; /* NULL: no buses, no "buses", no thermo */
    /* Board commands on the management channel; true when handled. */
    demo_command_fn mgmt_command;
    /* Their names for "help", each with a space before and a comma
     * after; NULL: " ps, stop NAME, start NAME," (process_mgmt.h). */
    const char *mgmt_help;
    /* The management key (MGMT_KEY_SIZE bytes, copied at demo_mgmt_start);
     * NULL: none, and no command that changes state can run. */
    const uint8_t *mgmt_key;
    const uint8_t *mgmt_salt;      /* 16 bytes that differ each boot; NULL: zeroes */
    uint32_t (*mgmt_stir)(void);   /* mixed into each nonce; NULL: nothing */
};

void demo_start(const struct demo_board *board);

/* The management channel, after demo_start (a board that does not call
 * it links none of its code). */
void demo_mgmt_start(void);

/* The demo clients, after demo_start, with the same board. */
void demo_clients_start(const struct demo_board *board);

/* The management channel (after demo_start), and a command of the demo
 * clients to try on it before the board's. */
struct console *demo_mgmt_console(void);
void demo_set_clients_command(demo_command_fn command);

/* The kernel's channel ("kernel"), for the board's own reports (after
 * demo_start). */
struct console *demo_kernel_console(void);

/* For process_set_exit_reporter(): "process NAME exited: CODE" on the
 * kernel's channel. */
void demo_report_exit(const struct process *p);
/* The low-level debug driver's sink on the kernel's channel, for
 * low_level_debug_driver_init(d, ...) (after demo_start): d's lines may
 * fill half of the buffer being filled, so the kernel's own reports
 * always find room, and d hears when the channel drains. */
struct low_level_debug_sink *demo_kernel_debug_sink(struct low_level_debug_driver *d);

#endif
