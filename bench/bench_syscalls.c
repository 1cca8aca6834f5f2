/*
 * System call benchmarks, counted in instructions by callgrind
 * (bench/run.sh).
 *
 *   bench_syscalls dispatch N   N null commands and N command+yield+upcall
 *                               rounds through the kernel's dispatcher,
 *                               with the scripted harness as the CPU: the
 *                               kernel's own cost, measured in
 *                               bench_syscall_* functions only.
 *   bench_syscalls host APP.so  one host process (a real thread) running
 *                               APP to its exit: run twice with 0 and 1000
 *                               calls, the difference is the round trip,
 *                               thread hand-over included.
 *   bench_syscalls sizes        kernel RAM per process and per client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/host/loader.h"
#include "arch/host/process.h"
#include "boards/test/test_board.h"
#include "capsules/adc_mux.h"
#include "capsules/alarm_mux.h"
#include "capsules/crypto_mux.h"
#include "capsules/drivers/adc_driver.h"
#include "capsules/drivers/alarm_driver.h"
#include "capsules/drivers/console_driver.h"
#include "capsules/drivers/crypto_driver.h"
#include "capsules/drivers/i2c_driver.h"
#include "capsules/drivers/spi_driver.h"
#include "capsules/drivers/temperature_driver.h"
#include "capsules/drivers/udp_driver.h"
#include "capsules/net/udp_mux.h"
#include "capsules/uart_mux.h"
#include "kernel/syscall_driver.h"
#include "tests/apps/probe.h"
#include "tests/unit/support/harness_arch.h"

static unsigned long operations;

/* The probe driver the bench apps call (tests/apps/probe.h). */
static struct syscall_return probe_command(const struct syscall_driver *d, struct process *p,
                                           void *state, uint32_t cmd, syscall_reg_t a,
                                           syscall_reg_t b)
{
    (void)state;
    if (cmd == PROBE_UPCALL) {
        process_schedule_upcall(p, d, 0, (uint32_t)a, (uint32_t)b, 42);
        return syscall_success();
    }
    return syscall_failure(VMUX_NOSUPPORT);
}

static const struct syscall_driver probe = {
    .number = PROBE_DRIVER,
    .upcall_count = 1,
    .command = probe_command,
};

/* ------------------------------------------------------------ dispatch */

static struct harness_process hp;

__attribute__((noinline)) void bench_syscall_null(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        harness_call(&hp, SYSCALL_COMMAND, PROBE_DRIVER, 0, 0, 0);
    operations += n;
}

__attribute__((noinline)) void bench_syscall_upcall(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        harness_call(&hp, SYSCALL_COMMAND, PROBE_DRIVER, PROBE_UPCALL, 1, 2);
        harness_call(&hp, SYSCALL_YIELD, YIELD_WAIT, 0, 0, 0);
        hp.upcall_count = 0;
    }
    operations += n;
}

static int dispatch(unsigned n)
{
    harness_reset();
    process_register_driver(&probe);
    struct process *p = harness_spawn(&hp, "bench", RESTART_NEVER);
    if (!p)
        return 1;
    harness_call(&hp, SYSCALL_SUBSCRIBE, PROBE_DRIVER, 0, (uintptr_t)hp.flash, 0);
    bench_syscall_null(n);
    bench_syscall_upcall(n);
    printf("operations %lu\n", operations / 2);
    return 0;
}

/* ------------------------------------------------------------ host */

static int host(const char *app)
{
    process_set_arch(&host_arch_ops);
    process_register_driver(&probe);
    struct process *p = NULL;
    if (host_load_app(app, "bench", 0, RESTART_NEVER, test_board_cap_process_management(), &p) !=
        VMUX_SUCCESS) {
        fprintf(stderr, "cannot load %s: %s\n", app, host_loader_error());
        return 1;
    }
    process_set_timeslice_us(1000000);
    while (p->state != PROCESS_ENDED)
        if (!process_run_next(0))
            break;
    printf("exit_code %d syscalls %u\n", p->exit_code, p->counters.syscalls);
    return 0;
}

/* ------------------------------------------------------------ sizes */

static int sizes(void)
{
    printf("process table entry (struct process) %zu\n", sizeof(struct process));
    printf("uart mux client (struct uart_mux_client, hold buffer included) %zu\n",
           sizeof(struct uart_mux_client));
    printf("adc mux client %zu\n", sizeof(struct adc_mux_client));
    printf("crypto mux client %zu\n", sizeof(struct crypto_mux_client));
    printf("udp mux client (hold buffer is the client's own) %zu\n", sizeof(struct udp_client));
    printf("udp binding %zu\n", sizeof(struct udp_binding));
    printf("virtual alarm %zu\n", sizeof(struct virtual_alarm));
    printf("spi mux client (a device as one user uses it) %zu\n", sizeof(struct spi_device));
    printf("i2c mux client %zu\n", sizeof(struct i2c_device));
    const struct syscall_driver *drivers[8];
    static struct alarm_driver alarm;
    static struct console_driver console;
    static struct adc_driver adc;
    static struct crypto_driver crypto;
    static struct udp_driver udp;
    drivers[0] = &alarm.driver;
    drivers[1] = &console.driver;
    drivers[2] = &adc.driver;
    drivers[3] = &crypto.driver;
    drivers[4] = &udp.driver;
    static struct spi_driver spi;
    static struct i2c_driver i2c;
    static struct temperature_driver temperature;
    drivers[5] = &spi.driver;
    drivers[6] = &i2c.driver;
    drivers[7] = &temperature.driver;
    spi_driver_init(&spi, NULL, NULL, NULL, 0);
    i2c_driver_init(&i2c, NULL, NULL, NULL, 0);
    temperature_driver_init(&temperature, NULL);
    const char *names[8] = { "alarm", "console", "adc", "crypto", "udp", "spi", "i2c",
                             "temperature" };
    alarm_driver_init(&alarm, NULL);
    console_driver_init(&console, NULL);
    adc_driver_init(&adc, NULL, NULL);
    crypto_driver_init(&crypto, NULL);
    udp_driver_init(&udp, NULL);
    for (int i = 0; i < 8; i++) {
        printf("grant of the %s driver (per process using it) %zu\n", names[i],
               process_grant_size(drivers[i]));
    }
    return 0;
}

int main(int argc, char **argv)
{
    test_board_reset(0);
    if (argc == 3 && strcmp(argv[1], "dispatch") == 0)
        return dispatch((unsigned)atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "host") == 0)
        return host(argv[2]);
    if (argc == 2 && strcmp(argv[1], "sizes") == 0)
        return sizes();
    fprintf(stderr, "usage: bench_syscalls dispatch N | host APP.so | sizes\n");
    return 2;
}
