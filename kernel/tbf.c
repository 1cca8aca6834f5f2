#include "kernel/tbf.h"

#include <string.h>

#include "kernel/errors.h"
#include "kernel/sha256.h"

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t tbf_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define get32 tbf_get32

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
    return v == TBF_APP || v == TBF_PADDING || v >= TBF_BAD_HEADER;
}

bool tbf_next_tlv(const uint8_t *data, uint32_t *at, uint32_t end, uint16_t *type,
                  uint16_t *length, uint32_t *value)
{
    if (*at > end || end - *at < 4)
        return false;
    *type = get16(data + *at);
    *length = get16(data + *at + 2);
    *value = *at + 4;
    if (*length > end - *value)
        return false;
    uint32_t padded = (*length + 3u) & ~3u;
    *at = padded > end - *value ? end : *value + padded;
    return true;
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

/* Main (fields[0]) and Program (fields[1]): init_fn_offset,
 * protected_trailer_size, minimum_ram_size, binary_end_offset, version. */
typedef uint32_t program_fields[2][5];

/* The exact length of each TLV type that has one (0: any length). */
static const uint8_t exact_length[] = {
    [TBF_TLV_MAIN] = TBF_MAIN_SIZE, [TBF_TLV_FIXED_ADDRESSES] = 8, [TBF_TLV_KERNEL_VERSION] = 4,
    [TBF_TLV_PROGRAM] = TBF_PROGRAM_SIZE, [TBF_TLV_SHORT_ID] = 4,
};

/* One header TLV (its value at offset v of data, len bytes, inside the
 * header) into h. */
static bool header_tlv(struct tbf_header *h, program_fields f, uint16_t type, const uint8_t *data,
                       uint32_t v, uint32_t len)
{
    const uint8_t *p = data + v;
    if (type < sizeof exact_length && exact_length[type] && len != exact_length[type])
        return false;
    if (type == TBF_TLV_MAIN || type == TBF_TLV_PROGRAM) {
        bool program = type == TBF_TLV_PROGRAM;
        for (unsigned i = 0; i < len / 4; i++)
            f[program][i] = get32(p + 4 * i);
        h->has_main |= !program;
        h->has_program |= program;
    } else if (type == TBF_TLV_FLASH_REGIONS) {
        if (len % 8)
            return false;
        for (uint32_t i = 0; i < len; i += 8) {
            struct tbf_region r = { get32(p + i), get32(p + i + 4) };
            if (r.offset > h->total_size || r.size > h->total_size - r.offset)
                return false;
            if (h->flash_region_count < TBF_FLASH_REGIONS_MAX)
                h->flash_regions[h->flash_region_count++] = r;
            else if (h->flash_regions_ignored < 255)
                h->flash_regions_ignored++;
        }
    } else if (type == TBF_TLV_PACKAGE_NAME) {
        if (!name_ok(p, len))
            return false;
        if (h->name[0] == '\0')
            memcpy(h->name, p, len); /* h was zeroed: the name ends there */
    } else if (type == TBF_TLV_FIXED_ADDRESSES) {
        h->fixed_ram = get32(p);
        h->fixed_flash = get32(p + 4);
    } else if (type == TBF_TLV_PERMISSIONS) {
        if (len < 2 || 2u + 16u * get16(p) > len)
            return false;
        h->permission_count = get16(p);
    } else if (type == TBF_TLV_STORAGE) {
        /* u32 write id, u16 n, n ids, u16 m, m ids */
        if (len < 8)
            return false;
        uint32_t n = get16(p + 4), m_at = 6 + 4 * n, m = m_at + 2 <= len ? get16(p + m_at) : 0;
        if (n > TBF_STORAGE_IDS_MAX || m > TBF_STORAGE_IDS_MAX || m_at + 2 + 4 * m > len)
            return false;
        h->has_storage = true;
        h->storage_write_id = get32(p);
        h->storage_read_count = (uint8_t)n;
        h->storage_modify_count = (uint8_t)m;
        h->storage_read_at = (uint16_t)(v + 6);
        h->storage_modify_at = (uint16_t)(v + m_at + 2);
    } else if (type == TBF_TLV_KERNEL_VERSION) {
        h->has_kernel_version = true;
        h->kernel_major = get16(p);
        h->kernel_minor = get16(p + 2);
    } else if (type == TBF_TLV_SHORT_ID) {
        h->short_id = get32(p);
    }
    return true; /* other types: not ours to understand, skipped */
}

/* The credentials footers in [binary_end_offset, total_size). */
static enum tbf_verdict footers(const uint8_t *data, struct tbf_header *h)
{
    uint32_t at = h->binary_end_offset, v;
    uint16_t type, len;
    while (h->total_size - at >= 4) {
        bool whole = tbf_next_tlv(data, &at, h->total_size, &type, &len, &v);
        if (type != TBF_TLV_CREDENTIALS)
            break; /* the rest is padding */
        if (!whole || len < 4)
            return TBF_BAD_FOOTER;
        if (get32(data + v) == TBF_CREDENTIALS_SHA256) {
            if (len != 4 + TBF_SHA256_SIZE)
                return TBF_BAD_FOOTER;
            if (h->sha256_count < 255)
                h->sha256_count++;
        }
        if (h->footer_count < 255)
            h->footer_count++;
    }
    return TBF_APP;
}

static enum tbf_verdict parse_tlvs(const uint8_t *data, struct tbf_header *h)
{
    program_fields f = { { 0 } };
    uint32_t at = TBF_BASE_SIZE, v;
    uint16_t type, len;
    while (at < h->header_size) {
        if (!tbf_next_tlv(data, &at, h->header_size, &type, &len, &v) ||
            !header_tlv(h, f, type, data, v, len))
            return TBF_BAD_TLV;
    }
    if (!h->has_main && !h->has_program)
        return TBF_PADDING;
    const uint32_t *use = f[h->has_program];
    h->init_fn_offset = use[0];
    h->protected_trailer_size = use[1];
    h->minimum_ram_size = use[2];
    h->binary_end_offset = h->has_program ? use[3] : h->total_size;
    h->app_version = use[4];
    /* The binary, [header_size + trailer, binary end), and the entry
     * inside it (differences, so no field can wrap a sum). */
    uint32_t end = h->binary_end_offset;
    if (end < h->header_size || end > h->total_size ||
        h->protected_trailer_size > end - h->header_size ||
        h->init_fn_offset >= end - h->header_size)
        return TBF_BAD_TLV;
    return h->has_program ? footers(data, h) : TBF_APP;
}

enum tbf_verdict tbf_parse(const uint8_t *data, size_t avail, struct tbf_header *out)
{
    struct tbf_header *h = out;
    memset(h, 0, sizeof *h);
    h->fixed_ram = h->fixed_flash = TBF_NO_FIXED_ADDRESS;
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
    h->sticky = (h->flags & TBF_FLAG_STICKY) != 0;
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

bool tbf_kernel_version_ok(const struct tbf_header *h)
{
    return !h->has_kernel_version ||
           (h->kernel_major == TBF_KERNEL_MAJOR && h->kernel_minor <= TBF_KERNEL_MINOR);
}

enum tbf_sha256 tbf_check_sha256(const uint8_t *obj, const struct tbf_header *h)
{
    if (h->sha256_count == 0)
        return TBF_SHA256_NONE;
    uint8_t digest[SHA256_DIGEST_SIZE];
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, obj, h->binary_end_offset);
    sha256_final(&s, digest);
    /* The walk footers() checked: credentials TLVs up to the first other. */
    uint32_t at = h->binary_end_offset, v;
    uint16_t type, len;
    while (tbf_next_tlv(obj, &at, h->total_size, &type, &len, &v) &&
           type == TBF_TLV_CREDENTIALS)
        if (get32(obj + v) == TBF_CREDENTIALS_SHA256 &&
            memcmp(obj + v + 4, digest, SHA256_DIGEST_SIZE) != 0)
            return TBF_SHA256_MISMATCH;
    return TBF_SHA256_MATCH;
}

const char *tbf_verdict_name(enum tbf_verdict v)
{
    /* in enum tbf_verdict's order; "?" after the last */
    return vmux_string_at(
        "app\0padding\0end\0truncated\0bad header\0bad checksum\0bad TLV\0bad footer\0?",
        (unsigned)v <= TBF_BAD_FOOTER ? (unsigned)v : TBF_BAD_FOOTER + 1u);
}

uint32_t tbf_storage_id(const uint8_t *obj, const struct tbf_header *h, bool modify, unsigned i)
{
    if (!h->has_storage || i >= (modify ? h->storage_modify_count : h->storage_read_count))
        return 0;
    return get32(obj + (modify ? h->storage_modify_at : h->storage_read_at) + 4u * i);
}
