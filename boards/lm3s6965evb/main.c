/*
 * The lm3s6965evb board: vmux on the TI Stellaris LM3S6965 evaluation
 * board, as QEMU emulates it (qemu-system-arm -M lm3s6965evb).
 *
 * This file is the board: it brings up the clock and the drivers
 * (chips/lm3s6965), wires the same virtualizers as the host board over
 * them (UART mux on UART0, alarm mux on the SysTick/GPTM alarm, ADC mux,
 * crypto mux over the software AES engine with 4 key registers, network
 * interface and UDP mux on the Ethernet MAC as 10.0.2.15/24 behind QEMU's
 * user-mode gateway 10.0.2.2, RNG mux over a CTR_DRBG seeded at boot:
 * seed.h says from what, and what that is worth), mints the capabilities
 * it hands out, starts the shared demo clients (boards/common/demo.h),
 * registers the syscall drivers (alarm, console, ADC, crypto, UDP, RNG,
 * low-level debug: the host board's set, over the same virtualizers;
 * LED, button and GPIO over the EVB's pins, the tables below), loads the
 * apps from flash as
 * MPU-isolated processes (apps.h, arch/cortex-m3/process.h) and runs the
 * kernel loop: deferred calls, then one time slice of the next process,
 * sleeping in WFI when neither has anything to do.
 *
 * Compile-time options (the Makefile's test image sets them):
 *   VMUX_TEST_EXIT_MS   after this many ms, print a summary on the "test"
 *                       channel, let the UART drain and end QEMU with
 *                       exit status 0 (semihosting): a test never hangs.
 *                       Run with the semihosting argument
 *                       test-exit=command (QEMU: -semihosting-config
 *                       ...,arg=test-exit=command), it ends so only when
 *                       the host types "@test exit": for a test that talks
 *                       to the board and waits for its answers (under
 *                       -icount the board's time does not follow the
 *                       host's, so a fixed end could come before them)
 *   VMUX_TEST_VARIANTS  1: register boards/common/variants_driver.h, whose
 *                       commands return every TRD104 variant (the
 *                       Tock-convention ABI test's)
 *   VMUX_TEST_FAULT_MS  after this many ms, divide by zero: exercises the
 *                       UsageFault report and the failure exit status
 *   VMUX_TICKER_MS      the ticker's period (default 5000)
 *   VMUX_TIMEBASE_START the alarm counter's value at boot (default 0); a
 *                       test starts it just below 2^32 to cross the wrap
 *   VMUX_SEMIHOSTING    0 for an image that runs without a debugger or
 *                       QEMU: no semihosting exit or console (default 1)
 *   VMUX_TIMESLICE_US   a process's time slice (default 10000)
 *   VMUX_RESTART        1: ended processes restart with back-off
 *   VMUX_TBF_SHA256     1: refuse an app whose SHA-256 credentials
 *                       footer does not hold the hash of its header and
 *                       binary (1040 bytes of flash: off by default, for
 *                       the board's flash budget; the test images have
 *                       it on)
 *   VMUX_DEMO_CLIENTS   0: without the demo's kernel clients (ticker,
 *                       crypto, udp-echo, adc)
 *   VMUX_MGMT           0: without the management channel (stats,
 *                       clients, ps, stop, start) and without the stop
 *                       `make run` asks for (semihosting argument
 *                       apps=all) when its apps do not all fit in RAM
 *   VMUX_LOW_LEVEL_DEBUG 0: without the low-level debug driver (0x8), a
 *                       debugging aid of the board's, not a virtualizer.
 *                       With these three 0 this is the kernel with every
 *                       virtualizer and nothing else, the image make
 *                       lm3s6965evb-size measures against the kernel
 *                       budget (vmux-kernel.elf)
 *   VMUX_MGMT_KEY_H     the header defining VMUX_MGMT_KEY, the management
 *                       channel's key (the Makefile makes one per build)
 *   VMUX_BUSES          0: without the SPI and I2C buses (SSI0, I2C0, their
 *                       muxes, the TMP105 and the SPI, I2C and temperature
 *                       syscall drivers; default 1)
 *   VMUX_DISPLAY        1: with the display (boards/common/display.h): the
 *                       SSD0323 OLED on SSI0 (capsules/ssd0323.h), shared
 *                       in windows, the screen driver 0x90001 and the
 *                       kernel's status strip (default 0: the board image
 *                       stays within its budget; vmux-display.elf has it)
 *   VMUX_SD_OWNERS      the processes given the SD card (default: none, it
 *                       is the kernel's; tests/qemu/lm3s6965evb_buses.sh)
 *   VMUX_STORAGE        1: with storage on the SD card (boards/common/
 *                       storage.h over capsules/sd_spi.h): the storage mux,
 *                       the key-value store (0x50003) and isolated storage
 *                       (0x50004), identities and permissions from each
 *                       app's TBF header, "storage" on the management
 *                       channel (default 0: vmux-storage.elf has it, as
 *                       `make run STORAGE=1` starts it)
 */
#include <stdarg.h>
#include <string.h>

#include "arch/cortex-m3/arch.h"
#include "arch/cortex-m3/process.h"
#include "boards/common/console.h"
#include "boards/common/demo.h"
#include "boards/common/mgmt_auth.h"
#include "boards/common/process_mgmt.h"
#include "boards/common/watchdogs.h"
#ifdef VMUX_TEST_VARIANTS
#include "boards/common/variants_driver.h"
#endif
#include "boards/lm3s6965evb/apps.h"
#include "boards/lm3s6965evb/seed.h"
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
#include "chips/lm3s6965/adc.h"
#include "chips/lm3s6965/alarm.h"
#include "chips/lm3s6965/enet.h"
#include "chips/lm3s6965/gpio.h"
#include "chips/lm3s6965/slice.h"
#include "chips/lm3s6965/sysctl.h"
#include "chips/lm3s6965/timebase.h"
#include "chips/lm3s6965/uart.h"
#include "chips/soft/crypto_engine.h"
#include "chips/soft/ctr_drbg.h"
#include "kernel/capability_mint.h"
#include "kernel/deferred.h"
#include "kernel/fmt.h"
#include "kernel/platform.h"
#include "kernel/process.h"

#ifndef VMUX_SEMIHOSTING
#define VMUX_SEMIHOSTING 1
#endif
#ifndef VMUX_TIMEBASE_START
#define VMUX_TIMEBASE_START 0u
#endif
#ifndef VMUX_TICKER_MS
#define VMUX_TICKER_MS 0       /* the demo's default */
#endif
#ifndef VMUX_TIMESLICE_US
#define VMUX_TIMESLICE_US 10000u
#endif
#ifndef VMUX_RESTART
#define VMUX_RESTART 0
#endif
#ifndef VMUX_TBF_SHA256
#define VMUX_TBF_SHA256 0
#endif
#ifndef VMUX_DEMO_CLIENTS
#define VMUX_DEMO_CLIENTS 1
#endif
#ifndef VMUX_LOW_LEVEL_DEBUG
#define VMUX_LOW_LEVEL_DEBUG 1
#endif
#ifndef VMUX_MGMT
#define VMUX_MGMT 1
#endif
#ifndef VMUX_BUSES
#define VMUX_BUSES 1
#endif
#if VMUX_BUSES
#include "boards/common/buses.h"
#include "chips/lm3s6965/i2c.h"
#include "chips/lm3s6965/ssi.h"
#endif
#ifndef VMUX_DISPLAY
#define VMUX_DISPLAY 0
#endif
#if VMUX_DISPLAY && !VMUX_BUSES
#error "the OLED is on the SPI bus: VMUX_DISPLAY needs VMUX_BUSES"
#endif
#if VMUX_DISPLAY
#include "boards/common/display.h"
#include "capsules/ssd0323.h"
#endif
#ifndef VMUX_STORAGE
#define VMUX_STORAGE 0
#endif
#if VMUX_STORAGE && !VMUX_BUSES
#error "the SD card is on the SPI bus: VMUX_STORAGE needs VMUX_BUSES"
#endif
/* The grant room of this build's drivers (app_layout.h; start_processes
 * checks it against what they measure). */
#define GRANT_ALLOWANCE                                                              \
    (LM3S_GRANT_DRIVERS + VMUX_LOW_LEVEL_DEBUG * LM3S_GRANT_LOW_LEVEL_DEBUG +        \
     VMUX_BUSES * LM3S_GRANT_BUSES + VMUX_DISPLAY * LM3S_GRANT_DISPLAY +              \
     VMUX_STORAGE * LM3S_GRANT_STORAGE)
#if VMUX_STORAGE
#include "boards/common/storage.h"
#include "capsules/sd_spi.h"
#include "kernel/tbf.h"
#endif

#define UART_CLIENTS 16         /* 7 kernel channels, one per process */
#define ALARMS 16
#define ADC_CLIENTS 4
#define CRYPTO_CLIENTS 4
#define CRYPTO_SLOTS 4
#define NET_FRAMES 4            /* ARP, ICMP, two for UDP */
#define UDP_PORTS 32            /* 16 bindings at most */
#define UDP_CLIENTS 4
#define RNG_CLIENTS 4
#define UDP_ECHO_PORT 7

/* ------------------------------------------------------------ peripherals */
static struct lm3s_uart uart;
static struct lm3s_alarm alarm_hw;
static struct lm3s_adc adc;
static struct lm3s_enet nic;
static struct crypto_engine_slot key_registers[CRYPTO_SLOTS];
static struct crypto_engine crypto;
static struct ctr_drbg drbg;            /* no TRNG on this chip: seed.h */
static struct lm3s_gpio port_b, port_e, port_f;
#if VMUX_BUSES
static struct lm3s_gpio port_a, port_c, port_d;
static struct lm3s_ssi ssi0;
static struct lm3s_i2c i2c0;
#endif
#if VMUX_DISPLAY
static struct ssd0323 oled;            /* spi_chips[1] */
#endif
#if VMUX_STORAGE
static struct sd_spi sd_card;          /* spi_chips[0] */
#endif

/* ------------------------------------------------------------ pins */
/* Which process may use which pin (capsules/drivers/pin_table.h): the
 * LED and the GPIO pins are held by one process at a time (the first
 * that uses them: none is named here), until it ends; the buttons are for
 * every process. The EVB's user LED is PF0, lit at 1. The buttons are
 * QEMU's gamepad (hw/arm/stellaris.c), the EVB's navigation switches: up,
 * down, left, right on PE0-PE3, select on PF1, each pulling its line to
 * 0 while pressed (`sendkey up` in the QEMU monitor presses and releases
 * one; select is `sendkey ctrl`). GPIO: PB0 and PB1, which nothing on the
 * board or in QEMU's model uses (PB2/PB3 are I2C0's, PA UART0's and
 * SSI0's, PC7 and PD0 the OLED's and SD card's select lines). */
#define BUTTON_FLAGS (PIN_ACTIVE_LOW | PIN_PULL_UP)
static const struct pin leds[] = {
    { "led", &port_f.hil, 0, 0, NULL },
};
static const struct pin buttons[] = {
    { "up", &port_e.hil, 0, BUTTON_FLAGS, NULL },
    { "down", &port_e.hil, 1, BUTTON_FLAGS, NULL },
    { "left", &port_e.hil, 2, BUTTON_FLAGS, NULL },
    { "right", &port_e.hil, 3, BUTTON_FLAGS, NULL },
    { "select", &port_f.hil, 1, BUTTON_FLAGS, NULL },
};
static const struct pin gpio_pins[] = {
    { "pb0", &port_b.hil, 0, 0, NULL },
    { "pb1", &port_b.hil, 1, 0, NULL },
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
static client_id_t led_holders[COUNT(leds)], gpio_holders[COUNT(gpio_pins)];

#if VMUX_BUSES
/* ------------------------------------------------------------ buses */
/* Who may use which device on the buses (boards/common/buses.h): the
 * I2C devices are what QEMU's command line puts on I2C0 (make
 * run-lm3s6965evb): a TMP105 at 0x48, an AT24C32 EEPROM at 0x50, a
 * DS1338 clock at 0x68. SSI0 (hw/arm/stellaris.c): the SD card selected
 * by PD0 (low); the OLED by PA3 (low: the EVB's wiring; QEMU selects its
 * OLED whenever PD0 is high, so it stays out of the SD card's transfers
 * either way), its data/command line PC7 (high: data). Both the
 * kernel's. */
#ifndef VMUX_SD_OWNERS
#define VMUX_SD_OWNERS NULL     /* the kernel's; a test image gives it to a test app */
#endif
static const struct spi_chip spi_chips[] = {
    { "sd", { &port_d.hil, 0, 0 }, { NULL, 0, 0 }, VMUX_SD_OWNERS },
    { "oled", { &port_a.hil, 3, 0 }, { &port_c.hil, 7, 1 }, NULL },
};

/* The buses' interrupts, to their drivers (chips/lm3s6965/vectors.c). */
void lm3s_ssi0_isr(void)
{
    lm3s_ssi0_irq();
}

void lm3s_i2c0_isr(void)
{
    lm3s_i2c0_irq();
}
#endif

/* ------------------------------------------------------------ virtualizers */
static struct client_entry *uart_slots[UART_CLIENTS];
static uint32_t uart_rr[RR_WORDS(UART_CLIENTS)];
static struct uart_mux uart_mux;
static struct virtual_alarm *alarm_heap[ALARMS];
static struct alarm_mux alarm_mux;
static struct client_entry *adc_clients[ADC_CLIENTS];
static uint32_t adc_rr[RR_WORDS(ADC_CLIENTS)];
static struct virtual_alarm adc_watchdog;
static struct adc_mux adc_mux;
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
/* No watchdog: the DRBG is software and always completes. */
static struct client_entry *rng_clients[RNG_CLIENTS];
static uint32_t rng_rr[RR_WORDS(RNG_CLIENTS)];
static struct rng_mux rng_mux;

/* ------------------------------------------------------------ capabilities */
VMUX_MINT_CAPABILITY(cap_adc_continuous, board_adc_continuous);
VMUX_MINT_CAPABILITY(cap_udp_reserved_port, board_udp_reserved_port);
VMUX_MINT_CAPABILITY(cap_process_management, board_process_management);
#if VMUX_BUSES
VMUX_MINT_CAPABILITY(cap_bus_device, board_bus_device);
#endif
#if VMUX_DISPLAY
VMUX_MINT_CAPABILITY(cap_screen_window, board_screen_window);
#endif
#if VMUX_STORAGE
VMUX_MINT_CAPABILITY(cap_storage_window, board_storage_window);
VMUX_MINT_CAPABILITY(cap_storage_kernel, board_storage_kernel);

/* ------------------------------------------------------------ storage */
/* The SD card: QEMU's image, build/lm3s6965evb/sd.img, 1 MiB (2048
 * blocks). The layout is the host board's (boards/common/storage.h): the
 * store's log in blocks 0-63, then four isolated regions of 8 blocks
 * (4 KiB), each after its header; the rest of the card is unused. */
#define SD_BLOCKS 2048u
#define SD_FAST_HZ 12500000u

/* A process in storage: its TBF header's ShortId, package name and
 * Storage Permissions (none: it may create nothing in the store). */
static bool storage_identify(const struct process *p, struct storage_identity *out)
{
    memset(out, 0, sizeof *out);
    struct tbf_header h;
    const uint8_t *obj = (const uint8_t *)p->flash_start;
    if (tbf_parse(obj, p->flash_end - p->flash_start, &h) != TBF_APP)
        return false;
    out->short_id = h.short_id;
    memcpy(out->name, h.name, sizeof out->name - 1);
    out->has_permissions = storage_permissions_from_tbf(&out->perms, obj, &h);
    return true;
}

/* An app is installed when a process of its name was loaded. */
static bool storage_installed(const struct storage_name *who)
{
    return process_find(who->name) != NULL;
}
#endif

/* ------------------------------------------------------------ syscall drivers */
/* What processes get: the host board's drivers over the same muxes the
 * kernel's clients use. No capability is passed on: no continuous ADC
 * runs, no reserved UDP ports. */
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
#if VMUX_LOW_LEVEL_DEBUG
static struct low_level_debug_driver lld_driver;
#endif
static const struct syscall_driver *const drivers[] = {
    &alarm_driver.driver, &console_driver.driver, &adc_driver.driver,
    &crypto_driver.driver, &udp_driver.driver, &led_driver.driver,
    &button_driver.driver, &gpio_driver.driver, &rng_driver.driver,
#if VMUX_LOW_LEVEL_DEBUG
    &lld_driver.driver,
#endif
#if VMUX_BUSES
    &board_buses.spi_driver.driver, &board_buses.i2c_driver.driver,
    &board_buses.temperature_driver.driver,
#endif
#if VMUX_DISPLAY
    &board_display.driver.driver,
#endif
};

/* Panics with "wiring WHAT failed: ERROR", put together by hand: in the
 * kernel image nothing else calls snprintf, which costs more. The panic
 * never returns, so the static text stays terminated. */
static void check(const char *what, vmux_err_t err)
{
    static char why[64];
    if (err == VMUX_SUCCESS)
        return;
    const char *const parts[] = { "wiring ", what, " failed: ", vmux_err_name(err) };
    size_t len = 0;
    for (unsigned i = 0; i < 4; i++)
        for (const char *s = parts[i]; *s && len < sizeof why - 1; s++)
            why[len++] = *s;
    arch_panic(why);
}

/* ------------------------------------------------------------ test mode */
#if defined(VMUX_TEST_EXIT_MS) || defined(VMUX_TEST_FAULT_MS)
#define DRAIN_MS 500u

static struct console test_console;
static struct virtual_alarm test_alarm;
static struct hil_alarm_client test_alarm_client;
static volatile int test_phase;      /* 0 running, 1 draining */
static uint32_t test_start, drain_start;

static void test_fired(struct hil_alarm_client *self)
{
    (void)self;
#ifdef VMUX_TEST_FAULT_MS
    /* A udiv by zero: a UsageFault (DIVBYZERO) since reset set DIV_0_TRP.
     * Written in assembly, because C would let the compiler assume it
     * away. */
    uint32_t result, zero = 0;
    __asm__ volatile("udiv %0, %1, %2" : "=r"(result) : "r"(1u), "r"(zero));
    (void)result;
#else
    const struct cm3_process_stats *ps = cm3_process_stats();
    console_printf(&test_console, "processes: runs %lu, syscalls %lu, mpu reprograms %lu, "
                                  "break updates %lu, slices expired %lu, irq preempts %lu "
                                  "of %lu, faults %lu\n",
                   (unsigned long)ps->switches, (unsigned long)ps->syscalls,
                   (unsigned long)ps->mpu_reprograms, (unsigned long)ps->mpu_break_updates,
                   (unsigned long)ps->slice_expiries, (unsigned long)ps->interrupt_preempts,
                   (unsigned long)ps->process_interrupts, (unsigned long)ps->faults);
    struct hil_alarm *a = &test_alarm.hil;
    console_printf(&test_console, "exit after %u ms: stack used %u of %u bytes, "
                                  "kernel RAM %u bytes\n",
                   (unsigned)((hil_alarm_now(a) - test_start) / hil_alarm_ms_to_ticks(a, 1)),
                   (unsigned)arch_stack_used(),
                   (unsigned)arch_stack_size(),
                   (unsigned)((uintptr_t)_kernel_ram_end - 0x20000000u));
    drain_start = hil_alarm_now(&test_alarm.hil);
    test_phase = 1;
#endif
}

#ifndef VMUX_TEST_FAULT_MS
/* "@test exit": the summary and the end, now. */
static void test_line(struct console *c, char *line)
{
    (void)c;
    if (test_phase == 0 && strcmp(line, "exit") == 0)
        test_fired(NULL);
}
#endif

static void test_mode_start(void)
{
#ifdef VMUX_TEST_FAULT_MS
    const uint32_t ms = VMUX_TEST_FAULT_MS;
#else
    const uint32_t ms = VMUX_TEST_EXIT_MS;
#endif
#ifdef VMUX_TEST_FAULT_MS
    console_attach(&test_console, &uart_mux, CLIENT_NAME("test"), NULL);
#else
    static struct console_input input; /* zeroes: in .bss */
    input.line_received = test_line;
    console_attach(&test_console, &uart_mux, CLIENT_NAME("test"), &input);
#endif
    virtual_alarm_init(&test_alarm, &alarm_mux);
    test_alarm_client.fired = test_fired;
    hil_alarm_set_client(&test_alarm.hil, &test_alarm_client);
    struct hil_alarm *a = &test_alarm.hil;
    test_start = hil_alarm_now(a);
#ifndef VMUX_TEST_FAULT_MS
    char args[64];
    if (arch_semihosting_cmdline(args, sizeof args) && strstr(args, "test-exit=command"))
        return; /* the end comes from the host */
#endif
    uint32_t ticks = hil_alarm_ms_to_ticks(a, ms);
    hil_alarm_set(a, hil_alarm_now(a), ticks);
}

/* Once the summary is out and the UART is quiet (or after DRAIN_MS),
 * end QEMU with status 0. */
static void test_mode_poll(void)
{
    if (test_phase != 1)
        return;
    struct hil_alarm *a = &test_alarm.hil;
    uint32_t waited = hil_alarm_now(a) - drain_start;
    bool quiet = !uart_mux.tx_busy && !rr_any_pending(&uart_mux.tx_rr) &&
                 lm3s_uart_tx_idle(&uart);
    if (quiet || waited > hil_alarm_ms_to_ticks(a, DRAIN_MS))
        arch_exit(0);
}
#else
static void test_mode_start(void) {}
static void test_mode_poll(void) {}
#endif

/* ------------------------------------------------------------ processes */

#if VMUX_MGMT
/* Management channel: the process commands (only the board holds the
 * process-management capability). */
static bool process_command(struct console *c, const char *line)
{
#if VMUX_STORAGE
    if (board_storage_command(c, line))
        return true;
#endif
    return process_mgmt_command(c, line, &board_process_management);
}

/* Its key, made for this build and baked into the image (the Makefile's
 * mgmt_key.h; a demo-grade choice, docs/security.md). Processes cannot
 * read it: the MPU gives them no kernel flash. */
#include VMUX_MGMT_KEY_H
static const uint8_t mgmt_key[MGMT_KEY_SIZE] = VMUX_MGMT_KEY;

/* No random source on this board: each nonce takes in the cycle counter
 * at the moment the challenge is asked for (see mgmt_auth.h). */
static uint32_t mgmt_stir(void)
{
    return lm3s_timebase_now();
}
#endif

/* The loader's report, on the kernel channel. At start-up a burst of
 * lines can outrun the console's buffers, so wait for room for a line
 * (the UART drains through the deferred calls) rather than drop text;
 * the kernel loop has not started yet, so running it here interrupts
 * nothing. The loader's longest line, with a 23-character name, is 96
 * bytes. */
#define LOADER_LINE_MAX 128u

static void loader_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void loader_say(const char *fmt, ...)
{
    struct console *c = demo_kernel_console();
    for (unsigned spins = 0; c->filling_len + LOADER_LINE_MAX > CONSOLE_BUFFER && spins < 100000u;
         spins++)
        kernel_loop_once();
    va_list ap;
    va_start(ap, fmt);
    console_vprintf(c, fmt, ap);
    va_end(ap);
}

/* Fault reports of processes, on the kernel channel. */
static void report_line(const char *line)
{
    console_printf(demo_kernel_console(), "%s\n", line);
}

static void start_processes(void)
{
    alarm_driver_init(&alarm_driver, &alarm_mux);
    console_driver_init(&console_driver, &uart_mux);
    adc_driver_init(&adc_driver, &adc_mux, NULL);
    crypto_driver_init(&crypto_driver, &crypto_mux);
    udp_driver_init(&udp_driver, &udp_mux);
    check("pins", led_driver_init(&led_driver, leds, led_holders, COUNT(leds)));
    check("pins", button_driver_init(&button_driver, buttons, COUNT(buttons)));
    check("pins", gpio_driver_init(&gpio_driver, gpio_pins, gpio_holders, COUNT(gpio_pins)));
    rng_driver_init(&rng_driver, &rng_mux);
#if VMUX_LOW_LEVEL_DEBUG
    check("low-level debug driver",
          low_level_debug_driver_init(&lld_driver, demo_kernel_debug_sink(&lld_driver)));
#endif
    /* Room for a grant of every driver, the most an app can need: the
     * loader adds it where the MPU block around an app has it (apps.h). */
    uint32_t grants = 0;
    for (unsigned i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        check("syscall driver", process_register_driver(drivers[i]));
        grants += (uint32_t)process_grant_size(drivers[i]);
    }
#if VMUX_STORAGE
    static const struct board_storage layout = {
        &sd_card.hil, &board_storage_window, &board_storage_kernel, &alarm_mux,
        0, 64, 64, 4, 8, 1024, storage_identify, storage_installed,
    };
    if (!board_storage_init(&layout))
        check("storage", VMUX_SIZE);
    grants += (uint32_t)board_storage_grant_size();
#endif
#ifdef VMUX_TEST_VARIANTS
    check("syscall driver", process_register_driver(&variants_driver));
#endif
    lm3s_slice_init();
    if (!cm3_process_init(&lm3s_slice_timer, report_line))
        arch_panic("no MPU with 3 regions: processes cannot be isolated");
    process_set_arch(&cm3_arch_ops);
    process_set_exit_reporter(demo_report_exit);
    process_set_accessible_end(cm3_process_accessible_end);
    process_set_timeslice_us(VMUX_TIMESLICE_US);
    /* every app gets room for the grants printing and sleeping need */
    uint32_t floor = (uint32_t)(process_grant_size(&console_driver.driver) +
                                process_grant_size(&alarm_driver.driver));
    /* The figures are app_layout.h's for this build, which the image
     * carries as the symbols lm3s_grant_floor and lm3s_grant_allowance
     * (no flash: the host tools read them, tools/vmuxload); what the
     * drivers measure must be them. */
    if (floor != LM3S_GRANT_FLOOR || grants != GRANT_ALLOWANCE)
        check("grants", VMUX_SIZE); /* app_layout.h is out of date */
    /* Names no app may take (kernel/process.h) beyond the kernel clients
     * registered by now: the host terminal's own, and the channels this
     * build leaves out, so an app's output never passes for theirs. The
     * image names the table lm3s_reserved_names for the host tools. */
    static const char *const reserved_names[] = {
        "vmuxterm",
#if !VMUX_MGMT
        "mgmt",
#endif
#if !VMUX_DEMO_CLIENTS
        "ticker", "crypto", "udp-echo", "adc",
#endif
        NULL,
    };
    __asm__(".globl lm3s_grant_floor\n\t.set lm3s_grant_floor, %c0\n\t"
            ".globl lm3s_grant_allowance\n\t.set lm3s_grant_allowance, %c1\n\t"
            ".globl lm3s_reserved_names\n\t.set lm3s_reserved_names, %c2"
            :
            : "i"(LM3S_GRANT_FLOOR), "i"(GRANT_ALLOWANCE), "i"(reserved_names));
    client_reserve_names(reserved_names);
    lm3s_load_apps(&board_process_management, floor, grants,
                   VMUX_RESTART ? RESTART_WITH_BACKOFF : RESTART_NEVER, VMUX_TBF_SHA256,
                   loader_say);
#if VMUX_STORAGE
    board_storage_mount(); /* now that the apps are known */
#endif
#if VMUX_MGMT
    /* `make run` passes the semihosting argument apps=all: it wants every
     * app it put in flash, so when one has no room the board says so and
     * ends QEMU with LM3S_EXIT_APPS_DO_NOT_FIT once the lines are out
     * (tools/run-hint.sh says what to do), rather than run without it. */
    char args[32]; /* QEMU joins the arguments with spaces (strstr would cost 1 KiB) */
    if (lm3s_apps_without_room && arch_semihosting_cmdline(args, sizeof args) &&
        strcmp(args, "vmux apps=all") == 0) {
        loader_say("apps: %u did not fit in RAM: the board stops\n", lm3s_apps_without_room);
        for (unsigned spins = 0; spins < 1000000u && (uart_mux.tx_busy ||
                                                     rr_any_pending(&uart_mux.tx_rr) ||
                                                     !lm3s_uart_tx_idle(&uart));
             spins++)
            kernel_loop_once();
        arch_exit(LM3S_EXIT_APPS_DO_NOT_FIT);
    }
#endif
}

/* Milliseconds since boot, from the 32-bit timebase (which wraps every
 * 86 s at 50 MHz: read at least that often, as the loop does). */
static uint64_t now_ms(void)
{
    static uint32_t last, part; /* ticks not yet a whole ms */
    static uint64_t ms;
    uint32_t per_ms = lm3s_timebase_hz() / 1000u;
    uint32_t now = lm3s_timebase_now();
    part += now - last; /* at most 2^32 - 1 ticks between calls */
    last = now;
    if (part >= per_ms) {
        uint32_t whole = part / per_ms; /* 32-bit: one udiv */
        ms += whole;
        part -= whole * per_ms;
    }
    return ms;
}

/* ------------------------------------------------------------ wiring */
static void wire_board(void)
{
    check("uart", lm3s_uart0_init(&uart, 0));
    check("alarm", lm3s_alarm_init(&alarm_hw));
    check("adc", lm3s_adc_init(&adc));
    check("crypto engine", crypto_engine_init(&crypto, key_registers, CRYPTO_SLOTS));
    uint8_t mac[NET_MAC_SIZE];
    if (!lm3s_factory_mac(mac)) {
        static const uint8_t fallback[NET_MAC_SIZE] = { 0x02, 0x76, 0x6d, 0x75, 0x78, 0x02 };
        memcpy(mac, fallback, sizeof mac);
    }
    check("nic", lm3s_enet_init(&nic, mac));
    check("pins", lm3s_gpio_init(&port_b, 1));
    check("pins", lm3s_gpio_init(&port_e, 4));
    check("pins", lm3s_gpio_init(&port_f, 5));
    check("drbg", ctr_drbg_init(&drbg));
    lm3s_seed_drbg(&drbg, &adc.hil, mac, sizeof mac); /* before the ADC mux takes the ADC */
#if VMUX_BUSES
    check("buses", lm3s_gpio_init(&port_a, 0));
    check("buses", lm3s_gpio_init(&port_c, 2));
    check("buses", lm3s_gpio_init(&port_d, 3));
    check("buses", lm3s_ssi0_init(&ssi0));
    check("buses", lm3s_i2c0_init(&i2c0));
#endif

    uart_mux_init(&uart_mux, &uart.hil, uart_slots, uart_rr, UART_CLIENTS);
    alarm_mux_init(&alarm_mux, &alarm_hw.hil, alarm_heap, ALARMS);
    virtual_alarm_init(&adc_watchdog, &alarm_mux);
    check("adc mux", adc_mux_init(&adc_mux, &adc.hil, &adc_watchdog.hil, adc_clients, adc_rr,
                                  ADC_CLIENTS));
    check("crypto mux", crypto_mux_init(&crypto_mux, &crypto.hil, crypto_clients, crypto_rr,
                                        CRYPTO_CLIENTS));
    check("rng mux", rng_mux_init(&rng_mux, &drbg.hil, rng_clients, rng_rr, RNG_CLIENTS));
    /* 10.0.2.15/24 behind QEMU's user-mode gateway 10.0.2.2 */
    static const struct ipv4_config ip = { 0x0a00020f, 0xffffff00, 0x0a000202 };
    virtual_alarm_init(&net_alarm, &alarm_mux);
    check("netif", netif_init(&net, &nic.hil, &ip, net_frames, NET_FRAMES, &net_alarm.hil));
    board_watchdogs_start(&alarm_mux, &uart_mux, &crypto_mux, &net);
    check("udp mux", udp_mux_init(&udp_mux, &net, &udp_config, udp_ports, UDP_PORTS,
                                  udp_clients, udp_rr, UDP_CLIENTS));
    netif_start(&net);
#if VMUX_BUSES
    check("buses", board_buses_start(&alarm_mux, &ssi0.hil, spi_chips, COUNT(spi_chips),
                                     &i2c0.hil, &board_bus_device));
#endif
#if VMUX_DISPLAY
    check("display", ssd0323_init(&oled, &board_buses.spi,
                                  client_register_kernel(CLIENT_NAME("oled")), &board_bus_device,
                                  &spi_chips[1]));
    check("display", board_display_start(&alarm_mux, &oled.hil, &board_screen_window));
#endif
#if VMUX_STORAGE
    check("sd card", sd_spi_init(&sd_card, &board_buses.spi,
                                 client_register_kernel(CLIENT_NAME("sd")), &board_bus_device,
                                 &spi_chips[0], SD_BLOCKS, SD_FAST_HZ));
#endif

    struct demo_board demo = {
        .name = "lm3s6965evb",
        .uart_mux = &uart_mux,
        .alarm_mux = &alarm_mux,
        .crypto_mux = &crypto_mux,
        .adc = &adc.hil,
        .adc_mux = &adc_mux,
        .adc_continuous = &board_adc_continuous,
        .udp_mux = &udp_mux,
        .rng_mux = &rng_mux,
        .rng_source = "CTR_DRBG, weak boot seed",
        .udp_reserved = &board_udp_reserved_port,
        .udp_echo_port = UDP_ECHO_PORT,
        .ticker_period_ms = VMUX_TICKER_MS,
        .console_driver = &console_driver,
        .udp_driver = &udp_driver,
#if VMUX_MGMT
        .mgmt_command = process_command,
        .mgmt_key = mgmt_key,
        .mgmt_stir = mgmt_stir,
#endif
        .pins = &demo_pins,
#if VMUX_BUSES
        .buses = &board_buses.demo,
#endif
    };
    demo_start(&demo);
#if VMUX_MGMT
    demo_mgmt_start();
#endif
#if VMUX_DEMO_CLIENTS
    demo_clients_start(&demo);
#endif
    test_mode_start();
    uart_mux_start(&uart_mux);
    start_processes();
}

int main(void)
{
    lm3s_clock_init();
    arch_semihosting_enable(VMUX_SEMIHOSTING);
    arch_set_panic_output(lm3s_uart0_putc_polled);
    lm3s_timebase_init(VMUX_TIMEBASE_START);
    wire_board();

    for (;;) {
        if (deferred_call_pending())
            kernel_loop_once();
        test_mode_poll();
        if (process_restart_waiting())
            process_restart_due(now_ms());
        if (process_run_ready())
            continue; /* a process ran: look for kernel work again first */
        /* Sleep only with nothing to do; an interrupt between the check
         * and the WFI still wakes it (the mask only delays its handler). */
        uint32_t state = platform_irq_save();
        if (!deferred_call_pending() && !process_any_runnable()) {
            cm3_process_idle();
            arch_wait_for_interrupt();
        }
        platform_irq_restore(state);
    }
}
