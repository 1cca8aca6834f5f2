/*
 * The Internet checksum (RFC 1071): the one's-complement of the
 * one's-complement sum of 16-bit big-endian words. IPv4 headers, ICMP
 * messages and UDP datagrams (with their pseudo-header) all use it; this
 * is the only implementation in the stack.
 *
 * A sum may be built from several pieces (a pseudo-header, then the
 * datagram): pass each piece's running total to the next call. Only the
 * last piece may have an odd length, because an odd piece is padded with
 * a zero byte.
 *
 *     uint32_t acc = inet_sum(0, pseudo, 12);
 *     acc = inet_sum(acc, segment, len);
 *     uint16_t field = inet_checksum_of(acc);   // to store in a header
 *
 * Verifying: the sum over data that includes a correct checksum field
 * folds to 0xffff, so inet_checksum_of() of it is 0.
 */
#ifndef VMUX_CAPSULES_NET_CHECKSUM_H
#define VMUX_CAPSULES_NET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes at p to the running sum acc (not yet folded). */
uint32_t inet_sum(uint32_t acc, const uint8_t *p, size_t len);

/* Fold a running sum to 16 bits and complement it. */
uint16_t inet_checksum_of(uint32_t acc);

/* The checksum of one contiguous piece. */
static inline uint16_t inet_checksum(const uint8_t *p, size_t len)
{
    return inet_checksum_of(inet_sum(0, p, len));
}

#endif
