/*
 * Attack: continuous and buffered ADC sampling without the capability
 * (the board gives processes none). Results (error code, or 0xffff):
 *   K_FIRST_RESULT + 0   command 2, continuous, channel 0 at 1 kHz   NOSUPPORT
 *   K_FIRST_RESULT + 1   command 3, one buffer                        NOSUPPORT
 *   K_FIRST_RESULT + 2   command 4, alternating buffers               NOSUPPORT
 *   K_FIRST_RESULT + 3   command 5, stop                              NOSUPPORT
 *   K_FIRST_RESULT + 4   command 1, a single sample: allowed          0xffff
 *   K_FIRST_RESULT + 5   upcalls that came in the next 10 yields but that
 *                        single sample's: 0
 */
#include "tests/attacks/attack.h"

static volatile uint8_t samples[128], samples2[128];

static void result(unsigned i, regs_t r)
{
    put(K_FIRST_RESULT + i, succeeded(r) ? 0xffffu : r.r1);
}

static volatile uintptr_t upcalls;

static void on_sample(uint32_t mode, uint32_t a, uint32_t b, uintptr_t data)
{
    (void)mode, (void)a, (void)b, (void)data;
    upcalls++;
}

void vmux_host_entry(void)
{
    arm(ADC_DRIVER_NUM, ADC_UPCALL_DONE);
    allow_rw(ADC_DRIVER_NUM, 0, samples, sizeof samples);
    allow_rw(ADC_DRIVER_NUM, 1, samples2, sizeof samples2);
    result(0, command(ADC_DRIVER_NUM, ADC_CMD_CONTINUOUS, 0, 1000));
    result(1, command(ADC_DRIVER_NUM, ADC_CMD_BUFFER, 0, 1000));
    result(2, command(ADC_DRIVER_NUM, ADC_CMD_CONTINUOUS_BUFFER, 0, 1000));
    result(3, command(ADC_DRIVER_NUM, ADC_CMD_STOP, 0, 0));
    result(4, command(ADC_DRIVER_NUM, ADC_CMD_SINGLE, 0, 0));
    wait_for(ADC_DRIVER_NUM, ADC_UPCALL_DONE);
    subscribe(ADC_DRIVER_NUM, ADC_UPCALL_DONE, on_sample, 0);
    volatile uint8_t flag;
    for (int i = 0; i < 10; i++)
        yield_no_wait(&flag);
    put(K_FIRST_RESULT + 5, upcalls);
    put(K_DONE, 1);
    park();
}
