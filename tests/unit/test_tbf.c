/* The TBF parser (kernel/tbf.h): valid objects, padding, the end of the
 * list, and every kind of damage, each with the verdict that says
 * whether the walk can skip it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "kernel/tbf.h"

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* An object of total bytes: Main (entry, ram) and a name, checksummed. */
static size_t build(uint8_t *buf, uint32_t total, const char *name, uint32_t entry, uint32_t ram)
{
    size_t n = strlen(name);
    uint32_t header = TBF_BASE_SIZE + 16u + 4u + (((uint32_t)n + 3u) & ~3u);
    memset(buf, 0xff, total);
    memset(buf, 0, header);
    put16(buf, 2);
    put16(buf + 2, header);
    put32(buf + 4, total);
    put32(buf + 8, TBF_FLAG_ENABLED);
    put16(buf + 16, TBF_TLV_MAIN);
    put16(buf + 18, 12);
    put32(buf + 20, entry);
    put32(buf + 24, 0);
    put32(buf + 28, ram);
    put16(buf + 32, TBF_TLV_PACKAGE_NAME);
    put16(buf + 34, (uint32_t)n);
    memcpy(buf + 36, name, n);
    put32(buf + 12, tbf_checksum(buf, header));
    return header;
}

static void reseal(uint8_t *buf)
{
    uint32_t header = (uint32_t)(buf[2] | buf[3] << 8);
    put32(buf + 12, tbf_checksum(buf, header));
}

static void valid_app(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t header = build(buf, sizeof buf, "sensor-a", 0x2c, 1248);
    struct tbf_header h;
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_APP);
    assert_int_equal(h.header_size, header);
    assert_int_equal(h.total_size, 256);
    assert_true(h.enabled);
    assert_int_equal(h.init_fn_offset, 0x2c);
    assert_int_equal(h.minimum_ram_size, 1248);
    assert_string_equal(h.name, "sensor-a");
    assert_true(tbf_can_skip(TBF_APP));
}

static void end_of_list(void **state)
{
    (void)state;
    uint8_t zero[64] = { 0 }, erased[64];
    memset(erased, 0xff, sizeof erased);
    struct tbf_header h;
    assert_int_equal(tbf_parse(zero, sizeof zero, &h), TBF_END);
    assert_int_equal(tbf_parse(erased, sizeof erased, &h), TBF_END);
    assert_int_equal(tbf_parse(zero, 3, &h), TBF_END);
    assert_false(tbf_can_skip(TBF_END));
}

static void padding_without_main(void **state)
{
    (void)state;
    uint8_t buf[64] = { 0 };
    put16(buf, 2);
    put16(buf + 2, 16);
    put32(buf + 4, sizeof buf);
    reseal(buf);
    struct tbf_header h;
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_PADDING);
}

static void bad_checksum_still_names_it(void **state)
{
    (void)state;
    uint8_t buf[256];
    build(buf, sizeof buf, "corrupt", 0x2c, 1024);
    buf[12] ^= 1;
    struct tbf_header h;
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_CHECKSUM);
    assert_string_equal(h.name, "corrupt");
    assert_int_not_equal(h.checksum, h.checksum_computed);
    assert_true(tbf_can_skip(TBF_BAD_CHECKSUM));
    /* a flipped bit anywhere in the header is caught */
    build(buf, sizeof buf, "corrupt", 0x2c, 1024);
    buf[29] ^= 0x80;
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_CHECKSUM);
}

static void sizes_that_cannot_be_trusted(void **state)
{
    (void)state;
    uint8_t buf[256];
    struct tbf_header h;
    build(buf, sizeof buf, "x", 0, 0);
    assert_int_equal(tbf_parse(buf, 128, &h), TBF_TRUNCATED); /* total beyond the list */
    assert_int_equal(tbf_parse(buf, 10, &h), TBF_TRUNCATED);  /* no room for the base */
    put32(buf + 4, 8);                                        /* below the base header */
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_TRUNCATED);
    put32(buf + 4, 255);                                      /* not a multiple of 4 */
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_TRUNCATED);
    assert_false(tbf_can_skip(TBF_TRUNCATED));
}

static void bad_header_size(void **state)
{
    (void)state;
    uint8_t buf[256];
    struct tbf_header h;
    static const uint16_t sizes[] = { 0, 12, 18, 260 };
    for (unsigned i = 0; i < 4; i++) {
        build(buf, sizeof buf, "x", 0, 0);
        put16(buf + 2, sizes[i]);
        assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_HEADER);
        assert_int_equal(h.total_size, 256); /* trusted: the walk skips it */
    }
}

static void bad_tlvs(void **state)
{
    (void)state;
    uint8_t buf[256];
    struct tbf_header h;
    build(buf, sizeof buf, "x", 0, 0);
    put16(buf + 34, 200); /* the name runs past the header */
    reseal(buf);
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_TLV);
    build(buf, sizeof buf, "x", 0, 0);
    put16(buf + 18, 8); /* a Main TLV too short */
    reseal(buf);
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_TLV);
    build(buf, sizeof buf, "x", 300, 0); /* entry outside the object */
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_TLV);
    build(buf, sizeof buf, "bad name", 0, 0); /* a space: not printable ASCII 0x21-0x7e */
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_TLV);
    build(buf, sizeof buf, "a-name-longer-than-23-bytes", 0, 0);
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_BAD_TLV);
}

static void unknown_tlvs_are_skipped(void **state)
{
    (void)state;
    uint8_t buf[256];
    build(buf, sizeof buf, "x", 0, 0);
    put16(buf + 32, 0x8001); /* the name TLV turned into a private one */
    reseal(buf);
    struct tbf_header h;
    assert_int_equal(tbf_parse(buf, sizeof buf, &h), TBF_APP);
    assert_string_equal(h.name, "");
}

static void walking_a_list(void **state)
{
    (void)state;
    uint8_t list[256 + 128 + 64 + 4];
    memset(list, 0, sizeof list);
    build(list, 256, "first", 0, 0);
    build(list + 256, 128, "second", 0, 0);
    list[256 + 12] ^= 0xff; /* bad checksum: reported, skipped */
    build(list + 384, 64, "third", 0, 0);
    const char *expect[] = { "first", "second", "third" };
    enum tbf_verdict verdicts[] = { TBF_APP, TBF_BAD_CHECKSUM, TBF_APP };
    size_t at = 0;
    for (unsigned i = 0; i < 3; i++) {
        struct tbf_header h;
        assert_int_equal(tbf_parse(list + at, sizeof list - at, &h), verdicts[i]);
        assert_string_equal(h.name, expect[i]);
        at += h.total_size;
    }
    struct tbf_header h;
    assert_int_equal(tbf_parse(list + at, sizeof list - at, &h), TBF_END);
}

static void verdict_names(void **state)
{
    (void)state;
    assert_string_equal(tbf_verdict_name(TBF_APP), "app");
    assert_string_equal(tbf_verdict_name(TBF_END), "end");
    assert_string_equal(tbf_verdict_name(TBF_BAD_CHECKSUM), "bad checksum");
    assert_string_equal(tbf_verdict_name(TBF_BAD_TLV), "bad TLV");
    assert_string_equal(tbf_verdict_name(TBF_BAD_FOOTER), "bad footer");
    assert_string_equal(tbf_verdict_name((enum tbf_verdict)(TBF_BAD_FOOTER + 1)), "?");
    assert_true(tbf_can_skip(TBF_BAD_FOOTER));
}

/* ------------------------------------------------------------ every TLV */

/* An object under construction: TLVs appended to the header, then
 * sealed with its sizes and checksum. */
struct obj {
    uint8_t b[1024];
    uint32_t at; /* end of the header so far */
};

static void begin(struct obj *o, uint32_t flags)
{
    memset(o->b, 0, sizeof o->b);
    put16(o->b, 2);
    put32(o->b + 8, flags);
    o->at = TBF_BASE_SIZE;
}

static uint8_t *tlv(struct obj *o, uint16_t type, uint16_t len)
{
    put16(o->b + o->at, type);
    put16(o->b + o->at + 2, len);
    uint8_t *v = o->b + o->at + 4;
    o->at += 4u + ((len + 3u) & ~3u);
    return v;
}

static void program(struct obj *o, uint16_t type, uint32_t entry, uint32_t trailer, uint32_t ram,
                    uint32_t end, uint32_t version)
{
    uint8_t *v = tlv(o, type, type == TBF_TLV_PROGRAM ? 20 : 12);
    put32(v, entry);
    put32(v + 4, trailer);
    put32(v + 8, ram);
    if (type == TBF_TLV_PROGRAM) {
        put32(v + 12, end);
        put32(v + 16, version);
    }
}

static void seal(struct obj *o, uint32_t total)
{
    put16(o->b + 2, (uint16_t)o->at);
    put32(o->b + 4, total);
    put32(o->b + 12, tbf_checksum(o->b, o->at));
}

static enum tbf_verdict parse(struct obj *o, uint32_t total, struct tbf_header *h)
{
    seal(o, total);
    return tbf_parse(o->b, sizeof o->b, h);
}

static void program_header_preferred_over_main(void **state)
{
    (void)state;
    struct obj o;
    struct tbf_header h;
    begin(&o, TBF_FLAG_ENABLED);
    program(&o, TBF_TLV_MAIN, 4, 0, 100, 0, 0);
    program(&o, TBF_TLV_PROGRAM, 8, 4, 200, 400, 7);
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_true(h.has_main && h.has_program);
    assert_int_equal(h.init_fn_offset, 8);
    assert_int_equal(h.protected_trailer_size, 4);
    assert_int_equal(h.minimum_ram_size, 200);
    assert_int_equal(h.binary_end_offset, 400);
    assert_int_equal(h.app_version, 7);
    /* Main alone: the binary runs to total_size, version 0 */
    begin(&o, TBF_FLAG_ENABLED);
    program(&o, TBF_TLV_MAIN, 4, 0, 100, 0, 0);
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_false(h.has_program);
    assert_int_equal(h.init_fn_offset, 4);
    assert_int_equal(h.binary_end_offset, 512);
    assert_int_equal(h.app_version, 0);
    /* Program alone is an app too */
    begin(&o, TBF_FLAG_ENABLED);
    program(&o, TBF_TLV_PROGRAM, 0, 0, 64, 100, 1);
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_false(h.has_main);
}

static void every_tlv_is_kept(void **state)
{
    (void)state;
    struct obj o;
    struct tbf_header h;
    begin(&o, TBF_FLAG_ENABLED | TBF_FLAG_STICKY);
    program(&o, TBF_TLV_PROGRAM, 0, 0, 2048, 200, 3);
    uint8_t *v = tlv(&o, TBF_TLV_FLASH_REGIONS, 16); /* two regions in one TLV */
    put32(v, 256); put32(v + 4, 64); put32(v + 8, 320); put32(v + 12, 32);
    v = tlv(&o, TBF_TLV_FLASH_REGIONS, 24);          /* three more: one too many */
    put32(v, 400); put32(v + 4, 16); put32(v + 8, 416); put32(v + 12, 16);
    put32(v + 16, 432); put32(v + 20, 16);
    v = tlv(&o, TBF_TLV_FIXED_ADDRESSES, 8);
    put32(v, 0x20004000u); put32(v + 4, TBF_NO_FIXED_ADDRESS);
    v = tlv(&o, TBF_TLV_PERMISSIONS, 2 + 2 * 16);
    put16(v, 2);
    v = tlv(&o, TBF_TLV_STORAGE, 4 + 2 + 2 * 4 + 2 + 1 * 4);
    put32(v, 5); put16(v + 4, 2); put32(v + 6, 11); put32(v + 10, 12); put16(v + 14, 1);
    put32(v + 16, 13);
    v = tlv(&o, TBF_TLV_KERNEL_VERSION, 4);
    put16(v, 2); put16(v + 2, 1);
    v = tlv(&o, TBF_TLV_SHORT_ID, 4);
    put32(v, 0x1234);
    v = tlv(&o, 0x7fff, 3); /* unknown: skipped */
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_true(h.enabled && h.sticky);
    assert_int_equal(h.flash_region_count, 4);
    assert_int_equal(h.flash_regions_ignored, 1);
    assert_int_equal(h.flash_regions[1].offset, 320);
    assert_int_equal(h.flash_regions[1].size, 32);
    assert_int_equal(h.flash_regions[3].offset, 416);
    assert_int_equal(h.fixed_ram, 0x20004000u);
    assert_int_equal(h.fixed_flash, TBF_NO_FIXED_ADDRESS);
    assert_int_equal(h.permission_count, 2);
    assert_true(h.has_storage);
    assert_int_equal(h.storage_write_id, 5);
    assert_int_equal(h.storage_read_count, 2);
    assert_int_equal(tbf_get32(o.b + h.storage_read_at), 11);
    assert_int_equal(tbf_get32(o.b + h.storage_read_at + 4), 12);
    assert_int_equal(h.storage_modify_count, 1);
    assert_int_equal(tbf_get32(o.b + h.storage_modify_at), 13);
    assert_true(h.has_kernel_version);
    assert_int_equal(h.kernel_major, 2);
    assert_int_equal(h.kernel_minor, 1);
    assert_int_equal(h.short_id, 0x1234);
    assert_int_equal(h.app_version, 3);
}

/* An object with a Program TLV and one TLV of type/len whose value the
 * callback fills; its verdict. */
static enum tbf_verdict with_tlv(uint16_t type, uint16_t len, void (*fill)(uint8_t *v))
{
    struct obj o;
    struct tbf_header h;
    begin(&o, TBF_FLAG_ENABLED);
    program(&o, TBF_TLV_PROGRAM, 0, 0, 64, 200, 0);
    uint8_t *v = tlv(&o, type, len);
    if (fill)
        fill(v);
    return parse(&o, 256, &h);
}

static void nine_read_ids(uint8_t *v)
{
    put16(v + 4, 9);
}

static void nine_modify_ids(uint8_t *v)
{
    put16(v + 4, 0); put16(v + 6, 9);
}

static void many_permissions(uint8_t *v)
{
    put16(v, 3); /* 3 entries do not fit in 2 + 32 bytes */
}

static void region_past_the_object(uint8_t *v)
{
    put32(v, 200), put32(v + 4, 57); /* 200 + 57 > 256 */
}

static void region_wrapping(uint8_t *v)
{
    put32(v, 16); put32(v + 4, 0xfffffff8u);
}

static void tlvs_of_the_wrong_length(void **state)
{
    (void)state;
    assert_int_equal(with_tlv(TBF_TLV_MAIN, 16, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_PROGRAM, 12, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_FIXED_ADDRESSES, 4, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_KERNEL_VERSION, 8, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_SHORT_ID, 2, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_FLASH_REGIONS, 12, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_FLASH_REGIONS, 8, region_past_the_object), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_FLASH_REGIONS, 8, region_wrapping), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_FLASH_REGIONS, 0, NULL), TBF_APP); /* none */
    assert_int_equal(with_tlv(TBF_TLV_PERMISSIONS, 1, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_PERMISSIONS, 34, many_permissions), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_STORAGE, 6, NULL), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_STORAGE, 8, NULL), TBF_APP); /* no ids */
    assert_int_equal(with_tlv(TBF_TLV_STORAGE, 8, nine_read_ids), TBF_BAD_TLV); /* short */
    assert_int_equal(with_tlv(TBF_TLV_STORAGE, 8 + 36, nine_read_ids), TBF_BAD_TLV); /* > 8 */
    assert_int_equal(with_tlv(TBF_TLV_STORAGE, 8 + 36, nine_modify_ids), TBF_BAD_TLV);
    assert_int_equal(with_tlv(TBF_TLV_CREDENTIALS, 4, NULL), TBF_APP); /* in a header: skipped */
}

static void binary_and_entry_inside_the_object(void **state)
{
    (void)state;
    /* entry, trailer, binary end: each one past where it may be */
    static const uint32_t cases[][3] = {
        { 0, 0, 257 },      /* binary end past total_size */
        { 0, 0, 16 },       /* binary end inside the header */
        { 200, 0, 200 },    /* entry at the binary end */
        { 0, 300, 200 },    /* trailer past the binary end */
        { 0xfffffff0u, 0, 200 }, /* entry offset wrapping */
        { 0, 0xfffffff0u, 200 }, /* trailer wrapping */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct obj o;
        struct tbf_header h;
        begin(&o, TBF_FLAG_ENABLED);
        program(&o, TBF_TLV_PROGRAM, cases[i][0], cases[i][1], 64, cases[i][2], 0);
        assert_int_equal(parse(&o, 256, &h), TBF_BAD_TLV);
    }
}

/* An app of 512 bytes with its binary ending at 256 and footers after. */
static void app_with_footers(struct obj *o)
{
    begin(o, TBF_FLAG_ENABLED);
    program(o, TBF_TLV_PROGRAM, 0, 0, 64, 256, 0);
}

static uint8_t *footer(struct obj *o, uint32_t at, uint32_t format, uint16_t len)
{
    put16(o->b + at, TBF_TLV_CREDENTIALS);
    put16(o->b + at + 2, len);
    put32(o->b + at + 4, format);
    return o->b + at + 8;
}

static void footers_walked_and_bounds_checked(void **state)
{
    (void)state;
    struct obj o;
    struct tbf_header h;
    app_with_footers(&o);
    footer(&o, 256, TBF_CREDENTIALS_SHA256, 36);
    footer(&o, 296, 2 /* RSA-4096: accepted, not checked */, 20);
    footer(&o, 320, TBF_CREDENTIALS_RESERVED, 512 - 320 - 4); /* up to the end */
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_int_equal(h.footer_count, 3);
    assert_int_equal(h.sha256_count, 1);

    app_with_footers(&o); /* padding (not a credentials TLV) ends the walk */
    footer(&o, 256, TBF_CREDENTIALS_RESERVED, 8);
    put16(o.b + 268, 0x0001); put16(o.b + 270, 0xffff);
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_int_equal(h.footer_count, 1);

    app_with_footers(&o); /* runs past total_size */
    footer(&o, 256, TBF_CREDENTIALS_RESERVED, 512 - 256 - 4 + 1);
    assert_int_equal(parse(&o, 512, &h), TBF_BAD_FOOTER);

    app_with_footers(&o); /* too short for its format word */
    footer(&o, 256, TBF_CREDENTIALS_RESERVED, 3);
    assert_int_equal(parse(&o, 512, &h), TBF_BAD_FOOTER);

    app_with_footers(&o); /* a SHA-256 footer of the wrong length */
    footer(&o, 256, TBF_CREDENTIALS_SHA256, 4 + 31);
    assert_int_equal(parse(&o, 512, &h), TBF_BAD_FOOTER);

    /* Main only: no footers, whatever follows the binary */
    begin(&o, TBF_FLAG_ENABLED);
    program(&o, TBF_TLV_MAIN, 0, 0, 64, 0, 0);
    footer(&o, 256, TBF_CREDENTIALS_RESERVED, 0xffff);
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_int_equal(h.footer_count, 0);
}

static void kernel_version_checked_against_vmux(void **state)
{
    (void)state;
    struct tbf_header h;
    memset(&h, 0, sizeof h);
    assert_true(tbf_kernel_version_ok(&h)); /* no Kernel Version TLV */
    h.has_kernel_version = true;
    static const struct {
        uint16_t major, minor;
        bool ok;
    } cases[] = {
        { 2, 0, true }, { 2, 1, true }, { TBF_KERNEL_MAJOR, TBF_KERNEL_MINOR, true },
        { TBF_KERNEL_MAJOR, TBF_KERNEL_MINOR + 1, false }, { 1, 0, false }, { 3, 0, false },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        h.kernel_major = cases[i].major;
        h.kernel_minor = cases[i].minor;
        assert_int_equal(tbf_kernel_version_ok(&h), cases[i].ok);
    }
}

static void next_tlv_stays_in_bounds(void **state)
{
    (void)state;
    uint8_t b[16] = { 0 };
    uint32_t at = 0, v;
    uint16_t type, len;
    put16(b, 9); put16(b + 2, 5);
    assert_true(tbf_next_tlv(b, &at, 16, &type, &len, &v));
    assert_int_equal(type, 9);
    assert_int_equal(len, 5);
    assert_int_equal(v, 4);
    assert_int_equal(at, 12); /* padded to 4 */
    put16(b + 12, 1), put16(b + 14, 1); /* one byte of value, none left */
    assert_false(tbf_next_tlv(b, &at, 16, &type, &len, &v));
    at = 14; /* fewer than 4 bytes */
    assert_false(tbf_next_tlv(b, &at, 16, &type, &len, &v));
    at = 20; /* past the end */
    assert_false(tbf_next_tlv(b, &at, 16, &type, &len, &v));
    put16(b, 9), put16(b + 2, 11); /* the value ends at 15, its padding past 16 */
    at = 0;
    assert_true(tbf_next_tlv(b, &at, 15, &type, &len, &v));
    assert_int_equal(at, 15);
}

/* An app whose binary ends at 256, with a SHA-256 footer holding the
 * hash OpenSSL computes of [0, 256) and a reserved one after it. */
static void app_with_sha256(struct obj *o, struct tbf_header *h)
{
    app_with_footers(o);
    for (unsigned i = 64; i < 256; i++)
        o->b[i] = (uint8_t)(i * 7);
    seal(o, 512);
    uint8_t *hash = footer(o, 256, TBF_CREDENTIALS_SHA256, 36);
    footer(o, 296, TBF_CREDENTIALS_RESERVED, 512 - 296 - 4);
    unsigned n;
    assert_int_equal(EVP_Digest(o->b, 256, hash, &n, EVP_sha256(), NULL), 1);
    assert_int_equal(tbf_parse(o->b, sizeof o->b, h), TBF_APP);
}

static void sha256_credentials_checked(void **state)
{
    (void)state;
    struct obj o;
    struct tbf_header h;
    app_with_sha256(&o, &h);
    assert_int_equal(tbf_check_sha256(o.b, &h), TBF_SHA256_MATCH);
    o.b[200] ^= 1; /* a bit of the binary */
    assert_int_equal(tbf_check_sha256(o.b, &h), TBF_SHA256_MISMATCH);
    app_with_sha256(&o, &h);
    o.b[256 + 8 + 31] ^= 0x80; /* a bit of the hash */
    assert_int_equal(tbf_check_sha256(o.b, &h), TBF_SHA256_MISMATCH);
    app_with_sha256(&o, &h);
    o.b[4] ^= 0x40; /* a header bit (total_size): covered too */
    assert_int_equal(tbf_check_sha256(o.b, &h), TBF_SHA256_MISMATCH);
    app_with_sha256(&o, &h);
    o.b[400] ^= 1; /* the reserved footer is not covered */
    assert_int_equal(tbf_check_sha256(o.b, &h), TBF_SHA256_MATCH);
    app_with_footers(&o); /* no SHA-256 footer */
    footer(&o, 256, TBF_CREDENTIALS_RESERVED, 512 - 256 - 4);
    assert_int_equal(parse(&o, 512, &h), TBF_APP);
    assert_int_equal(tbf_check_sha256(o.b, &h), TBF_SHA256_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_app),
        cmocka_unit_test(end_of_list),
        cmocka_unit_test(padding_without_main),
        cmocka_unit_test(bad_checksum_still_names_it),
        cmocka_unit_test(sizes_that_cannot_be_trusted),
        cmocka_unit_test(bad_header_size),
        cmocka_unit_test(bad_tlvs),
        cmocka_unit_test(unknown_tlvs_are_skipped),
        cmocka_unit_test(walking_a_list),
        cmocka_unit_test(verdict_names),
        cmocka_unit_test(program_header_preferred_over_main),
        cmocka_unit_test(every_tlv_is_kept),
        cmocka_unit_test(tlvs_of_the_wrong_length),
        cmocka_unit_test(binary_and_entry_inside_the_object),
        cmocka_unit_test(footers_walked_and_bounds_checked),
        cmocka_unit_test(kernel_version_checked_against_vmux),
        cmocka_unit_test(next_tlv_stays_in_bounds),
        cmocka_unit_test(sha256_credentials_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
