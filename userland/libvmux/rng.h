/*
 * Random numbers, driver 0x40001 (Tock's RNG): the kernel fills a buffer
 * with random bytes from the board's source (on the host board the
 * host's getrandom(); on the lm3s6965evb a CTR_DRBG with a weak boot
 * seed: docs/syscalls.md says what each is worth).
 */
#ifndef VMUX_LIBVMUX_RNG_H
#define VMUX_LIBVMUX_RNG_H

#include <stddef.h>
#include <stdint.h>

#define VMUX_DRIVER_RNG 0x40001u

/* Fills buf with len random bytes; *got (may be NULL) gets how many the
 * kernel wrote (len, unless an error says otherwise). */
int vmux_rng_get(void *buf, size_t len, size_t *got);

#endif
