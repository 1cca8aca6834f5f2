/*
 * libvmux against a fake kernel: the system calls each API makes, their
 * encoding (allow numbers, command arguments, UDP endpoints), results and
 * upcalls; then the demo apps themselves, loaded from build/test/apps/
 * as the host board's loader will load them.
 *
 * The fake runs in the caller: a yield that would block lets time pass
 * (pending completions arrive, then the alarm fires), and upcalls run
 * inside the yield, as on the host board. Like the kernel, it drops an
 * upcall whose slot holds the null upcall unless the process is waiting
 * for exactly that one, and some drivers complete during the command
 * itself, so a blocking call that did not subscribe first would hang.
 * A process that blocks with nothing left to happen is reported as stuck.
 * The drivers answer as docs/syscalls.md describes vmux's (UDP: as Tock's
 * 0x30002, vmux's driver being still to come).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "userland/libvmux/libvmux.h"

/* ------------------------------------------------------------ fake kernel */

enum { D_ALARM, D_CONSOLE, D_ADC, D_UDP, D_CRYPTO, D_RNG, D_DEBUG, D_COUNT };
static const uint32_t driver_numbers[D_COUNT] = { 0x0, 0x1, 0x5, 0x30002, 0x40100, 0x40001, 0x8 };

#define SLOTS 4
#define RAM_START 0x20000000u
#define HELD_HANDLE 0x101u

static const uint8_t iface_addr[16] = { 0xfe, 0x80, [15] = 1 };

struct buffer {
    uint8_t *p;
    size_t len;
};

struct pending_upcall {
    uint32_t driver, sub, a[3];
};

enum { LEFT_EXIT = 1, LEFT_STOPPED, LEFT_STUCK };

static struct fake {
    struct {
        uintptr_t fn, appdata;
    } up[D_COUNT][SLOTS];
    struct buffer rw[D_COUNT][SLOTS], ro[D_COUNT][SLOTS];
    struct pending_upcall queue[64];
    unsigned queued;
    bool waiting, wait_done;
    uint32_t wait_driver, wait_sub, wait_values[3];

    uint32_t hz, now, expiry;
    bool alarm_armed;
    unsigned alarm_sets, alarm_fires, stop_after_fires;
    uint32_t last_dt;

    char out[8192];
    size_t out_len, write_chunk;
    unsigned writes;
    const char *input;
    size_t input_pos, read_len;
    bool no_grant_room[D_COUNT]; /* the driver's grant does not fit: NOMEM */
    bool read_pending;

    uint32_t adc_value, adc_channel;
    bool adc_pending, adc_continuous_sample_first;

    bool udp_bound, echo_port_taken;
    uint8_t udp_local[18];
    struct {
        bool pending;
        uint8_t from[16];
        uint16_t port;
        char data[64];
    } udp_in;
    struct {
        uint8_t cfg[36];
        char data[256];
        size_t len;
        unsigned count;
    } udp_sent;

    uint32_t held;
    bool key_loaded, crypt_pending;
    uint8_t key[16];
    uint32_t crypt_len;

    bool rng_pending;
    uint32_t rng_len;
    uint8_t rng_next;               /* the next "random" byte */

    struct debug_call {
        uint32_t cmd, a, b;
    } debug[8];
    unsigned debug_count;

    jmp_buf leave;
    uint32_t exit_code;
    const char *stuck;
} fk;

static struct vmux_regs regs(uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    return (struct vmux_regs){ r0, r1, r2, r3 };
}

static struct vmux_regs ok(void)
{
    return regs(VMUX_SUCCESS, 0, 0, 0);
}

static struct vmux_regs ok_u32(uint32_t v)
{
    return regs(VMUX_SUCCESS_U32, v, 0, 0);
}

static struct vmux_regs refuse(int err)
{
    return regs(VMUX_FAILURE, (uintptr_t)err, 0, 0);
}

static int driver_index(uintptr_t number)
{
    for (int d = 0; d < D_COUNT; d++)
        if (driver_numbers[d] == number)
            return d;
    return -1;
}

static void schedule(int d, uint32_t sub, uint32_t a0, uint32_t a1, uint32_t a2)
{
    uint32_t number = driver_numbers[d];
    if (fk.waiting && !fk.wait_done && fk.wait_driver == number && fk.wait_sub == sub) {
        fk.wait_done = true;
        fk.wait_values[0] = a0;
        fk.wait_values[1] = a1;
        fk.wait_values[2] = a2;
        return;
    }
    if (fk.up[d][sub].fn == 0)
        return; /* the null upcall: nothing queued */
    assert_true(fk.queued < sizeof fk.queue / sizeof fk.queue[0]);
    fk.queue[fk.queued++] = (struct pending_upcall){ number, sub, { a0, a1, a2 } };
}

static void drop_queued(uint32_t number, uint32_t sub)
{
    unsigned kept = 0;
    for (unsigned i = 0; i < fk.queued; i++)
        if (fk.queue[i].driver != number || fk.queue[i].sub != sub)
            fk.queue[kept++] = fk.queue[i];
    fk.queued = kept;
}

static void leave(int how, const char *why)
{
    fk.stuck = why;
    longjmp(fk.leave, how);
}

static void console_try_read(bool abort)
{
    size_t avail = fk.input ? strlen(fk.input) - fk.input_pos : 0;
    if (!abort && avail < fk.read_len)
        return;
    size_t n = avail < fk.read_len ? avail : fk.read_len;
    if (n > 0)
        memcpy(fk.rw[D_CONSOLE][1].p, fk.input + fk.input_pos, n);
    fk.input_pos += n;
    fk.read_pending = false;
    schedule(D_CONSOLE, 2, abort ? VMUX_ECANCEL : 0, (uint32_t)n, 0);
}

static void aes_crypt(const uint8_t *iv, const uint8_t *in, uint8_t *out, size_t len, bool ctr)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    assert_int_equal(EVP_EncryptInit_ex(ctx, ctr ? EVP_aes_128_ctr() : EVP_aes_128_ecb(), NULL,
                                        fk.key, iv),
                     1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    assert_int_equal(EVP_EncryptUpdate(ctx, out, &n, in, (int)len), 1);
    EVP_CIPHER_CTX_free(ctx);
}

/* Lets time pass until something happens; false when nothing can. */
static bool advance(void)
{
    if (fk.adc_pending) {
        fk.adc_pending = false;
        if (fk.adc_continuous_sample_first)
            schedule(D_ADC, 0, 1, fk.adc_channel, 999);
        schedule(D_ADC, 0, 0, fk.adc_channel, fk.adc_value);
        return true;
    }
    if (fk.crypt_pending) {
        fk.crypt_pending = false;
        schedule(D_CRYPTO, 0, 0, fk.crypt_len, 0);
        return true;
    }
    if (fk.rng_pending) { /* into the buffer allowed at completion, as the kernel */
        struct buffer *b = &fk.rw[D_RNG][0];
        uint32_t n = fk.rng_len < b->len ? fk.rng_len : (uint32_t)b->len;
        for (uint32_t i = 0; i < n; i++)
            b->p[i] = fk.rng_next++;
        fk.rng_pending = false;
        schedule(D_RNG, 0, b->len ? 0 : VMUX_ENOMEM, n, 0);
        return true;
    }
    struct buffer *rx = &fk.rw[D_UDP][0], *rx_cfg = &fk.rw[D_UDP][2];
    if (fk.udp_in.pending && fk.udp_bound && rx->p && rx_cfg->len == 36) {
        size_t n = strlen(fk.udp_in.data);
        fk.udp_in.pending = false;
        memcpy(rx->p, fk.udp_in.data, n < rx->len ? n : rx->len);
        memset(rx_cfg->p, 0, 36);
        memcpy(rx_cfg->p, fk.udp_in.from, 16);
        rx_cfg->p[16] = (uint8_t)(fk.udp_in.port >> 8); /* high byte first, as Tock */
        rx_cfg->p[17] = (uint8_t)fk.udp_in.port;
        schedule(D_UDP, 0, (uint32_t)n, 0, 0);
        return true;
    }
    if (fk.alarm_armed) {
        fk.alarm_armed = false;
        fk.now = fk.expiry;
        if (fk.stop_after_fires && ++fk.alarm_fires >= fk.stop_after_fires)
            leave(LEFT_STOPPED, "stopped after enough alarms");
        schedule(D_ALARM, 0, fk.now, fk.expiry, 0);
        return true;
    }
    return false;
}

static void run_upcall(void)
{
    struct pending_upcall u = fk.queue[0];
    memmove(fk.queue, fk.queue + 1, --fk.queued * sizeof fk.queue[0]);
    int d = driver_index(u.driver);
    vmux_upcall_fn fn = (vmux_upcall_fn)fk.up[d][u.sub].fn;
    fn(u.a[0], u.a[1], u.a[2], fk.up[d][u.sub].appdata);
}

static struct vmux_regs yield(uintptr_t kind, uintptr_t r1, uintptr_t r2)
{
    switch (kind) {
    case VMUX_YIELD_NO_WAIT: {
        bool ran = fk.queued > 0;
        if (r1)
            *(uint8_t *)r1 = ran;
        if (ran)
            run_upcall();
        return ok();
    }
    case VMUX_YIELD_WAIT:
        while (fk.queued == 0)
            if (!advance())
                leave(LEFT_STUCK, "yield-wait with nothing left to happen");
        run_upcall();
        return ok();
    case VMUX_YIELD_WAIT_FOR:
        for (unsigned i = 0; i < fk.queued; i++) {
            if (fk.queue[i].driver == r1 && fk.queue[i].sub == r2) {
                struct pending_upcall u = fk.queue[i];
                memmove(fk.queue + i, fk.queue + i + 1, (--fk.queued - i) * sizeof fk.queue[0]);
                return regs(u.a[0], u.a[1], u.a[2], 0);
            }
        }
        fk.waiting = true;
        fk.wait_done = false;
        fk.wait_driver = (uint32_t)r1;
        fk.wait_sub = (uint32_t)r2;
        while (!fk.wait_done)
            if (!advance())
                leave(LEFT_STUCK, "yield-wait-for an upcall that cannot come");
        fk.waiting = false;
        return regs(fk.wait_values[0], fk.wait_values[1], fk.wait_values[2], 0);
    default:
        return regs(0, 0, 0, 0);
    }
}

static struct vmux_regs command_alarm(uintptr_t cmd, uintptr_t a, uintptr_t b)
{
    switch (cmd) {
    case 1:
        return ok_u32(fk.hz);
    case 2:
        return ok_u32(fk.now);
    case 3:
        if (!fk.alarm_armed)
            return refuse(VMUX_EALREADY);
        fk.alarm_armed = false;
        return ok();
    case 6:
        fk.alarm_armed = true;
        fk.expiry = (uint32_t)(a + b);
        fk.last_dt = (uint32_t)b;
        fk.alarm_sets++;
        return ok_u32(fk.expiry);
    default:
        return refuse(VMUX_ENOSUPPORT);
    }
}

static struct vmux_regs command_console(uintptr_t cmd, uintptr_t a)
{
    switch (cmd) {
    case 1: {
        struct buffer *tx = &fk.ro[D_CONSOLE][1];
        size_t n = a < tx->len ? a : tx->len;
        if (fk.write_chunk && n > fk.write_chunk)
            n = fk.write_chunk;
        assert_true(fk.out_len + n < sizeof fk.out);
        memcpy(fk.out + fk.out_len, tx->p, n);
        fk.out_len += n;
        fk.writes++;
        schedule(D_CONSOLE, 1, (uint32_t)n, 0, 0); /* done at once */
        return ok();
    }
    case 2:
        if (a > 64)
            return refuse(VMUX_EINVAL);
        if (fk.read_pending)
            return refuse(VMUX_EBUSY);
        fk.read_pending = true;
        fk.read_len = a < fk.rw[D_CONSOLE][1].len ? a : fk.rw[D_CONSOLE][1].len;
        console_try_read(false);
        return ok();
    case 3:
        if (fk.read_pending)
            console_try_read(true);
        return ok();
    default:
        return refuse(VMUX_ENOSUPPORT);
    }
}

static struct vmux_regs command_adc(uintptr_t cmd, uintptr_t a)
{
    switch (cmd) {
    case 0:
        return ok_u32(2);
    case 1:
        if (a >= 2)
            return refuse(VMUX_ENODEVICE);
        if (fk.adc_pending)
            return refuse(VMUX_EBUSY);
        fk.adc_pending = true;
        fk.adc_channel = (uint32_t)a;
        return ok();
    case 2:
        return refuse(VMUX_ENOSUPPORT); /* no capability for runs on this board */
    case 5:
        return ok();
    case 101:
        return ok_u32(12);
    default:
        return refuse(VMUX_ENOSUPPORT);
    }
}

static struct vmux_regs command_udp(uintptr_t cmd, uintptr_t a)
{
    struct buffer *cfg = &fk.rw[D_UDP][1], *rx_cfg = &fk.rw[D_UDP][2];
    switch (cmd) {
    case 1:
        if (cfg->len != a * 16)
            return refuse(VMUX_EINVAL);
        if (a > 0)
            memcpy(cfg->p, iface_addr, 16);
        return ok_u32(1);
    case 2: {
        struct buffer *payload = &fk.ro[D_UDP][0];
        if (!fk.udp_bound)
            return refuse(VMUX_ERESERVE);
        if (cfg->len != 36 || memcmp(cfg->p, fk.udp_local, 18) != 0)
            return refuse(VMUX_EINVAL);
        if (payload->len > sizeof fk.udp_sent.data)
            return refuse(VMUX_ESIZE);
        memcpy(fk.udp_sent.cfg, cfg->p, 36);
        memcpy(fk.udp_sent.data, payload->p, payload->len);
        fk.udp_sent.len = payload->len;
        fk.udp_sent.count++;
        schedule(D_UDP, 1, 0, 0, 0);
        return ok_u32(1);
    }
    case 3: {
        static const uint8_t zero[18];
        if (rx_cfg->len != 36)
            return refuse(VMUX_EINVAL);
        const uint8_t *ep = rx_cfg->p + 18;
        uint16_t port = (uint16_t)(ep[16] | ep[17] << 8); /* low byte first, as Tock */
        if (memcmp(ep, zero, 18) == 0) {
            fk.udp_bound = false;
            return ok();
        }
        if (memcmp(ep, iface_addr, 16) != 0)
            return refuse(VMUX_EINVAL);
        if (port == 2007 && fk.echo_port_taken)
            return refuse(VMUX_EBUSY);    /* udp_echo's port, taken */
        if (port < 1024)
            return refuse(VMUX_ERESERVE); /* the kernel's ports */
        fk.udp_bound = true;
        memcpy(fk.udp_local, ep, 18);
        return ok();
    }
    case 4:
        return ok_u32(1280);
    default:
        return refuse(VMUX_ENOSUPPORT);
    }
}

static struct vmux_regs command_crypto(uintptr_t cmd, uintptr_t a, uintptr_t b)
{
    uint32_t handle = (uint32_t)(cmd == 3 ? b : a);
    if (cmd >= 2 && cmd <= 4) {
        if (handle == 0)
            return refuse(VMUX_EINVAL);
        if (handle != fk.held)
            return refuse(VMUX_ERESERVE);
    }
    switch (cmd) {
    case 1:
        if (fk.held)
            return refuse(VMUX_ENOMEM);
        fk.held = HELD_HANDLE;
        return ok_u32(fk.held);
    case 2:
        if (fk.ro[D_CRYPTO][0].len != 16)
            return refuse(VMUX_ESIZE);
        memcpy(fk.key, fk.ro[D_CRYPTO][0].p, 16);
        fk.key_loaded = true;
        return ok();
    case 3: {
        struct buffer *in = &fk.ro[D_CRYPTO][1], *iv = &fk.ro[D_CRYPTO][2];
        struct buffer *out = &fk.rw[D_CRYPTO][0];
        bool ctr = a == VMUX_CRYPTO_CTR;
        if (!fk.key_loaded || (!ctr && a != VMUX_CRYPTO_ECB_ENCRYPT))
            return refuse(VMUX_EINVAL);
        if (out->len < in->len || (ctr && iv->len != 16))
            return refuse(VMUX_ESIZE);
        aes_crypt(iv->p, in->p, out->p, in->len, ctr);
        fk.crypt_pending = true; /* done when time passes */
        fk.crypt_len = (uint32_t)in->len;
        return ok();
    }
    case 4:
        fk.held = 0;
        fk.key_loaded = false;
        return ok();
    default:
        return refuse(VMUX_ENOSUPPORT);
    }
}

static struct vmux_regs command_rng(uintptr_t cmd, uintptr_t n)
{
    if (cmd != 1)
        return refuse(VMUX_ENOSUPPORT);
    if (fk.rng_pending)
        return refuse(VMUX_EBUSY);
    fk.rng_pending = true;
    fk.rng_len = (uint32_t)n;
    return ok();
}

static struct vmux_regs command_debug(uintptr_t cmd, uintptr_t a, uintptr_t b)
{
    if (cmd < 1 || cmd > 3)
        return refuse(VMUX_ENOSUPPORT);
    if (fk.debug_count < 8)
        fk.debug[fk.debug_count++] = (struct debug_call){ (uint32_t)cmd, (uint32_t)a, (uint32_t)b };
    return ok();
}

static struct vmux_regs fake_syscall(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2,
                                     uintptr_t r3)
{
    int d = class_id >= VMUX_CLASS_SUBSCRIBE && class_id <= VMUX_CLASS_ALLOW_RO
                ? driver_index(r0)
                : 0;
    /* as the kernel: every call that needs the driver's grant, refused */
    if (d >= 0 && fk.no_grant_room[d] && (class_id != VMUX_CLASS_COMMAND || r1 != 0))
        return class_id == VMUX_CLASS_COMMAND ? refuse(VMUX_ENOMEM)
                                               : regs(VMUX_FAILURE_2U32, VMUX_ENOMEM, r2, r3);
    switch (class_id) {
    case VMUX_CLASS_YIELD:
        return yield(r0, r1, r2);
    case VMUX_CLASS_SUBSCRIBE: {
        if (d < 0)
            return regs(VMUX_FAILURE_2U32, VMUX_ENODEVICE, r2, r3);
        if (r1 >= SLOTS)
            return regs(VMUX_FAILURE_2U32, VMUX_EINVAL, r2, r3);
        uintptr_t old_fn = fk.up[d][r1].fn, old_data = fk.up[d][r1].appdata;
        fk.up[d][r1].fn = r2;
        fk.up[d][r1].appdata = r3;
        drop_queued((uint32_t)r0, (uint32_t)r1);
        return regs(VMUX_SUCCESS_2U32, old_fn, old_data, 0);
    }
    case VMUX_CLASS_COMMAND:
        if (d < 0)
            return refuse(VMUX_ENODEVICE);
        switch (d) {
        case D_ALARM:
            return command_alarm(r1, r2, r3);
        case D_CONSOLE:
            return command_console(r1, r2);
        case D_ADC:
            return command_adc(r1, r2);
        case D_UDP:
            return command_udp(r1, r2);
        case D_RNG:
            return command_rng(r1, r2);
        case D_DEBUG:
            return command_debug(r1, r2, r3);
        default:
            return command_crypto(r1, r2, r3);
        }
    case VMUX_CLASS_ALLOW_RW:
    case VMUX_CLASS_ALLOW_RO: {
        if (d < 0)
            return regs(VMUX_FAILURE_2U32, VMUX_ENODEVICE, r2, r3);
        if (r1 >= SLOTS)
            return regs(VMUX_FAILURE_2U32, VMUX_EINVAL, r2, r3);
        struct buffer *b = class_id == VMUX_CLASS_ALLOW_RW ? &fk.rw[d][r1] : &fk.ro[d][r1];
        struct buffer old = *b;
        *b = (struct buffer){ (uint8_t *)r2, r3 };
        return regs(VMUX_SUCCESS_2U32, (uintptr_t)old.p, old.len, 0);
    }
    case VMUX_CLASS_MEMOP:
        return r0 == VMUX_MEMOP_MEMORY_START ? ok_u32(RAM_START) : refuse(VMUX_ENOSUPPORT);
    case VMUX_CLASS_EXIT:
        fk.exit_code = (uint32_t)r1;
        leave(LEFT_EXIT, "exit");
        return ok();
    default:
        return refuse(VMUX_ENOSUPPORT);
    }
}

static int setup(void **state)
{
    (void)state;
    memset(&fk, 0, sizeof fk);
    fk.hz = 1000000;
    vmux_host_syscall = fake_syscall;
    return 0;
}

/* A library call that leaves (exit, stuck) fails the test. */
#define GUARD()                                                                              \
    do {                                                                                     \
        if (setjmp(fk.leave) != 0)                                                           \
            fail_msg("left the library: %s", fk.stuck);                                      \
    } while (0)

static bool nothing_shared(int d)
{
    for (int i = 0; i < SLOTS; i++)
        if (fk.rw[d][i].len || fk.ro[d][i].len)
            return false;
    return true;
}

/* ------------------------------------------------------------ results */

static void results_decode_variants_and_errors(void **state)
{
    (void)state;
    struct vmux_result ok_r = { VMUX_SUCCESS, 0, 0, 0 };
    struct vmux_result u32 = { VMUX_SUCCESS_U32, 77, 0, 0 };
    struct vmux_result busy = { VMUX_FAILURE, VMUX_EBUSY, 0, 0 };
    struct vmux_result busy2 = { VMUX_FAILURE_2U32, VMUX_EBUSY, 1, 2 };
    struct vmux_result no_code = { VMUX_FAILURE, 0, 0, 0 };
    uint32_t v = 5;
    assert_int_equal(vmux_result_error(ok_r), VMUX_OK);
    assert_int_equal(vmux_result_error(busy), VMUX_EBUSY);
    assert_int_equal(vmux_result_error(busy2), VMUX_EBUSY);
    assert_int_equal(vmux_result_error(no_code), VMUX_EBADRVAL);
    assert_int_equal(vmux_result_u32(u32, &v), VMUX_OK);
    assert_int_equal(v, 77);
    assert_int_equal(vmux_result_u32(ok_r, &v), VMUX_EBADRVAL);
    assert_int_equal(vmux_result_u32(busy, &v), VMUX_EBUSY);
    assert_int_equal(v, 77);
    assert_int_equal(vmux_result_expect(u32, VMUX_SUCCESS), VMUX_EBADRVAL);
    assert_string_equal(vmux_error_name(VMUX_OK), "SUCCESS");
    assert_string_equal(vmux_error_name(VMUX_ERESERVE), "RESERVE");
    assert_string_equal(vmux_error_name(VMUX_EINVAL), "INVALID");
    assert_string_equal(vmux_error_name(VMUX_ENOACK), "NOACK");
    assert_string_equal(vmux_error_name(VMUX_EBADRVAL), "BADRVAL");
    assert_string_equal(vmux_error_name(14), "?");
    assert_string_equal(vmux_error_name(-1), "?");
}

static void raw_calls_reach_the_kernel(void **state)
{
    (void)state;
    GUARD();
    assert_int_equal(vmux_command_status(0x99, 1, 0, 0), VMUX_ENODEVICE);
    struct vmux_result r = vmux_subscribe(0x1, 9, vmux_upcall_nop, 0);
    assert_int_equal(r.variant, VMUX_FAILURE_2U32);
    assert_int_equal(vmux_result_error(r), VMUX_EINVAL);
    char buf[4];
    r = vmux_allow_rw(0x1, 1, buf, sizeof buf);
    assert_int_equal(r.variant, VMUX_SUCCESS_2U32);
    r = vmux_allow_rw(0x1, 1, NULL, 0);
    assert_ptr_equal((void *)r.r1, buf); /* the previous buffer comes back */
    assert_int_equal(r.r2, sizeof buf);
    uintptr_t start = 0;
    assert_int_equal(vmux_result_uptr(vmux_memop(VMUX_MEMOP_MEMORY_START, 0), &start), VMUX_OK);
    assert_int_equal(start, RAM_START);
    assert_false(vmux_yield_no_wait());
}

static bool upcall_ran;
static void mark_upcall(uint32_t a0, uint32_t a1, uint32_t a2, uintptr_t appdata)
{
    assert_int_equal(a0, 3); /* console write done: 3 bytes */
    (void)a1;
    (void)a2;
    assert_int_equal(appdata, 0x1234);
    upcall_ran = true;
}

static void yield_no_wait_reports_an_upcall(void **state)
{
    (void)state;
    GUARD();
    assert_int_equal(vmux_subscribe_status(0x1, 1, mark_upcall, 0x1234), VMUX_OK);
    assert_int_equal(vmux_allow_ro_status(0x1, 1, "abc", 3), VMUX_OK);
    assert_int_equal(vmux_command_status(0x1, 1, 3, 0), VMUX_OK);
    upcall_ran = false;
    assert_true(vmux_yield_no_wait());
    assert_true(upcall_ran);
    assert_false(vmux_yield_no_wait());
}

/* ------------------------------------------------------------ console */

static void console_write_in_pieces(void **state)
{
    (void)state;
    GUARD();
    fk.write_chunk = 5; /* the kernel takes at most 5 bytes per write */
    assert_int_equal(vmux_console_write_str("hello, world\n"), VMUX_OK);
    assert_int_equal(fk.out_len, 13);
    assert_memory_equal(fk.out, "hello, world\n", 13);
    assert_int_equal(fk.writes, 3);
    assert_true(nothing_shared(D_CONSOLE));
}

static void printf_longer_than_its_buffer(void **state)
{
    (void)state;
    GUARD();
    char expected[200];
    int n = snprintf(expected, sizeof expected, "%s %d %05u %x|%-6s|\n",
                     "a fairly long line of text that does not fit in 64 bytes", -12, 42u,
                     0xbeefu, "ok");
    assert_int_equal(vmux_printf("%s %d %05u %x|%-6s|\n",
                                 "a fairly long line of text that does not fit in 64 bytes", -12,
                                 42u, 0xbeefu, "ok"),
                     n);
    assert_int_equal(fk.out_len, (size_t)n);
    assert_memory_equal(fk.out, expected, (size_t)n);
}

/* A console the kernel refuses (here: no room for its grant) is an
 * error for printf too, as C's printf says one: nothing lost unsaid. */
static void printf_reports_a_console_that_refuses(void **state)
{
    (void)state;
    GUARD();
    fk.no_grant_room[D_CONSOLE] = true;
    assert_int_equal(vmux_printf("boot %u\n", 3u), -VMUX_ENOMEM);
    assert_int_equal(vmux_console_write_str("x"), VMUX_ENOMEM);
    assert_int_equal(fk.out_len, 0);
    fk.no_grant_room[D_CONSOLE] = false;
    assert_int_equal(vmux_printf("boot %u\n", 3u), 7);
    assert_memory_equal(fk.out, "boot 3\n", 7);
}

static void read_lines(void **state)
{
    (void)state;
    GUARD();
    fk.input = "abc\r\ndef\nlong line here\n\r\nx";
    char line[8];
    size_t len;
    assert_int_equal(vmux_console_read_line(line, sizeof line, &len), VMUX_OK);
    assert_string_equal(line, "abc");
    assert_int_equal(len, 3);
    assert_int_equal(vmux_console_read_line(line, sizeof line, &len), VMUX_OK);
    assert_string_equal(line, "def");
    assert_int_equal(vmux_console_read_line(line, sizeof line, &len), VMUX_ESIZE);
    assert_string_equal(line, "long li"); /* cut, and the rest of the line consumed */
    assert_int_equal(vmux_console_read_line(line, sizeof line, &len), VMUX_OK);
    assert_string_equal(line, ""); /* "\r\n": one empty line */
    char two[2];
    size_t got;
    assert_int_equal(vmux_console_read(two, 2, &got), VMUX_OK); /* raw: the '\n' too */
    assert_int_equal(got, 2);
    assert_memory_equal(two, "\nx", 2);
    assert_true(nothing_shared(D_CONSOLE));
}

/* ------------------------------------------------------------ alarm */

static void sleep_waits_the_right_number_of_ticks(void **state)
{
    (void)state;
    GUARD();
    fk.now = 0xfffff000u; /* wraps during the sleep */
    assert_int_equal(vmux_sleep_ms(1500), VMUX_OK);
    assert_int_equal(fk.now, 0xfffff000u + 1500000u);
    assert_int_equal(fk.alarm_sets, 1);

    /* 32768 Hz: 1 ms is 32.768 ticks, rounded up */
    fk.hz = 32768;
    assert_int_equal(vmux_sleep_ms(1), VMUX_OK);
    assert_int_equal(fk.last_dt, 33);
    assert_int_equal(vmux_sleep_ms(1000), VMUX_OK);
    assert_int_equal(fk.last_dt, 32768);
    assert_int_equal(vmux_sleep_ms(0), VMUX_OK);
}

static void long_sleep_in_steps_without_drift(void **state)
{
    (void)state;
    GUARD();
    uint32_t start = fk.now = 12345;
    assert_int_equal(vmux_sleep_ms(5000000), VMUX_OK); /* 5e9 ticks: more than 2^32 */
    assert_true(fk.alarm_sets >= 3);
    assert_int_equal(fk.now, (uint32_t)(start + 5000000000ull));
}

/* A deadline that passed while the process was busy (printing, waiting
 * for a bus) returns at once; without the check it would be 2^32 - 1
 * ticks away: a sensor that restarted slept for an hour. */
static void sleep_until_a_passed_deadline_returns_at_once(void **state)
{
    (void)state;
    GUARD();
    fk.now = 0x00000010u; /* the counter wrapped just after the deadline */
    assert_int_equal(vmux_sleep_until(0xfffffff0u), VMUX_OK);
    assert_int_equal(fk.alarm_sets, 0);
    assert_int_equal(fk.now, 0x00000010u);
    fk.now = 5000;
    assert_int_equal(vmux_sleep_until(5000), VMUX_OK); /* now is the deadline */
    assert_int_equal(fk.alarm_sets, 0);
    assert_int_equal(vmux_sleep_until(6000), VMUX_OK); /* ahead: sleeps */
    assert_int_equal(fk.alarm_sets, 1);
    assert_int_equal(fk.last_dt, 1000);
}

static uint32_t fired_at;
static void on_timeout(uint32_t now, void *ctx)
{
    fired_at = now;
    *(volatile bool *)ctx = true;
}

static void timeout_callback(void **state)
{
    (void)state;
    GUARD();
    static volatile bool fired;
    fired = false;
    fk.now = 100;
    assert_int_equal(vmux_alarm_set_timeout(20, on_timeout, (void *)&fired), VMUX_OK);
    assert_false(fired);
    vmux_yield_until(&fired);
    assert_int_equal(fired_at, 100 + 20000);
    assert_int_equal(vmux_alarm_cancel(), VMUX_EALREADY);
}

/* ------------------------------------------------------------ ADC */

static void adc_sample_and_refusals(void **state)
{
    (void)state;
    GUARD();
    uint32_t n, v;
    assert_int_equal(vmux_adc_channel_count(&n), VMUX_OK);
    assert_int_equal(n, 2);
    fk.adc_value = 512;
    fk.adc_continuous_sample_first = true; /* skipped: not the single sample */
    assert_int_equal(vmux_adc_sample(1, &v), VMUX_OK);
    assert_int_equal(v, 512);
    assert_int_equal(vmux_adc_sample(7, &v), VMUX_ENODEVICE);
    assert_int_equal(vmux_adc_continuous(0, 10, NULL, NULL), VMUX_ENOSUPPORT);
    assert_int_equal(vmux_adc_resolution_bits(0, &n), VMUX_OK);
    assert_int_equal(n, 12);
    assert_int_equal(vmux_adc_reading(0xfff0, 12), 0xfff);
    assert_int_equal(vmux_adc_reading(0xffc0, 10), 0x3ff);
    assert_int_equal(vmux_adc_reading(0x1234, 16), 0x1234);
}

/* ------------------------------------------------------------ UDP */

static void udp_bind_receive_send(void **state)
{
    (void)state;
    GUARD();
    struct vmux_udp_endpoint peer = { { 0xfe, 0x80, [15] = 2 }, 0x1234 };
    char buf[32];
    size_t len;
    assert_int_equal(vmux_udp_recv(buf, sizeof buf, &len, NULL), VMUX_ERESERVE);
    assert_int_equal(vmux_udp_send_to(&peer, "x", 1), VMUX_ERESERVE);
    fk.echo_port_taken = true;
    assert_int_equal(vmux_udp_bind(2007), VMUX_EBUSY);
    assert_int_equal(vmux_udp_bind(80), VMUX_ERESERVE);
    assert_int_equal(vmux_udp_bind(0x1107), VMUX_OK);
    assert_memory_equal(fk.udp_local, iface_addr, 16);
    assert_int_equal(fk.udp_local[16], 0x07); /* the port low byte first */
    assert_int_equal(fk.udp_local[17], 0x11);

    fk.udp_in.pending = true;
    memcpy(fk.udp_in.from, peer.addr, 16);
    fk.udp_in.port = 0xabcd;
    strcpy(fk.udp_in.data, "ping");
    struct vmux_udp_endpoint from;
    assert_int_equal(vmux_udp_recv(buf, sizeof buf, &len, &from), VMUX_OK);
    assert_int_equal(len, 4);
    assert_memory_equal(buf, "ping", 4);
    assert_memory_equal(from.addr, peer.addr, 16);
    assert_int_equal(from.port, 0xabcd);

    assert_int_equal(vmux_udp_send_to(&from, "pong", 4), VMUX_OK);
    assert_int_equal(fk.udp_sent.count, 1);
    assert_memory_equal(fk.udp_sent.data, "pong", 4);
    assert_memory_equal(fk.udp_sent.cfg, fk.udp_local, 18);         /* source: bound */
    assert_memory_equal(fk.udp_sent.cfg + 18, peer.addr, 16);       /* destination */
    assert_int_equal(fk.udp_sent.cfg[34], 0xcd); /* low byte first */
    assert_int_equal(fk.udp_sent.cfg[35], 0xab);

    struct vmux_udp_endpoint forged = { { 0xfe, 0x80, [15] = 1 }, 7 };
    assert_int_equal(vmux_udp_send_from(&forged, &peer, "x", 1), VMUX_EINVAL);
    assert_int_equal(vmux_udp_unbind(), VMUX_OK);
    assert_false(fk.udp_bound);
}

/* ------------------------------------------------------------ crypto */

static const uint8_t test_key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void crypto_round(void **state)
{
    (void)state;
    GUARD();
    uint32_t h, other;
    assert_int_equal(vmux_crypto_reserve(&h), VMUX_OK);
    assert_int_equal(h, HELD_HANDLE);
    assert_int_equal(vmux_crypto_reserve(&other), VMUX_ENOMEM);
    assert_int_equal(vmux_crypto_load_key(h, test_key), VMUX_OK);
    assert_memory_equal(fk.key, test_key, 16);

    uint8_t iv[16] = { 0xff }, out[11], expected[11];
    size_t len = 0;
    assert_int_equal(vmux_crypto_crypt(h, VMUX_CRYPTO_CTR, iv, "hello there", out, 11, &len),
                     VMUX_OK);
    assert_int_equal(len, 11);
    aes_crypt(iv, (const uint8_t *)"hello there", expected, 11, true);
    assert_memory_equal(out, expected, 11);
    assert_true(nothing_shared(D_CRYPTO)); /* key, input, iv, output all withdrawn */

    assert_int_equal(vmux_crypto_crypt(h + 0x100, VMUX_CRYPTO_CTR, iv, "x", out, 1, &len),
                     VMUX_ERESERVE);
    assert_int_equal(len, 0);
    assert_int_equal(vmux_crypto_release(0), VMUX_EINVAL);
    assert_int_equal(vmux_crypto_release(h), VMUX_OK);
    assert_int_equal(vmux_crypto_release(h), VMUX_ERESERVE);
}

static bool crypt_called;
static void on_crypt(int status, size_t len, void *ctx)
{
    (void)ctx;
    assert_int_equal(status, VMUX_OK);
    assert_int_equal(len, 16);
    crypt_called = true;
}

/* ------------------------------------------------------------ RNG, debug */

static void rng_fills_the_buffer(void **state)
{
    (void)state;
    GUARD();
    uint8_t buf[40] = { 0 };
    size_t got = 0;
    fk.rng_next = 7;
    assert_int_equal(vmux_rng_get(buf, 37, &got), VMUX_OK);
    assert_int_equal(got, 37);
    for (unsigned i = 0; i < 37; i++)
        assert_int_equal(buf[i], 7 + i);
    assert_int_equal(buf[37], 0);
    assert_int_equal(fk.rng_len, 37);
    assert_null(fk.rw[D_RNG][0].p); /* the buffer is withdrawn after */
}

static void debug_commands(void **state)
{
    (void)state;
    GUARD();
    assert_int_equal(vmux_debug_alert(VMUX_DEBUG_ALERT_PANIC), VMUX_OK);
    assert_int_equal(vmux_debug_print(0x2a), VMUX_OK);
    assert_int_equal(vmux_debug_print2(1, 0xffffffffu), VMUX_OK);
    assert_int_equal(fk.debug_count, 3);
    assert_int_equal(fk.debug[0].cmd, 1);
    assert_int_equal(fk.debug[0].a, 1);
    assert_int_equal(fk.debug[1].cmd, 2);
    assert_int_equal(fk.debug[1].a, 0x2a);
    assert_int_equal(fk.debug[2].cmd, 3);
    assert_int_equal(fk.debug[2].a, 1);
    assert_int_equal(fk.debug[2].b, 0xffffffffu);
}

static void crypto_callback(void **state)
{
    (void)state;
    GUARD();
    uint32_t h;
    uint8_t in[16] = { 0 }, out[16];
    assert_int_equal(vmux_crypto_reserve(&h), VMUX_OK);
    assert_int_equal(vmux_crypto_load_key(h, test_key), VMUX_OK);
    crypt_called = false;
    assert_int_equal(vmux_crypto_crypt_async(h, VMUX_CRYPTO_ECB_ENCRYPT, NULL, in, out, 16,
                                             on_crypt, NULL),
                     VMUX_OK);
    assert_false(crypt_called);
    vmux_yield_wait();
    assert_true(crypt_called);
    assert_true(nothing_shared(D_CRYPTO));
}

/* ------------------------------------------------------------ apps */

/* Loads build/<variant>/apps/<name>.so (next to this test's directory)
 * and runs its entry point until it leaves; returns how. */
static int run_app(const char *name)
{
    char exe[PATH_MAX], path[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(path, sizeof path, "%s/../apps/%s.so", exe, name);
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (so == NULL)
        fail_msg("dlopen %s: %s", path, dlerror());
    vmux_host_syscall_fn *var = dlsym(so, VMUX_HOST_SYSCALL_SYMBOL);
    void *entry_sym = dlsym(so, VMUX_HOST_ENTRY_SYMBOL);
    assert_non_null(var);
    assert_non_null(entry_sym);
    void (*entry)(void);
    memcpy(&entry, &entry_sym, sizeof entry);
    *var = fake_syscall;
    int how = setjmp(fk.leave);
    if (how == 0)
        entry();
    dlclose(so);
    fk.out[fk.out_len] = '\0';
    return how;
}

/* The line crypto_app prints for message: its AES-128-CTR in hex. */
static const char *ctr_line(const char *message)
{
    static const uint8_t counter[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                         0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };
    static char line[256];
    uint8_t c[64];
    size_t len = strlen(message);
    assert_true(len <= sizeof c);
    aes_crypt(counter, (const uint8_t *)message, c, len, true);
    int at = snprintf(line, sizeof line, "AES-128-CTR(\"%s\") = ", message);
    for (size_t i = 0; i < len; i++)
        at += snprintf(line + at, sizeof line - (size_t)at, "%02x", c[i]);
    snprintf(line + at, sizeof line - (size_t)at, "\n");
    return line;
}

/* It encrypts "attack at dawn" under the fixed key (a known answer),
 * then under a key from the RNG and back, releases its slot, and waits
 * for a line on its console. */
static void app_crypto_app(void **state)
{
    (void)state;
    assert_int_equal(run_app("crypto_app"), LEFT_STUCK); /* waiting for a line */
    /* the key loaded last came from the RNG: the fake's bytes 0, 1, ..., 15 */
    assert_int_equal(fk.rng_len, 16);
    static const uint8_t drawn[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    assert_memory_equal(fk.key, drawn, 16);
    /* the first under the fixed key (ctr_line encrypts under fk.key) */
    static const uint8_t fixed[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                       0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
    memcpy(fk.key, fixed, 16);
    assert_non_null(strstr(fk.out, ctr_line("attack at dawn")));
    assert_non_null(strstr(fk.out, "under a key from the RNG: another ciphertext, decrypts to "
                                   "\"attack at dawn\"\n"));
    assert_non_null(strstr(fk.out, "released the slot: SUCCESS\n"));
    assert_non_null(strstr(fk.out, "type a line to encrypt it: @crypto_app TEXT\n"));
    assert_int_equal(fk.held, 0);
}

/* Then each line typed to it, each in a slot it reserves and releases
 * under the fixed key; it holds none while it waits. */
static void app_crypto_app_encrypts_console_lines(void **state)
{
    (void)state;
    fk.input = "attack at noon\n\nretreat\n";
    assert_int_equal(run_app("crypto_app"), LEFT_STUCK); /* waiting for the next line */
    const char *dawn = strstr(fk.out, ctr_line("attack at dawn"));
    const char *noon = strstr(fk.out, ctr_line("attack at noon"));
    const char *retreat = strstr(fk.out, ctr_line("retreat"));
    assert_non_null(dawn);
    assert_non_null(noon);
    assert_non_null(retreat);
    assert_true(dawn < noon && noon < retreat);
    const char *p = fk.out;
    int released = 0;
    while ((p = strstr(p, "released the slot: SUCCESS\n")) != NULL) {
        released++;
        p++;
    }
    assert_int_equal(released, 3); /* the empty line encrypts nothing */
    assert_int_equal(fk.held, 0);
}

static void app_sensor(void **state)
{
    (void)state;
    fk.adc_value = 321 << 4; /* left-justified, from a 12-bit converter: it prints 321 */
    fk.stop_after_fires = 4; /* the sensor sleeps to the first whole second before sampling */
    assert_int_equal(run_app("sensor"), LEFT_STOPPED);
    const char *line = ": channel 0 = 321\n";
    const char *p = fk.out;
    int count = 0;
    while ((p = strstr(p, line)) != NULL) {
        count++;
        p++;
    }
    assert_int_equal(count, 3);
    /* each sample waits for the next whole second of the counter */
    assert_non_null(strstr(fk.out, "second 1: channel 0 = 321\n"));
    assert_non_null(strstr(fk.out, "second 3: channel 0 = 321\n"));
}

static void app_udp_echo(void **state)
{
    (void)state;
    fk.udp_in.pending = true;
    memcpy(fk.udp_in.from, (uint8_t[16]){ 0xfe, 0x80, [15] = 9 }, 16);
    fk.udp_in.port = 40000;
    strcpy(fk.udp_in.data, "echo me");
    assert_int_equal(run_app("udp_echo"), LEFT_STUCK); /* waiting for the next datagram */
    assert_non_null(strstr(fk.out, "echoing on port 2007\n"));
    assert_int_equal(fk.udp_local[16] | fk.udp_local[17] << 8, 2007);
    assert_int_equal(fk.udp_sent.count, 1);
    assert_int_equal(fk.udp_sent.len, 7);
    assert_memory_equal(fk.udp_sent.data, "echo me", 7);
    assert_int_equal(fk.udp_sent.cfg[18 + 15], 9);
    assert_int_equal(fk.udp_sent.cfg[34] | fk.udp_sent.cfg[35] << 8, 40000);
}

static void app_policy_probe(void **state)
{
    (void)state;
    fk.echo_port_taken = true;
    assert_int_equal(run_app("policy_probe"), LEFT_EXIT);
    const char *expected[] = {
        "UDP send before binding a port: refused with RESERVE",
        "UDP bind port 2007 (udp_echo's): refused with BUSY",
        "UDP bind port 80 (kept by the kernel): refused with RESERVE",
        "UDP send from port 2007 while bound to 4000: refused with INVALID",
        "received 0 byte(s)",
        "ADC continuous sampling without the capability: refused with NOSUPPORT",
        "guessed handle 0x000: load key refused with INVALID, encrypt refused with INVALID",
        "guessed handle 0x101: load key refused with RESERVE, encrypt refused with RESERVE",
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (strstr(fk.out, expected[i]) == NULL)
            fail_msg("no \"%s\" in:\n%s", expected[i], fk.out);
    assert_null(strstr(fk.out, "NOT refused"));
    assert_non_null(strstr(fk.out, "39 of 39 attempts refused"));
    assert_int_equal(fk.exit_code, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(results_decode_variants_and_errors, setup),
        cmocka_unit_test_setup(raw_calls_reach_the_kernel, setup),
        cmocka_unit_test_setup(yield_no_wait_reports_an_upcall, setup),
        cmocka_unit_test_setup(console_write_in_pieces, setup),
        cmocka_unit_test_setup(printf_longer_than_its_buffer, setup),
        cmocka_unit_test_setup(printf_reports_a_console_that_refuses, setup),
        cmocka_unit_test_setup(read_lines, setup),
        cmocka_unit_test_setup(sleep_waits_the_right_number_of_ticks, setup),
        cmocka_unit_test_setup(long_sleep_in_steps_without_drift, setup),
        cmocka_unit_test_setup(sleep_until_a_passed_deadline_returns_at_once, setup),
        cmocka_unit_test_setup(timeout_callback, setup),
        cmocka_unit_test_setup(adc_sample_and_refusals, setup),
        cmocka_unit_test_setup(udp_bind_receive_send, setup),
        cmocka_unit_test_setup(crypto_round, setup),
        cmocka_unit_test_setup(crypto_callback, setup),
        cmocka_unit_test_setup(rng_fills_the_buffer, setup),
        cmocka_unit_test_setup(debug_commands, setup),
        cmocka_unit_test_setup(app_crypto_app, setup),
        cmocka_unit_test_setup(app_crypto_app_encrypts_console_lines, setup),
        cmocka_unit_test_setup(app_sensor, setup),
        cmocka_unit_test_setup(app_udp_echo, setup),
        cmocka_unit_test_setup(app_policy_probe, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
