/*
 * The kernel's demo clients (demo.h): ticker, crypto, udp-echo and adc,
 * each a kernel client of a virtualizer with a channel of its own on the
 * UART mux. A board that does not call demo_clients_start links none of
 * this, as the lm3s6965evb's image of the kernel with every virtualizer
 * (make lm3s6965evb-size reports both images).
 */
#include "boards/common/demo.h"

#include <inttypes.h>
#include <string.h>

#include "boards/common/console.h"
#include "kernel/fmt.h"

static struct demo_board board;
static struct console *mgmt;

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
    console_printf(&t->console, "tick %u (counter 0x%08" PRIx32 ")\n", t->ticks, hil_alarm_now(a));
    hil_alarm_set(a, hil_alarm_now(a), hil_alarm_ms_to_ticks(a, board.ticker_period_ms));
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
        vmux_snprintf(hex + 2 * i, 3, "%02x", out[i]);
    console_printf(&d->console, "AES-128-CTR(\"%s\") = %s (%s)\n", (const char *)d->text, hex,
                   vmux_err_name(status));
    vmux_err_t forged = crypto_mux_load_key(c, d->slot + 0x100u, d->text);
    console_printf(&d->console, "using a slot I do not hold: refused with %s\n",
                   vmux_err_name(forged));
    crypto_mux_release(c, d->slot);
    console_printf(&d->console, "released slot %u; the engine wiped it\n", (unsigned)(d->slot & 0xffu));
}

static const struct crypto_mux_client_ops crypto_ops = { crypto_done };

static void crypto_demo_start(void)
{
    struct crypto_demo *d = &crypto_demo;
    static const uint8_t key[16] = "vmux-demo-key-01";
    static const uint8_t iv[16] = { 0 };
    console_attach(&d->console, board.uart_mux, CLIENT_NAME("crypto"), NULL);
    crypto_mux_attach(board.crypto_mux, &d->client, d->console.mux_client.entry.id, &crypto_ops);
    vmux_err_t err = crypto_mux_reserve(&d->client, &d->slot);
    if (err != VMUX_SUCCESS) {
        console_printf(&d->console, "no key slot: %s\n", vmux_err_name(err));
        return;
    }
    console_printf(&d->console, "reserved key slot %u of %u\n", (unsigned)(d->slot & 0xffu),
                   board.crypto_mux->slot_count);
    static const char plain[] = "attack at dawn";
    crypto_mux_load_key(&d->client, d->slot, key);
    memcpy(d->text, plain, sizeof plain);
    crypto_mux_crypt(&d->client, d->slot, CRYPTO_CTR, iv, d->text, d->cipher, sizeof plain - 1);
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
    console_printf(&echo.console, "echoed %u bytes to %u.%u.%u.%u:%u (%s)\n", (unsigned)len,
                   (unsigned)(echo.reply_to.ip >> 24), (unsigned)(echo.reply_to.ip >> 16) & 0xff,
                   (unsigned)(echo.reply_to.ip >> 8) & 0xff, (unsigned)echo.reply_to.ip & 0xff,
                   echo.reply_to.port, vmux_err_name(status));
    echo_receive();
}

static const struct udp_client_ops echo_ops = { echo_sent, echo_received };

static void udp_echo_start(uint16_t port)
{
    console_attach(&echo.console, board.uart_mux, CLIENT_NAME("udp-echo"), NULL);
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

/* ------------------------------------------------------------ adc */

#define ADC_DEMO_SAMPLES 8u
#define ADC_DEMO_HZ 1000u

static struct adc_demo {
    struct console console;
    struct adc_mux_client client;
    uint16_t samples[ADC_DEMO_SAMPLES];
    int buffered;                  /* the buffered run was started */
} adc_demo;

static void adc_demo_sample(unsigned channel)
{
    vmux_err_t err = adc_mux_sample(&adc_demo.client, channel);
    console_printf(mgmt, "adc: sampling channel %u (%s)\n", channel, vmux_err_name(err));
}

static void adc_sample_done(struct adc_mux_client *c, unsigned channel, uint16_t value,
                            vmux_err_t status)
{
    struct adc_demo *d = container_of(c, struct adc_demo, client);
    console_printf(&d->console, "channel %u: %u (%s)\n", channel, value, vmux_err_name(status));
    if (d->buffered)
        return;
    /* Then a buffered run, which needs the capability the board minted. */
    d->buffered = 1;
    vmux_err_t err = adc_mux_sample_buffer(c, board.adc_continuous, channel, ADC_DEMO_HZ,
                                           d->samples, ADC_DEMO_SAMPLES);
    if (err != VMUX_SUCCESS)
        console_printf(&d->console, "buffered run refused: %s\n", vmux_err_name(err));
}

static void adc_buffer_done(struct adc_mux_client *c, unsigned channel, uint16_t *buf,
                            size_t count, vmux_err_t status)
{
    struct adc_demo *d = container_of(c, struct adc_demo, client);
    char text[ADC_DEMO_SAMPLES * 6 + 1];
    size_t at = 0;
    for (size_t i = 0; i < count && i < ADC_DEMO_SAMPLES; i++)
        at += (size_t)vmux_snprintf(text + at, sizeof text - at, " %u", buf[i]);
    text[at] = '\0';
    console_printf(&d->console, "%u samples of channel %u at %u Hz:%s (%s)\n", (unsigned)count, channel,
                   ADC_DEMO_HZ, text, vmux_err_name(status));
}

static const struct adc_mux_client_ops adc_ops = { adc_sample_done, adc_buffer_done };

static void adc_demo_start(void)
{
    struct adc_demo *d = &adc_demo;
    console_attach(&d->console, board.uart_mux, CLIENT_NAME("adc"), NULL);
    vmux_err_t err = adc_mux_attach(board.adc_mux, &d->client, d->console.mux_client.entry.id,
                                    &adc_ops);
    if (err == VMUX_SUCCESS)
        err = adc_mux_sample(&d->client, 0);
    if (err != VMUX_SUCCESS)
        console_printf(&d->console, "cannot sample: %s\n", vmux_err_name(err));
}

/* ------------------------------------------------------------ thermo */

/* Once a second: the temperature, read through the TMP105's readers
 * (one reading shared with any process asking at the same time), and
 * the clock's time, read from the DS1338 through the I2C mux: both
 * kernel clients of the bus, by the board's capability. */
static struct thermo {
    struct console console;
    struct virtual_alarm alarm;
    struct hil_alarm_client alarm_client;
    struct tmp105_reader reader;
    struct i2c_device clock;
    uint8_t time[7];              /* the clock's registers 0-6, BCD */
    int32_t centi;
    vmux_err_t temperature_status, clock_status;
    unsigned waiting;             /* answers still to come this second */
} thermo;

static void thermo_report(struct thermo *t)
{
    if (--t->waiting)
        return;
    char temperature[16] = "?";
    if (t->temperature_status == VMUX_SUCCESS) {
        unsigned long a = (unsigned long)(t->centi < 0 ? -t->centi : t->centi);
        vmux_snprintf(temperature, sizeof temperature, "%s%lu.%02lu C", t->centi < 0 ? "-" : "",
                      a / 100u, a % 100u);
    }
    if (t->clock_status == VMUX_SUCCESS) {
        const uint8_t *r = t->time;
        console_printf(&t->console, "%s, 20%02x-%02x-%02x %02x:%02x:%02x\n", temperature, r[6],
                       r[5] & 0x1f, r[4] & 0x3f, r[2] & 0x3f, r[1] & 0x7f, r[0] & 0x7f);
    } else {
        console_printf(&t->console, "%s (temperature %s), clock %s\n", temperature,
                       vmux_err_name(t->temperature_status), vmux_err_name(t->clock_status));
    }
}

static void thermo_temperature(struct tmp105_reader *r, int32_t centi, vmux_err_t status)
{
    struct thermo *t = container_of(r, struct thermo, reader);
    t->centi = centi;
    t->temperature_status = status;
    thermo_report(t);
}

static void thermo_clock(struct i2c_device *d, uint8_t *buf, size_t read_len, vmux_err_t status)
{
    struct thermo *t = container_of(d, struct thermo, clock);
    (void)buf, (void)read_len;
    t->clock_status = status;
    thermo_report(t);
}

static const struct tmp105_reader_ops thermo_reader_ops = { thermo_temperature };
static const struct i2c_device_ops thermo_clock_ops = { thermo_clock };

static void thermo_fired(struct hil_alarm_client *self)
{
    struct thermo *t = container_of(self, struct thermo, alarm_client);
    struct hil_alarm *a = &t->alarm.hil;
    hil_alarm_set(a, hil_alarm_now(a), hil_alarm_ms_to_ticks(a, 1000));
    if (t->waiting)
        return; /* last second's answers are late: skip this one */
    t->waiting = 2;
    t->time[0] = 0; /* the seconds register, then the six after it */
    t->clock_status = i2c_mux_transfer(&t->clock, t->time, 1, sizeof t->time);
    if (t->clock_status != VMUX_SUCCESS)
        thermo_report(t);
    t->temperature_status = tmp105_read(&t->reader);
    if (t->temperature_status != VMUX_SUCCESS)
        thermo_report(t);
}

static void thermo_start(const struct demo_buses *b)
{
    struct thermo *t = &thermo;
    console_attach(&t->console, board.uart_mux, CLIENT_NAME("thermo"), NULL);
    tmp105_attach(b->thermometer, &t->reader, &thermo_reader_ops);
    i2c_mux_attach(b->i2c, &t->clock, t->console.mux_client.entry.id, b->cap, b->rtc_address,
                   &thermo_clock_ops);
    virtual_alarm_init(&t->alarm, board.alarm_mux);
    t->alarm_client.fired = thermo_fired;
    hil_alarm_set_client(&t->alarm.hil, &t->alarm_client);
    hil_alarm_set(&t->alarm.hil, hil_alarm_now(&t->alarm.hil),
                  hil_alarm_ms_to_ticks(&t->alarm.hil, 1000));
}

/* ------------------------------------------------------------ mgmt */

/* The leading decimal digits of text (0 for none); saturates. Small,
 * where strtoul would pull locale tables into a microcontroller image. */
static unsigned decimal(const char *text)
{
    unsigned v = 0;
    for (; *text >= '0' && *text <= '9'; text++)
        v = v > 100000u ? 1000000u : v * 10u + (unsigned)(*text - '0');
    return v;
}

/* "adc [CHANNEL]" on the management channel: a sample through the adc
 * client, its result on that client's channel. */
static bool adc_command(struct console *m, const char *line)
{
    (void)m;
    if (strncmp(line, "adc", 3) != 0 || (line[3] != '\0' && line[3] != ' '))
        return false;
    adc_demo_sample(line[3] ? decimal(line + 4) : 0u);
    return true;
}

/* ------------------------------------------------------------ start */

void demo_clients_start(const struct demo_board *b)
{
    board = *b;
    if (board.ticker_period_ms == 0)
        board.ticker_period_ms = DEMO_TICKER_PERIOD_MS;
    mgmt = demo_mgmt_console();
    console_attach(&ticker.console, board.uart_mux, CLIENT_NAME("ticker"), NULL);
    virtual_alarm_init(&ticker.alarm, board.alarm_mux);
    ticker.alarm_client.fired = ticker_fired;
    hil_alarm_set_client(&ticker.alarm.hil, &ticker.alarm_client);
    uint32_t first_ms = board.ticker_period_ms < 1000u ? board.ticker_period_ms : 1000u;
    hil_alarm_set(&ticker.alarm.hil, hil_alarm_now(&ticker.alarm.hil),
                  hil_alarm_ms_to_ticks(&ticker.alarm.hil, first_ms));

    crypto_demo_start();
    if (board.udp_echo_port)
        udp_echo_start(board.udp_echo_port);
    if (board.adc_mux) {
        adc_demo_start();
        demo_set_clients_command(adc_command);
    }
    if (board.buses && board.buses->rtc_address)
        thermo_start(board.buses);
}
