/* SPI mux over a simulated bus: every client on its own chip select (a
 * shift-register device, chips/sim/sim_spi.h). Bytes go to and come from
 * the client's own device only; saturating clients are served round
 * robin; each device is spoken to in its client's settings; no chip
 * select is left asserted when the bus changes hands; a held transaction
 * is one turn and is bounded; a hung transfer, a failing driver and a
 * departing client hurt only that client; the capability; bad arguments.
 * Time moves only with sim_advance(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/alarm_mux.h"
#include "capsules/spi_mux.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_alarm.h"
#include "chips/sim/sim_gpio.h"
#include "chips/sim/sim_spi.h"

#define MS 1000000ull
#define TIMEOUT_US 20000u
#define N 8
#define LEN 16
#define LOG_MAX 512

static struct sim_alarm hw_alarm;
static struct alarm_mux alarms;
static struct virtual_alarm *alarm_heap[4];
static struct virtual_alarm watchdog;
static struct sim_gpio selects;          /* pin i: client i's chip select, active low */
static struct sim_gpio dc;               /* pin 0: client 0's data/command line */
static struct sim_spi bus;
static struct sim_spi_shift devices[N];
static struct spi_chip chips[N];
static struct spi_mux mux;
static struct client_entry *slots[N];
static uint32_t rr_bits[RR_WORDS(N)];

static struct user {
    struct spi_device dev;
    uint8_t out[LEN], in[LEN];
    unsigned done;
    vmux_err_t status;
    bool again;                 /* queue the next transfer from the callback */
    unsigned flags_again;
} users[N];

static bool in_request;
static unsigned order[LOG_MAX];
static unsigned order_count;
static unsigned selected_in_callback; /* selects asserted seen in callbacks */

static unsigned user_index(struct spi_device *d)
{
    return (unsigned)(container_of(d, struct user, dev) - users);
}

static bool asserted(unsigned i)
{
    return !sim_gpio_level(&selects, i);
}

static void transfer_done(struct spi_device *d, const uint8_t *write, uint8_t *read, size_t len,
                          vmux_err_t status)
{
    assert_false(in_request);
    unsigned i = user_index(d);
    struct user *u = &users[i];
    assert_ptr_equal(write, u->out); /* its own buffers, back to it */
    assert_ptr_equal(read, u->in);
    assert_int_equal(len, LEN);
    u->done++;
    u->status = status;
    if (order_count < LOG_MAX)
        order[order_count++] = i;
    for (unsigned k = 0; k < N; k++)
        if (asserted(k) && !(k == i && (d->flags & SPI_HOLD)))
            selected_in_callback++;
    if (u->again)
        assert_int_equal(spi_mux_transfer(d, u->out, u->in, LEN, u->flags_again), VMUX_SUCCESS);
}

static const struct spi_device_ops user_ops = { transfer_done };

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_alarm_init(&hw_alarm, 0), VMUX_SUCCESS);
    alarm_mux_init(&alarms, &hw_alarm.hil, alarm_heap, 4);
    virtual_alarm_init(&watchdog, &alarms);
    assert_int_equal(sim_gpio_init(&selects, N), VMUX_SUCCESS);
    assert_int_equal(sim_gpio_init(&dc, 1), VMUX_SUCCESS);
    assert_int_equal(sim_spi_init(&bus), VMUX_SUCCESS);
    assert_int_equal(spi_mux_init(&mux, &bus.hil, slots, rr_bits, N, &watchdog.hil, TIMEOUT_US),
                     VMUX_SUCCESS);
    memset(users, 0, sizeof users);
    order_count = 0;
    selected_in_callback = 0;
    for (unsigned i = 0; i < N; i++) {
        chips[i] = (struct spi_chip){ "dev", { &selects.hil, (uint8_t)i, 0 },
                                      { i == 0 ? &dc.hil : NULL, 0, 1 }, NULL };
        sim_spi_shift_attach(&bus, &devices[i], (uint8_t)(0xe0 + i), &selects, i, false,
                             i == 0 ? &dc : NULL, 0);
        assert_int_equal(spi_mux_attach(&mux, &users[i].dev, client_process(i + 1, 1),
                                        test_board_cap_bus_device(), &chips[i], &user_ops),
                         VMUX_SUCCESS);
        assert_false(asserted(i));
        memset(users[i].out, 0x10 * (int)(i + 1), LEN);
    }
    return 0;
}

static vmux_err_t transfer(unsigned i, unsigned flags)
{
    in_request = true;
    vmux_err_t err = spi_mux_transfer(&users[i].dev, users[i].out, users[i].in, LEN, flags);
    in_request = false;
    return err;
}

/* ------------------------------------------------------------ confidentiality */

/* Client i sends only bytes 0x10*(i+1); its device must have received
 * nothing else, and it must read only those or its device's first byte. */
static void confidentiality_spi_bytes_tagged_per_client_never_reach_another(void **state)
{
    (void)state;
    for (unsigned round = 0; round < 3; round++) {
        for (unsigned i = 0; i < N; i++)
            assert_int_equal(transfer(i, 0), VMUX_SUCCESS);
        sim_advance(10 * MS);
    }
    for (unsigned i = 0; i < N; i++) {
        assert_int_equal(users[i].done, 3);
        assert_int_equal(users[i].status, VMUX_SUCCESS);
        for (unsigned k = 0; k < N; k++)
            assert_int_equal(sim_spi_shift_saw(&devices[i], (uint8_t)(0x10 * (k + 1))), k == i);
        assert_int_equal(users[i].in[0], 0xe0 + i); /* its device's, fresh from the select */
        for (unsigned b = 1; b < LEN; b++)
            assert_int_equal(users[i].in[b], 0x10 * (i + 1));
    }
    assert_int_equal(bus.counters.conflicts, 0);
    assert_int_equal(selected_in_callback, 0);
    assert_int_equal(mux.bus.counters.ops.n[TALLY_DELIVERED], 3 * N);
}

/* A held transaction keeps the select asserted across its transfers and
 * nobody else's starts in between; the select is released before the
 * next client's turn. */
static void confidentiality_spi_no_chip_select_left_asserted_across_a_change_of_client(void **s)
{
    (void)s;
    users[0].again = true;
    users[0].flags_again = SPI_HOLD;
    assert_int_equal(transfer(0, SPI_HOLD), VMUX_SUCCESS);
    assert_int_equal(transfer(1, 0), VMUX_SUCCESS);
    sim_advance(1 * MS);
    assert_true(users[0].done >= 3);    /* several held transfers ... */
    assert_int_equal(users[1].done, 0); /* ... and 1 waits */
    assert_true(asserted(0));
    assert_int_equal(devices[0].dev.selects, 1); /* one select for all of them */
    users[0].again = false;
    spi_mux_release(&users[0].dev);
    sim_advance(1 * MS);
    assert_false(asserted(0));
    assert_int_equal(users[1].done, 1);
    assert_false(asserted(1));
    assert_int_equal(bus.counters.conflicts, 0);
    assert_int_equal(selected_in_callback, 0);
    assert_int_equal(mux.bus.counters.turns, 2);
}

/* ------------------------------------------------------------ settings */

static void settings_spi_each_device_spoken_to_in_its_clients_mode_and_rate(void **state)
{
    (void)state;
    assert_int_equal(spi_mux_configure(&users[0].dev, HIL_SPI_MODE_3, 400000), VMUX_SUCCESS);
    assert_int_equal(spi_mux_configure(&users[1].dev, HIL_SPI_MODE_1, 8000000), VMUX_SUCCESS);
    assert_int_equal(transfer(1, 0), VMUX_SUCCESS);
    assert_int_equal(transfer(0, SPI_DATA), VMUX_SUCCESS);
    assert_int_equal(transfer(2, 0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(devices[0].dev.mode, HIL_SPI_MODE_3);
    assert_int_equal(devices[0].dev.rate_hz, 400000);
    assert_int_equal(devices[1].dev.mode, HIL_SPI_MODE_1);
    assert_int_equal(devices[1].dev.rate_hz, 8000000);
    assert_int_equal(devices[2].dev.mode, HIL_SPI_MODE_0); /* the default, not 1's */
    assert_int_equal(devices[2].dev.rate_hz, SPI_MUX_DEFAULT_RATE_HZ);
    assert_int_equal(devices[0].data_bytes, LEN); /* SPI_DATA: its D/C line at data */
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(devices[0].data_bytes, LEN); /* a command: the line low */
}

/* ------------------------------------------------------------ availability */

/* Every client re-queues from its callback: between two services of one
 * client, every other is served exactly once. */
static void availability_spi_saturating_devices_each_served_within_n_minus_1_turns(void **s)
{
    (void)s;
    for (unsigned i = 0; i < N; i++) {
        users[i].again = true;
        assert_int_equal(transfer(i, 0), VMUX_SUCCESS);
    }
    sim_advance(20 * MS);
    assert_true(order_count > 4 * N);
    for (unsigned k = N; k < order_count; k++)
        assert_int_equal(order[k], order[k - N]);
    for (unsigned k = 0; k < N; k++)
        for (unsigned j = 0; j < k; j++)
            assert_int_not_equal(order[k], order[j]);
}

/* A transfer that never completes: its client alone gets FAIL, the
 * controller is reset and the select released, the others go on. */
static void availability_spi_hung_transfer_times_out_and_hurts_only_its_client(void **state)
{
    (void)state;
    struct sim_fault never = { .kind = SIM_FAULT_NEVER, .count = 1 };
    sim_spi_inject_fault(&bus, &never);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(transfer(i, 0), VMUX_SUCCESS);
    sim_advance(TIMEOUT_US * 1000ull / 2);
    assert_int_equal(users[0].done + users[1].done + users[2].done, 0);
    assert_true(asserted(0));
    sim_advance(TIMEOUT_US * 1000ull);
    assert_int_equal(users[0].done, 1);
    assert_int_equal(users[0].status, VMUX_FAIL);
    assert_false(asserted(0));
    assert_int_equal(bus.counters.aborts, 1);
    assert_int_equal(mux.bus.counters.timeouts, 1);
    sim_advance(10 * MS);
    for (unsigned i = 1; i < 3; i++) {
        assert_int_equal(users[i].done, 1);
        assert_int_equal(users[i].status, VMUX_SUCCESS);
    }
    /* and the hung one's next transfer works */
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[0].status, VMUX_SUCCESS);
    assert_int_equal(bus.counters.conflicts, 0);
}

/* A client that holds the bus and sends nothing more loses it at the
 * timeout: its select released, the next client served, and its next
 * transfer answers CANCEL (its transaction was cut), once. */
static void availability_spi_held_transaction_is_bounded_by_the_watchdog(void **state)
{
    (void)state;
    assert_int_equal(transfer(0, SPI_HOLD), VMUX_SUCCESS);
    assert_int_equal(transfer(1, 0), VMUX_SUCCESS);
    sim_advance(TIMEOUT_US * 1000ull / 2);
    assert_int_equal(users[0].done, 1);
    assert_int_equal(users[1].done, 0);
    assert_true(asserted(0));
    sim_advance(TIMEOUT_US * 1000ull);
    assert_false(asserted(0));
    assert_int_equal(users[1].done, 1);
    assert_int_equal(mux.bus.counters.cut, 1);
    assert_int_equal(transfer(0, 0), VMUX_CANCEL);
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[0].done, 2);
}

/* The driver refuses, fails or completes twice: only the client whose
 * transfer it was sees it; a second completion is never taken for the
 * next client's. */
static void availability_spi_driver_errors_reach_only_their_client(void **state)
{
    (void)state;
    struct sim_fault refuse = { .kind = SIM_FAULT_REFUSE, .error = VMUX_BUSY, .count = 1 };
    sim_spi_inject_fault(&bus, &refuse);
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    assert_int_equal(transfer(1, 0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[0].status, VMUX_BUSY);
    assert_false(asserted(0));
    assert_int_equal(users[1].status, VMUX_SUCCESS);
    struct sim_fault twice = { .kind = SIM_FAULT_TWICE, .count = 1 };
    sim_spi_inject_fault(&bus, &twice);
    assert_int_equal(transfer(2, 0), VMUX_SUCCESS);
    assert_int_equal(transfer(3, 0), VMUX_SUCCESS);
    sim_advance(10 * MS);
    assert_int_equal(users[2].done, 1);
    assert_int_equal(users[3].done, 1);
    assert_int_equal(mux.bus.counters.spurious, 1);
    assert_int_equal(bus.counters.conflicts, 0);
}

/* ------------------------------------------------------------ departure */

/* A client that detaches while its transfer is on the bus: the transfer
 * is aborted before detach returns, its buffer is never written again,
 * no callback comes, the next client goes on. */
static void departure_spi_transfer_in_flight_aborted_and_buffer_untouched(void **state)
{
    (void)state;
    memset(users[0].in, 0xaa, LEN);
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    assert_int_equal(transfer(1, 0), VMUX_SUCCESS);
    sim_settle(); /* 0's transfer starts */
    assert_true(asserted(0));
    spi_mux_detach(&users[0].dev);
    assert_false(asserted(0));
    sim_advance(10 * MS);
    assert_int_equal(users[0].done, 0);
    for (unsigned b = 0; b < LEN; b++)
        assert_int_equal(users[0].in[b], 0xaa);
    assert_int_equal(users[1].done, 1);
    assert_int_equal(bus.counters.aborts, 1);
    assert_int_equal(mux.bus.counters.ops.n[TALLY_DEPARTED], 1);
    assert_int_equal(tally_in_flight(&mux.bus.counters.ops), 0);
    assert_int_equal(transfer(0, 0), VMUX_OFF);
}

/* ------------------------------------------------------------ requests */

static void capability_spi_attach_refused_without_the_boards_capability(void **state)
{
    (void)state;
    static struct spi_device other;
    uint32_t forged[2] = { 0 };
    assert_int_equal(spi_mux_attach(&mux, &other, client_process(9, 1), NULL, &chips[0],
                                    &user_ops), VMUX_RESERVE);
    assert_int_equal(spi_mux_attach(&mux, &other, client_process(9, 1),
                                    (const cap_bus_device_t *)forged, &chips[0], &user_ops),
                     VMUX_RESERVE);
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    assert_int_equal(spi_mux_transfer(&other, users[0].out, NULL, 1, 0), VMUX_OFF);
}

static void requests_spi_bad_arguments_refused(void **state)
{
    (void)state;
    struct spi_device *d = &users[0].dev;
    assert_int_equal(spi_mux_transfer(d, NULL, NULL, 1, 0), VMUX_INVALID);
    assert_int_equal(spi_mux_transfer(d, users[0].out, NULL, 1, 0x80), VMUX_INVALID);
    assert_int_equal(spi_mux_transfer(d, users[0].out, NULL, 0, 0), VMUX_SIZE);
    assert_int_equal(spi_mux_transfer(d, users[0].out, NULL, 70000, 0), VMUX_SIZE);
    assert_int_equal(spi_mux_configure(d, 4, 1000), VMUX_INVALID);
    assert_int_equal(spi_mux_configure(d, 0, 0), VMUX_INVALID);
    assert_int_equal(transfer(0, 0), VMUX_SUCCESS);
    assert_int_equal(transfer(0, 0), VMUX_BUSY);
    static struct spi_device no_select;
    static const struct spi_chip bad = { "bad", { NULL, 0, 0 }, { NULL, 0, 0 }, NULL };
    assert_int_equal(spi_mux_attach(&mux, &no_select, client_process(9, 1),
                                    test_board_cap_bus_device(), &bad, &user_ops),
                     VMUX_INVALID);
    assert_int_equal(spi_mux_attach(&mux, &no_select, client_process(9, 1),
                                    test_board_cap_bus_device(), &chips[1], &user_ops),
                     VMUX_NOMEM); /* the table is full */
    sim_advance(10 * MS);
    assert_int_equal(users[0].done, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(confidentiality_spi_bytes_tagged_per_client_never_reach_another,
                               setup),
        cmocka_unit_test_setup(
            confidentiality_spi_no_chip_select_left_asserted_across_a_change_of_client, setup),
        cmocka_unit_test_setup(settings_spi_each_device_spoken_to_in_its_clients_mode_and_rate,
                               setup),
        cmocka_unit_test_setup(
            availability_spi_saturating_devices_each_served_within_n_minus_1_turns, setup),
        cmocka_unit_test_setup(availability_spi_hung_transfer_times_out_and_hurts_only_its_client,
                               setup),
        cmocka_unit_test_setup(availability_spi_held_transaction_is_bounded_by_the_watchdog,
                               setup),
        cmocka_unit_test_setup(availability_spi_driver_errors_reach_only_their_client, setup),
        cmocka_unit_test_setup(departure_spi_transfer_in_flight_aborted_and_buffer_untouched,
                               setup),
        cmocka_unit_test_setup(capability_spi_attach_refused_without_the_boards_capability,
                               setup),
        cmocka_unit_test_setup(requests_spi_bad_arguments_refused, setup),
    };
    return cmocka_run_group_tests_name("spi_mux", tests, NULL, NULL);
}
