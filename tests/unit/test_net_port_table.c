/*
 * The pieces under the stack: the Internet checksum against published
 * values, UDP's zero-checksum rule, and the port table against a plain
 * model through a long random churn (backward-shift removal included).
 */
#include "test_net_fixture.h"

#include "capsules/net/checksum.h"
#include "capsules/net/port_table.h"

/* ------------------------------------------------------------ checksum */

static void checksum_matches_rfc_1071_and_a_real_header(void **state)
{
    (void)state;
    /* RFC 1071, section 3: the sum of these words is ddf2. */
    static const uint8_t words[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    assert_int_equal(inet_checksum(words, 8), 0x220d);
    /* In pieces, the odd one last. */
    assert_int_equal(inet_checksum_of(inet_sum(inet_sum(0, words, 4), words + 4, 4)), 0x220d);
    assert_int_equal(inet_checksum_of(inet_sum(inet_sum(0, words, 6), words + 6, 1)),
                     ref_checksum(words, 7));

    /* An IPv4 header seen on a real network, checksum b861. */
    uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                      0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };
    assert_int_equal(inet_checksum(h, 20), 0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    assert_int_equal(inet_checksum(h, 20), 0);

    /* Long runs of 0xff do not overflow the running sum. */
    static uint8_t ones[65534];
    memset(ones, 0xff, sizeof ones);
    assert_int_equal(inet_checksum(ones, sizeof ones), ref_checksum(ones, sizeof ones));
}

static void udp_computed_zero_is_sent_as_all_ones(void **state)
{
    (void)state;
    uint8_t seg[10] = { 0x13, 0x88, 0x1e, 0x61, 0x00, 0x0a, 0, 0, 0, 0 };
    /* Choose the last word so that the whole sum is ffff: checksum 0. */
    uint16_t rest = ref_udp_checksum(OUR_IP, PEER_IP, seg, sizeof seg);
    put16(seg + 8, rest);
    assert_int_equal(ref_udp_checksum(OUR_IP, PEER_IP, seg, sizeof seg), 0);
    udp_seal(seg, sizeof seg, OUR_IP, PEER_IP);
    assert_int_equal(get16(seg + 6), 0xffff);
    assert_int_equal(ref_udp_checksum(OUR_IP, PEER_IP, seg, sizeof seg), 0);
}

/* ------------------------------------------------------------ port table */

static void table_refuses_bad_sizes_and_fills_to_three_quarters(void **state)
{
    (void)state;
    static struct port_entry *slots_[64];
    struct port_table t;
    assert_int_equal(port_table_init(&t, slots_, 0), VMUX_INVALID);
    assert_int_equal(port_table_init(&t, slots_, 1), VMUX_INVALID);
    assert_int_equal(port_table_init(&t, slots_, 48), VMUX_INVALID);
    assert_int_equal(port_table_init(&t, NULL, 64), VMUX_INVALID);
    assert_int_equal(port_table_init(&t, slots_, 64), VMUX_SUCCESS);

    static struct port_entry e[49];
    for (unsigned i = 0; i < 49; i++)
        e[i].port = (uint16_t)(1 + i * 64); /* a power-of-two stride */
    for (unsigned i = 0; i < 48; i++)
        assert_int_equal(port_table_insert(&t, &e[i]), VMUX_SUCCESS);
    assert_int_equal(port_table_insert(&t, &e[48]), VMUX_NOMEM);
    struct port_entry twin = { e[0].port };
    port_table_remove(&t, &e[47]);
    assert_int_equal(port_table_insert(&t, &twin), VMUX_ALREADY);
    for (unsigned i = 0; i < 47; i++)
        assert_ptr_equal(port_table_find(&t, e[i].port), &e[i]);
    assert_null(port_table_find(&t, e[47].port));
    port_table_remove(&t, &twin); /* not in the table: nothing happens */
    assert_ptr_equal(port_table_find(&t, e[0].port), &e[0]);
}

static void table_agrees_with_a_model_through_random_churn(void **state)
{
    (void)state;
    enum { CAPACITY = 64, KEYS = 96, OPS = 40000 };
    static struct port_entry *slots_[CAPACITY];
    static struct port_entry entries[KEYS];
    bool in[KEYS] = { false };
    unsigned count = 0;
    struct port_table t;
    assert_int_equal(port_table_init(&t, slots_, CAPACITY), VMUX_SUCCESS);
    for (unsigned k = 0; k < KEYS; k++)
        entries[k].port = (uint16_t)(7 + k * 3);

    uint32_t x = 12345;
    for (unsigned op = 0; op < OPS; op++) {
        x = x * 1103515245u + 12345u;
        unsigned k = (x >> 8) % KEYS;
        if (in[k]) {
            port_table_remove(&t, &entries[k]);
            in[k] = false;
            count--;
        } else if (port_table_insert(&t, &entries[k]) == VMUX_SUCCESS) {
            in[k] = true;
            count++;
        } else {
            assert_int_equal(count, CAPACITY / 4 * 3);
        }
        if (op % 97 == 0 || op == OPS - 1)
            for (unsigned j = 0; j < KEYS; j++)
                assert_ptr_equal(port_table_find(&t, entries[j].port),
                                 in[j] ? &entries[j] : NULL);
    }
    assert_int_equal(t.count, count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checksum_matches_rfc_1071_and_a_real_header),
        cmocka_unit_test(udp_computed_zero_is_sent_as_all_ones),
        cmocka_unit_test(table_refuses_bad_sizes_and_fills_to_three_quarters),
        cmocka_unit_test(table_agrees_with_a_model_through_random_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
