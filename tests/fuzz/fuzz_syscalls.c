/*
 * Fuzz the system call interface: three scripted processes
 * (tests/unit/support/harness_arch.h) make random system calls to the
 * alarm (0x0), console (0x1), ADC (0x5), crypto (0x40100), LED (0x2),
 * button (0x3), GPIO (0x4), RNG (0x40001), low-level debug (0x8), SPI
 * (0x20001), I2C (0x20003), temperature (0x60000), screen (0x90001),
 * key-value (0x50003) and isolated storage (0x50004) drivers and to two
 * drivers that do not exist, share buffers anywhere (their own
 * memory, another process's, kernel memory, flash, wrap-around, length
 * 0), end, restart, stop and start, while the peer on the UART sends each
 * process frames on its console channel and simulated time runs.
 *
 * Each process i owns two tag bytes: T_i fills its RAM and flash, except
 * its AES key K_i (16 bytes no other process uses) at KEY_OFF, and the
 * peer sends it only I_i, in frames on its console channel (one I_i for
 * even lives, another for odd ones: a restarted process is a new client,
 * and must not read what was sent to its previous life). Before every
 * step (one operation of the script) each process's memory below its
 * grants is filled with that pattern again, so whatever differs after the
 * step was written by the kernel during it.
 *
 * After every step the checker aborts when:
 *  1. a frame on process i's UART channel carries a byte that is not T_i,
 *     the I_i of the life that owns the channel, or of K_i (decoding the
 *     captured wire; control frames announce only the channel's owner);
 *  2. the kernel wrote into process j's memory (outside j's grants)
 *     anything but: this life's I_j into j's console read buffer, samples
 *     into j's ADC buffers, random bytes into j's RNG buffer (bytes the
 *     RNG source made once, never for another process: each carries the
 *     number of the fill it came from, and the fill's client), bus bytes
 *     into j's SPI and I2C buffers, stored bytes into j's key-value and
 *     isolated storage buffers, 0/1 into the flag of j's own yield,
 *     or, in the
 *     step of j's own successful crypt command, exactly the reference AES
 *     result under the key j loaded into that handle (nothing when none
 *     was);
 *  3. a process's memory (RAM, grants, flash) holds another's K_j, an
 *     engine key register differs from the key its holder loaded (zero
 *     when free or not loaded), a register is held by a process that is
 *     gone, or a crypto command succeeded with a handle the caller does
 *     not hold;
 *  4. an LED or GPIO pin is held by a process that is gone, or by one the
 *     board did not give it to; a free LED is lit, a free GPIO pin is not
 *     disabled; an LED or GPIO command succeeded for a process that does
 *     not hold the pin afterwards; a button upcall reaches a process that
 *     never enabled that button in this life, a GPIO upcall one that does
 *     not hold the pin;
 *  4b. a bus client (SPI chip, I2C address) belongs to a process that is
 *     gone or that the board did not give the device to; a bus command
 *     succeeded, or was refused (RESERVE), against the board's table;
 *     two chip selects asserted at once, or one asserted with no turn on
 *     the bus; bytes of another process (its tag, key or input) in what
 *     the SPI or I2C drivers wrote into a process's buffers (the devices
 *     are shift registers reset at each select and EEPROMs each given to
 *     one process; the check is off for a process that made them carry
 *     samples or ciphertext);
 *  4c. a screen client belongs to a process that is gone or that the
 *     board gave no window; a pixel outside the processes' windows (the
 *     kernel's strip, which nobody draws in here) is drawn; a process
 *     without a window gets anything but NODEVICE (or NOMEM) from a
 *     command of 0x90001 other than 0;
 *  4d. bytes of another process (its tag, key or input) in what the
 *     key-value or isolated storage driver wrote into a process's
 *     buffers: each process reads and changes only its own items (write
 *     id i + 1; p2 has no storage permissions, so no items; keys may be
 *     taken from SHARED_LEN bytes every process has alike, so two may
 *     name the same key) and its own
 *     region (the check is off for a process whose stored bytes may be
 *     samples, ciphertext, random or bus bytes: what it wrote from a
 *     buffer those drivers write);
 *  5. a kernel invariant breaks: an allowed buffer the process may not
 *     access or that differs from what it allowed; a live process with
 *     its break above its grants or grants outside its quota, overlapping
 *     or overlapping app memory; an upcall queue over its bound; an ended
 *     or stopped process holding grants, channels or key registers; grants
 *     not wiped when a life ends; an upcall or return value reaching a
 *     process that is not live, or an upcall other than the one it
 *     subscribed; subscribe or allow returning a previous value other than
 *     the caller's own; flash written; a low-level debug line not in
 *     Tock's text, naming no process, or longer than the driver's bound.
 *
 * Script: OP_SIZE bytes per operation, [kind, process, 6 arguments]; kind
 * (mod 16): 0 subscribe, 1-4 command, 5-6 read-write allow, 7-8 read-only
 * allow, 9 memop, 10 yield, 11 exit, a class that does not exist, or
 * command, 12 time passes, 13 the peer sends (or a button is pressed or
 * released, or a GPIO pin driven or let go), 14 management (end, stop,
 * start, scheduler), 15 a short sequence of calls (run_macro). The top 3
 * bits of the process byte say how much deferred work runs after the
 * operation: 0 all of it; k, k-1 rounds (the host board's loop runs one
 * round between two traps), so operations meet work still under way.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards/test/test_board.h"
#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/drivers/adc_driver.h"
#include "capsules/drivers/alarm_driver.h"
#include "capsules/drivers/button_driver.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/drivers/crypto_driver.h"
#include "capsules/drivers/gpio_driver.h"
#include "capsules/drivers/i2c_driver.h"
#include "capsules/drivers/isolated_storage_driver.h"
#include "capsules/drivers/kv_driver.h"
#include "capsules/drivers/led_driver.h"
#include "capsules/drivers/low_level_debug_driver.h"
#include "capsules/drivers/rng_driver.h"
#include "capsules/rng_mux.h"
#include "capsules/drivers/owners.h"
#include "capsules/drivers/screen_driver.h"
#include "capsules/drivers/spi_driver.h"
#include "capsules/drivers/temperature_driver.h"
#include "capsules/storage/kv_store.h"
#include "capsules/storage/regions.h"
#include "capsules/storage/storage_mux.h"
#include "capsules/uart_frame.h"
#include "capsules/uart_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_adc.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_at24c.h"
#include "chips/sim/sim_block.h"
#include "chips/sim/sim_entropy.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_i2c.h"
#include "chips/sim/sim_screen.h"
#include "chips/sim/sim_spi.h"
#include "chips/sim/sim_tmp105.h"
#include "chips/sim/sim_uart.h"
#include "chips/soft/aes128.h"
#include "chips/soft/crypto_engine.h"
#include "kernel/deferred.h"
#include "kernel/fmt.h"
#include "kernel/process.h"
#include "kernel/syscall_driver.h"
#include "tests/unit/support/harness_arch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NPROC 3u
#define NDRV 15u            /* registered drivers */
#define NSEL 17u            /* drivers a call may name: those and two that do not exist */
#define NUM_MAX 4u          /* subscribe and allow numbers the model follows */
#define KEY_OFF 64u
#define SHARED_OFF 96u      /* bytes every process has alike: keys that may collide */
#define SHARED_LEN 8u
#define SHARED_BYTE 0x3cu   /* nobody's own */
#define KEY_REGS 2u
#define CLIENTS 8u
#define OP_SIZE 8u
#define OPS_MAX 512u
#define HANDLES_SEEN 16u
#define SLICE_NS 10000000ull           /* 10 ms: ~1000 bytes leave the wire */
#define ADVANCE_MAX_NS 1000000000ull   /* per operation */
#define ADVANCE_BUDGET_NS 4000000000ull /* per input */

enum { D_ALARM, D_CONSOLE, D_ADC, D_CRYPTO, D_LED, D_BUTTON, D_GPIO, D_RNG, D_LLD,
       D_SPI, D_I2C, D_TEMP, D_SCREEN, D_KV, D_ISO };
static const uint32_t driver_numbers[NSEL] = {
    ALARM_DRIVER_NUM, CONSOLE_DRIVER_NUM, ADC_DRIVER_NUM, CRYPTO_DRIVER_NUM, LED_DRIVER_NUM,
    BUTTON_DRIVER_NUM, GPIO_DRIVER_NUM, RNG_DRIVER_NUM, LOW_LEVEL_DEBUG_DRIVER_NUM,
    SPI_DRIVER_NUM, I2C_DRIVER_NUM, TEMPERATURE_DRIVER_NUM, SCREEN_DRIVER_NUM, KV_DRIVER_NUM,
    ISOLATED_STORAGE_DRIVER_NUM, 0x7u, 0x30002u,
};
static const uint8_t tag[NPROC] = { 0xa1, 0xb2, 0xc3 };   /* its memory */
/* What the peer sends it, by the parity of its life (a restarted process
 * is another client: what was sent to its previous life is not its). */
static const uint8_t input[NPROC][2] = { { 0xd4, 0xd5 }, { 0xe4, 0xe5 }, { 0xf4, 0xf5 } };
#define KEY_BYTE(i, k) ((uint8_t)(0x40u + 16u * (i) + (k)))
static const char *const names[NPROC] = { "p0", "p1", "p2" };

/* ------------------------------------------------------------ the board */

static struct sim_uart wire;
static struct uart_mux umux;
static struct client_entry *uart_slots[CLIENTS];
static uint32_t uart_rr[RR_WORDS(CLIENTS)];
static struct crypto_engine_slot key_regs[KEY_REGS];
static struct crypto_engine engine;
static struct crypto_mux cmux;
static struct client_entry *crypto_slots[CLIENTS];
static uint32_t crypto_rr[RR_WORDS(CLIENTS)];
static struct sim_alarm alarm_hw;
static struct alarm_mux amux;
static struct virtual_alarm *alarm_heap[CLIENTS];
static struct virtual_alarm adc_watchdog;
static struct sim_adc adc_hw;
static struct adc_mux admux;
static struct client_entry *adc_slots[CLIENTS];
static uint32_t adc_rr[RR_WORDS(CLIENTS)];
static struct alarm_driver alarm_drv;
static struct console_driver console_drv;
static struct adc_driver adc_drv;
static struct crypto_driver crypto_drv;
/* Pins: LEDs 0-1 and buttons 2-4 on one bank, four GPIO pins on another;
 * LED 1 and GPIO pin 2 are p1's by name, button 2 p2's. */
static struct sim_gpio board_pins, header;
static const struct pin leds[] = {
    { "led0", &board_pins.hil, 0, 0, NULL },
    { "led1", &board_pins.hil, 1, PIN_ACTIVE_LOW, "p1" },
};
static const struct pin buttons[] = {
    { "b0", &board_pins.hil, 2, PIN_ACTIVE_LOW | PIN_PULL_UP, NULL },
    { "b1", &board_pins.hil, 3, PIN_PULL_DOWN, NULL },
    { "b2", &board_pins.hil, 4, PIN_ACTIVE_LOW | PIN_PULL_UP, "p2" },
};
static const struct pin gpio_pins[] = {
    { "g0", &header.hil, 0, 0, NULL },
    { "g1", &header.hil, 1, 0, NULL },
    { "g2", &header.hil, 2, 0, "p1" },
    { "g3", &header.hil, 3, 0, NULL },
};
#define NLED 2u
#define NBUTTON 3u
#define NGPIO 4u
static client_id_t led_holders[NLED], gpio_holders[NGPIO];
static struct led_driver led_drv;
static struct button_driver button_drv;
static struct gpio_driver gpio_drv;
static struct sim_entropy trng;
static struct rng_mux rmux;
static struct client_entry *rng_slots[CLIENTS];
static uint32_t rng_rr[RR_WORDS(CLIENTS)];
static struct rng_driver rng_drv;
static struct low_level_debug_driver lld_drv;
/* Buses: three chip selects (active low) on a bank of their own, a
 * shift register behind each: chip 0 is p0's, chip 1 p0's and p1's (two
 * clients of one device), chip 2 the kernel's. I2C: the sensor the
 * kernel's, an EEPROM for p0 and one for p1, an address with nobody
 * there for p2. */
#define NCHIP 3u
#define NI2C 4u
#define BUS_TIMEOUT_US 20000u
static const uint8_t first_byte[NCHIP] = { 0x11, 0x22, 0x33 }; /* nobody's own */
static struct sim_gpio selects;
static struct sim_spi spi_hw;
static struct sim_spi_shift shifts[NCHIP];
static struct sim_i2c i2c_hw;
static struct sim_tmp105 sensor;
static struct sim_at24c eeproms[2];
static uint8_t eeprom_cells[2][256];
static const struct spi_chip chips[NCHIP] = {
    { "c0", { &selects.hil, 0, 0 }, { NULL, 0, 0 }, "p0" },
    { "c1", { &selects.hil, 1, 0 }, { NULL, 0, 0 }, "p0 p1" },
    { "c2", { &selects.hil, 2, 0 }, { NULL, 0, 0 }, NULL },
};
static const struct i2c_chip i2c_chips[NI2C] = {
    { "sensor", 0x48, NULL },
    { "e0", 0x50, "p0" },
    { "e1", 0x51, "p1" },
    { "ghost", 0x22, "p2" },
};
static struct virtual_alarm spi_watchdog, i2c_watchdog;
static struct client_entry *spi_slots[CLIENTS], *i2c_slots[CLIENTS];
static uint32_t spi_rr[RR_WORDS(CLIENTS)], i2c_rr[RR_WORDS(CLIENTS)];
static struct spi_mux smux;
static struct i2c_mux imux;
static struct tmp105 thermometer;
static struct spi_driver spi_drv;
static struct i2c_driver i2c_drv;
static struct temperature_driver temp_drv;
/* The screen: p0 and p1 a window each under the kernel's strip, p2 none. */
static struct sim_screen screen_hw;
static struct virtual_alarm screen_watchdog;
static struct client_entry *screen_slots[CLIENTS];
static uint32_t screen_rr[RR_WORDS(CLIENTS)];
static struct screen_mux scmux;
static struct screen_driver screen_drv;
static const struct screen_window windows[] = {
    { "strip", { 0, 0, 128, 8 }, NULL },
    { "w0", { 0, 8, 64, 56 }, "p0" },
    { "w1", { 64, 8, 64, 56 }, "p1" },
};
/* Storage: a device of 64 blocks in memory, the store's log in blocks
 * 0-15, three regions of 2 blocks after; p0 and p1 own write ids 1 and
 * 2 (each reads and changes its own), p2 has no storage permissions. */
#define DISK_BLOCKS 64u
#define LOG_BLOCKS KV_BLOCKS_MIN
static uint8_t disk_cells[DISK_BLOCKS * HIL_BLOCK_SIZE];
static struct sim_block disk;
static struct virtual_alarm storage_watchdog;
static struct client_entry *storage_slots[CLIENTS];
static uint32_t storage_rr[RR_WORDS(CLIENTS)];
static struct storage_mux stmux;
static struct kv_entry kv_index[32];
static struct kv_owner kv_owners[4];
static uint8_t kv_block_state[LOG_BLOCKS];
static struct client_entry *kv_slots[CLIENTS];
static uint32_t kv_rr[RR_WORDS(CLIENTS)];
static struct kv_store kv;
static struct region_slot region_slots[NPROC];
static struct client_entry *region_clients[CLIENTS];
static uint32_t region_rr[RR_WORDS(CLIENTS)];
static struct regions regions;
static struct kv_driver kv_drv;
static struct isolated_storage_driver iso_drv;
static const struct syscall_driver *drivers[NDRV];
static struct harness_process hp[NPROC];

/* ------------------------------------------------------------ the model */

struct pair {
    uintptr_t a, b; /* subscribe: function, appdata; allow: address, length */
};

struct handle {
    crypto_handle_t h;
    bool loaded;
    uint8_t key[AES128_KEY_SIZE];
};

/* A crypt the driver accepted and that has not finished: its input and
 * iv as they were copied at the command, and its result under each key
 * the process loaded into the handle since (the engine uses the one in
 * the register when it starts the operation). */
#define CANDIDATES 6u
struct pending_crypt {
    bool active;
    bool unchecked;         /* more reloads than CANDIDATES: accept any result */
    bool reloaded;          /* a key was loaded into the handle since */
    crypto_handle_t h;
    unsigned op;
    size_t len;
    uint8_t in[CRYPTO_DRIVER_MAX_LEN], iv[AES_BLOCK_SIZE];
    unsigned candidates;
    uint8_t expect[CANDIDATES][CRYPTO_DRIVER_MAX_LEN];
};

/* What each process set up in its current life. */
static struct model {
    bool live;
    uint16_t generation;
    struct pair sub[NDRV][NUM_MAX];
    struct pair allow[NDRV][2][NUM_MAX]; /* [0] read-write, [1] read-only */
    struct handle handles[KEY_REGS];
    unsigned handle_count;
    struct pending_crypt crypt;
    uint32_t buttons_enabled; /* every button it enabled in this life */
    bool taint; /* its console may send bytes its ADC or crypto wrote */
    bool bus_taint; /* its devices may hold samples or ciphertext (every life) */
    bool store_taint; /* its storage may hold samples, ciphertext, random or bus bytes */
} model[NPROC];

static uint8_t pattern[NPROC][HARNESS_RAM];
static crypto_handle_t seen_handles[HANDLES_SEEN];
static unsigned seen_count;
static int channel_owner[256];   /* process last seen owning each channel, -1 never */
static uint8_t channel_life[256]; /* and the parity of that life */
static struct uart_frame_decoder peer;
static uint64_t advance_budget;

/* FUZZ_SYSCALLS_TRACE=1 in the environment: print each operation and
 * what the checker saw, to read a reproducer. */
static int trace = -1;
static struct {
    unsigned frames[NPROC], frame_bytes[NPROC], control_frames;
    unsigned console_bytes[NPROC], adc_bytes[NPROC], rng_bytes[NPROC], crypt_checked[NPROC];
    unsigned keys_checked;
    unsigned bus_bytes[NPROC], stored_bytes[NPROC];
} stats;
#define TRACE(...)                            \
    do {                                      \
        if (trace > 0)                        \
            fprintf(stderr, __VA_ARGS__);     \
    } while (0)

/* What the step's own call (if any) may have written. */
static struct step {
    int own;                /* process whose system call this step is, or -1 */
    uintptr_t flag;         /* its yield-no-wait flag, 0 none */
    bool crypt_written[NPROC];            /* a crypt result landed */
    bool crypt_fits[NPROC][CANDIDATES];   /* and matches that candidate */
    bool live_before[NPROC];
    uint16_t generation_before[NPROC];
    uintptr_t kernel_break_before[NPROC];
    unsigned returns_before[NPROC];
} step;

static void violation(const char *what, int line)
{
    fprintf(stderr, "fuzz_syscalls: invariant broken (line %d): %s\n", line, what);
    abort();
}
#define CHECK(cond)                          \
    do {                                     \
        if (!(cond))                         \
            violation(#cond, __LINE__);      \
    } while (0)

static struct process *proc(unsigned i)
{
    return hp[i].process;
}

static bool is_live(const struct process *p)
{
    return p->state == PROCESS_READY || p->state == PROCESS_YIELDED ||
           p->state == PROCESS_WAITING_FOR;
}

static bool inside(uintptr_t addr, size_t len, uintptr_t start, size_t size)
{
    return addr >= start && len <= size && addr - start <= size - len;
}

static bool overlaps(uintptr_t a, size_t alen, uintptr_t b, size_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* A byte process i may send in its life of this parity (the shared
 * bytes too: every process's, so nobody's secret). */
static bool own_byte(unsigned i, unsigned life, uint8_t b)
{
    return b == tag[i] || b == SHARED_BYTE || b == input[i][life] || (b >= KEY_BYTE(i, 0) && b <= KEY_BYTE(i, 15));
}

/* A byte of another process: its tag, key, or input of either life. */
static bool foreign_byte(unsigned i, uint8_t b)
{
    if (b == SHARED_BYTE)
        return false;
    for (unsigned j = 0; j < NPROC; j++)
        if (j != i && (own_byte(j, 0, b) || own_byte(j, 1, b)))
            return true;
    return false;
}

static bool in_flash(unsigned i, uintptr_t a)
{
    return a >= (uintptr_t)hp[i].flash && a < (uintptr_t)hp[i].flash + HARNESS_FLASH;
}

static bool valid_variant(syscall_reg_t r0)
{
    return r0 <= RET_FAILURE_U64 || (r0 >= RET_SUCCESS && r0 <= RET_SUCCESS_U32_U64);
}

/* ------------------------------------------------------------ AES reference */

static void reference_crypt(const uint8_t key[16], unsigned op, const uint8_t iv_in[16],
                            const uint8_t *in, uint8_t *out, size_t len)
{
    struct aes128_schedule s;
    aes128_expand_key(&s, key);
    uint8_t iv[16], block[16];
    memcpy(iv, iv_in, 16);
    for (size_t at = 0; at < len; at += 16) {
        size_t n = len - at < 16 ? len - at : 16;
        switch (op) {
        case CRYPTO_ECB_ENCRYPT:
            aes128_encrypt_block(&s, in + at, out + at);
            break;
        case CRYPTO_ECB_DECRYPT:
            aes128_decrypt_block(&s, in + at, out + at);
            break;
        case CRYPTO_CBC_ENCRYPT:
            for (unsigned k = 0; k < 16; k++)
                block[k] = in[at + k] ^ iv[k];
            aes128_encrypt_block(&s, block, out + at);
            memcpy(iv, out + at, 16);
            break;
        case CRYPTO_CBC_DECRYPT:
            aes128_decrypt_block(&s, in + at, block);
            for (unsigned k = 0; k < 16; k++)
                out[at + k] = block[k] ^ iv[k];
            memcpy(iv, in + at, 16);
            break;
        default: /* CTR */
            aes128_encrypt_block(&s, iv, block);
            for (size_t k = 0; k < n; k++)
                out[at + k] = in[at + k] ^ block[k];
            for (int k = 15; k >= 0 && ++iv[k] == 0; k--)
                ;
            break;
        }
    }
}

/* ------------------------------------------------------------ choices */

static unsigned other(unsigned i, uint8_t sel)
{
    return (i + 1u + (sel & 1u)) % NPROC;
}

/* An address: own memory at an offset (mostly below the break), own key,
 * another process's memory, flash (own or another's), kernel memory,
 * NULL, or near the top of the address space. */
static uintptr_t pick_addr(unsigned i, uint8_t sel, uint8_t lo, uint8_t hi)
{
    unsigned off = (unsigned)lo | (unsigned)hi << 8;
    off = (hi & 0x80) ? off % HARNESS_RAM : off % 1024u;
    switch (sel % 12) {
    case 0: case 1: case 2: case 3: case 4:
        return (uintptr_t)&hp[i].ram[off];
    case 5:
        return (uintptr_t)&hp[i].ram[KEY_OFF + lo % 16u];
    case 6:
        return (uintptr_t)&hp[other(i, sel >> 4)].ram[off];
    case 7:
        return (uintptr_t)&hp[i].flash[lo % HARNESS_FLASH];
    case 8:
        return (uintptr_t)&hp[other(i, sel >> 4)].flash[lo % HARNESS_FLASH];
    case 9: /* kernel memory: the key registers, the UART mux */
        return (sel & 0x10) ? (uintptr_t)&umux + lo : (uintptr_t)key_regs + lo % 32u;
    case 10:
        return 0;
    default:
        return UINTPTR_MAX - lo;
    }
}

static size_t pick_len(uint8_t b)
{
    if (b < 128)
        return b;
    if (b < 192)
        return (size_t)(b - 128) * 16u;
    if (b < 255)
        return (size_t)(b - 192) * 64u;
    return SIZE_MAX - 7;
}

/* A command argument: a small number, a crypto handle (own, own newest,
 * or any seen: another process's, a released one), or a wider number (no
 * addresses: they differ from run to run). */
enum { ARG_VALUE = 0, ARG_OWN_HANDLE = 2, ARG_NEWEST_HANDLE = 3, ARG_SEEN_HANDLE = 4,
       ARG_SHIFTED = 5, ARG_THOUSANDS = 6 };
static syscall_reg_t pick_arg(unsigned i, uint8_t sel, uint8_t val)
{
    const struct model *m = &model[i];
    switch (sel % 8) {
    case 0: case 1:
        return val;
    case ARG_OWN_HANDLE:
        return m->handle_count ? m->handles[val % m->handle_count].h : val;
    case ARG_NEWEST_HANDLE:
        return m->handle_count ? m->handles[m->handle_count - 1].h : val;
    case ARG_SEEN_HANDLE:
        return seen_count ? seen_handles[val % seen_count] : val;
    case ARG_SHIFTED:
        return (syscall_reg_t)val << ((sel >> 3) & 31u);
    case ARG_THOUSANDS:
        return (syscall_reg_t)val * 1000u;
    default:
        return (syscall_reg_t)val * 0x01010101u;
    }
}

static uint32_t pick_command(uint8_t b)
{
    if (b < 240)
        return b % 12u;
    switch (b) {
    case 240: return 101;
    case 241: return 102;
    case 242: return 0xffffffffu;
    case 243: return SCREEN_CMD_SET_FRAME;
    case 244: return SCREEN_CMD_WRITE;
    case 245: return SCREEN_CMD_FILL;
    default: return b;
    }
}

/* An upcall function: none, own code, another's code, data, kernel code. */
static uintptr_t pick_fn(unsigned i, uint8_t sel, uint8_t lo)
{
    switch (sel % 6) {
    case 0: return 0;
    case 1: case 2: return (uintptr_t)&hp[i].flash[lo % HARNESS_FLASH];
    case 3: return (uintptr_t)&hp[other(i, sel >> 4)].flash[lo % HARNESS_FLASH];
    case 4: return (uintptr_t)&hp[i].ram[lo];
    default: return (uintptr_t)&violation;
    }
}

/* ------------------------------------------------------------ model helpers */

static void model_reset(unsigned i)
{
    bool taint = model[i].taint, bus_taint = model[i].bus_taint;
    bool store_taint = model[i].store_taint;
    memset(&model[i], 0, sizeof model[i]);
    model[i].taint = taint;
    model[i].bus_taint = bus_taint;
    model[i].store_taint = store_taint;
    model[i].live = is_live(proc(i));
    model[i].generation = proc(i)->generation;
}

static int find_handle(unsigned i, crypto_handle_t h)
{
    for (unsigned k = 0; k < model[i].handle_count; k++)
        if (model[i].handles[k].h == h)
            return (int)k;
    return -1;
}

static uint8_t *allowed(unsigned i, unsigned d, bool ro, unsigned num, size_t *len)
{
    if (ro)
        return (uint8_t *)(uintptr_t)process_allowed_ro(proc(i), drivers[d], num, len);
    return process_allowed_rw(proc(i), drivers[d], num, len);
}

/* The channel the UART mux gave process i, 0 when none. */
static uint8_t channel_of(unsigned i)
{
    for (unsigned ch = 1; ch < 256; ch++) {
        struct uart_mux_client *c = uart_mux_channel_owner(&umux, (uint8_t)ch);
        if (c && client_same(c->entry.id, process_client(proc(i))))
            return (uint8_t)ch;
    }
    return 0;
}

/* ------------------------------------------------------------ RNG, debug lines */

/* The RNG source's bytes say whom they were made for: 0x80 | owner << 4 |
 * the parity of the owner's life << 3 | the fill's number (low 3 bits);
 * owner 3 for a fill whose client has left. */
static unsigned rng_fills;

static bool rng_generate(uint8_t *buf, size_t len, void *ctx)
{
    (void)ctx;
    unsigned owner = 3;
    struct client_entry *e = rmux.serving >= 0 ? client_table_at(&rmux.clients,
                                                                 (unsigned)rmux.serving)
                                               : NULL;
    struct process *p = e ? process_of_client(e->id) : NULL;
    unsigned life = p ? p->generation & 1u : 0;
    if (p)
        owner = (unsigned)((struct harness_process *)p->arch - hp);
    CHECK(owner <= 3);
    rng_fills++;
    memset(buf, 0x80 | owner << 4 | life << 3 | (rng_fills & 7u), len);
    return true;
}

static bool rng_byte_of(unsigned i, uint8_t v)
{
    return (v & 0xf8u) == (0x80u | i << 4 | (proc(i)->generation & 1u) << 3);
}

/* The low-level debug sink: room the script sets; every line checked. */
static size_t lld_room;
static unsigned lld_lines;

static size_t lld_sink_room(struct low_level_debug_sink *self)
{
    (void)self;
    return lld_room;
}

static void lld_sink_write(struct low_level_debug_sink *self, const char *fmt, va_list ap)
{
    (void)self;
    char line[2 * LOW_LEVEL_DEBUG_LINE_MAX];
    size_t len = (size_t)vmux_vsnprintf(line, sizeof line, fmt, ap);
    CHECK(len < LOW_LEVEL_DEBUG_LINE_MAX && len <= lld_room && line[len - 1] == '\n');
    lld_room -= len;
    lld_lines++;
    const char *name = NULL;
    if (strncmp(line, "LowLevelDebug: App ", 19) == 0)
        name = line + 19;
    else if (strncmp(line, "LowLevelDebug: Dropped 0x", 25) == 0 && strstr(line, " entries for app "))
        name = strstr(line, " entries for app ") + 17;
    CHECK(name != NULL);
    bool named = false;
    for (unsigned i = 0; i < NPROC; i++) {
        size_t n = strlen(names[i]);
        named |= strncmp(name, names[i], n) == 0 && (name[n] == ' ' || name[n] == '\n');
    }
    CHECK(named);
}

static struct low_level_debug_sink lld_sink = { lld_sink_room, lld_sink_write };

/* ------------------------------------------------------------ the wire */

static void check_frame(uint8_t ch, const uint8_t *payload, size_t len)
{
    if (ch == 0) {
        stats.control_frames++;
        CHECK(len >= 1);
        uint8_t type = payload[0];
        CHECK(type == UART_CONTROL_ANNOUNCE || type == UART_CONTROL_CLOSE ||
              type == UART_CONTROL_HELLO);
        if (type == UART_CONTROL_ANNOUNCE) {
            CHECK(len >= 2);
            int o = channel_owner[payload[1]];
            CHECK(o >= 0);
            CHECK(len - 2 == strlen(names[o]) && memcmp(payload + 2, names[o], len - 2) == 0);
        }
        return;
    }
    int o = channel_owner[ch];
    CHECK(o >= 0); /* nobody but the processes has a channel */
    stats.frames[o]++;
    stats.frame_bytes[o] += (unsigned)len;
    if (model[o].taint)
        return;
    for (size_t k = 0; k < len; k++)
        if (!own_byte((unsigned)o, channel_life[ch], payload[k])) {
            fprintf(stderr, "fuzz_syscalls: channel %u of p%d: byte %zu is 0x%02x\n", ch, o, k,
                    payload[k]);
            violation("a frame carries bytes that are not its process's own", __LINE__);
        }
}

static void drain_wire(void)
{
    uint8_t bytes[512];
    size_t n;
    while ((n = sim_uart_take_tx(&wire, bytes, sizeof bytes)) > 0)
        for (size_t k = 0; k < n; k++)
            if (uart_frame_decoder_push(&peer, bytes[k]) == UART_FRAME_READY)
                check_frame(uart_frame_channel(&peer), uart_frame_payload(&peer),
                            uart_frame_payload_len(&peer));
    CHECK(wire.counters.write_errors == 0);
}

/* ------------------------------------------------------------ the checker */

static void retag(void)
{
    for (unsigned i = 0; i < NPROC; i++) {
        struct process *p = proc(i);
        memcpy(hp[i].ram, pattern[i], p->kernel_break - p->ram_start);
        step.live_before[i] = is_live(p);
        step.generation_before[i] = p->generation;
        step.kernel_break_before[i] = p->kernel_break;
        step.returns_before[i] = hp[i].returns;
    }
}

/* A button's edges only for a process that enabled that button in this
 * life; a GPIO pin's only for its holder. */
static void check_pin_upcall(unsigned i, unsigned d, const struct upcall *u)
{
    if (d == D_BUTTON)
        CHECK(u->args[0] < NBUTTON && (model[i].buttons_enabled >> u->args[0] & 1u));
    if (d == D_GPIO)
        CHECK(u->args[0] < NGPIO &&
              client_same(gpio_holders[u->args[0]], process_client(proc(i))));
}

/* Held pins: by a live process the board allows; free ones idle (an LED
 * off, a GPIO pin disabled). */
static void check_pin_table(const struct pin_table *t, bool led)
{
    for (unsigned n = 0; n < t->count; n++) {
        const struct pin *pin = &t->pins[n];
        if (client_is_none(t->holders[n])) {
            if (led)
                CHECK(!pin_active(pin, sim_gpio_level(&board_pins, pin->index)));
            else
                CHECK(header.pins[pin->index].mode == HIL_GPIO_DISABLED &&
                      header.pins[pin->index].edges == 0);
            continue;
        }
        struct process *p = process_of_client(t->holders[n]);
        CHECK(p != NULL); /* held by a process that is gone */
        CHECK(pin->owner == NULL || strcmp(pin->owner, p->name) == 0);
    }
}

static const char *i2c_owners(syscall_reg_t addr)
{
    for (unsigned k = 0; k < NI2C; k++)
        if (i2c_chips[k].address == addr)
            return i2c_chips[k].owners;
    return NULL;
}

/* Every client a process has on a bus: its process lives, and the board
 * gave it the device. At most one chip selected, and only in a turn. */
static void check_buses(void)
{
    for (unsigned b = 0; b < 2; b++) {
        const struct bus_mux *m = b == 0 ? &smux.bus : &imux.bus;
        for (unsigned k = 0; k < m->clients.capacity; k++) {
            struct client_entry *e = client_table_at(&m->clients, k);
            if (e == NULL || client_is_kernel(e->id))
                continue;
            struct process *p = process_of_client(e->id);
            CHECK(p != NULL); /* a client of a process that is gone */
            const struct bus_client *c = container_of(e, struct bus_client, entry);
            const char *owners = b == 0 ? container_of(c, struct spi_device, bus)->chip->owners
                                        : i2c_owners(container_of(c, struct i2c_device, bus)->address);
            CHECK(owners_include(owners, p->name));
        }
    }
    CHECK(spi_hw.counters.conflicts == 0);
    int selected = -1;
    for (unsigned c = 0; c < NCHIP; c++)
        if (!sim_gpio_level(&selects, c)) {
            CHECK(selected < 0);
            selected = (int)c;
        }
    if (selected >= 0) {
        struct client_entry *e = client_table_at(&smux.bus.clients, (unsigned)smux.bus.holder);
        CHECK(smux.bus.holder >= 0 && e != NULL);
        CHECK(container_of(e, struct spi_device, bus.entry)->chip == &chips[selected]);
    }
}

/* Every screen client a process's that lives and was given its window;
 * the strip untouched. */
static void check_screen(void)
{
    for (unsigned k = 0; k < scmux.bus.clients.capacity; k++) {
        struct client_entry *e = client_table_at(&scmux.bus.clients, k);
        if (e == NULL)
            continue;
        struct process *p = process_of_client(e->id);
        CHECK(p != NULL);
        const struct screen_client *c = container_of(e, struct screen_client, bus.entry);
        CHECK(owners_include(c->window->owners, p->name));
    }
    for (unsigned y = 0; y < windows[0].rect.height; y++)
        for (unsigned x = 0; x < SIM_SCREEN_WIDTH; x++)
            CHECK(screen_hw.pixels[y][x] == 0);
}

static void check_structure(unsigned i)
{
    struct process *p = proc(i);
    CHECK(p->ram_start == (uintptr_t)hp[i].ram && p->ram_end == p->ram_start + HARNESS_RAM);
    CHECK(p->queue_count <= PROCESS_UPCALL_QUEUE && p->queue_head < PROCESS_UPCALL_QUEUE);
    CHECK(p->kernel_break <= p->ram_end && p->kernel_break >= p->ram_start);
    if (!is_live(p)) {
        for (unsigned k = 0; k < PROCESS_DRIVERS_MAX; k++)
            CHECK(p->grants[k] == NULL);
        CHECK(p->kernel_break == p->ram_end);
        CHECK(p->queue_count == 0);
        return;
    }
    /* the break may go below the initial one (as Tock's), never below
     * the start of memory or the end of a buffer allowed in this life */
    CHECK(p->ram_start <= p->allow_high_water && p->allow_high_water <= p->app_break);
    CHECK(p->app_break <= p->kernel_break);
    for (unsigned k = NDRV; k < PROCESS_DRIVERS_MAX; k++)
        CHECK(p->grants[k] == NULL);
    /* grants: inside [kernel_break, ram_end), each state inside its own */
    for (unsigned d = 0; d < NDRV; d++) {
        uintptr_t g = (uintptr_t)p->grants[d];
        if (!g)
            continue;
        CHECK(g >= p->kernel_break && g < p->ram_end);
        uintptr_t end = p->ram_end;
        for (unsigned e = 0; e < NDRV; e++) {
            uintptr_t h = (uintptr_t)p->grants[e];
            if (e != d && h) {
                CHECK(h != g);
                if (h > g && h < end)
                    end = h;
            }
        }
        uintptr_t state = (uintptr_t)process_grant(p, drivers[d]);
        CHECK(state > g && state + drivers[d]->state_size <= end);
    }
    /* queued upcalls: what this life subscribed, to its own code */
    for (unsigned k = 0; k < p->queue_count; k++) {
        const struct upcall *u = &p->queue[(p->queue_head + k) % PROCESS_UPCALL_QUEUE];
        int d = -1;
        for (unsigned e = 0; e < NDRV; e++)
            if (driver_numbers[e] == u->driver)
                d = (int)e;
        CHECK(d >= 0 && u->subscribe < drivers[d]->upcall_count);
        /* the null upcall's events wait for a yield-wait-for; never run */
        CHECK(u->fn == 0 || in_flash(i, u->fn));
        CHECK(model[i].sub[d][u->subscribe].a == u->fn &&
              model[i].sub[d][u->subscribe].b == u->appdata);
        check_pin_upcall(i, (unsigned)d, u);
    }
    /* allowed buffers: what this life allowed, while it may access them */
    for (unsigned d = 0; d < NDRV; d++)
        for (unsigned ro = 0; ro < 2; ro++) {
            unsigned count = ro ? drivers[d]->allow_ro_count : drivers[d]->allow_rw_count;
            for (unsigned num = 0; num < count; num++) {
                size_t len;
                uint8_t *buf = allowed(i, d, ro, num, &len);
                struct pair want = model[i].allow[d][ro][num];
                bool usable = want.b && process_may_access(p, want.a, want.b, !ro);
                CHECK((uintptr_t)buf == (usable ? want.a : 0) && len == (usable ? want.b : 0));
                if (!buf)
                    continue;
                CHECK(process_may_access(p, (uintptr_t)buf, len, !ro));
                CHECK(inside((uintptr_t)buf, len, p->ram_start, p->app_break - p->ram_start) ||
                      (ro && inside((uintptr_t)buf, len, (uintptr_t)hp[i].flash, HARNESS_FLASH)));
            }
        }
}

static bool in_allowed_rw(unsigned i, unsigned d, unsigned num, uintptr_t a)
{
    size_t len;
    uint8_t *buf = allowed(i, d, false, num, &len);
    return buf && inside(a, 1, (uintptr_t)buf, len);
}

/* What the kernel wrote into i's memory during the step. */
static void check_writes(unsigned i)
{
    struct process *p = proc(i);
    uintptr_t kb = p->kernel_break < step.kernel_break_before[i] ? p->kernel_break
                                                                 : step.kernel_break_before[i];
    size_t n = kb - p->ram_start;
    for (size_t k = 0; k < HARNESS_FLASH; k++)
        CHECK(hp[i].flash[k] == tag[i]);
    bool own = step.own == (int)i;
    step.crypt_written[i] = false;
    if (memcmp(hp[i].ram, pattern[i], n) == 0)
        return;
    const struct pending_crypt *c = &model[i].crypt;
    size_t out_len;
    uint8_t *out = allowed(i, D_CRYPTO, false, CRYPTO_ALLOW_RW_OUTPUT, &out_len);
    bool *fits = step.crypt_fits[i];
    for (unsigned e = 0; e < CANDIDATES; e++)
        fits[e] = true;
    for (size_t k = 0; k < n; k++) {
        uint8_t v = hp[i].ram[k];
        if (v == pattern[i][k])
            continue;
        uintptr_t a = p->ram_start + k;
        if (own && step.flag == a && (v == 0 || v == 1))
            continue;
        if (v == input[i][p->generation & 1u] &&
            in_allowed_rw(i, D_CONSOLE, CONSOLE_ALLOW_RW_READ, a)) {
            stats.console_bytes[i]++;
            continue;
        }
        if (in_allowed_rw(i, D_ADC, 0, a) || in_allowed_rw(i, D_ADC, 1, a)) {
            stats.adc_bytes[i]++;
            continue;
        }
        /* A byte of an RNG buffer that is also a crypt's output or a
         * bus buffer may be either's. */
        bool crypt_out = c->active && out && inside(a, 1, (uintptr_t)out, out_len);
        bool on_bus = in_allowed_rw(i, D_SPI, 0, a) || in_allowed_rw(i, D_I2C, 1, a);
        bool stored = in_allowed_rw(i, D_KV, KV_ALLOW_RW_VALUE, a) ||
                      in_allowed_rw(i, D_ISO, ISOLATED_ALLOW_RW_READ, a);
        if (in_allowed_rw(i, D_RNG, RNG_ALLOW_RW_BUFFER, a) &&
            (!(crypt_out || on_bus || stored) || rng_byte_of(i, v))) {
            CHECK(rng_byte_of(i, v)); /* random bytes made for another process */
            stats.rng_bytes[i]++;
            continue;
        }
        if (on_bus) {
            /* a device's bytes: the process's own, or nobody's (in a
             * crypt's output too, either may have written it) */
            if (!model[i].bus_taint && !crypt_out && foreign_byte(i, v)) {
                fprintf(stderr, "fuzz_syscalls: p%u offset %zu: 0x%02x from the bus\n", i, k, v);
                violation("another process's byte came from a bus", __LINE__);
            }
            stats.bus_bytes[i]++;
            continue;
        }
        if (stored) {
            /* what it stored itself (its own bytes), or erased bytes */
            if (!model[i].store_taint && !crypt_out && foreign_byte(i, v)) {
                fprintf(stderr, "fuzz_syscalls: p%u offset %zu: 0x%02x from storage\n", i, k, v);
                violation("another process's byte came from storage", __LINE__);
            }
            stats.stored_bytes[i]++;
            continue;
        }
        if (crypt_out) {
            /* the result of its crypt, if it matches one below */
            size_t at = a - (uintptr_t)out;
            step.crypt_written[i] = true;
            for (unsigned e = 0; e < c->candidates; e++)
                fits[e] = fits[e] && at < c->len && c->expect[e][at] == v;
            continue;
        }
        fprintf(stderr, "fuzz_syscalls: p%u offset %zu: 0x%02x, expected 0x%02x\n", i, k, v,
                pattern[i][k]);
        violation("the kernel wrote into process memory what is not the process's own", __LINE__);
    }
    if (step.crypt_written[i] && !c->unchecked) {
        bool any = false;
        for (unsigned e = 0; e < c->candidates; e++)
            any |= fits[e];
        /* the result of its input under a key it loaded, or a crypt it did
         * not ask for, under a key it never loaded */
        CHECK(any);
        stats.crypt_checked[i]++;
    }
}

/* Has i's crypt left the crypto mux (done or cancelled)? */
static bool crypt_over(unsigned i)
{
    for (unsigned k = 0; k < cmux.clients.capacity; k++) {
        struct client_entry *e = client_table_at(&cmux.clients, k);
        if (e && e->attached && client_same(e->id, process_client(proc(i))))
            return !container_of(e, struct crypto_mux_client, entry)->queued;
    }
    return true;
}

/*
 * i's crypt left the mux in this step. Unless something of its own could
 * have stopped it (the key reloaded or the register released since, the
 * output withdrawn, or shared with a buffer another driver writes), it
 * ran with the key loaded at the command, and its result is in the output.
 */
static void check_crypt_done(unsigned i)
{
    const struct pending_crypt *c = &model[i].crypt;
    size_t out_len;
    uint8_t *out = allowed(i, D_CRYPTO, false, CRYPTO_ALLOW_RW_OUTPUT, &out_len);
    if (c->candidates != 1 || c->reloaded || find_handle(i, c->h) < 0 || out == NULL)
        return;
    static const uint32_t writers[][2] = { { D_CONSOLE, CONSOLE_ALLOW_RW_READ }, { D_ADC, 0 },
                                           { D_ADC, 1 }, { D_RNG, RNG_ALLOW_RW_BUFFER },
                                           { D_SPI, 0 }, { D_I2C, 1 },
                                           { D_KV, KV_ALLOW_RW_VALUE },
                                           { D_ISO, ISOLATED_ALLOW_RW_READ } };
    for (unsigned d = 0; d < sizeof writers / sizeof writers[0]; d++) {
        size_t len;
        uint8_t *buf = allowed(i, writers[d][0], false, writers[d][1], &len);
        if (buf && overlaps((uintptr_t)out, out_len, (uintptr_t)buf, len))
            return;
    }
    if (step.own == (int)i && step.flag && inside(step.flag, 1, (uintptr_t)out, out_len))
        return;
    /* an operation that vanished, or finished with another client's status */
    CHECK(step.crypt_written[i] && step.crypt_fits[i][0]);
}

static void check_keys(void)
{
    for (unsigned i = 0; i < NPROC; i++)
        for (unsigned j = 0; j < NPROC; j++) {
            if (i == j)
                continue;
            const uint8_t *key = &pattern[j][KEY_OFF];
            CHECK(memmem(hp[i].ram, HARNESS_RAM, key, AES128_KEY_SIZE) == NULL);
            CHECK(memmem(hp[i].flash, HARNESS_FLASH, key, AES128_KEY_SIZE) == NULL);
        }
    for (unsigned s = 0; s < KEY_REGS; s++) {
        size_t len;
        const uint8_t *reg = crypto_engine_slot_register(&engine, s, &len);
        CHECK(reg != NULL && len == sizeof(struct crypto_engine_register));
        const struct crypto_key_slot *slot = &cmux.slots[s];
        const struct handle *h = NULL;
        if (!client_is_none(slot->holder)) {
            struct process *p = process_of_client(slot->holder);
            CHECK(p != NULL); /* held by a process that is gone */
            unsigned i = (unsigned)((struct harness_process *)p->arch - hp);
            CHECK(i < NPROC);
            int k = find_handle(i, (crypto_handle_t)s | slot->generation << 8);
            CHECK(k >= 0);
            h = &model[i].handles[k];
        }
        if (h && h->loaded) {
            stats.keys_checked++;
            struct crypto_engine_register want;
            memcpy(want.key, h->key, sizeof want.key);
            aes128_expand_key(&want.schedule, h->key);
            CHECK(memcmp(reg, &want, sizeof want) == 0);
        } else {
            for (size_t k = 0; k < len; k++)
                CHECK(reg[k] == 0);
        }
    }
    /* every handle the model holds is held in the mux */
    for (unsigned i = 0; i < NPROC; i++)
        for (unsigned k = 0; k < model[i].handle_count; k++) {
            crypto_handle_t h = model[i].handles[k].h;
            CHECK((h & 0xffu) < KEY_REGS);
            CHECK(client_same(cmux.slots[h & 0xffu].holder, process_client(proc(i))));
            CHECK(cmux.slots[h & 0xffu].generation == h >> 8);
        }
}

static void check_channels(void)
{
    unsigned count[NPROC] = { 0 };
    for (unsigned ch = 1; ch < 256; ch++) {
        struct uart_mux_client *c = uart_mux_channel_owner(&umux, (uint8_t)ch);
        if (!c)
            continue;
        CHECK(c->channel == ch);
        struct process *p = process_of_client(c->entry.id);
        CHECK(p != NULL); /* a channel still held for a process that is gone */
        unsigned i = (unsigned)((struct harness_process *)p->arch - hp);
        CHECK(i < NPROC);
        CHECK(++count[i] == 1);
        channel_owner[ch] = (int)i;
        channel_life[ch] = p->generation & 1u;
    }
}

/* ADC or RNG buffers, or the output of a crypt under way, that overlap
 * the console's write buffer: the console may send samples, random bytes
 * or ciphertext, which are anything. Until that write is over and off the wire, frames
 * on that channel are not checked. */
static void update_taint(unsigned i)
{
    bool overlap = false;
    if (is_live(proc(i))) {
        size_t wlen;
        const uint8_t *w = allowed(i, D_CONSOLE, true, CONSOLE_ALLOW_RO_WRITE, &wlen);
        for (unsigned num = 0; num < 2 && w; num++) {
            size_t alen;
            uint8_t *a = allowed(i, D_ADC, false, num, &alen);
            overlap |= a && overlaps((uintptr_t)w, wlen, (uintptr_t)a, alen);
        }
        size_t clen, rlen;
        uint8_t *c = allowed(i, D_CRYPTO, false, CRYPTO_ALLOW_RW_OUTPUT, &clen);
        overlap |= w && c && overlaps((uintptr_t)w, wlen, (uintptr_t)c, clen);
        uint8_t *r = allowed(i, D_RNG, false, RNG_ALLOW_RW_BUFFER, &rlen);
        overlap |= w && r && overlaps((uintptr_t)w, wlen, (uintptr_t)r, rlen);
        /* what the buses wrote (a device's bytes) ... */
        size_t blen[2];
        const uint8_t *bus[2] = { allowed(i, D_SPI, false, 0, &blen[0]),
                                  allowed(i, D_I2C, false, 1, &blen[1]) };
        for (unsigned k = 0; k < 2; k++)
            overlap |= w && bus[k] && overlaps((uintptr_t)w, wlen, (uintptr_t)bus[k], blen[k]);
        /* ... and what they send: samples, random bytes or ciphertext, kept by the device */
        size_t slen;
        const uint8_t *src[2] = { allowed(i, D_SPI, true, 0, &slen), bus[1] };
        size_t srclen[2] = { slen, blen[1] };
        for (unsigned k = 0; k < 2; k++) {
            for (unsigned num = 0; num < 2 && src[k]; num++) {
                size_t alen;
                uint8_t *a = allowed(i, D_ADC, false, num, &alen);
                model[i].bus_taint |= a && overlaps((uintptr_t)src[k], srclen[k], (uintptr_t)a, alen);
            }
            model[i].bus_taint |= src[k] && c && overlaps((uintptr_t)src[k], srclen[k],
                                                          (uintptr_t)c, clen);
            model[i].bus_taint |= src[k] && r && overlaps((uintptr_t)src[k], srclen[k],
                                                          (uintptr_t)r, rlen);
        }
        /* what storage keeps: bytes of the allows it writes from, which
         * other drivers may have filled */
        size_t vlen[2];
        const uint8_t *vsrc[2] = { allowed(i, D_KV, true, KV_ALLOW_RO_VALUE, &vlen[0]),
                                   allowed(i, D_ISO, true, ISOLATED_ALLOW_RO_WRITE, &vlen[1]) };
        for (unsigned k = 0; k < 2; k++) {
            if (!vsrc[k])
                continue;
            const uint8_t *filled[6] = { c, r, bus[0], bus[1] };
            size_t flen[6] = { clen, rlen, blen[0], blen[1] };
            filled[4] = allowed(i, D_ADC, false, 0, &flen[4]);
            filled[5] = allowed(i, D_ADC, false, 1, &flen[5]);
            for (unsigned f = 0; f < 6; f++)
                model[i].store_taint |= filled[f] && overlaps((uintptr_t)vsrc[k], vlen[k],
                                                              (uintptr_t)filled[f], flen[f]);
        }
    }
    uint8_t ch = channel_of(i);
    struct uart_mux_client *c = ch ? uart_mux_channel_owner(&umux, ch) : NULL;
    bool sending = (c && c->tx_buf) || umux.tx_busy || wire.tx.op != SIM_UART_IDLE;
    model[i].taint = overlap || (model[i].taint && sending);
}

static void check_step(void)
{
    drain_wire();
    check_channels();
    unsigned live = 0;
    for (unsigned i = 0; i < NPROC; i++) {
        struct harness_process *h = &hp[i];
        struct process *p = proc(i);
        bool now_live = is_live(p);
        live += now_live;
        if (!step.live_before[i] && !now_live) {
            CHECK(h->upcall_count == 0); /* nothing reaches a process that is not there */
            CHECK(h->returns == step.returns_before[i]);
        }
        bool same_life = step.live_before[i] && now_live &&
                         step.generation_before[i] == p->generation;
        for (unsigned k = 0; k < h->upcall_count; k++) {
            const struct upcall *u = &h->upcalls[k];
            /* the null upcall's events wait for a yield-wait-for; never run */
        CHECK(u->fn == 0 || in_flash(i, u->fn));
            int d = -1;
            for (unsigned e = 0; e < NDRV; e++)
                if (driver_numbers[e] == u->driver)
                    d = (int)e;
            CHECK(d >= 0 && u->subscribe < drivers[d]->upcall_count);
            if (same_life) {
                CHECK(model[i].sub[d][u->subscribe].a == u->fn &&
                      model[i].sub[d][u->subscribe].b == u->appdata);
                check_pin_upcall(i, (unsigned)d, u);
            }
        }
        h->upcall_count = 0;
        if (step.live_before[i] && !same_life) {
            /* the life ended: its grants are wiped */
            for (uintptr_t a = step.kernel_break_before[i]; a < p->kernel_break; a++)
                CHECK(*(const uint8_t *)a == 0);
        }
        if (!now_live || p->generation != model[i].generation || !model[i].live)
            model_reset(i);
        check_structure(i);
        check_writes(i);
        if (model[i].crypt.active && crypt_over(i)) {
            check_crypt_done(i);
            model[i].crypt.active = false;
        }
    }
    check_keys();
    check_pin_table(&led_drv.leds, true);
    check_pin_table(&gpio_drv.pins, false);
    check_buses();
    check_screen();
    /* each process's alarm, the ADC's watchdog, the buses', the screen's */
    CHECK(alarm_mux_armed_count(&amux) <= live + 4u);
    for (unsigned i = 0; i < NPROC; i++)
        update_taint(i);
}

/* ------------------------------------------------------------ operations */

static void call_subscribe(unsigned i, const uint8_t *o)
{
    unsigned d = o[2] % NSEL, num = o[3] % 5u;
    uintptr_t fn = pick_fn(i, o[4], o[5]);
    uintptr_t appdata = (uintptr_t)o[6] | (uintptr_t)o[7] << 8;
    struct syscall_return r =
        harness_call(&hp[i], SYSCALL_SUBSCRIBE, driver_numbers[d], num, fn, appdata);
    if (r.r[0] != RET_SUCCESS_2U32) {
        CHECK(r.r[0] == RET_FAILURE_2U32 && r.r[2] == fn && r.r[3] == appdata);
        return;
    }
    CHECK(d < NDRV && num < drivers[d]->upcall_count);
    CHECK(fn == 0 || in_flash(i, fn));
    CHECK(r.r[1] == model[i].sub[d][num].a && r.r[2] == model[i].sub[d][num].b);
    model[i].sub[d][num] = (struct pair){ fn, appdata };
}

static void call_allow(unsigned i, const uint8_t *o, bool ro)
{
    unsigned d = o[2] % NSEL, num = o[3] % 4u;
    uintptr_t addr = pick_addr(i, o[4], o[5], o[6]);
    size_t len = pick_len(o[7]);
    struct syscall_return r = harness_call(&hp[i], ro ? SYSCALL_ALLOW_RO : SYSCALL_ALLOW_RW,
                                           driver_numbers[d], num, addr, len);
    if (r.r[0] != RET_SUCCESS_2U32) {
        CHECK(r.r[0] == RET_FAILURE_2U32 && r.r[2] == addr && r.r[3] == len);
        return;
    }
    CHECK(d < NDRV && num < (ro ? drivers[d]->allow_ro_count : drivers[d]->allow_rw_count));
    CHECK(process_may_access(proc(i), addr, len, !ro));
    struct pair *m = &model[i].allow[d][ro][num];
    CHECK(r.r[1] == m->a && r.r[2] == m->b);
    *m = (struct pair){ len ? addr : 0, len };
}

static void add_candidate(struct pending_crypt *c, const uint8_t key[AES128_KEY_SIZE])
{
    c->reloaded = c->candidates > 0;
    if (c->candidates == CANDIDATES) {
        c->unchecked = true;
        return;
    }
    reference_crypt(key, c->op, c->iv, c->in, c->expect[c->candidates++], c->len);
}

static void crypto_result(unsigned i, uint32_t cmd, syscall_reg_t a1, syscall_reg_t a2,
                          struct syscall_return r)
{
    struct model *m = &model[i];
    if (r.r[0] != RET_SUCCESS && r.r[0] != RET_SUCCESS_U32)
        return;
    switch (cmd) {
    case CRYPTO_CMD_RESERVE: {
        crypto_handle_t h = (crypto_handle_t)r.r[1];
        CHECK(r.r[0] == RET_SUCCESS_U32 && h != 0);
        for (unsigned j = 0; j < NPROC; j++)
            CHECK(find_handle(j, h) < 0);
        CHECK(m->handle_count < KEY_REGS);
        m->handles[m->handle_count++] = (struct handle){ h, false, { 0 } };
        if (seen_count < HANDLES_SEEN)
            seen_handles[seen_count++] = h;
        else
            seen_handles[h % HANDLES_SEEN] = h;
        return;
    }
    case CRYPTO_CMD_LOAD_KEY: {
        int k = find_handle(i, (crypto_handle_t)a1);
        CHECK(k >= 0); /* loaded into a register it does not hold */
        size_t len;
        const uint8_t *key = allowed(i, D_CRYPTO, true, CRYPTO_ALLOW_RO_KEY, &len);
        CHECK(key != NULL && len >= AES128_KEY_SIZE);
        memcpy(m->handles[k].key, key, AES128_KEY_SIZE);
        m->handles[k].loaded = true;
        if (m->crypt.active && m->crypt.h == (crypto_handle_t)a1)
            add_candidate(&m->crypt, key);
        return;
    }
    case CRYPTO_CMD_CRYPT: {
        int k = find_handle(i, (crypto_handle_t)a2);
        CHECK(k >= 0); /* ran with a register it does not hold */
        CHECK(a1 <= CRYPTO_CTR);
        size_t in_len, out_len, iv_len = 0;
        const uint8_t *in = allowed(i, D_CRYPTO, true, CRYPTO_ALLOW_RO_INPUT, &in_len);
        uint8_t *out = allowed(i, D_CRYPTO, false, CRYPTO_ALLOW_RW_OUTPUT, &out_len);
        const uint8_t *iv = allowed(i, D_CRYPTO, true, CRYPTO_ALLOW_RO_IV, &iv_len);
        CHECK(in && out && in_len <= out_len && in_len <= CRYPTO_DRIVER_MAX_LEN);
        uint8_t zero_iv[16] = { 0 };
        if (a1 != CRYPTO_ECB_ENCRYPT && a1 != CRYPTO_ECB_DECRYPT)
            CHECK(iv && iv_len >= 16);
        else
            iv = zero_iv;
        struct pending_crypt *c = &m->crypt;
        memset(c, 0, sizeof *c);
        c->active = true;
        c->h = (crypto_handle_t)a2;
        c->op = (unsigned)a1;
        c->len = in_len;
        memcpy(c->in, in, in_len);
        memcpy(c->iv, iv, AES_BLOCK_SIZE);
        if (m->handles[k].loaded)
            add_candidate(c, m->handles[k].key);
        return;
    }
    case CRYPTO_CMD_RELEASE: {
        int k = find_handle(i, (crypto_handle_t)a1);
        CHECK(k >= 0); /* released a register it does not hold */
        m->handles[k] = m->handles[--m->handle_count];
        return;
    }
    default:
        return;
    }
}

/* An LED, button or GPIO command's answer, against the board's table:
 * INVALID exactly for a pin beyond it (unless the grant did not fit);
 * success only for a process the board allows, which then holds the pin
 * (LED, GPIO). */
static void pin_result(unsigned i, unsigned d, uint32_t cmd, syscall_reg_t n,
                       struct syscall_return r)
{
    const struct pin_table *t = d == D_LED      ? &led_drv.leds
                                : d == D_BUTTON ? &button_drv.buttons
                                                : &gpio_drv.pins;
    uint32_t last = d == D_LED      ? LED_CMD_TOGGLE
                    : d == D_BUTTON ? BUTTON_CMD_READ
                                    : GPIO_CMD_DISABLE;
    if (cmd == 0 || cmd > last || (r.r[0] == RET_FAILURE && r.r[1] == VMUX_NOMEM))
        return; /* NOMEM: the grant did not fit, the driver was not asked */
    CHECK((r.r[0] == RET_FAILURE && r.r[1] == VMUX_INVALID) == (n >= t->count));
    bool ok = r.r[0] == RET_SUCCESS || r.r[0] == RET_SUCCESS_U32;
    if (!ok)
        return;
    const char *owner = t->pins[n].owner;
    CHECK(owner == NULL || strcmp(owner, names[i]) == 0);
    if (t->holders)
        CHECK(client_same(t->holders[n], process_client(proc(i))));
    if (d == D_BUTTON && cmd == BUTTON_CMD_ENABLE)
        model[i].buttons_enabled |= 1u << n;
}

/* A bus command's answer against the board's table: RESERVE exactly for
 * a chip or address the board did not give the process; success only
 * for one it did. */
static void bus_result(unsigned i, unsigned d, uint32_t cmd, syscall_reg_t a1,
                       struct syscall_return r)
{
    if (r.r[0] == RET_FAILURE && r.r[1] == VMUX_NOMEM)
        return; /* the grant did not fit, the driver was not asked */
    bool reserve = r.r[0] == RET_FAILURE && r.r[1] == VMUX_RESERVE;
    bool ok = r.r[0] == RET_SUCCESS || r.r[0] == RET_SUCCESS_U32;
    if (d == D_I2C && cmd >= I2C_CMD_WRITE && cmd <= I2C_CMD_WRITE_READ) {
        syscall_reg_t addr = cmd == I2C_CMD_WRITE_READ ? (a1 & 0xffu) : a1;
        bool given = addr <= HIL_I2C_ADDRESS_MAX && owners_include(i2c_owners(addr), names[i]);
        CHECK(reserve == (addr <= HIL_I2C_ADDRESS_MAX && !given));
        CHECK(!ok || given);
    }
    if (d == D_SPI && cmd == SPI_CMD_SELECT) {
        bool given = a1 < NCHIP && owners_include(chips[a1].owners, names[i]);
        CHECK(reserve == (a1 < NCHIP && !given));
        CHECK(!ok || given);
    }
}

static void call_command(unsigned i, const uint8_t *o)
{
    unsigned d = o[2] % NSEL;
    uint32_t cmd = pick_command(o[3]);
    syscall_reg_t a1 = pick_arg(i, o[4], o[5]), a2 = pick_arg(i, o[6], o[7]);
    struct syscall_return r = harness_call(&hp[i], SYSCALL_COMMAND, driver_numbers[d], cmd, a1, a2);
    CHECK(valid_variant(r.r[0]));
    if (d >= NDRV)
        CHECK(r.r[0] == RET_FAILURE && r.r[1] == VMUX_NODEVICE);
    if (d == D_CRYPTO)
        crypto_result(i, cmd, a1, a2, r);
    if (d == D_LED || d == D_BUTTON || d == D_GPIO)
        pin_result(i, d, cmd, a1, r);
    if (d == D_SPI || d == D_I2C)
        bus_result(i, d, cmd, a1, r);
    if (d == D_SCREEN) {
        bool nodevice = r.r[0] == RET_FAILURE && r.r[1] == VMUX_NODEVICE;
        bool nomem = r.r[0] == RET_FAILURE && r.r[1] == VMUX_NOMEM;
        CHECK(cmd == 0 || nodevice == (i == 2) || nomem);
    }
}

static void call_memop(unsigned i, const uint8_t *o)
{
    unsigned op = o[2] % 13u;
    syscall_reg_t arg;
    if (op == MEMOP_BRK)
        arg = pick_addr(i, o[3], o[4], o[5]);
    else if (op == MEMOP_SBRK)
        arg = (syscall_reg_t)(uint32_t)((int32_t)(int8_t)o[3] * (int32_t)(1u << (o[4] % 12u)));
    else
        arg = o[3];
    struct syscall_return r = harness_call(&hp[i], SYSCALL_MEMOP, op, arg, 0, 0);
    CHECK(valid_variant(r.r[0]));
}

static void call_yield(unsigned i, const uint8_t *o)
{
    switch (o[2] % 4u) {
    case 0: {
        uintptr_t flag = (o[3] & 1) ? pick_addr(i, o[4], o[5], o[6]) : 0;
        if (flag && process_may_access(proc(i), flag, 1, true))
            step.flag = flag;
        harness_call(&hp[i], SYSCALL_YIELD, YIELD_NO_WAIT, flag, 0, 0);
        return;
    }
    case 1:
        harness_call(&hp[i], SYSCALL_YIELD, YIELD_WAIT, 0, 0, 0);
        return;
    case 2:
        harness_call(&hp[i], SYSCALL_YIELD, YIELD_WAIT_FOR, driver_numbers[o[3] % NSEL],
                     o[4] % 4u, 0);
        return;
    default:
        harness_call(&hp[i], SYSCALL_YIELD, 3u + o[3], o[4], o[5], 0);
        return;
    }
}

static void advance(const uint8_t *o)
{
    uint64_t ns = ((uint64_t)(o[2] | o[3] << 8) + 1u) * (1000ull << (o[4] % 11u));
    if (ns > ADVANCE_MAX_NS)
        ns = ADVANCE_MAX_NS;
    if (ns > advance_budget)
        ns = advance_budget;
    advance_budget -= ns;
    /* the kernel's channel drains, or stays full */
    lld_room = (o[5] % 4u) * LOW_LEVEL_DEBUG_LINE_MAX;
    low_level_debug_driver_sink_ready(&lld_drv);
    while (ns) {
        uint64_t slice = ns < SLICE_NS ? ns : SLICE_NS;
        sim_advance(slice);
        drain_wire();
        ns -= slice;
    }
}

/* Outside the board: a button (0-2) or GPIO pin (3-6) driven low or
 * high, let go, or pressed (driven to o[6]'s low bit for o[6] ms). */
static void drive_pin(const uint8_t *o)
{
    unsigned target = o[4] % (NBUTTON + NGPIO);
    struct sim_gpio *bank = target < NBUTTON ? &board_pins : &header;
    unsigned pin = target < NBUTTON ? buttons[target].index : target - NBUTTON;
    switch (o[5] % 4u) {
    case 0: case 1:
        sim_gpio_drive(bank, pin, o[5] & 1u);
        return;
    case 2:
        sim_gpio_release(bank, pin);
        return;
    default:
        sim_gpio_press(bank, pin, o[6] & 1u, (uint64_t)o[6] * 1000000u);
        return;
    }
}

/* A fault on the SPI or I2C controller, or on an I2C device, for its
 * next operation (chips/sim/sim_fault.h). */
static void bus_fault(const uint8_t *o)
{
    static const enum sim_fault_kind kinds[] = { SIM_FAULT_REFUSE, SIM_FAULT_ERROR,
                                                 SIM_FAULT_LATE,   SIM_FAULT_NEVER,
                                                 SIM_FAULT_TWICE,  SIM_FAULT_CORRUPT };
    struct sim_fault f = { .kind = kinds[o[4] % 6u], .delay_ns = (uint64_t)o[6] * 100000u,
                           .count = 1 };
    switch (o[5] % 4u) {
    case 0:
        sim_spi_inject_fault(&spi_hw, &f);
        return;
    case 1:
        sim_i2c_inject_fault(&i2c_hw, &f);
        return;
    case 2:
        sim_i2c_device_fault(&eeproms[o[6] & 1u].dev, &f);
        return;
    default:
        sim_i2c_device_fault(&sensor.dev, &f);
        return;
    }
}

static void inject(unsigned i, const uint8_t *o)
{
    if (o[3] & 0x80) {
        drive_pin(o);
        return;
    }
    if (o[3] & 0x40) {
        bus_fault(o);
        return;
    }
    uint8_t payload[UART_FRAME_PAYLOAD_MAX];
    uint8_t frame[UART_FRAME_WIRE_MAX];
    size_t len = o[2], n = 0;
    uint8_t ch;
    switch (o[3] % 4u) {
    case 0: case 1: /* i's input on i's channel; 1: with a broken CRC */
        ch = channel_of(i);
        if (!ch)
            return;
        memset(payload, input[i][proc(i)->generation & 1u], len);
        break;
    case 2: /* the peer asks for the channels again, or says nonsense */
        ch = 0;
        len = 1;
        payload[0] = (o[4] & 1) ? UART_CONTROL_QUERY : o[5];
        break;
    default: /* an empty frame to any channel */
        ch = o[4];
        len = 0;
        break;
    }
    n = uart_frame_encode(ch, payload, len, frame, sizeof frame);
    CHECK(n > 0);
    if (o[3] % 4u == 1)
        frame[0] ^= 0x01; /* the decoder rejects it, then resynchronises at its 0x00 */
    unsigned copies = 1u + o[5] % 4u;
    for (unsigned c = 0; c < copies; c++) {
        if (wire.fifo.count + n > wire.fifo.size)
            return; /* would overrun: a lost piece could splice two frames */
        CHECK(sim_uart_inject_rx(&wire, frame, n) == n);
    }
}

static void manage(unsigned i, const uint8_t *o)
{
    const cap_process_management_t *cap = test_board_cap_process_management();
    switch (o[2] % 4u) {
    case 0:
        process_end(proc(i), o[3] & 1, -1);
        return;
    case 1:
        process_stop(cap, proc(i));
        return;
    case 2:
        process_start(cap, proc(i));
        return;
    default:
        for (unsigned k = 0; k <= o[3] % 4u; k++)
            process_run_next(sim_now_ns() / 1000000u);
        return;
    }
}

static void run_one(const uint8_t *o)
{
    unsigned kind = o[0] % 16u, i = (o[1] & 0x1fu) % NPROC, rounds = o[1] >> 5;
    memset(&step, 0, sizeof step);
    step.own = -1;
    retag();
    bool syscall = kind <= 11;
    if (syscall && proc(i)->state != PROCESS_READY) {
        /* only a process that runs can trap; let time pass instead */
        static const uint8_t idle[OP_SIZE] = { 12, 0, 99, 0, 0, 0, 0, 0 };
        o = idle;
        kind = 12;
        syscall = false;
    }
    if (syscall)
        step.own = (int)i;
    switch (kind) {
    case 0:
        call_subscribe(i, o);
        break;
    case 1: case 2: case 3: case 4:
        call_command(i, o);
        break;
    case 5: case 6:
        call_allow(i, o, false);
        break;
    case 7: case 8:
        call_allow(i, o, true);
        break;
    case 9:
        call_memop(i, o);
        break;
    case 10:
        call_yield(i, o);
        break;
    case 11:
        if (o[2] & 0x80) { /* rarely: the process goes */
            harness_call(&hp[i], SYSCALL_EXIT, o[3] % 3u, o[4], 0, 0);
        } else if (o[2] & 0x40) { /* a class that does not exist */
            struct syscall_return r =
                harness_call(&hp[i], 7u + o[3] % 249u, o[4], o[5], o[6], o[7]);
            CHECK(r.r[0] == RET_FAILURE && r.r[1] == VMUX_NOSUPPORT);
        } else {
            call_command(i, o);
        }
        break;
    case 12:
        advance(o);
        break;
    case 13:
        inject(i, o);
        break;
    default:
        manage(i, o);
        break;
    }
    if (rounds == 0) {
        sim_settle();
    } else {
        for (unsigned k = 1; k < rounds; k++) {
            sim_run_due();
            kernel_loop_once();
        }
    }
    TRACE("op %u p%u [%02x %02x %02x %02x %02x %02x]%s -> %lx %lx | state %d break %lu "
          "grants %lu\n",
          kind, i, o[2], o[3], o[4], o[5], o[6], o[7], step.own < 0 ? "" : " call",
          (unsigned long)hp[i].last_return.r[0], (unsigned long)hp[i].last_return.r[1],
          proc(i)->state, (unsigned long)(proc(i)->app_break - proc(i)->ram_start),
          (unsigned long)(proc(i)->kernel_break - proc(i)->ram_start));
    TRACE("    queued %u %u %u, pushed %u %u %u\n", proc(0)->queue_count, proc(1)->queue_count,
          proc(2)->queue_count, hp[0].upcall_count, hp[1].upcall_count, hp[2].upcall_count);
    check_step();
}

/* An allow length byte (pick_len) for n: n below 128, or a multiple of 16. */
static uint8_t len_byte(unsigned n)
{
    return (uint8_t)(n < 128 ? n : 128u + n / 16u);
}

/*
 * Operation 15: a few calls the drivers' protocols need in a row, so that
 * the fuzzer reaches deep states often (each call is a step of its own,
 * checked as any other):
 *   0 reserve a key register and load the process's key into it
 *   1 allow an input, an output, an iv, and run a crypt on the newest handle
 *   2 console write, 3 console read (allow, then command)
 *   4 subscribe every upcall of a driver
 *   5 ADC buffered run (one or two buffers)
 *   6 subscribe the alarm and set it
 *   7 the peer sends every process a frame
 *   8 subscribe the buttons, enable one, press it
 *   9 subscribe GPIO, a pin as an input with a pull and edges, drive it
 *  10 allow an RNG buffer, subscribe, ask for bytes
 *  11 SPI: allow out and in, choose a chip, transfer
 *  12 I2C: allow a buffer, a write, read or write-then-read to one of
 *     the board's addresses (or any)
 *  13 subscribe the temperature and read it
 *  14 screen: power on, time passes, a frame (anywhere), allow pixels,
 *     write or fill
 *  15 SPI: hold the select, transfer twice, release; or a bus fault
 */
static void run_macro(const uint8_t *o)
{
    uint8_t i = o[1], seq[6][OP_SIZE];
    unsigned n = 0;
#define SEQ(...)                                                 \
    do {                                                         \
        const uint8_t op_[OP_SIZE] = { __VA_ARGS__ };            \
        memcpy(seq[n++], op_, OP_SIZE);                          \
    } while (0)
    static const uint8_t addresses[] = { 0x48, 0x50, 0x51, 0x22 };
    switch (o[2] % 18u) {
    case 0:
        SEQ(1, i, D_CRYPTO, CRYPTO_CMD_RESERVE);
        SEQ(7, i, D_CRYPTO, CRYPTO_ALLOW_RO_KEY, 5, 0, 0, AES128_KEY_SIZE);
        SEQ(1, i, D_CRYPTO, CRYPTO_CMD_LOAD_KEY, ARG_NEWEST_HANDLE, 0);
        SEQ(0, i, D_CRYPTO, CRYPTO_UPCALL_DONE, 1, o[3]);
        break;
    case 1:
        SEQ(7, i, D_CRYPTO, CRYPTO_ALLOW_RO_INPUT, 0, o[3], 0, len_byte(16u * (1u + o[4] % 8u)));
        SEQ(5, i, D_CRYPTO, CRYPTO_ALLOW_RW_OUTPUT, 0, o[5], 0, len_byte(CRYPTO_DRIVER_MAX_LEN));
        SEQ(7, i, D_CRYPTO, CRYPTO_ALLOW_RO_IV, 0, o[6], 0, AES_BLOCK_SIZE);
        SEQ(1, i, D_CRYPTO, CRYPTO_CMD_CRYPT, ARG_VALUE, o[7] % 5u, ARG_NEWEST_HANDLE, 0);
        break;
    case 2:
        SEQ(7, i, D_CONSOLE, CONSOLE_ALLOW_RO_WRITE, 0, o[3], o[4] & 3u, o[5]);
        SEQ(1, i, D_CONSOLE, CONSOLE_CMD_WRITE, ARG_VALUE, o[6]);
        break;
    case 3:
        SEQ(5, i, D_CONSOLE, CONSOLE_ALLOW_RW_READ, 0, o[3], o[4] & 3u, o[5] % 80u);
        SEQ(1, i, D_CONSOLE, CONSOLE_CMD_READ, ARG_VALUE, o[6] % 80u);
        break;
    case 4:
        for (uint8_t num = 0; num < drivers[o[3] % NDRV]->upcall_count; num++)
            SEQ(0, i, o[3] % NDRV, num, 1, (uint8_t)(16u * (num + 1u)));
        break;
    case 5:
        SEQ(5, i, D_ADC, 0, 0, o[3], 0, o[4]);
        SEQ(5, i, D_ADC, 1, 0, o[5], 0, o[4]);
        SEQ(1, i, D_ADC, ADC_CMD_BUFFER + (o[6] & 1u), ARG_VALUE, o[7] % 9u, ARG_THOUSANDS,
            1u + o[6] % 50u);
        break;
    case 6:
        SEQ(0, i, D_ALARM, ALARM_UPCALL_FIRED, 1, 16);
        SEQ(1, i, D_ALARM, ALARM_CMD_SET_RELATIVE, ARG_SHIFTED | (o[3] % 24u) << 3, o[4]);
        break;
    case 7:
        for (uint8_t j = 0; j < NPROC; j++)
            SEQ(13, j, o[3], 0, 0, o[4]);
        break;
    case 8:
        SEQ(0, i, D_BUTTON, BUTTON_UPCALL, 1, 48);
        SEQ(1, i, D_BUTTON, BUTTON_CMD_ENABLE, ARG_VALUE, o[3] % 4u);
        SEQ(13, i, 0, 0x80, o[3] % 4u, 3, o[4]);
        break;
    case 9:
        SEQ(0, i, D_GPIO, GPIO_UPCALL, 1, 64);
        SEQ(1, i, D_GPIO, GPIO_CMD_INPUT, ARG_VALUE, o[3] % 5u, ARG_VALUE, o[4] % 4u);
        SEQ(1, i, D_GPIO, GPIO_CMD_INTERRUPT, ARG_VALUE, o[3] % 5u, ARG_VALUE, o[5] % 4u);
        SEQ(13, i, 0, 0x80, NBUTTON + o[3] % 5u, o[6], o[7]);
        break;
    case 10:
        SEQ(5, i, D_RNG, RNG_ALLOW_RW_BUFFER, 0, o[3], o[4] & 3u, o[5]);
        SEQ(0, i, D_RNG, RNG_UPCALL_DONE, 1, o[6]);
        SEQ(1, i, D_RNG, RNG_CMD_GET, ARG_VALUE, o[7]);
        break;
    case 11:
        SEQ(0, i, D_SPI, 0, 1, 96);
        SEQ(7, i, D_SPI, 0, 0, o[3], 0, o[4] % 100u);
        SEQ(5, i, D_SPI, 0, 0, o[5], 0, (o[6] & 1) ? 0 : o[4] % 100u);
        SEQ(1, i, D_SPI, SPI_CMD_SELECT, ARG_VALUE, o[7] % 4u);
        SEQ(1, i, D_SPI, SPI_CMD_TRANSFER, ARG_VALUE, o[4] % 100u);
        break;
    case 12:
        SEQ(0, i, D_I2C, 0, 1, 112);
        SEQ(5, i, D_I2C, 1, 0, o[3], 0, o[4] % 40u);
        SEQ(1, i, D_I2C, I2C_CMD_WRITE + o[5] % 3u, ARG_VALUE,
            (o[6] & 4) ? o[6] : addresses[o[6] % 4u], ARG_VALUE, o[7] % 40u);
        break;
    case 13:
        SEQ(0, i, D_TEMP, 0, 1, 128);
        SEQ(1, i, D_TEMP, TEMPERATURE_CMD_READ);
        break;
    case 14:
        SEQ(0, i, D_SCREEN, 0, 1, 144);
        SEQ(1, i, D_SCREEN, SCREEN_CMD_POWER, ARG_VALUE, 1);
        SEQ(12, i, o[5], 0, 1);
        if (o[7] & 2) /* x << 16, or y; w << 16 | h mostly too big: refused */
            SEQ(1, i, D_SCREEN, 243, ARG_SHIFTED | (o[3] & 0x80u), o[3], 7, o[4]);
        SEQ(7, i, D_SCREEN, 0, 0, o[5], 0, o[6] % 100u);
        SEQ(1, i, D_SCREEN, (o[7] & 1) ? 245 : 244, ARG_VALUE, o[6] % 100u);
        break;
    case 15: /* a key-value request: key, value, where a get goes */
        SEQ(0, i, D_KV, KV_UPCALL_DONE, 1, 144);
        SEQ(7, i, D_KV, KV_ALLOW_RO_KEY, 0, (o[3] & 1) ? SHARED_OFF + (o[3] >> 1) % 4u : o[3],
            0, 1 + o[4] % 4u);
        SEQ(7, i, D_KV, KV_ALLOW_RO_VALUE, 0, o[5], 0, o[4] % 70u);
        SEQ(5, i, D_KV, KV_ALLOW_RW_VALUE, 0, o[6], 0, o[4] % 70u);
        SEQ(1, i, D_KV, 1 + o[7] % 6u);
        break;
    case 16: /* isolated storage: a read or a write at an offset */
        SEQ(0, i, D_ISO, o[7] % 3u, 1, 160);
        SEQ(7, i, D_ISO, ISOLATED_ALLOW_RO_WRITE, 0, o[3], 0, o[4]);
        SEQ(5, i, D_ISO, ISOLATED_ALLOW_RW_READ, 0, o[5], 0, o[4]);
        SEQ(1, i, D_ISO, 1 + o[7] % 3u, ARG_SHIFTED | 3u << 3, o[6]); /* offset o[6] * 8 */
        break;
    default:
        if (o[7] & 1) {
            SEQ(13, i, 0, 0x40, o[4], o[5], o[6]);
            break;
        }
        SEQ(1, i, D_SPI, SPI_CMD_HOLD);
        SEQ(7, i, D_SPI, 0, 0, o[3], 0, o[4] % 100u);
        SEQ(1, i, D_SPI, SPI_CMD_TRANSFER, ARG_VALUE, o[4] % 100u);
        SEQ(12, i, o[5], 0, 1);
        SEQ(1, i, D_SPI, SPI_CMD_TRANSFER, ARG_VALUE, o[4] % 100u);
        SEQ(1, i, D_SPI, SPI_CMD_RELEASE);
        break;
    }
#undef SEQ
    for (unsigned k = 0; k < n; k++)
        run_one(seq[k]);
}

static void run_op(const uint8_t *o)
{
    if (o[0] % 16u == 15)
        run_macro(o);
    else
        run_one(o);
}

/* ------------------------------------------------------------ setup */

/* Who is who in storage: by name, p0 and p1 with write ids 1 and 2
 * (each reading and changing its own items), p2 with no permissions. */
static bool storage_identify(const struct process *p, struct storage_identity *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", p->name);
    for (uint32_t i = 0; i < 2; i++)
        if (strcmp(p->name, names[i]) == 0) {
            out->has_permissions = true;
            out->perms.write_id = out->perms.read_ids[0] = out->perms.modify_ids[0] = i + 1;
            out->perms.read_count = out->perms.modify_count = 1;
        }
    return true;
}

static void storage_boot(void)
{
    memset(disk_cells, HIL_BLOCK_ERASED, sizeof disk_cells);
    CHECK(sim_block_init_memory(&disk, disk_cells, DISK_BLOCKS) == VMUX_SUCCESS);
    virtual_alarm_init(&storage_watchdog, &amux);
    CHECK(storage_mux_init(&stmux, &disk.hil, storage_slots, storage_rr, CLIENTS,
                           &storage_watchdog.hil, BUS_TIMEOUT_US) == VMUX_SUCCESS);
    struct kv_config cfg = { kv_index,       32,  kv_owners, 4,    kv_block_state,
                             512,            kv_slots, kv_rr, CLIENTS };
    CHECK(kv_store_init(&kv, &stmux, client_register_kernel("kv"), test_board_cap_storage_window(),
                        0, LOG_BLOCKS, &cfg) == VMUX_SUCCESS);
    CHECK(regions_init(&regions, &stmux, client_register_kernel("regions"),
                       test_board_cap_storage_window(), LOG_BLOCKS, region_slots, NPROC, 2,
                       region_clients, region_rr, CLIENTS, NULL) == VMUX_SUCCESS);
    kv_store_mount(&kv);
    regions_mount(&regions);
    kv_driver_init(&kv_drv, &kv, storage_identify);
    isolated_storage_driver_init(&iso_drv, &regions, storage_identify);
    drivers[D_KV] = &kv_drv.driver;
    drivers[D_ISO] = &iso_drv.driver;
}

static void boot(void)
{
    test_board_reset(0);
    struct sim_uart_config ucfg = { .backend = SIM_UART_MEMORY, .baud = 1000000 };
    CHECK(sim_uart_init(&wire, &ucfg) == VMUX_SUCCESS);
    uart_mux_init(&umux, &wire.hil, uart_slots, uart_rr, CLIENTS);
    CHECK(uart_mux_start(&umux) == VMUX_SUCCESS);
    CHECK(crypto_engine_init(&engine, key_regs, KEY_REGS) == VMUX_SUCCESS);
    CHECK(crypto_mux_init(&cmux, &engine.hil, crypto_slots, crypto_rr, CLIENTS) == VMUX_SUCCESS);
    CHECK(sim_alarm_init(&alarm_hw, 0) == VMUX_SUCCESS);
    alarm_mux_init(&amux, &alarm_hw.hil, alarm_heap, CLIENTS);
    virtual_alarm_init(&adc_watchdog, &amux);
    struct sim_adc_config acfg = { .seed = 0x5eed };
    CHECK(sim_adc_init(&adc_hw, &acfg) == VMUX_SUCCESS);
    CHECK(adc_mux_init(&admux, &adc_hw.hil, &adc_watchdog.hil, adc_slots, adc_rr, CLIENTS) ==
          VMUX_SUCCESS);
    alarm_driver_init(&alarm_drv, &amux);
    console_driver_init(&console_drv, &umux);
    adc_driver_init(&adc_drv, &admux, test_board_cap_adc_continuous());
    crypto_driver_init(&crypto_drv, &cmux);
    CHECK(sim_gpio_init(&board_pins, NLED + NBUTTON) == VMUX_SUCCESS);
    CHECK(sim_gpio_init(&header, NGPIO) == VMUX_SUCCESS);
    CHECK(led_driver_init(&led_drv, leds, led_holders, NLED) == VMUX_SUCCESS);
    CHECK(button_driver_init(&button_drv, buttons, NBUTTON) == VMUX_SUCCESS);
    CHECK(gpio_driver_init(&gpio_drv, gpio_pins, gpio_holders, NGPIO) == VMUX_SUCCESS);
    CHECK(sim_gpio_init(&selects, NCHIP) == VMUX_SUCCESS);
    CHECK(sim_spi_init(&spi_hw) == VMUX_SUCCESS);
    for (unsigned c = 0; c < NCHIP; c++)
        sim_spi_shift_attach(&spi_hw, &shifts[c], first_byte[c], &selects, c, false, NULL, 0);
    CHECK(sim_i2c_init(&i2c_hw) == VMUX_SUCCESS);
    sim_tmp105_attach(&i2c_hw, &sensor, i2c_chips[0].address);
    for (unsigned e = 0; e < 2; e++)
        CHECK(sim_at24c_attach(&i2c_hw, &eeproms[e], i2c_chips[1 + e].address, eeprom_cells[e],
                               sizeof eeprom_cells[e], NULL));
    virtual_alarm_init(&spi_watchdog, &amux);
    virtual_alarm_init(&i2c_watchdog, &amux);
    CHECK(spi_mux_init(&smux, &spi_hw.hil, spi_slots, spi_rr, CLIENTS, &spi_watchdog.hil,
                       BUS_TIMEOUT_US) == VMUX_SUCCESS);
    CHECK(i2c_mux_init(&imux, &i2c_hw.hil, i2c_slots, i2c_rr, CLIENTS, &i2c_watchdog.hil,
                       BUS_TIMEOUT_US) == VMUX_SUCCESS);
    CHECK(tmp105_init(&thermometer, &imux, client_register_kernel("sensor"),
                      test_board_cap_bus_device(), i2c_chips[0].address) == VMUX_SUCCESS);
    spi_driver_init(&spi_drv, &smux, test_board_cap_bus_device(), chips, NCHIP);
    i2c_driver_init(&i2c_drv, &imux, test_board_cap_bus_device(), i2c_chips, NI2C);
    temperature_driver_init(&temp_drv, &thermometer);
    drivers[D_SPI] = &spi_drv.driver;
    drivers[D_I2C] = &i2c_drv.driver;
    drivers[D_TEMP] = &temp_drv.driver;
    CHECK(sim_screen_init(&screen_hw) == VMUX_SUCCESS);
    virtual_alarm_init(&screen_watchdog, &amux);
    CHECK(screen_mux_init(&scmux, &screen_hw.hil, screen_slots, screen_rr, CLIENTS,
                          &screen_watchdog.hil, BUS_TIMEOUT_US) == VMUX_SUCCESS);
    screen_driver_init(&screen_drv, &scmux, test_board_cap_screen_window(), windows, 3);
    drivers[D_SCREEN] = &screen_drv.driver;
    drivers[D_LED] = &led_drv.driver;
    drivers[D_BUTTON] = &button_drv.driver;
    drivers[D_GPIO] = &gpio_drv.driver;
    struct sim_entropy_config ecfg = { .generate = rng_generate };
    CHECK(sim_entropy_init(&trng, &ecfg) == VMUX_SUCCESS);
    CHECK(rng_mux_init(&rmux, &trng.hil, rng_slots, rng_rr, CLIENTS) == VMUX_SUCCESS);
    rng_driver_init(&rng_drv, &rmux);
    CHECK(low_level_debug_driver_init(&lld_drv, &lld_sink) == VMUX_SUCCESS);
    lld_room = 1u << 20;
    rng_fills = 0;
    drivers[D_ALARM] = &alarm_drv.driver;
    drivers[D_CONSOLE] = &console_drv.driver;
    drivers[D_ADC] = &adc_drv.driver;
    drivers[D_CRYPTO] = &crypto_drv.driver;
    drivers[D_RNG] = &rng_drv.driver;
    drivers[D_LLD] = &lld_drv.driver;
    storage_boot();
    harness_reset();
    for (unsigned d = 0; d < NDRV; d++) {
        CHECK(process_register_driver(drivers[d]) == VMUX_SUCCESS);
        CHECK(drivers[d]->upcall_count <= NUM_MAX && drivers[d]->allow_rw_count <= NUM_MAX &&
              drivers[d]->allow_ro_count <= NUM_MAX);
    }
    for (unsigned i = 0; i < NPROC; i++) {
        CHECK(harness_spawn(&hp[i], names[i], i == 2 ? RESTART_WITH_BACKOFF : RESTART_NEVER));
        memset(pattern[i], tag[i], HARNESS_RAM);
        for (unsigned k = 0; k < AES128_KEY_SIZE; k++)
            pattern[i][KEY_OFF + k] = KEY_BYTE(i, k);
        memset(&pattern[i][SHARED_OFF], SHARED_BYTE, SHARED_LEN);
        memset(hp[i].flash, tag[i], HARNESS_FLASH);
        memset(&model[i], 0, sizeof model[i]);
        model_reset(i);
        model[i].bus_taint = false;
    }
    seen_count = 0;
    for (unsigned ch = 0; ch < 256; ch++)
        channel_owner[ch] = -1;
    uart_frame_decoder_init(&peer);
    advance_budget = ADVANCE_BUDGET_NS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t ops = size / OP_SIZE;
    if (ops > OPS_MAX)
        return 0;
    if (trace < 0)
        trace = getenv("FUZZ_SYSCALLS_TRACE") != NULL;
    memset(&stats, 0, sizeof stats);
    lld_lines = 0;
    boot();
    for (size_t k = 0; k < ops; k++)
        run_op(data + k * OP_SIZE);
    /* let everything in flight finish, then check once more */
    static const uint8_t drain[OP_SIZE] = { 12, 0, 0xff, 0xff, 10, 0, 0, 0 };
    advance_budget = ADVANCE_MAX_NS;
    run_op(drain);
    for (unsigned i = 0; i < NPROC; i++)
        TRACE("p%u: %u frames (%u bytes) sent, %u console bytes, %u ADC bytes, %u random bytes, "
              "%u bus bytes and %u stored bytes received, %u crypto results checked\n",
              i, stats.frames[i], stats.frame_bytes[i], stats.console_bytes[i], stats.adc_bytes[i],
              stats.rng_bytes[i], stats.bus_bytes[i], stats.stored_bytes[i],
              stats.crypt_checked[i]);
    TRACE("%u control frames, %u loaded key registers checked, %u debug lines, %u pixels "
          "drawn, %u frames outside a window refused\n",
          stats.control_frames, stats.keys_checked, lld_lines, scmux.counters.pixels,
          scmux.counters.outside);
    sim_uart_close(&wire);
    return 0;
}
