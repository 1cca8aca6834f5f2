/*
 * The boot seed of the lm3s6965evb's random numbers.
 *
 * The LM3S6965 has no hardware random number generator, so the board's
 * RNG (driver 0x40001, and the kernel's RNG mux) is a CTR_DRBG
 * (chips/soft/ctr_drbg.h) seeded once, at boot, by lm3s_seed_drbg():
 *   - LM3S_SEED_READINGS single conversions of the ADC, channels in
 *     turn, before the ADC mux takes the converter;
 *   - with each, the timebase count (the 50 MHz clock) when its
 *     completion was handled: the jitter between the converter, its
 *     trigger timer, the interrupt and the loop;
 *   - the board's MAC address, as personalisation: not secret, but two
 *     boards seeded alike still draw different bytes.
 *
 * What that is worth, honestly:
 *   - On real hardware, the low bits of a floating or noisy input and
 *     the interrupt timing give a few bits a reading at best, and nobody
 *     has measured them here: a weak seed.
 *   - Under QEMU there is no entropy at all. QEMU's ADC returns 0x200
 *     plus 3 bits of a linear congruential sequence that starts from
 *     the same state at every start, and with -icount the timebase is a
 *     count of instructions: every boot draws the same bytes (the QEMU
 *     test tests/qemu/lm3s6965evb_rng.sh shows it). Without -icount the
 *     timebase follows the host's clock, whose jitter adds a little.
 * So the bytes never repeat and cannot be told from random by looking
 * at them, but whoever can replay the boot can predict them: good for
 * nonces, tests and demos, not for long-term keys. A board with a TRNG
 * would give the RNG mux that instead.
 */
#ifndef VMUX_BOARDS_LM3S6965EVB_SEED_H
#define VMUX_BOARDS_LM3S6965EVB_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "chips/soft/ctr_drbg.h"
#include "hil/adc.h"

#define LM3S_SEED_READINGS 8u

/* Seed d from adc (whose client it borrows: call it before the ADC mux
 * is wired) and mac. Runs the kernel loop while it waits; a reading is
 * given up after 100 ms, and the converter is left idle. */
void lm3s_seed_drbg(struct ctr_drbg *d, struct hil_adc *adc, const uint8_t *mac, size_t mac_len);

#endif
