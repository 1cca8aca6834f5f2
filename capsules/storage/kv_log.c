#include "capsules/storage/kv_log.h"

#include <string.h>

#include "kernel/crc32.h"

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void kv_log_seal_header(uint8_t *block, const struct kv_log_header *h)
{
    put32(block, KV_LOG_MAGIC);
    put32(block + 4, h->seq);
    put32(block + 8, h->segment);
    put32(block + 12, h->tail);
    put16(block + 16, h->used);
    put16(block + 18, 0);
    put32(block + 20, crc32(0, block, 20));
    put32(block + HIL_BLOCK_SIZE - KV_LOG_TRAILER, h->seq);
}

bool kv_log_header_ok(const uint8_t *block, struct kv_log_header *h)
{
    if (get32(block) != KV_LOG_MAGIC || get32(block + 20) != crc32(0, block, 20))
        return false;
    h->seq = get32(block + 4);
    h->segment = get32(block + 8);
    h->tail = get32(block + 12);
    h->used = get16(block + 16);
    return get32(block + HIL_BLOCK_SIZE - KV_LOG_TRAILER) == h->seq && h->used <= KV_LOG_ROOM &&
           h->segment <= h->seq && h->tail <= h->seq;
}

bool kv_log_record(const uint8_t *block, uint16_t used, uint16_t offset, struct kv_record *r)
{
    if (used > KV_LOG_ROOM || offset > used || (unsigned)(used - offset) < KV_REC_OVERHEAD)
        return false;
    const uint8_t *p = block + KV_LOG_HEADER + offset;
    r->type = (enum kv_rec_type)p[0];
    r->key_len = p[1];
    r->value_len = get16(p + 2);
    r->owner = get32(p + 4);
    if ((r->type != KV_REC_SET && r->type != KV_REC_DEL) || r->key_len == 0 ||
        r->key_len > KV_KEY_MAX || r->value_len > KV_VALUE_MAX ||
        (r->type == KV_REC_DEL && r->value_len != 0))
        return false;
    r->size = kv_record_size(r->key_len, r->value_len);
    if (r->size > (unsigned)(used - offset))
        return false;
    r->key = p + 8;
    r->value = r->key + r->key_len;
    return get32(p + r->size - 4) == crc32(0, p, r->size - 4u);
}

uint16_t kv_log_append(uint8_t *block, uint16_t offset, enum kv_rec_type type, uint32_t owner,
                       const uint8_t *key, unsigned key_len, const uint8_t *value,
                       unsigned value_len)
{
    uint8_t *p = block + KV_LOG_HEADER + offset;
    uint16_t size = kv_record_size(key_len, value_len);
    p[0] = (uint8_t)type;
    p[1] = (uint8_t)key_len;
    put16(p + 2, (uint16_t)value_len);
    put32(p + 4, owner);
    memcpy(p + 8, key, key_len);
    if (value_len)
        memcpy(p + 8 + key_len, value, value_len);
    put32(p + size - 4, crc32(0, p, size - 4u));
    return size;
}

uint64_t kv_log_fingerprint(const uint8_t *key, unsigned key_len)
{
    uint32_t a = 0x811c9dc5u, b = 0x050c5d1fu;
    for (unsigned i = 0; i < key_len; i++) {
        a = (a ^ key[i]) * 0x01000193u;
        b = (b ^ key[i] ^ (uint8_t)i) * 0x01000193u;
        b ^= b >> 15;
    }
    return (uint64_t)a << 32 | (b ^ key_len);
}
