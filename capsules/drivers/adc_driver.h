/*
 * ADC syscall driver: driver 0x5, compatible with Tock's ADC driver.
 *
 * Single samples go through the ADC mux, which serves simultaneous
 * requests for one channel from one conversion (the policy: the hardware
 * has no notion of who owns a reading, so they may share it). Each
 * process is a client of that mux, its client struct in the process's
 * grant, attached on its first sampling command.
 *
 * Continuous and buffered sampling hold the converter for as long as the
 * holder wants, so the mux requires cap_adc_continuous_t for them. The
 * board decides: adc_driver_init() with the capability offers them to
 * every process (first come, first served: one run at a time, BUSY for
 * the others); with NULL their commands (2, 3, 4, 5) answer NOSUPPORT,
 * exactly what Tock's virtualized ADC driver answers for them, so a
 * program written for Tock sees an ADC without those modes.
 *
 *   command 0                channel count                 Success u32
 *   command 1, ch            one sample                    Success;
 *                            NODEVICE bad channel; BUSY while this
 *                            process waits for a sample or holds a run,
 *                            or another's run blocks the channel (a
 *                            buffered run, or a stream of another one)
 *   command 2, ch, hz        continuous samples            Success;
 *                            INVALID bad channel or hz; BUSY
 *   command 3, ch, hz        fill read-write allow 0 once  Success;
 *                            NOMEM no buffer (< 2 bytes); INVALID; BUSY
 *   command 4, ch, hz        fill allows 0 and 1 in turn   as command 3
 *   command 5                stop this process's run       Success
 *                            (also when idle); no upcall follows
 *   command 101, ch          resolution in bits (the       Success u32;
 *                            converter's, as the HIL says) NODEVICE bad channel
 *   command 102, ch          reference voltage             NOSUPPORT
 *                            (unknown to the HIL); NODEVICE bad channel
 *   other                                                  NOSUPPORT
 *   subscribe 0    (0, channel, value)          single sample
 *                  (1, channel, value)          continuous sample
 *                  (2, count << 8 | channel, buffer address)  buffer full
 *                  (3, count << 8 | channel, buffer address)  one of the
 *                                               alternating buffers full
 *   read-write allows 0 and 1: samples as 16-bit little-endian values;
 *   count = samples written (at most length / 2).
 *
 * Samples are left-justified to 16 bits, as Tock's ADC HIL defines them
 * and Tock's driver passes them on: a 12-bit converter's reading r comes
 * out as r << 4, so a process scales every converter alike, and gets
 * the reading back as value >> (16 - command 101's bits). The shift is
 * this driver's: vmux's HIL, the ADC mux and kernel clients keep readings
 * right-aligned (the mux checks them against the converter's range).
 *
 * Failures reach the process as upcalls too, since Tock's ADC upcall has
 * no status: a conversion that fails (hardware error, or the mux's
 * watchdog gave up on it) still completes the request, with value 0; a
 * buffered run that fails reports the samples it got before.
 *
 * Buffered runs: the mux fills the driver's own buffer of
 * ADC_DRIVER_BUF_SAMPLES (one run at a time, so one buffer), and each
 * chunk is copied into the allow that is there when the chunk completes,
 * as far as it reaches; a larger allow takes several chunks. The address
 * in the upcall is that of the allow at completion, truncated to 32 bits
 * (upcall arguments are 32-bit).
 *
 * When a process ends, its waiting request is dropped and its run
 * stopped (kernel/process.h: process_ended); no upcall follows.
 */
#ifndef VMUX_CAPSULES_DRIVERS_ADC_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_ADC_DRIVER_H

#include <stdint.h>

#include "capsules/adc_mux.h"
#include "kernel/capability.h"
#include "kernel/syscall_driver.h"

#define ADC_DRIVER_NUM 0x5u
#define ADC_DRIVER_BUF_SAMPLES 64u

enum adc_driver_command {
    ADC_CMD_SINGLE = 1,
    ADC_CMD_CONTINUOUS = 2,
    ADC_CMD_BUFFER = 3,
    ADC_CMD_CONTINUOUS_BUFFER = 4,
    ADC_CMD_STOP = 5,
    ADC_CMD_RESOLUTION = 101,
    ADC_CMD_REFERENCE_MV = 102,
};

enum adc_driver_mode {
    ADC_MODE_SINGLE = 0,
    ADC_MODE_CONTINUOUS = 1,
    ADC_MODE_BUFFER = 2,
    ADC_MODE_CONTINUOUS_BUFFER = 3,
};

#define ADC_UPCALL_DONE 0u

struct adc_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct adc_mux *mux;
    const cap_adc_continuous_t *cap;
    uint8_t shift;                  /* 16 - the converter's bits: to Tock's format */
    uint16_t samples[ADC_DRIVER_BUF_SAMPLES]; /* lent to the mux's one buffered run */
};

void adc_driver_init(struct adc_driver *d, struct adc_mux *mux,
                     const cap_adc_continuous_t *cap_or_null);

#endif
