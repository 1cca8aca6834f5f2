/*
 * policy_probe: tries what the policy forbids and prints how each try was
 * refused.
 *   UDP     send before binding; bind port 2007 (udp_echo's); bind port 80
 *           (kept by the kernel); send from a port other than the bound
 *           one (the ABI carries a source endpoint; the kernel accepts
 *           only the bound one)
 *   console read input for a second: only this process's own channel
 *           reaches it, so it sees nothing typed elsewhere
 *   ADC     continuous sampling without the capability
 *   crypto  use key slots by guessed handles (this process holds none)
 *   storage read and delete storage_demo's boot counter (its write id,
 *           which this app's permissions do not list); read past the
 *           end of its own region
 *   buses   read the EEPROM (sensor-a's) and an empty I2C address (the
 *           same answer: a process cannot even probe the bus), select
 *           the SD card's chip (the kernel's) and transfer on SPI (no
 *           chip is given to this process)
 *   screen  power and draw on the screen (no window is given to this
 *           process: it has no screen at all)
 */
#include "libvmux.h"

#define PROBE_PORT 4000

static unsigned attempts, refusals;

/* Counts an attempt; "refused with NAME" or "NOT refused", in buf. */
static const char *verdict(int err, char buf[32])
{
    attempts++;
    if (err == VMUX_OK)
        return "NOT refused";
    refusals++;
    vmux_snprintf(buf, 32, "refused with %s", vmux_error_name(err));
    return buf;
}

static void report(const char *what, int err)
{
    char v[32];
    vmux_printf("%s: %s\n", what, verdict(err, v));
}

/* ------------------------------------------------------------ UDP */

static void probe_udp(void)
{
    uint8_t addr[1][16];
    uint32_t total = 0;
    struct vmux_udp_endpoint echo = { { 0 }, 2007 };
    if (vmux_udp_interfaces(addr, 1, &total) == VMUX_OK && total > 0)
        vmux_memcpy(echo.addr, addr[0], sizeof echo.addr);

    report("UDP send before binding a port", vmux_udp_send_to(&echo, "x", 1));
    report("UDP bind port 2007 (udp_echo's)", vmux_udp_bind(2007));
    report("UDP bind port 80 (kept by the kernel)", vmux_udp_bind(80));

    int err = vmux_udp_bind(PROBE_PORT);
    if (err != VMUX_OK) {
        vmux_printf("UDP bind port %u failed (%s); no spoofing test\n", PROBE_PORT,
                    vmux_error_name(err));
        return;
    }
    struct vmux_udp_endpoint forged = echo; /* udp_echo's own endpoint as the source */
    report("UDP send from port 2007 while bound to 4000",
           vmux_udp_send_from(&forged, &echo, "x", 1));
    vmux_udp_unbind();
}

/* ------------------------------------------------------------ console */

static volatile bool read_over, timed_out;
static size_t read_len;

static void on_read(int status, size_t len, void *ctx)
{
    (void)status;
    (void)ctx;
    read_len = len;
    read_over = true;
}

static void on_timeout(uint32_t now, void *ctx)
{
    (void)now;
    (void)ctx;
    timed_out = true;
}

static void probe_console(void)
{
    char input[16];
    int err = vmux_console_read_async(input, sizeof input, on_read, NULL);
    if (err == VMUX_OK)
        err = vmux_alarm_set_timeout(1000, on_timeout, NULL);
    if (err != VMUX_OK) {
        vmux_printf("console read could not start: %s\n", vmux_error_name(err));
        return;
    }
    while (!read_over && !timed_out)
        vmux_yield_wait();
    if (!read_over) {
        vmux_console_read_abort(); /* the read ends with what came so far */
        vmux_yield_until(&read_over);
    } else {
        vmux_alarm_cancel();
    }
    attempts++;
    if (read_len == 0)
        refusals++;
    vmux_printf("console input read for 1 s: received %u byte(s) \"%.*s\" "
                "(only this process's own channel reaches it)\n",
                (unsigned)read_len, (int)read_len, input);
}

/* ------------------------------------------------------------ ADC */

static void ignore_sample(uint32_t channel, uint32_t value, void *ctx)
{
    (void)channel;
    (void)value;
    (void)ctx;
}

static void probe_adc(void)
{
    int err = vmux_adc_continuous(0, 10, ignore_sample, NULL);
    report("ADC continuous sampling without the capability", err);
    if (err == VMUX_OK)
        vmux_adc_stop();
}

/* ------------------------------------------------------------ crypto */

static void probe_crypto(void)
{
    /* A handle is a slot number in bits 0-7 and the generation of its
     * reservation above: guess small ones of both. */
    static const uint8_t key[VMUX_CRYPTO_KEY_SIZE] = { 0 };
    uint8_t block[VMUX_CRYPTO_BLOCK_SIZE] = { 0 }, out[VMUX_CRYPTO_BLOCK_SIZE];
    for (uint32_t generation = 0; generation <= 2; generation++) {
        for (uint32_t slot = 0; slot < 4; slot++) {
            uint32_t handle = generation << 8 | slot;
            size_t len;
            int load = vmux_crypto_load_key(handle, key);
            int encrypt = vmux_crypto_crypt(handle, VMUX_CRYPTO_ECB_ENCRYPT, NULL, block, out,
                                            sizeof block, &len);
            char v1[32], v2[32];
            vmux_printf("crypto with guessed handle 0x%03x: load key %s, "
                        "encrypt %s\n",
                        (unsigned)handle, verdict(load, v1), verdict(encrypt, v2));
        }
    }
}

/* ------------------------------------------------------------ storage */

static void probe_storage(void)
{
    static const char key[] = "boots"; /* storage_demo's */
    uint8_t value[8];
    size_t len;
    report("KV get storage_demo's \"boots\"",
           vmux_kv_get(key, sizeof key - 1, value, sizeof value, &len));
    report("KV delete storage_demo's \"boots\"", vmux_kv_delete(key, sizeof key - 1));
    report("isolated storage read past the end of its region",
           vmux_storage_read(0xffffff00u, value, sizeof value));
}

/* ------------------------------------------------------------ buses */

static void probe_buses(void)
{
    uint8_t buf[4] = { 0 };
    report("I2C read of the EEPROM (sensor-a's, 0x50)", vmux_i2c_write_read(0x50, buf, 2, 4));
    report("I2C read of an empty address (0x22)", vmux_i2c_read(0x22, buf, 1));
    report("SPI select of the SD card (the kernel's)", vmux_spi_select(0));
    report("SPI transfer", vmux_spi_transfer(buf, buf, sizeof buf));
}

/* ------------------------------------------------------------ screen */

static void probe_screen(void)
{
    report("screen power (no window given)", vmux_screen_power(1));
    report("screen fill", vmux_screen_fill(15));
}

int main(void)
{
    vmux_printf("trying what the policy forbids\n");
    probe_udp();
    probe_console();
    probe_adc();
    probe_crypto();
    probe_storage();
    probe_buses();
    probe_screen();
    vmux_printf("%u of %u attempts refused\n", refusals, attempts);
    return refusals == attempts ? 0 : 1;
}
