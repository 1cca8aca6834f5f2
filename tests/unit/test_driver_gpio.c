/* The pin drivers through scripted processes over simulated banks: LED
 * 0x2, button 0x3 and GPIO 0x4. Every command and its refusals; an LED
 * or GPIO pin held by one process at a time (the board's name, or first
 * come first served), RESERVE and its counter, the pin put back and free
 * when its holder ends, a restart a new client; a button's edges only to
 * the processes that enabled that button, a GPIO pin's only to its
 * holder; the upcall formats; full upcall queues counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/test/test_board.h"
#include "capsules/drivers/button_driver.h"
#include "capsules/drivers/gpio_driver.h"
#include "capsules/drivers/led_driver.h"
#include "chips/sim/sim.h"
#include "chips/sim/sim_gpio.h"
#include "tests/unit/test_driver_common.h"

#define LED LED_DRIVER_NUM
#define BTN BUTTON_DRIVER_NUM
#define GPIO GPIO_DRIVER_NUM
#define MS 1000000ull

/* The board: pins 0-1 LEDs, 2-4 buttons of one bank; a header of four
 * GPIO pins on another. */
static struct sim_gpio board, header;
enum { ALPHA, BETA, GAMMA, NPROC };
static struct harness_process hp[NPROC];
static const char *const names[NPROC] = { "alpha", "beta", "gamma" };

static const struct pin leds[] = {
    { "led0", &board.hil, 0, 0, NULL },                  /* shared */
    { "led1", &board.hil, 1, PIN_ACTIVE_LOW, "alpha" },  /* alpha's */
};
static const struct pin buttons[] = {
    { "up", &board.hil, 2, PIN_ACTIVE_LOW | PIN_PULL_UP, NULL },
    { "down", &board.hil, 3, PIN_ACTIVE_LOW | PIN_PULL_UP, NULL },
    { "secret", &board.hil, 4, PIN_PULL_DOWN, "beta" },  /* beta's, active high */
};
static const struct pin pins[] = {
    { "g0", &header.hil, 0, 0, NULL },
    { "g1", &header.hil, 1, 0, NULL },
    { "g2", &header.hil, 2, 0, "alpha" },
    { "g3", &header.hil, 3, 0, NULL },
};
static client_id_t led_holders[2], pin_holders[4];
static struct led_driver led_drv;
static struct button_driver button_drv;
static struct gpio_driver gpio_drv;

static int setup(void **state)
{
    (void)state;
    test_board_reset(0);
    assert_int_equal(sim_gpio_init(&board, 5), VMUX_SUCCESS);
    assert_int_equal(sim_gpio_init(&header, 4), VMUX_SUCCESS);
    assert_int_equal(led_driver_init(&led_drv, leds, led_holders, 2), VMUX_SUCCESS);
    assert_int_equal(button_driver_init(&button_drv, buttons, 3), VMUX_SUCCESS);
    assert_int_equal(gpio_driver_init(&gpio_drv, pins, pin_holders, 4), VMUX_SUCCESS);
    harness_reset();
    assert_int_equal(process_register_driver(&led_drv.driver), VMUX_SUCCESS);
    assert_int_equal(process_register_driver(&button_drv.driver), VMUX_SUCCESS);
    assert_int_equal(process_register_driver(&gpio_drv.driver), VMUX_SUCCESS);
    for (unsigned i = 0; i < NPROC; i++)
        assert_non_null(harness_spawn(&hp[i], names[i], RESTART_NEVER));
    return 0;
}

static struct syscall_return led(unsigned i, uint32_t cmd, syscall_reg_t n)
{
    return td_command(&hp[i], LED, cmd, n, 0);
}

static struct syscall_return button(unsigned i, uint32_t cmd, syscall_reg_t n)
{
    return td_command(&hp[i], BTN, cmd, n, 0);
}

static struct syscall_return gpio(unsigned i, uint32_t cmd, syscall_reg_t n, syscall_reg_t m)
{
    return td_command(&hp[i], GPIO, cmd, n, m);
}

static bool led_lit(unsigned n)
{
    return pin_active(&leds[n], sim_gpio_level(&board, leds[n].index));
}

/* A finger on button n (active low: pulls its line to 0), or off it. */
static void press(unsigned n, bool down)
{
    const struct pin *b = &buttons[n];
    if (down)
        sim_gpio_drive(&board, b->index, !(b->flags & PIN_ACTIVE_LOW));
    else
        sim_gpio_release(&board, b->index);
    sim_settle();
}

static void end(unsigned i)
{
    process_end(hp[i].process, false, 0);
}

/* Exit-restart, and the new life started: the board's clock moves past
 * the restart back-off (process_restart_due). */
static uint64_t clock_ms;
static void restart(unsigned i)
{
    uint16_t generation = hp[i].process->generation;
    harness_call(&hp[i], SYSCALL_EXIT, EXIT_RESTART, 0, 0, 0);
    process_restart_due(clock_ms += 1);
    process_restart_due(clock_ms += 60000);
    assert_int_equal(hp[i].process->state, PROCESS_READY);
    assert_int_not_equal(hp[i].process->generation, generation);
}

/* ------------------------------------------------------------ LED */

static void led_commands_turn_on_off_and_toggle(void **state)
{
    (void)state;
    td_assert_u32(led(ALPHA, 0, 0), 2);
    assert_null(hp[ALPHA].process->grants[0]); /* command 0 allocates nothing */
    assert_false(led_lit(0));
    assert_false(led_lit(1));
    assert_true(sim_gpio_level(&board, 1)); /* active low: off is 1 */
    td_assert_success(led(ALPHA, LED_CMD_ON, 0));
    assert_true(led_lit(0));
    td_assert_success(led(ALPHA, LED_CMD_OFF, 0));
    assert_false(led_lit(0));
    td_assert_success(led(ALPHA, LED_CMD_TOGGLE, 0));
    assert_true(led_lit(0));
    td_assert_success(led(ALPHA, LED_CMD_TOGGLE, 0));
    assert_false(led_lit(0));
    td_assert_success(led(ALPHA, LED_CMD_ON, 1));
    assert_true(led_lit(1));
    assert_false(sim_gpio_level(&board, 1));
    td_assert_failure(led(ALPHA, LED_CMD_ON, 2), VMUX_INVALID);
    td_assert_failure(led(ALPHA, LED_CMD_TOGGLE, (syscall_reg_t)-1), VMUX_INVALID);
    td_assert_failure(led(ALPHA, 4, 0), VMUX_NOSUPPORT);
    td_assert_failure(led(ALPHA, 99, 0), VMUX_NOSUPPORT);
    assert_int_equal(led_drv.leds.refused, 0);
}

static void availability_led_reserved_first_come_first_served(void **state)
{
    (void)state;
    td_assert_success(led(BETA, LED_CMD_ON, 0));
    for (uint32_t cmd = LED_CMD_ON; cmd <= LED_CMD_TOGGLE; cmd++)
        td_assert_failure(led(ALPHA, cmd, 0), VMUX_RESERVE);
    assert_true(led_lit(0)); /* untouched by the refused */
    assert_int_equal(led_drv.leds.refused, 3);
    td_assert_success(led(BETA, LED_CMD_OFF, 0));
}

static void availability_led_named_by_the_board_is_only_its_owners(void **state)
{
    (void)state;
    td_assert_failure(led(BETA, LED_CMD_ON, 1), VMUX_RESERVE); /* free, but alpha's */
    assert_false(led_lit(1));
    td_assert_success(led(ALPHA, LED_CMD_ON, 1));
    assert_int_equal(led_drv.leds.refused, 1);
}

static void departure_led_turned_off_and_freed_at_its_holders_end(void **state)
{
    (void)state;
    td_assert_success(led(ALPHA, LED_CMD_ON, 0));
    td_assert_success(led(ALPHA, LED_CMD_ON, 1));
    end(ALPHA);
    assert_false(led_lit(0));
    assert_false(led_lit(1));
    td_assert_success(led(BETA, LED_CMD_TOGGLE, 0));
    assert_true(led_lit(0));
}

static void departure_led_restarted_holder_is_a_new_client(void **state)
{
    (void)state;
    td_assert_success(led(ALPHA, LED_CMD_ON, 0));
    restart(ALPHA);
    assert_false(led_lit(0));
    td_assert_success(led(BETA, LED_CMD_ON, 0)); /* free after the old life */
    td_assert_failure(led(ALPHA, LED_CMD_ON, 0), VMUX_RESERVE); /* the new life has nothing */
    end(BETA);
    td_assert_success(led(ALPHA, LED_CMD_ON, 0));
}

/* ------------------------------------------------------------ buttons */

static void button_count_and_read(void **state)
{
    (void)state;
    td_assert_u32(button(GAMMA, 0, 0), 3);
    td_assert_u32(button(GAMMA, BUTTON_CMD_READ, 0), 0); /* pulled up: not pressed */
    press(0, true);
    td_assert_u32(button(GAMMA, BUTTON_CMD_READ, 0), 1);
    td_assert_u32(button(GAMMA, BUTTON_CMD_READ, 1), 0);
    press(0, false);
    td_assert_u32(button(GAMMA, BUTTON_CMD_READ, 0), 0);
    press(2, true); /* active high */
    td_assert_u32(button(BETA, BUTTON_CMD_READ, 2), 1);
    td_assert_failure(button(GAMMA, BUTTON_CMD_READ, 3), VMUX_INVALID);
    td_assert_failure(button(GAMMA, BUTTON_CMD_ENABLE, 3), VMUX_INVALID);
    td_assert_failure(button(GAMMA, BUTTON_CMD_DISABLE, 99), VMUX_INVALID);
    td_assert_failure(button(GAMMA, 4, 0), VMUX_NOSUPPORT);
}

static void confidentiality_button_press_reaches_only_processes_that_enabled_it(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NPROC; i++)
        td_subscribe(&hp[i], BTN, BUTTON_UPCALL);
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 0));
    td_assert_success(button(BETA, BUTTON_CMD_ENABLE, 1));
    press(0, true);
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 0, 1, 0);
    assert_int_equal(td_pending(&hp[BETA]), 0);
    assert_int_equal(td_pending(&hp[GAMMA]), 0);
    press(0, false);
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 0, 0, 0);
    press(1, true);
    td_expect_upcall(&hp[BETA], BTN, BUTTON_UPCALL, 1, 1, 0);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    assert_int_equal(td_pending(&hp[GAMMA]), 0);
    assert_int_equal(button_drv.counters.upcalls, 3);
}

static void press_reaches_every_process_that_enabled_it_once(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NPROC; i++) {
        td_subscribe(&hp[i], BTN, BUTTON_UPCALL);
        td_assert_success(button(i, BUTTON_CMD_ENABLE, 1));
        td_assert_success(button(i, BUTTON_CMD_ENABLE, 1)); /* twice: still one upcall */
    }
    press(1, true);
    for (unsigned i = 0; i < NPROC; i++) {
        td_expect_upcall(&hp[i], BTN, BUTTON_UPCALL, 1, 1, 0);
        assert_int_equal(td_pending(&hp[i]), 0);
    }
    assert_int_equal(button_drv.counters.upcalls, NPROC);
}

static void disabled_button_reports_nothing(void **state)
{
    (void)state;
    td_subscribe(&hp[ALPHA], BTN, BUTTON_UPCALL);
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 0));
    td_assert_success(button(ALPHA, BUTTON_CMD_DISABLE, 0));
    td_assert_success(button(ALPHA, BUTTON_CMD_DISABLE, 1)); /* never enabled: fine */
    press(0, true);
    press(0, false);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    assert_int_equal(button_drv.counters.edges, 2); /* seen, told nobody */
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 0));
    press(0, true);
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 0, 1, 0);
    assert_int_equal(button_drv.counters.merged, 0);
}

/* A press and its release in one edge (faster than the loop; QEMU's
 * sendkey under -icount): both are reported, the press first. */
static void merged_press_and_release_are_both_reported(void **state)
{
    (void)state;
    td_subscribe(&hp[ALPHA], BTN, BUTTON_UPCALL);
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 1));
    sim_gpio_drive(&board, buttons[1].index, false);
    sim_gpio_release(&board, buttons[1].index);
    sim_settle();
    assert_int_equal(board.counters.merged, 1);
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 1, 1, 0);
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 1, 0, 0);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    assert_int_equal(button_drv.counters.merged, 1);
    press(1, true); /* and the next press is a press */
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 1, 1, 0);
    assert_int_equal(button_drv.counters.merged, 1);
}

static void confidentiality_button_named_by_the_board_is_only_its_owners(void **state)
{
    (void)state;
    for (uint32_t cmd = BUTTON_CMD_ENABLE; cmd <= BUTTON_CMD_READ; cmd++)
        td_assert_failure(button(ALPHA, cmd, 2), VMUX_RESERVE);
    assert_int_equal(button_drv.buttons.refused, 3);
    td_subscribe(&hp[ALPHA], BTN, BUTTON_UPCALL);
    td_subscribe(&hp[BETA], BTN, BUTTON_UPCALL);
    td_assert_success(button(BETA, BUTTON_CMD_ENABLE, 2));
    press(2, true);
    td_expect_upcall(&hp[BETA], BTN, BUTTON_UPCALL, 2, 1, 0);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
}

static void departure_button_enables_end_with_the_process(void **state)
{
    (void)state;
    td_subscribe(&hp[ALPHA], BTN, BUTTON_UPCALL);
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 0));
    restart(ALPHA); /* the new life enabled nothing */
    td_subscribe(&hp[ALPHA], BTN, BUTTON_UPCALL);
    press(0, true);
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    assert_int_equal(button_drv.counters.upcalls, 0);
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 0));
    press(0, false);
    td_expect_upcall(&hp[ALPHA], BTN, BUTTON_UPCALL, 0, 0, 0);
    end(ALPHA);
    press(0, true);
    assert_int_equal(button_drv.counters.upcalls, 1);
}

/* libtock-c's synchronous library: enable, then yield-wait-for without
 * subscribing. */
static void press_completes_a_yield_wait_for_without_subscribe(void **state)
{
    (void)state;
    td_assert_success(button(GAMMA, BUTTON_CMD_ENABLE, 1));
    struct syscall_return r = harness_call(&hp[GAMMA], SYSCALL_YIELD, YIELD_WAIT_FOR, BTN,
                                           BUTTON_UPCALL, 0);
    assert_int_equal(r.r[0], 0xdead); /* blocked */
    press(1, true);
    assert_int_equal(hp[GAMMA].last_return.r[0], 1);
    assert_int_equal(hp[GAMMA].last_return.r[1], 1);
    assert_int_equal(hp[GAMMA].last_return.r[2], 0);
}

static void button_upcalls_lost_to_a_full_queue_are_counted_per_process(void **state)
{
    (void)state;
    td_subscribe(&hp[ALPHA], BTN, BUTTON_UPCALL);
    td_subscribe(&hp[BETA], BTN, BUTTON_UPCALL);
    td_assert_success(button(ALPHA, BUTTON_CMD_ENABLE, 0));
    td_assert_success(button(BETA, BUTTON_CMD_ENABLE, 0));
    for (unsigned k = 0; k < PROCESS_UPCALL_QUEUE + 2; k++) {
        press(0, true);
        press(0, false);
        td_expect_upcall(&hp[BETA], BTN, BUTTON_UPCALL, 0, 1, 0); /* beta keeps up */
        td_expect_upcall(&hp[BETA], BTN, BUTTON_UPCALL, 0, 0, 0);
    }
    /* alpha never yielded: 2 edges per round, the queue holds 16 */
    unsigned edges = 2 * (PROCESS_UPCALL_QUEUE + 2);
    assert_int_equal(hp[ALPHA].process->counters.upcalls_dropped, edges - PROCESS_UPCALL_QUEUE);
    assert_int_equal(button_drv.counters.dropped, edges - PROCESS_UPCALL_QUEUE);
    assert_int_equal(hp[BETA].process->counters.upcalls_dropped, 0);
}

/* ------------------------------------------------------------ GPIO */

static void gpio_commands_drive_and_read_pins(void **state)
{
    (void)state;
    td_assert_success(gpio(ALPHA, 0, 0, 0));
    td_assert_u32(gpio(ALPHA, GPIO_CMD_COUNT, 0, 0), 4);
    td_assert_success(gpio(ALPHA, GPIO_CMD_OUTPUT, 0, 0));
    td_assert_success(gpio(ALPHA, GPIO_CMD_SET, 0, 0));
    assert_true(sim_gpio_level(&header, 0));
    td_assert_u32(gpio(ALPHA, GPIO_CMD_READ, 0, 0), 1);
    td_assert_success(gpio(ALPHA, GPIO_CMD_CLEAR, 0, 0));
    assert_false(sim_gpio_level(&header, 0));
    td_assert_success(gpio(ALPHA, GPIO_CMD_TOGGLE, 0, 0));
    assert_true(sim_gpio_level(&header, 0));
    td_assert_success(gpio(ALPHA, GPIO_CMD_INPUT, 1, 1)); /* pull-up */
    td_assert_u32(gpio(ALPHA, GPIO_CMD_READ, 1, 0), 1);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INPUT, 1, 2)); /* pull-down */
    td_assert_u32(gpio(ALPHA, GPIO_CMD_READ, 1, 0), 0);
    sim_gpio_drive(&header, 1, true);
    td_assert_u32(gpio(ALPHA, GPIO_CMD_READ, 1, 0), 1);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INPUT, 1, 0)); /* no pull */
    td_assert_success(gpio(ALPHA, GPIO_CMD_DISABLE, 0, 0));
    assert_int_equal(header.pins[0].mode, HIL_GPIO_DISABLED);
    td_assert_failure(gpio(ALPHA, GPIO_CMD_INPUT, 1, 3), VMUX_NOSUPPORT);
    td_assert_failure(gpio(ALPHA, GPIO_CMD_INTERRUPT, 1, 3), VMUX_NOSUPPORT);
    td_assert_failure(gpio(ALPHA, GPIO_CMD_SET, 4, 0), VMUX_INVALID);
    td_assert_failure(gpio(ALPHA, GPIO_CMD_READ, (syscall_reg_t)-1, 0), VMUX_INVALID);
    td_assert_failure(gpio(ALPHA, GPIO_CMD_INPUT, 4, 3), VMUX_INVALID); /* INVALID first */
    td_assert_failure(gpio(ALPHA, 11, 0, 0), VMUX_NOSUPPORT);
    assert_int_equal(gpio_drv.pins.refused, 0);
}

static void availability_gpio_pin_reserved_first_come_first_served(void **state)
{
    (void)state;
    td_assert_success(gpio(BETA, GPIO_CMD_OUTPUT, 0, 0));
    for (uint32_t cmd = GPIO_CMD_OUTPUT; cmd <= GPIO_CMD_DISABLE; cmd++)
        td_assert_failure(gpio(ALPHA, cmd, 0, 0), VMUX_RESERVE);
    assert_int_equal(header.pins[0].mode, HIL_GPIO_OUTPUT); /* untouched */
    td_assert_failure(gpio(GAMMA, GPIO_CMD_INPUT, 0, 3), VMUX_RESERVE); /* RESERVE first */
    td_assert_failure(gpio(BETA, GPIO_CMD_SET, 2, 0), VMUX_RESERVE);  /* alpha's by name */
    assert_int_equal(gpio_drv.pins.refused, 11);
    td_assert_success(gpio(ALPHA, GPIO_CMD_SET, 2, 0));
    td_assert_success(gpio(GAMMA, GPIO_CMD_INPUT, 1, 0)); /* other pins are free */
}

static void confidentiality_gpio_edges_reach_only_the_pins_holder(void **state)
{
    (void)state;
    for (unsigned i = 0; i < NPROC; i++)
        td_subscribe(&hp[i], GPIO, GPIO_UPCALL);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INPUT, 3, 2));
    td_assert_success(gpio(ALPHA, GPIO_CMD_INTERRUPT, 3, 1)); /* rising */
    td_assert_success(gpio(BETA, GPIO_CMD_INPUT, 1, 2));      /* beta's pin: no interrupt */
    sim_gpio_drive(&header, 3, true);
    sim_gpio_drive(&header, 1, true);
    sim_settle();
    td_expect_upcall(&hp[ALPHA], GPIO, GPIO_UPCALL, 3, 1, 0);
    assert_int_equal(td_pending(&hp[BETA]), 0);
    assert_int_equal(td_pending(&hp[GAMMA]), 0);
    sim_gpio_drive(&header, 3, false); /* falling: not asked for */
    sim_settle();
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INTERRUPT, 3, 2)); /* falling */
    sim_gpio_drive(&header, 3, true);
    sim_gpio_release(&header, 3); /* back to the pull-down */
    sim_settle();
    td_expect_upcall(&hp[ALPHA], GPIO, GPIO_UPCALL, 3, 0, 0);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INTERRUPT, 3, 0)); /* both */
    sim_gpio_drive(&header, 3, true);
    sim_settle();
    td_expect_upcall(&hp[ALPHA], GPIO, GPIO_UPCALL, 3, 1, 0);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INTERRUPT_OFF, 3, 0));
    assert_int_equal(header.pins[3].mode, HIL_GPIO_DISABLED);
    sim_gpio_drive(&header, 3, false);
    sim_settle();
    assert_int_equal(td_pending(&hp[ALPHA]), 0);
    assert_int_equal(gpio_drv.counters.upcalls, 3);
}

static void departure_gpio_pins_reset_and_freed_at_their_holders_end(void **state)
{
    (void)state;
    td_subscribe(&hp[ALPHA], GPIO, GPIO_UPCALL);
    td_assert_success(gpio(ALPHA, GPIO_CMD_OUTPUT, 0, 0));
    td_assert_success(gpio(ALPHA, GPIO_CMD_SET, 0, 0));
    td_assert_success(gpio(ALPHA, GPIO_CMD_INPUT, 1, 1));
    td_assert_success(gpio(ALPHA, GPIO_CMD_INTERRUPT, 1, 0));
    restart(ALPHA);
    for (unsigned pin = 0; pin < 2; pin++) {
        assert_int_equal(header.pins[pin].mode, HIL_GPIO_DISABLED);
        assert_int_equal(header.pins[pin].edges, 0);
    }
    td_subscribe(&hp[ALPHA], GPIO, GPIO_UPCALL);
    sim_gpio_drive(&header, 1, false);
    sim_settle();
    assert_int_equal(td_pending(&hp[ALPHA]), 0); /* nothing of the old life's */
    td_assert_success(gpio(BETA, GPIO_CMD_OUTPUT, 0, 0));     /* free */
    td_assert_failure(gpio(ALPHA, GPIO_CMD_SET, 0, 0), VMUX_RESERVE);
    end(BETA);
    td_assert_success(gpio(ALPHA, GPIO_CMD_SET, 0, 0));
}

static void gpio_upcalls_lost_to_a_full_queue_are_counted(void **state)
{
    (void)state;
    td_subscribe(&hp[ALPHA], GPIO, GPIO_UPCALL);
    td_assert_success(gpio(ALPHA, GPIO_CMD_INPUT, 0, 0));
    td_assert_success(gpio(ALPHA, GPIO_CMD_INTERRUPT, 0, 0));
    for (unsigned k = 0; k < PROCESS_UPCALL_QUEUE + 3; k++) {
        sim_gpio_drive(&header, 0, k % 2 == 0);
        sim_settle();
    }
    assert_int_equal(hp[ALPHA].process->counters.upcalls_dropped, 3);
    assert_int_equal(gpio_drv.counters.dropped, 3);
    assert_int_equal(gpio_drv.counters.upcalls, PROCESS_UPCALL_QUEUE);
    td_expect_upcall(&hp[ALPHA], GPIO, GPIO_UPCALL, 0, 1, 0); /* the oldest stayed */
}

static void a_bank_gives_its_interrupts_to_one_driver(void **state)
{
    (void)state;
    struct gpio_driver other;
    client_id_t holders[1];
    /* the board's buttons' bank already reports to the button driver */
    assert_int_equal(gpio_driver_init(&other, &buttons[0], holders, 1), VMUX_BUSY);
    struct button_driver too_many;
    assert_int_equal(button_driver_init(&too_many, buttons, BUTTON_MAX + 1), VMUX_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(led_commands_turn_on_off_and_toggle, setup),
        cmocka_unit_test_setup(availability_led_reserved_first_come_first_served, setup),
        cmocka_unit_test_setup(availability_led_named_by_the_board_is_only_its_owners, setup),
        cmocka_unit_test_setup(departure_led_turned_off_and_freed_at_its_holders_end, setup),
        cmocka_unit_test_setup(departure_led_restarted_holder_is_a_new_client, setup),
        cmocka_unit_test_setup(button_count_and_read, setup),
        cmocka_unit_test_setup(confidentiality_button_press_reaches_only_processes_that_enabled_it,
                               setup),
        cmocka_unit_test_setup(press_reaches_every_process_that_enabled_it_once, setup),
        cmocka_unit_test_setup(disabled_button_reports_nothing, setup),
        cmocka_unit_test_setup(merged_press_and_release_are_both_reported, setup),
        cmocka_unit_test_setup(confidentiality_button_named_by_the_board_is_only_its_owners, setup),
        cmocka_unit_test_setup(departure_button_enables_end_with_the_process, setup),
        cmocka_unit_test_setup(press_completes_a_yield_wait_for_without_subscribe, setup),
        cmocka_unit_test_setup(button_upcalls_lost_to_a_full_queue_are_counted_per_process, setup),
        cmocka_unit_test_setup(gpio_commands_drive_and_read_pins, setup),
        cmocka_unit_test_setup(availability_gpio_pin_reserved_first_come_first_served, setup),
        cmocka_unit_test_setup(confidentiality_gpio_edges_reach_only_the_pins_holder, setup),
        cmocka_unit_test_setup(departure_gpio_pins_reset_and_freed_at_their_holders_end, setup),
        cmocka_unit_test_setup(gpio_upcalls_lost_to_a_full_queue_are_counted, setup),
        cmocka_unit_test_setup(a_bank_gives_its_interrupts_to_one_driver, setup),
    };
    return cmocka_run_group_tests_name("driver_gpio", tests, NULL, NULL);
}
