/*
 * The key-value store's on-disk format (capsules/storage/kv_store.h):
 * pure functions over one block, shared by the store, its tests and its
 * fuzzer. Nothing here does I/O or keeps state.
 *
 * The store is a circular log over the n blocks of its window. Every
 * block ever written carries a sequence number, one more than the
 * block written before it, and sits at position seq mod n: the log is
 * written strictly in order, each position once a lap, so wear spreads
 * evenly over the window. A block is one image of a segment: the
 * records appended since the segment began. The open segment is
 * rewritten, with one record more each time, into the next position at
 * each commit (never over the image it replaces), so a write cut by a
 * power failure can only tear the newest image, and the one before it
 * still holds everything acknowledged. When a record does not fit, the
 * segment is over (its last image is final) and the next begins.
 *
 * Block, little-endian:
 *    0  u32 magic KV_LOG_MAGIC
 *    4  u32 seq             sits at position seq mod n
 *    8  u32 segment         the seq of the segment's first image
 *   12  u32 tail            every block of a lower seq was free when this
 *                           one was written (the log's oldest live block)
 *   16  u16 used            bytes of records from KV_LOG_HEADER
 *   18  u16 reserved (0)
 *   20  u32 crc32 of bytes 0..19
 *   24  records, used bytes, then zeroes
 *  508  u32 seq again: a write torn after its first bytes shows two
 *       different numbers
 *
 * Record, at any byte offset (no padding):
 *    0  u8  type            KV_REC_SET or KV_REC_DEL
 *    1  u8  key_len         1..KV_KEY_MAX
 *    2  u16 value_len       0..KV_VALUE_MAX (DEL: 0)
 *    4  u32 owner           the write id it belongs to (0: the kernel's)
 *    8  key, then value
 *    .. u32 crc32 of everything before it in the record
 * A DEL is a tombstone: the key has no value from there on. It stays in
 * the log until the log's tail reaches it (every older record of its key
 * is gone by then).
 */
#ifndef VMUX_CAPSULES_STORAGE_KV_LOG_H
#define VMUX_CAPSULES_STORAGE_KV_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/block.h"

#define KV_LOG_MAGIC 0x31764b76u         /* "vKv1" */
#define KV_LOG_HEADER 24u
#define KV_LOG_TRAILER 4u
#define KV_LOG_ROOM (HIL_BLOCK_SIZE - KV_LOG_HEADER - KV_LOG_TRAILER) /* 484 */

#define KV_KEY_MAX 32u
#define KV_VALUE_MAX 64u
#define KV_REC_OVERHEAD 12u              /* type, lengths, owner, crc */
#define KV_REC_MAX (KV_REC_OVERHEAD + KV_KEY_MAX + KV_VALUE_MAX) /* 108 */
_Static_assert(KV_REC_MAX * 4 <= KV_LOG_ROOM, "a sealed block is at least 3/4 full");

enum kv_rec_type { KV_REC_SET = 1, KV_REC_DEL = 2 };

struct kv_log_header {
    uint32_t seq, segment, tail;
    uint16_t used;
};

/* A record as it lies in a block: key and value point into the block. */
struct kv_record {
    enum kv_rec_type type;
    uint8_t key_len;
    uint16_t value_len;
    uint32_t owner;
    const uint8_t *key, *value;
    uint16_t size;                        /* KV_REC_OVERHEAD + key + value */
};

static inline uint16_t kv_record_size(unsigned key_len, unsigned value_len)
{
    return (uint16_t)(KV_REC_OVERHEAD + key_len + value_len);
}

/* Write the header (and trailer) of a block whose records are in place. */
void kv_log_seal_header(uint8_t *block, const struct kv_log_header *h);

/* Is block a well-formed image: the magic, the header's crc, the
 * trailer equal to seq, used within KV_LOG_ROOM, segment and tail not
 * above seq? Fills *h. Records are checked one by one (kv_log_record). */
bool kv_log_header_ok(const uint8_t *block, struct kv_log_header *h);

/* The record at offset of a block whose header said used bytes: false
 * when it does not lie entirely within them, is malformed, or fails its
 * crc (then nothing after it in the block can be trusted). */
bool kv_log_record(const uint8_t *block, uint16_t used, uint16_t offset, struct kv_record *r);

/* Append a record at offset (the caller checked it fits in KV_LOG_ROOM);
 * returns its size. */
uint16_t kv_log_append(uint8_t *block, uint16_t offset, enum kv_rec_type type, uint32_t owner,
                       const uint8_t *key, unsigned key_len, const uint8_t *value,
                       unsigned value_len);

/* 64-bit fingerprint of a key (two independent 32-bit FNV-1a hashes):
 * what the store's index keeps instead of the key. */
uint64_t kv_log_fingerprint(const uint8_t *key, unsigned key_len);

#endif
