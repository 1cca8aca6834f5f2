/*
 * AES-CMAC (NIST SP 800-38B, RFC 4493) over the software AES-128 block
 * cipher (chips/soft/aes128.h): a 16-byte tag that only a holder of the
 * key can compute, for messages of any length.
 *
 * aes128_cmac(schedule, msg, len, tag): the tag of len bytes of msg under
 *   the key expanded in schedule. len may be 0. The subkeys and the
 *   chaining value are wiped before it returns; the caller owns the
 *   schedule.
 *
 * Used by the management channel's challenge-response
 * (boards/common/mgmt_auth.h), on the board and in vmuxterm.
 */
#ifndef VMUX_CHIPS_SOFT_AES_CMAC_H
#define VMUX_CHIPS_SOFT_AES_CMAC_H

#include <stddef.h>
#include <stdint.h>

#include "chips/soft/aes128.h"

#define AES_CMAC_TAG_SIZE AES_BLOCK_SIZE

void aes128_cmac(const struct aes128_schedule *s, const uint8_t *msg, size_t len,
                 uint8_t tag[AES_CMAC_TAG_SIZE]);

#endif
