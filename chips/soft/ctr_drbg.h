/*
 * A deterministic random bit generator as an entropy source: struct
 * hil_entropy (hil/entropy.h) for a board without a hardware RNG.
 *
 * The construction is NIST SP 800-90A's CTR_DRBG with AES-128 (the
 * software AES of chips/soft/aes128.h) and no derivation function: the
 * state is a key K and a counter block V; a fill encrypts V+1, V+2, ...
 * under K into the caller's buffer, then replaces K and V with the next
 * 32 bytes of that keystream (the update step). So every request ends
 * with a new key: bytes handed out earlier cannot be recomputed from the
 * state that remains (backtracking resistance), and since V only counts
 * up under each key and every key is used for one request, no block of
 * output is ever handed out twice.
 *
 * Seed. ctr_drbg_seed(material, len) mixes material into the state, 32
 * bytes per update step (the last chunk zero-padded): the first call
 * instantiates, later ones reseed. That is SP 800-90A's update step, but
 * material longer than 32 bytes is absorbed in chunks rather than through
 * its derivation function. A DRBG is only as unpredictable as its seed:
 * where that comes from is the board's to say (the lm3s6965evb's is weak;
 * see boards/lm3s6965evb/seed.h). There is no reseeding over time and no
 * prediction resistance.
 *
 * Until seeded, fill() is VMUX_OFF. A fill completes from the DRBG's
 * deferred call: fill_done(buf, len, SUCCESS). cancel() before that
 * stops it (nothing written, no fill_done); otherwise VMUX_ALREADY. The
 * key schedule and every scratch block are wiped after each use.
 */
#ifndef VMUX_CHIPS_SOFT_CTR_DRBG_H
#define VMUX_CHIPS_SOFT_CTR_DRBG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/crypto.h"
#include "hil/entropy.h"
#include "kernel/deferred.h"

#define CTR_DRBG_SEED_LEN 32u   /* bytes one update step absorbs: K and V */

struct ctr_drbg {
    struct hil_entropy hil;
    uint8_t key[AES128_KEY_SIZE];
    uint8_t v[AES_BLOCK_SIZE];
    bool seeded;
    bool busy;                  /* a fill waits for the deferred call */
    uint8_t *buf;
    size_t len;
    struct deferred_call work;
};

/* Unseeded. NOMEM when no deferred call is left. */
vmux_err_t ctr_drbg_init(struct ctr_drbg *d);

/* Mix len bytes of material into the state (the caller wipes its copy). */
void ctr_drbg_seed(struct ctr_drbg *d, const uint8_t *material, size_t len);

#endif
