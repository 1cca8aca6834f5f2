/* The TBF parser (kernel/tbf.h): valid objects, padding, the end of the
 * list, and every kind of damage, each with the verdict that says
 * whether the walk can skip it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

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
    assert_string_equal(tbf_verdict_name((enum tbf_verdict)(TBF_BAD_TLV + 1)), "?");
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
