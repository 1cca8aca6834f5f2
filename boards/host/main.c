/*
 * The host board: vmux as a Linux program with simulated peripherals.
 *
 * This file is the board: it creates every peripheral, wires the
 * virtualizers over them, mints the capabilities it hands out, and runs
 * the kernel loop. See docs/architecture.md.
 *
 *   vmux [--uart stdio|pty|tcp[:PORT]] [--udp-forward HOST:GUEST]... [--restart never|backoff]
 *        [--adc-seed N] [--crypto-slots K] [--clock real|virtual] [--run-for MS]
 *        [--mgmt-key FILE] [--eeprom FILE] [--storage FILE]
 *        [--app PATH[@NAME]]...
 *
 * --mgmt-key names the file of the management key (32 hex digits; `make
 * run` makes one under build/ and gives vmuxterm the same): management
 * commands that change anything run only with an answer made with it
 * (boards/common/mgmt_auth.h). Without one they never run.
 *
 * Each --app loads a shared object as a process (arch/host/loader.h); the
 * loop runs processes a time slice at a time between kernel loop turns.
 *
 * Storage (boards/common/storage.h): with --storage, a simulated block
 * device on FILE (created when missing, kept across runs: `make run`
 * keeps build/storage.img until `make clean`), the key-value store
 * (0x50003) and isolated storage (0x50004) over it. The apps have no TBF
 * header here: the table below gives the storage permissions a header
 * would, by name; an app not in it has a region (by its name) and no
 * keys. "storage" on the management channel shows usage and quotas.
 *
 * Pins (chips/sim/sim_gpio.h): two LEDs and five buttons on one
 * simulated bank, four GPIO pins on another, given to processes by the
 * tables below (LED 0x2, button 0x3, GPIO 0x4). A button is pressed from
 * the management channel: "press NAME" (from vmuxterm: "@mgmt press up")
 * holds it down for PRESS_HOLD_MS; "pins" shows every pin.
 *
 * --clock virtual runs the board on the simulated clock (chips/sim/sim.h)
 * instead of the host's, as QEMU's -icount runs the other board: time is
 * the work done. A process's turn costs VIRTUAL_TRAP_NS when it ends in a
 * trap and its whole slice when the slice runs out (a slice is CPU time
 * of its thread: arch/host/process.h); the kernel's own work costs
 * nothing; an idle board waits for its next event as long on the host's
 * clock (sim_idle()), so it keeps the real pace for the peers outside.
 * Whatever the load on the host, the board does the same things at the
 * same virtual times between two inputs from outside: what the end-to-end
 * test (tests/check/host_board_demo.sh) runs on. --run-for counts in the
 * board's clock.
 *
 * Display: a simulated screen of the OLED's geometry (128 x 64, 4-bit
 * grey; chips/sim/sim_screen.h) shared in windows (boards/common/
 * display.h). "screen" on the management channel shows it as text, a
 * hex digit a pixel; "screen FILE" writes it as a PNG.
 *
 * Buses: the QEMU board's, simulated (chips/sim/sim_spi.h, sim_i2c.h).
 * SPI: an SD card and an OLED, each on its own chip select of a bank of
 * bus pins, the OLED with a data/command line; both are stand-ins (shift
 * registers) until the storage and display models come. I2C: a TMP105
 * at 0x48 ("temp C" on the management channel sets what it measures, as
 * QEMU's monitor sets the property), an AT24C32 EEPROM at 0x50 (backed
 * by --eeprom FILE, which `make run` gives it: the contents outlive the
 * board), a DS1338 clock at 0x68 (the host's time at start). Who uses
 * which device: the tables below.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "arch/host/loader.h"
#include "arch/host/process.h"
#include "boards/common/buses.h"
#include "boards/common/console.h"
#include "boards/common/demo.h"
#include "boards/common/display.h"
#include "boards/common/mgmt_auth.h"
#include "boards/common/process_mgmt.h"
#include "boards/common/storage.h"
#include "boards/common/watchdogs.h"
#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/drivers/adc_driver.h"
#include "capsules/drivers/alarm_driver.h"
#include "capsules/drivers/button_driver.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/drivers/crypto_driver.h"
#include "capsules/drivers/gpio_driver.h"
#include "capsules/drivers/led_driver.h"
#include "capsules/drivers/low_level_debug_driver.h"
#include "capsules/drivers/rng_driver.h"
#include "capsules/drivers/udp_driver.h"
#include "capsules/net/netif.h"
#include "capsules/net/udp_mux.h"
#include "capsules/rng_mux.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_block.h"
#include "chips/sim/sim_at24c.h"
#include "chips/sim/sim_ds1338.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_entropy.h"
#include "chips/sim/sim_i2c.h"
#include "chips/sim/sim_net.h"
#include "chips/sim/sim_screen.h"
#include "chips/sim/sim_spi.h"
#include "chips/sim/sim_tmp105.h"
#include "chips/sim/sim_uart.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/capability_mint.h"
#include "kernel/deferred.h"
#include "kernel/process.h"
#include "kernel/wipe.h"

#define UART_CLIENTS 16
#define ALARMS 32
#define CRYPTO_CLIENTS 8
#define CRYPTO_SLOTS_MAX 16
#define NET_FRAMES 8
#define UDP_PORTS 128          /* 64 bindings at 3/4 load, with room */
#define UDP_CLIENTS 16
#define PRESS_HOLD_MS 100u
#define RNG_CLIENTS 8
#define EEPROM_SIZE 4096u      /* an AT24C32 */
#define START_MILLICELSIUS 21500

struct board_options {
    struct sim_uart_config uart;
    uint16_t udp_host_port[4], udp_guest_port[4];
    unsigned udp_forwards;
    enum process_restart_policy restart;
    uint32_t adc_seed;
    unsigned crypto_slots;
    bool virtual_clock;
    long run_for_ms;
    const char *apps[PROCESS_MAX];
    unsigned app_count;
    const char *mgmt_key_file;
    const char *storage_file;
    const char *eeprom_file;
};

/* ------------------------------------------------------------ peripherals */
static struct sim_uart uart;
static struct sim_alarm alarm_hw;
static struct sim_adc adc;
static struct sim_net nic;
static struct sim_entropy trng;         /* the host's getrandom() */
static struct crypto_engine_slot key_registers[CRYPTO_SLOTS_MAX];
static struct crypto_engine crypto;
static struct sim_gpio board_pins;     /* LEDs 0-1, buttons 2-6 */
static struct sim_gpio header;         /* GPIO 0-3 */
static struct sim_block disk;          /* --storage */
static struct sim_gpio bus_pins;       /* SD select, OLED select, OLED D/C */
static struct sim_spi spi_bus;
static struct sim_spi_shift sd_card, oled;
static struct sim_i2c i2c_bus;
static struct sim_tmp105 sensor;
static struct sim_at24c eeprom;
static uint8_t eeprom_cells[EEPROM_SIZE];
static struct sim_ds1338 rtc;
static struct sim_screen screen_hw;    /* the OLED's geometry: 128 x 64, 4-bit grey */

/* ------------------------------------------------------------ pins */
/* Which process may use which pin (capsules/drivers/pin_table.h): an LED
 * or GPIO pin is held by one process at a time, the one named here or,
 * for NULL, the first that uses it, until it ends. Buttons are for every
 * process (a name would keep one to that process). "Pressed" is 0: a
 * switch to ground with a pull-up, as on the lm3s6965evb. */
#define BUTTON_FLAGS (PIN_ACTIVE_LOW | PIN_PULL_UP)
static const struct pin leds[] = {
    { "led0", &board_pins.hil, 0, 0, NULL },
    { "led1", &board_pins.hil, 1, 0, "blink" },
};
static const struct pin buttons[] = {
    { "up", &board_pins.hil, 2, BUTTON_FLAGS, NULL },
    { "down", &board_pins.hil, 3, BUTTON_FLAGS, NULL },
    { "left", &board_pins.hil, 4, BUTTON_FLAGS, NULL },
    { "right", &board_pins.hil, 5, BUTTON_FLAGS, NULL },
    { "select", &board_pins.hil, 6, BUTTON_FLAGS, NULL },
};
static const struct pin gpio_pins[] = {
    { "gpio0", &header.hil, 0, 0, NULL },
    { "gpio1", &header.hil, 1, 0, NULL },
    { "gpio2", &header.hil, 2, 0, NULL },
    { "gpio3", &header.hil, 3, 0, NULL },
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ storage */
/* The device: 128 blocks of 512 bytes. The store's log in blocks 0-63,
 * then four isolated regions of 8 blocks (4 KiB), each after its header. */
#define DISK_BLOCKS 128u
static const struct board_storage storage_layout_base = {
    .kv_first = 0, .kv_blocks = 64,
    .regions_first = 64, .region_slots = 4, .region_blocks = 8,
    .default_quota = 1024,
};
/* Storage permissions by app name, as a TBF header would give them:
 * each app may read and change its own items only. */
struct storage_app {
    const char *name;
    uint32_t write_id;
};
static const struct storage_app storage_apps[] = {
    { "storage_demo", 0x5d },
    { "policy_probe", 0x9b },
};

static bool storage_identify(const struct process *p, struct storage_identity *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", p->name);
    for (unsigned i = 0; i < sizeof storage_apps / sizeof storage_apps[0]; i++) {
        if (strcmp(p->name, storage_apps[i].name) != 0)
            continue;
        uint32_t id = storage_apps[i].write_id;
        out->has_permissions = true;
        out->perms.write_id = out->perms.read_ids[0] = out->perms.modify_ids[0] = id;
        out->perms.read_count = out->perms.modify_count = 1;
    }
    return true;
}

/* An app is installed when a process of its name was loaded. */
static bool storage_installed(const struct storage_name *who)
{
    return process_find(who->name) != NULL;
}

static client_id_t led_holders[COUNT(leds)], gpio_holders[COUNT(gpio_pins)];

/* ------------------------------------------------------------ buses */
/* Who may use which device (boards/common/buses.h): the I2C devices as on
 * the lm3s6965evb; the SD card and the OLED the kernel's. */
static const struct spi_chip spi_chips[] = {
    { "sd", { &bus_pins.hil, 0, 0 }, { NULL, 0, 0 }, NULL },
    { "oled", { &bus_pins.hil, 1, 0 }, { &bus_pins.hil, 2, 1 }, NULL },
};

/* ------------------------------------------------------------ virtualizers */
static struct client_entry *uart_slots[UART_CLIENTS];
static uint32_t uart_rr[RR_WORDS(UART_CLIENTS)];
static struct uart_mux uart_mux;
static struct virtual_alarm *alarm_heap[ALARMS];
static struct alarm_mux alarm_mux;
static struct client_entry *crypto_clients[CRYPTO_CLIENTS];
static uint32_t crypto_rr[RR_WORDS(CRYPTO_CLIENTS)];
static struct crypto_mux crypto_mux;
static struct netif_frame net_frames[NET_FRAMES];
static struct netif net;
static struct virtual_alarm net_alarm;
static struct port_entry *udp_ports[UDP_PORTS];
static struct client_entry *udp_clients[UDP_CLIENTS];
static uint32_t udp_rr[RR_WORDS(UDP_CLIENTS)];
static struct udp_mux udp_mux;
static const struct udp_mux_config udp_config = { 1, 1023, 8 };
static struct client_entry *rng_clients[RNG_CLIENTS];
static uint32_t rng_rr[RR_WORDS(RNG_CLIENTS)];
static struct rng_mux rng_mux;
static struct virtual_alarm rng_watchdog;

/* ------------------------------------------------------------ capabilities */
VMUX_MINT_CAPABILITY(cap_adc_continuous, board_adc_continuous);
VMUX_MINT_CAPABILITY(cap_udp_reserved_port, board_udp_reserved_port);
VMUX_MINT_CAPABILITY(cap_process_management, board_process_management);
VMUX_MINT_CAPABILITY(cap_storage_window, board_storage_window);
VMUX_MINT_CAPABILITY(cap_storage_kernel, board_storage_kernel);
VMUX_MINT_CAPABILITY(cap_bus_device, board_bus_device);
VMUX_MINT_CAPABILITY(cap_screen_window, board_screen_window);

static volatile sig_atomic_t stop_requested;

/* "press NAME": the button held down for PRESS_HOLD_MS, then let go. */
static bool press_command(struct console *c, const char *line)
{
    if (strncmp(line, "press ", 6) != 0)
        return false;
    for (unsigned i = 0; i < COUNT(buttons); i++) {
        if (strcmp(line + 6, buttons[i].name) == 0) {
            sim_gpio_press(&board_pins, buttons[i].index, !(buttons[i].flags & PIN_ACTIVE_LOW),
                           PRESS_HOLD_MS * 1000000ull);
            console_printf(c, "%s: pressed for %u ms\n", buttons[i].name, PRESS_HOLD_MS);
            return true;
        }
    }
    console_printf(c, "no button named %s (up, down, left, right, select)\n", line + 6);
    return true;
}

/* "temp C": what the simulated TMP105 measures from now on, in degrees
 * Celsius with up to three decimals ("temp -5.25"), as QEMU's monitor
 * sets its tmp105's "temperature" property. */
static bool temp_command(struct console *c, const char *line)
{
    if (strncmp(line, "temp ", 5) != 0)
        return false;
    char *end;
    double celsius = strtod(line + 5, &end);
    if (end == line + 5 || *end != '\0' || celsius <= -128.0 || celsius >= 128.0) {
        console_printf(c, "temp: degrees Celsius, above -128 and below 128\n");
        return true;
    }
    sim_tmp105_set(&sensor, (int32_t)(celsius * 1000.0 + (celsius < 0 ? -0.5 : 0.5)));
    console_printf(c, "temp: the sensor measures %s C\n", line + 5);
    return true;
}

/* "screen", a line at a time: the screen mux's counters, then what the
 * panel shows, a row a line, a hex digit a pixel (0 black .. f white). */
static bool screen_line(struct console *c, unsigned line)
{
    const struct screen_mux *m = &board_display.mux;
    if (line == 0) {
        const struct tally *t = &m->bus.counters.ops;
        console_printf(c, "screen mux: requests taken %u, delivered %u, failed %u, departed %u; "
                          "turns %u, timeouts %u; refused: outside %u, size %u, busy %u, off %u, "
                          "invalid %u, overlap %u, no window %u; pixels %u\n",
                       t->n[TALLY_TAKEN], t->n[TALLY_DELIVERED], t->n[TALLY_FAILED],
                       t->n[TALLY_DEPARTED], m->bus.counters.turns, m->bus.counters.timeouts,
                       m->counters.outside,
                       m->counters.size + board_display.driver.size, m->counters.busy, m->counters.off, m->counters.invalid,
                       m->counters.overlap, board_display.driver.nodevice, m->counters.pixels);
        return true;
    }
    if (line > SIM_SCREEN_HEIGHT)
        return false;
    char row[SIM_SCREEN_WIDTH + 1];
    for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++)
        row[x] = "0123456789abcdef"[sim_screen_pixel(&screen_hw, x, line - 1)];
    row[SIM_SCREEN_WIDTH] = '\0';
    console_printf(c, "screen row %02u: %s\n", line - 1, row);
    return true;
}

/* "screen" shows the panel as text; "screen FILE" writes it to FILE as a
 * PNG, scaled 4x as QEMU's screendump of the OLED (512 x 256). Both need
 * the key: the second writes a file, the first shows what processes
 * draw. */
static bool screen_command(struct console *c, const char *line)
{
    if (strcmp(line, "screen") == 0) {
        console_report(c, screen_line);
        return true;
    }
    if (strncmp(line, "screen ", 7) != 0)
        return false;
    if (sim_screen_write_png(&screen_hw, line + 7, 4) == 0)
        console_printf(c, "screen: %s written (512 x 256 PNG)\n", line + 7);
    else
        console_printf(c, "screen: cannot write %s\n", line + 7);
    return true;
}

/* Management channel: a button press, the sensor's temperature, the
 * screen, and the process commands (only the board holds the
 * process-management capability). */
static bool process_command(struct console *c, const char *line)
{
    return press_command(c, line) || temp_command(c, line) || screen_command(c, line) ||
           board_storage_command(c, line) ||
           process_mgmt_command(c, line, &board_process_management);
}

static void request_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void usage(void)
{
    fprintf(stderr, "usage: vmux [--uart stdio|pty|tcp[:PORT]] [--udp-forward HOST:GUEST]\n"
                    "            [--adc-seed N] [--crypto-slots K] [--clock real|virtual]\n"
                    "            [--run-for MS] [--restart never|backoff] [--mgmt-key FILE]\n"
                    "            [--eeprom FILE] [--storage FILE]\n"
                    "            [--app PATH[@NAME]]...\n");
    exit(2);
}

static void parse_options(int argc, char **argv, struct board_options *o)
{
    memset(o, 0, sizeof *o);
    o->uart.backend = SIM_UART_STDIO;
    o->adc_seed = 1;
    o->crypto_slots = 4;
    o->run_for_ms = -1;
    o->restart = RESTART_NEVER;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--uart") == 0 && v) {
            if (strcmp(v, "stdio") == 0)
                o->uart.backend = SIM_UART_STDIO;
            else if (strcmp(v, "pty") == 0)
                o->uart.backend = SIM_UART_PTY;
            else if (strncmp(v, "tcp", 3) == 0) {
                o->uart.backend = SIM_UART_TCP;
                o->uart.tcp_port = (uint16_t)(v[3] == ':' ? atoi(v + 4) : 0);
            } else
                usage();
        } else if (strcmp(a, "--udp-forward") == 0 && v) {
            unsigned host, guest;
            if (sscanf(v, "%u:%u", &host, &guest) != 2 || host > 65535 || guest > 65535)
                usage();
            if (o->udp_forwards >= 4)
                usage();
            o->udp_host_port[o->udp_forwards] = (uint16_t)host;
            o->udp_guest_port[o->udp_forwards++] = (uint16_t)guest;
        } else if (strcmp(a, "--adc-seed") == 0 && v) {
            o->adc_seed = (uint32_t)strtoul(v, NULL, 0);
        } else if (strcmp(a, "--crypto-slots") == 0 && v) {
            o->crypto_slots = (unsigned)atoi(v);
            if (o->crypto_slots < 1 || o->crypto_slots > CRYPTO_SLOTS_MAX)
                usage();
        } else if (strcmp(a, "--clock") == 0 && v) {
            if (strcmp(v, "real") == 0)
                o->virtual_clock = false;
            else if (strcmp(v, "virtual") == 0)
                o->virtual_clock = true;
            else
                usage();
        } else if (strcmp(a, "--run-for") == 0 && v) {
            o->run_for_ms = atol(v);
        } else if (strcmp(a, "--restart") == 0 && v) {
            if (strcmp(v, "never") == 0)
                o->restart = RESTART_NEVER;
            else if (strcmp(v, "backoff") == 0)
                o->restart = RESTART_WITH_BACKOFF;
            else
                usage();
        } else if (strcmp(a, "--mgmt-key") == 0 && v) {
            o->mgmt_key_file = v;
        } else if (strcmp(a, "--storage") == 0 && v) {
            o->storage_file = v;
        } else if (strcmp(a, "--eeprom") == 0 && v) {
            o->eeprom_file = v;
        } else if (strcmp(a, "--app") == 0 && v) {
            if (o->app_count >= PROCESS_MAX)
                usage();
            o->apps[o->app_count++] = v;
        } else {
            usage();
        }
        i++;
    }
}

static void fail(const char *what, vmux_err_t err)
{
    fprintf(stderr, "vmux: %s failed: %s\n", what, vmux_err_name(err));
    exit(1);
}

static void check(const char *what, vmux_err_t err)
{
    if (err != VMUX_SUCCESS)
        fail(what, err);
}

/* The management key from its file; false (and a message) when the file
 * cannot be read or is not 32 hex digits. */
static bool read_mgmt_key(const char *path, uint8_t key[MGMT_KEY_SIZE])
{
    char text[128] = { 0 };
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    bool ok = n > 0 && mgmt_key_parse(text, key);
    wipe(text, sizeof text);
    if (!ok)
        fprintf(stderr, "vmux: %s: not a management key (32 hex digits)\n", path);
    return ok;
}

/* ------------------------------------------------------------ syscall drivers */
/* What processes get: a driver over each virtualizer, the same muxes the
 * kernel's clients use. No capability is passed on: no continuous ADC
 * runs, no reserved UDP ports. */
#define ADC_CLIENTS 8
static struct virtual_alarm adc_watchdog;
static struct client_entry *adc_clients[ADC_CLIENTS];
static uint32_t adc_rr[RR_WORDS(ADC_CLIENTS)];
static struct adc_mux adc_mux;
static struct alarm_driver alarm_driver;
static struct console_driver console_driver;
static struct adc_driver adc_driver;
static struct crypto_driver crypto_driver;
static struct udp_driver udp_driver;
static struct led_driver led_driver;
static struct button_driver button_driver;
static struct gpio_driver gpio_driver;
static const struct demo_pins demo_pins = { &led_driver, &button_driver, &gpio_driver };
static struct rng_driver rng_driver;
static struct low_level_debug_driver lld_driver;

static void register_drivers(const struct board_options *o)
{
    virtual_alarm_init(&adc_watchdog, &alarm_mux);
    check("adc mux", adc_mux_init(&adc_mux, &adc.hil, &adc_watchdog.hil, adc_clients, adc_rr,
                                  ADC_CLIENTS));
    alarm_driver_init(&alarm_driver, &alarm_mux);
    console_driver_init(&console_driver, &uart_mux);
    adc_driver_init(&adc_driver, &adc_mux, NULL);
    crypto_driver_init(&crypto_driver, &crypto_mux);
    udp_driver_init(&udp_driver, &udp_mux);
    check("led driver", led_driver_init(&led_driver, leds, led_holders, COUNT(leds)));
    check("button driver", button_driver_init(&button_driver, buttons, COUNT(buttons)));
    check("gpio driver", gpio_driver_init(&gpio_driver, gpio_pins, gpio_holders,
                                          COUNT(gpio_pins)));
    rng_driver_init(&rng_driver, &rng_mux);

    check("alarm driver", process_register_driver(&alarm_driver.driver));
    check("console driver", process_register_driver(&console_driver.driver));
    check("adc driver", process_register_driver(&adc_driver.driver));
    check("crypto driver", process_register_driver(&crypto_driver.driver));
    check("udp driver", process_register_driver(&udp_driver.driver));
    check("led driver", process_register_driver(&led_driver.driver));
    check("button driver", process_register_driver(&button_driver.driver));
    check("gpio driver", process_register_driver(&gpio_driver.driver));
    check("rng driver", process_register_driver(&rng_driver.driver));
    check("spi driver", process_register_driver(&board_buses.spi_driver.driver));
    check("i2c driver", process_register_driver(&board_buses.i2c_driver.driver));
    check("temperature driver", process_register_driver(&board_buses.temperature_driver.driver));
    check("screen driver", process_register_driver(&board_display.driver.driver));
    if (o->storage_file) {
        check("storage", sim_block_init_file(&disk, o->storage_file, DISK_BLOCKS));
        struct board_storage layout = storage_layout_base;
        layout.device = &disk.hil;
        layout.window = &board_storage_window;
        layout.kernel = &board_storage_kernel;
        layout.alarm_mux = &alarm_mux;
        layout.identify = storage_identify;
        layout.installed = storage_installed;
        if (!board_storage_init(&layout))
            fail("storage layout", VMUX_SIZE);
    }
}

/* After demo_start: the low-level debug driver writes on the kernel's
 * channel. */
static void start_low_level_debug(void)
{
    check("low-level debug driver",
          low_level_debug_driver_init(&lld_driver, demo_kernel_debug_sink(&lld_driver)));
    check("low-level debug driver", process_register_driver(&lld_driver.driver));
}

/* The simulated buses and their devices, then what both boards wire
 * over them (boards/common/buses.h). */
static void wire_buses(const struct board_options *o)
{
    check("bus pins", sim_gpio_init(&bus_pins, 3));
    check("spi", sim_spi_init(&spi_bus));
    sim_spi_shift_attach(&spi_bus, &sd_card, 0x01, &bus_pins, 0, false, NULL, 0);
    sim_spi_shift_attach(&spi_bus, &oled, 0x00, &bus_pins, 1, false, &bus_pins, 2);
    check("i2c", sim_i2c_init(&i2c_bus));
    sim_tmp105_attach(&i2c_bus, &sensor, BOARD_I2C_TMP105);
    sim_tmp105_set(&sensor, START_MILLICELSIUS);
    if (!sim_at24c_attach(&i2c_bus, &eeprom, BOARD_I2C_EEPROM, eeprom_cells, EEPROM_SIZE,
                          o->eeprom_file))
        fprintf(stderr, "vmux: %s: cannot keep the EEPROM there\n", o->eeprom_file);
    sim_ds1338_attach(&i2c_bus, &rtc, BOARD_I2C_RTC, (int64_t)time(NULL));
    check("buses", board_buses_start(&alarm_mux, &spi_bus.hil, spi_chips, COUNT(spi_chips),
                                     &i2c_bus.hil, &board_bus_device));
}

static void wire_board(const struct board_options *o)
{
    /* The management key, and a salt that makes this boot's nonces
     * differ from every other boot's (mgmt_auth.h). */
    uint8_t mgmt_key[MGMT_KEY_SIZE], mgmt_salt[16];
    if (o->mgmt_key_file && !read_mgmt_key(o->mgmt_key_file, mgmt_key))
        exit(2);
    if (getrandom(mgmt_salt, sizeof mgmt_salt, 0) != (ssize_t)sizeof mgmt_salt) {
        fprintf(stderr, "vmux: no random salt for the management channel\n");
        exit(1);
    }
    sim_init(o->virtual_clock ? SIM_CLOCK_VIRTUAL : SIM_CLOCK_REAL, 0);
    check("uart", sim_uart_init(&uart, &o->uart));
    if (o->uart.backend == SIM_UART_PTY)
        fprintf(stderr, "vmux: UART on %s (attach: vmuxterm %s)\n", sim_uart_pty_path(&uart),
                sim_uart_pty_path(&uart));
    if (o->uart.backend == SIM_UART_TCP)
        fprintf(stderr, "vmux: UART on 127.0.0.1:%u (attach: vmuxterm --tcp 127.0.0.1:%u)\n",
                sim_uart_tcp_port(&uart), sim_uart_tcp_port(&uart));
    check("alarm", sim_alarm_init(&alarm_hw, 0));
    /* A 1 ms conversion, as a slow averaging ADC: requests that processes
     * make in the same tick find the conversion in flight and share it. */
    struct sim_adc_config adc_config = { .seed = o->adc_seed, .conversion_ns = 1000000 };
    check("adc", sim_adc_init(&adc, &adc_config));
    check("crypto engine", crypto_engine_init(&crypto, key_registers, o->crypto_slots));
    check("trng", sim_entropy_init(&trng, NULL));
    static const uint8_t mac[NET_MAC_SIZE] = { 0x02, 0x76, 0x6d, 0x75, 0x78, 0x01 };
    check("pins", sim_gpio_init(&board_pins, COUNT(leds) + COUNT(buttons)));
    check("header", sim_gpio_init(&header, COUNT(gpio_pins)));
    check("nic", sim_net_init(&nic, mac));
    check("slirp", sim_net_attach_slirp(&nic));
    for (unsigned i = 0; i < o->udp_forwards; i++) {
        if (sim_net_slirp_add_udp_forward(&nic, o->udp_host_port[i], o->udp_guest_port[i]) !=
            VMUX_SUCCESS) {
            fprintf(stderr, "vmux: cannot forward UDP 127.0.0.1:%u to board port %u: the port is "
                            "taken; free it, or choose another (--udp-forward PORT:%u)\n",
                    o->udp_host_port[i], o->udp_guest_port[i], o->udp_guest_port[i]);
            exit(1);
        }
        fprintf(stderr, "vmux: UDP 127.0.0.1:%u reaches board port %u\n", o->udp_host_port[i],
                o->udp_guest_port[i]);
    }

    uart_mux_init(&uart_mux, &uart.hil, uart_slots, uart_rr, UART_CLIENTS);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, ALARMS);
    check("crypto mux", crypto_mux_init(&crypto_mux, &crypto.hil, crypto_clients, crypto_rr,
                                        CRYPTO_CLIENTS));
    /* 10.0.2.15/24 behind slirp's gateway 10.0.2.2 */
    static const struct ipv4_config ip = { 0x0a00020f, 0xffffff00, 0x0a000202 };
    virtual_alarm_init(&net_alarm, &alarm_mux);
    check("netif", netif_init(&net, &nic.hil, &ip, net_frames, NET_FRAMES, &net_alarm.hil));
    board_watchdogs_start(&alarm_mux, &uart_mux, &crypto_mux, &net);
    check("udp mux", udp_mux_init(&udp_mux, &net, &udp_config, udp_ports, UDP_PORTS,
                                  udp_clients, udp_rr, UDP_CLIENTS));
    netif_start(&net);
    check("rng mux", rng_mux_init(&rng_mux, &trng.hil, rng_clients, rng_rr, RNG_CLIENTS));
    virtual_alarm_init(&rng_watchdog, &alarm_mux);
    rng_mux_set_watchdog(&rng_mux, &rng_watchdog.hil, BOARD_WATCHDOG_US);
    wire_buses(o);
    check("screen", sim_screen_init(&screen_hw));
    /* at once: on the virtual clock an idle board waits for the screen
     * on the host's clock, and the pace of an SPI bus would only slow
     * the demo and the tests down */
    screen_hw.byte_ns = 0;
    check("display", board_display_start(&alarm_mux, &screen_hw.hil, &board_screen_window));
    register_drivers(o);

    struct demo_board demo = {
        .uart_mux = &uart_mux,
        .alarm_mux = &alarm_mux,
        .crypto_mux = &crypto_mux,
        .adc = &adc.hil,
        .adc_continuous = &board_adc_continuous,
        .udp_mux = &udp_mux,
        .rng_mux = &rng_mux,
        .rng_source = "the host's getrandom()",
        .udp_reserved = &board_udp_reserved_port,
        .udp_echo_port = 7,
        .process_adc_mux = &adc_mux,
        .console_driver = &console_driver,
        .udp_driver = &udp_driver,
        .mgmt_command = process_command,
        .mgmt_key = o->mgmt_key_file ? mgmt_key : NULL,
        .mgmt_salt = mgmt_salt,
        .mgmt_help = " ps, storage, stop NAME, start NAME, press BUTTON, temp C, screen [FILE],",
        .pins = &demo_pins,
        .buses = &board_buses.demo,
    };
    demo_start(&demo);
    demo_mgmt_start();
    wipe(mgmt_key, sizeof mgmt_key); /* the channel keeps only its schedule */
    demo_clients_start(&demo);
    start_low_level_debug();
    uart_mux_start(&uart_mux);

    process_set_arch(&host_arch_ops);
    process_set_exit_reporter(demo_report_exit);
    /* Beyond the kernel clients registered by now, no app may take the
     * name vmuxterm prints its own notes under (kernel/process.h). */
    static const char *const reserved_names[] = { "vmuxterm", NULL };
    client_reserve_names(reserved_names);
    for (unsigned i = 0; i < o->app_count; i++) {
        /* PATH or PATH@NAME: two instances of one app need two names */
        char path[512];
        snprintf(path, sizeof path, "%s", o->apps[i]);
        char *name = strrchr(path, '@');
        if (name)
            *name++ = '\0';
        vmux_err_t err = host_load_app(path, name, 0, o->restart, &board_process_management,
                                       NULL);
        if (err != VMUX_SUCCESS) {
            fprintf(stderr, "vmux: loading %s failed: %s (%s)\n", o->apps[i],
                    vmux_err_name(err), host_loader_error());
            exit(1);
        }
    }
    board_storage_mount(); /* now that the apps are known */
}

/* ------------------------------------------------------------ virtual clock */
#define VIRTUAL_TRAP_NS 10000u   /* a process's turn that ends in a trap */

/* One turn of the loop on the virtual clock: a process runs and time
 * moves by what its turn costs, or the board idles until its next event. */
static void virtual_turn(void)
{
    uint32_t expired = process_slices_expired();
    if (process_run_next(sim_now_ns() / 1000000u)) {
        sim_wait(0); /* the fds, without blocking */
        sim_advance(process_slices_expired() != expired ? process_timeslice_us() * 1000ull
                                                : VIRTUAL_TRAP_NS);
    } else if (!deferred_call_pending()) {
        sim_idle(100000000u);
    }
}

int main(int argc, char **argv)
{
    struct board_options options;
    parse_options(argc, argv, &options);
    signal(SIGINT, request_stop);
    signal(SIGTERM, request_stop);
    signal(SIGPIPE, SIG_IGN);
    wire_board(&options);

    uint64_t deadline = options.run_for_ms >= 0
                            ? sim_now_ns() + (uint64_t)options.run_for_ms * 1000000u
                            : UINT64_MAX;
    while (!stop_requested && sim_now_ns() < deadline) {
        sim_run_due();
        kernel_loop_once();
        if (options.virtual_clock) {
            virtual_turn();
            continue;
        }
        process_run_next(sim_now_ns() / 1000000u);
        if (process_any_runnable())
            sim_wait(0); /* poll fds without blocking: a busy process must not starve I/O */
        else if (!deferred_call_pending())
            sim_wait(100000000u);
    }
    /* let the last output drain */
    for (int i = 0; i < 50 && (uart_mux.tx_busy || deferred_call_pending()); i++) {
        sim_run_due();
        kernel_loop_once();
        sim_wait(10000000u);
    }
    host_loader_reset();
    sim_block_close(&disk);
    sim_net_detach(&nic);
    sim_uart_close(&uart);
    return 0;
}
