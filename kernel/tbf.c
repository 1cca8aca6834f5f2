#include "kernel/tbf.h"

#include <string.h>

#include "kernel/errors.h"

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t tbf_checksum(const uint8_t *header, size_t header_size)
{
    uint32_t x = 0;
    for (size_t i = 0; i + 4 <= header_size; i += 4)
        if (i != 12)
            x ^= get32(header + i);
    return x;
}

bool tbf_can_skip(enum tbf_verdict v)
{
    return v == TBF_APP || v == TBF_PADDING || v == TBF_BAD_HEADER || v == TBF_BAD_CHECKSUM ||
           v == TBF_BAD_TLV;
}

static bool name_ok(const uint8_t *s, size_t len)
{
    if (len > TBF_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return false;
    return true;
}

static enum tbf_verdict parse_tlvs(const uint8_t *data, struct tbf_header *h)
{
    uint32_t at = TBF_BASE_SIZE;
    while (at < h->header_size) {
        if (h->header_size - at < 4)
            return TBF_BAD_TLV;
        uint16_t type = get16(data + at), len = get16(data + at + 2);
        at += 4;
        uint32_t padded = ((uint32_t)len + 3u) & ~3u;
        if (padded > h->header_size - at)
            return TBF_BAD_TLV;
        const uint8_t *v = data + at;
        if (type == TBF_TLV_MAIN && !h->has_main) {
            if (len < TBF_MAIN_SIZE)
                return TBF_BAD_TLV;
            h->has_main = true;
            h->init_fn_offset = get32(v);
            h->protected_size = get32(v + 4);
            h->minimum_ram_size = get32(v + 8);
            if (h->init_fn_offset >= h->total_size - h->header_size)
                return TBF_BAD_TLV;
        } else if (type == TBF_TLV_PACKAGE_NAME && h->name[0] == '\0') {
            if (!name_ok(v, len))
                return TBF_BAD_TLV;
            memcpy(h->name, v, len);
            h->name[len] = '\0';
        }
        at += padded;
    }
    return h->has_main ? TBF_APP : TBF_PADDING;
}

enum tbf_verdict tbf_parse(const uint8_t *data, size_t avail, struct tbf_header *out)
{
    struct tbf_header *h = out;
    memset(h, 0, sizeof *h);
    if (avail < 4)
        return TBF_END;
    h->version = get16(data);
    if (h->version != TBF_VERSION)
        return TBF_END;
    if (avail < TBF_BASE_SIZE)
        return TBF_TRUNCATED;
    h->header_size = get16(data + 2);
    h->total_size = get32(data + 4);
    h->flags = get32(data + 8);
    h->checksum = get32(data + 12);
    h->enabled = (h->flags & TBF_FLAG_ENABLED) != 0;
    if (h->total_size < TBF_BASE_SIZE || h->total_size % 4 || h->total_size > avail)
        return TBF_TRUNCATED;
    if (h->header_size < TBF_BASE_SIZE || h->header_size % 4 || h->header_size > h->total_size)
        return TBF_BAD_HEADER;
    h->checksum_computed = tbf_checksum(data, h->header_size);
    enum tbf_verdict v = parse_tlvs(data, h);
    /* A bad checksum wins; the TLVs were still read (bounds-checked),
     * so a report can name what the object claims to be. */
    return h->checksum_computed != h->checksum ? TBF_BAD_CHECKSUM : v;
}

const char *tbf_verdict_name(enum tbf_verdict v)
{
    /* in enum tbf_verdict's order; "?" after the last */
    return vmux_string_at("app\0padding\0end\0truncated\0bad header\0bad checksum\0bad TLV\0?",
                          (unsigned)v <= TBF_BAD_TLV ? (unsigned)v : TBF_BAD_TLV + 1u);
}
