/* Simulated GPIO: levels from latches, drives and pulls; edges recorded
 * as interrupts and delivered from the loop only; merged edges counted;
 * presses released on the simulated clock; the HIL's argument checks;
 * injected faults. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_gpio.h"

#define PINS 4u
#define MS 1000000ull

static struct sim_gpio bank;
static struct hil_gpio *g = &bank.hil;

static struct {
    struct hil_gpio_client client;
    unsigned calls;
    unsigned pin[8];
    bool level[8];
} seen;

static void on_edge(struct hil_gpio_client *self, struct hil_gpio *from, unsigned pin, bool level)
{
    (void)self;
    assert_ptr_equal(from, g);
    if (seen.calls < 8) {
        seen.pin[seen.calls] = pin;
        seen.level[seen.calls] = level;
    }
    seen.calls++;
}

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_gpio_init(&bank, PINS), VMUX_SUCCESS);
    memset(&seen, 0, sizeof seen);
    seen.client.edge = on_edge;
    hil_gpio_set_client(g, &seen.client);
    return 0;
}

static bool level_of(unsigned pin)
{
    bool level = false;
    assert_int_equal(hil_gpio_read(g, pin, &level), VMUX_SUCCESS);
    return level;
}

static void outputs_read_back_their_latch(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_pin_count(g), PINS);
    assert_false(level_of(0));
    assert_int_equal(hil_gpio_write(g, 0, true), VMUX_SUCCESS); /* latched, not driven yet */
    assert_false(sim_gpio_level(&bank, 0));
    assert_int_equal(hil_gpio_configure(g, 0, HIL_GPIO_OUTPUT), VMUX_SUCCESS);
    assert_true(level_of(0));
    assert_int_equal(hil_gpio_toggle(g, 0), VMUX_SUCCESS);
    assert_false(sim_gpio_level(&bank, 0));
    assert_int_equal(hil_gpio_toggle(g, 0), VMUX_SUCCESS);
    assert_true(sim_gpio_level(&bank, 0));
    /* something outside cannot override an output */
    sim_gpio_drive(&bank, 0, false);
    assert_true(level_of(0));
}

static void inputs_follow_drive_then_pull_then_hold(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_true(level_of(1));
    sim_gpio_drive(&bank, 1, false);
    assert_false(level_of(1));
    sim_gpio_release(&bank, 1);
    assert_true(level_of(1));
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_INPUT_PULL_DOWN), VMUX_SUCCESS);
    assert_false(level_of(1));
    /* floating: keeps what it had */
    sim_gpio_drive(&bank, 1, true);
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_INPUT), VMUX_SUCCESS);
    sim_gpio_release(&bank, 1);
    assert_true(level_of(1));
}

static void edges_reach_the_client_from_the_loop_only(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_configure(g, 2, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 2, HIL_GPIO_EDGE_FALLING), VMUX_SUCCESS);
    sim_gpio_drive(&bank, 2, false);
    assert_int_equal(seen.calls, 0); /* recorded, not delivered */
    sim_settle();
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.pin[0], 2);
    assert_false(seen.level[0]);
    sim_gpio_release(&bank, 2); /* rising: not armed */
    sim_settle();
    assert_int_equal(seen.calls, 1);
    assert_int_equal(hil_gpio_interrupt(g, 2, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);
    sim_gpio_drive(&bank, 2, false);
    sim_settle();
    sim_gpio_release(&bank, 2);
    sim_settle();
    assert_int_equal(seen.calls, 3);
    assert_false(seen.level[1]);
    assert_true(seen.level[2]);
    assert_int_equal(bank.counters.edges, 3);
}

static void edges_faster_than_the_loop_merge_and_are_counted(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_configure(g, 3, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 3, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);
    sim_gpio_drive(&bank, 3, false);
    sim_gpio_release(&bank, 3);
    sim_settle();
    assert_int_equal(seen.calls, 1);
    assert_true(seen.level[0]); /* the latest level */
    assert_int_equal(bank.counters.merged, 1);
}

static void outputs_and_disabled_pins_have_no_edges(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_configure(g, 0, HIL_GPIO_OUTPUT), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 0, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_toggle(g, 0), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(seen.calls, 0);
    /* an edge recorded, then the pin disabled before the loop: dropped */
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 1, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);
    sim_gpio_drive(&bank, 1, false);
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_DISABLED), VMUX_SUCCESS);
    sim_gpio_release(&bank, 1);
    sim_gpio_drive(&bank, 1, true);
    sim_settle();
    assert_int_equal(seen.calls, 0);
    /* the same with EDGE_NONE */
    assert_int_equal(hil_gpio_configure(g, 2, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 2, HIL_GPIO_EDGE_FALLING), VMUX_SUCCESS);
    sim_gpio_drive(&bank, 2, false);
    assert_int_equal(hil_gpio_interrupt(g, 2, HIL_GPIO_EDGE_NONE), VMUX_SUCCESS);
    sim_settle();
    assert_int_equal(seen.calls, 0);
}

static void a_press_is_released_on_the_simulated_clock(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 1, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);
    sim_gpio_press(&bank, 1, false, 100 * MS);
    sim_settle();
    assert_int_equal(seen.calls, 1);
    assert_false(seen.level[0]);
    sim_advance(100 * MS - 1);
    assert_int_equal(seen.calls, 1);
    assert_false(level_of(1));
    sim_advance(1);
    assert_int_equal(seen.calls, 2);
    assert_true(seen.level[1]);
}

static void a_press_is_never_merged_into_its_release(void **state)
{
    (void)state;
    assert_int_equal(hil_gpio_configure(g, 1, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 1, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);
    sim_gpio_press(&bank, 1, false, 0);
    sim_run_due(); /* the release comes due before the loop ran */
    assert_false(level_of(1));
    sim_settle();
    sim_advance(10 * MS);
    assert_int_equal(seen.calls, 2);
    assert_false(seen.level[0]);
    assert_true(seen.level[1]);
    assert_int_equal(bank.counters.merged, 0);
}

static void out_of_range_pins_and_modes_are_invalid(void **state)
{
    (void)state;
    bool level;
    assert_int_equal(hil_gpio_configure(g, PINS, HIL_GPIO_OUTPUT), VMUX_INVALID);
    assert_int_equal(hil_gpio_configure(g, PINS, HIL_GPIO_INPUT_PULL_UP), VMUX_INVALID);
    assert_int_equal(hil_gpio_configure(g, 0, (enum hil_gpio_mode)5), VMUX_INVALID);
    assert_int_equal(hil_gpio_configure(g, PINS, HIL_GPIO_DISABLED), VMUX_INVALID);
    assert_int_equal(hil_gpio_write(g, PINS, true), VMUX_INVALID);
    assert_int_equal(hil_gpio_toggle(g, PINS), VMUX_INVALID);
    assert_int_equal(hil_gpio_read(g, PINS, &level), VMUX_INVALID);
    assert_int_equal(hil_gpio_interrupt(g, PINS, HIL_GPIO_EDGE_BOTH), VMUX_INVALID);
    assert_int_equal(hil_gpio_interrupt(g, 0, (enum hil_gpio_edge)4), VMUX_INVALID);
    assert_int_equal(hil_gpio_interrupt(g, PINS, HIL_GPIO_EDGE_NONE), VMUX_INVALID);
    assert_int_equal(sim_gpio_init(&bank, 0), VMUX_INVALID);
    assert_int_equal(sim_gpio_init(&bank, SIM_GPIO_PINS + 1), VMUX_INVALID);
}

static void injected_faults_refuse_lose_bounce_and_corrupt(void **state)
{
    (void)state;
    struct sim_fault refuse = { SIM_FAULT_REFUSE, VMUX_BUSY, 0, 1 };
    sim_gpio_inject_fault(&bank, &refuse);
    assert_int_equal(hil_gpio_configure(g, 0, HIL_GPIO_INPUT_PULL_UP), VMUX_BUSY);
    assert_false(level_of(0)); /* unchanged */
    assert_int_equal(hil_gpio_configure(g, 0, HIL_GPIO_INPUT_PULL_UP), VMUX_SUCCESS);
    assert_int_equal(hil_gpio_interrupt(g, 0, HIL_GPIO_EDGE_BOTH), VMUX_SUCCESS);

    struct sim_fault never = { SIM_FAULT_NEVER, 0, 0, 1 };
    sim_gpio_inject_fault(&bank, &never);
    sim_gpio_drive(&bank, 0, false);
    sim_settle();
    assert_int_equal(seen.calls, 0);
    assert_int_equal(bank.counters.lost, 1);

    struct sim_fault twice = { SIM_FAULT_TWICE, 0, 0, 1 };
    sim_gpio_inject_fault(&bank, &twice);
    sim_gpio_release(&bank, 0);
    sim_settle();
    assert_int_equal(seen.calls, 2);
    assert_true(seen.level[0] && seen.level[1]);

    struct sim_fault corrupt = { SIM_FAULT_CORRUPT, 0, 0, 1 };
    sim_gpio_inject_fault(&bank, &corrupt);
    sim_gpio_drive(&bank, 0, false);
    sim_settle();
    assert_int_equal(seen.calls, 3);
    assert_true(seen.level[2]); /* inverted */
    assert_int_equal(bank.fault.applied, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(outputs_read_back_their_latch, setup),
        cmocka_unit_test_setup(inputs_follow_drive_then_pull_then_hold, setup),
        cmocka_unit_test_setup(edges_reach_the_client_from_the_loop_only, setup),
        cmocka_unit_test_setup(edges_faster_than_the_loop_merge_and_are_counted, setup),
        cmocka_unit_test_setup(outputs_and_disabled_pins_have_no_edges, setup),
        cmocka_unit_test_setup(a_press_is_released_on_the_simulated_clock, setup),
        cmocka_unit_test_setup(a_press_is_never_merged_into_its_release, setup),
        cmocka_unit_test_setup(out_of_range_pins_and_modes_are_invalid, setup),
        cmocka_unit_test_setup(injected_faults_refuse_lose_bounce_and_corrupt, setup),
    };
    return cmocka_run_group_tests_name("sim_gpio", tests, NULL, NULL);
}
