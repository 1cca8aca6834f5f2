/*
 * crc32: the checksum of data at rest (CRC-32 as zlib and Ethernet
 * compute it: reflected polynomial 0xedb88320, initial value and final
 * xor 0xffffffff; "123456789" gives 0xcbf43926).
 *
 * Chained: crc32(crc32(0, a, n), b, m) is the CRC of a then b, so a
 * record's header and payload need not be contiguous.
 *
 * Half a byte at a time from a 16-entry table: small enough for the
 * Cortex-M3 image, about twice the cost of the 256-entry table.
 */
#ifndef VMUX_KERNEL_CRC32_H
#define VMUX_KERNEL_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32(uint32_t crc, const void *data, size_t len);

#endif
