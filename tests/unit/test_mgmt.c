/*
 * The management channel against a peer on the wire (docs/security.md,
 * "The management channel"): the boards' own mgmt code
 * (boards/common/demo.c, process_mgmt.c, mgmt_auth.c) on the attack rig
 * (tests/attacks/rig.h), with a process to stop and start. The test is
 * the peer: it types lines on the mgmt channel and reads the answers.
 *
 * Anyone on the wire may read (ps, stats, clients, help) and ask for a
 * challenge; a command that changes anything runs only as "auth TAG
 * COMMAND" with TAG = AES-CMAC(key, "A" || nonce || COMMAND) for a fresh
 * nonce, each nonce good for one answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boards/common/demo.h"
#include "boards/common/mgmt_auth.h"
#include "boards/common/process_mgmt.h"
#include "boards/test/test_board.h"
#include "tests/attacks/rig.h"

#define MS 1000000ull
#define WATCHDOG_S 600 /* a hang, not a time the program should take: a loaded host is slow */

static const uint8_t key[MGMT_KEY_SIZE] = { 0x6d, 0x67, 0x6d, 0x74, 1,  2,  3,  4,
                                            5,    6,    7,    8,    9, 10, 11, 12 };
static struct aes128_schedule schedule; /* the operator's copy of the key */
static uint8_t mgmt;                    /* its channel */
static struct process *victim;

static bool process_command(struct console *c, const char *line)
{
    return process_mgmt_command(c, line, test_board_cap_process_management());
}

/* The rig's board, with the mgmt channel; key NULL: a board without one. */
static void start_board(const uint8_t *board_key)
{
    rig_setup(NULL);
    static const uint8_t salt[16] = "salt of the test";
    struct demo_board board = {
        .uart_mux = &rig.uart_mux,
        .alarm_mux = &rig.alarm_mux,
        .crypto_mux = &rig.crypto_mux,
        .adc = &rig.adc.hil,
        .udp_mux = &rig.udp_mux,
        .mgmt_command = process_command,
        .mgmt_key = board_key,
        .mgmt_salt = salt,
    };
    demo_start(&board);
    demo_mgmt_start();
    aes128_expand_key(&schedule, key);
    victim = rig_load("good", "victim", RESTART_NEVER);
    rig_run(20 * MS, NULL, NULL);
    mgmt = 0;
    for (unsigned ch = 1; ch < 256 && mgmt == 0; ch++) {
        struct uart_mux_client *c = uart_mux_channel_owner(&rig.uart_mux, (uint8_t)ch);
        if (c && strcmp(c->name, "mgmt") == 0)
            mgmt = (uint8_t)ch;
    }
    assert_int_not_equal(mgmt, 0);
    assert_int_equal(victim->state == PROCESS_STOPPED, false);
}

static int setup(void **state)
{
    (void)state;
    start_board(key);
    return 0;
}

static int setup_without_key(void **state)
{
    (void)state;
    start_board(NULL);
    return 0;
}

/* ------------------------------------------------------------ the peer */

/* Type line on the mgmt channel; the board's whole answer (what came on
 * the channel in the next 50 ms of virtual time, collected every 250 us:
 * the rig keeps the last 256 bytes of each channel, and its UART moves
 * 100 bytes a millisecond). */
static const char *say(const char *line)
{
    static char answer[4096];
    char text[160];
    size_t n = (size_t)snprintf(text, sizeof text, "%s\n", line), len = 0;
    struct rig_channel *c = &rig.channels[mgmt];
    rig_uart_send(mgmt, text, n);
    for (unsigned step = 0; step < 200; step++) {
        uint32_t before = c->bytes;
        rig_run(MS / 4, NULL, NULL);
        uint32_t got = c->bytes - before;
        assert_true(got <= c->tail_len && len + got < sizeof answer);
        memcpy(answer + len, c->tail + c->tail_len - got, got);
        len += got;
    }
    answer[len] = '\0';
    assert_true(len > 0);
    return answer;
}

/* Ask for a challenge; its nonce. */
static void challenge(uint8_t nonce[MGMT_NONCE_SIZE])
{
    const char *a = say("challenge");
    assert_int_equal(strncmp(a, "challenge ", 10), 0);
    assert_int_equal(strlen(a), 10 + 2 * MGMT_NONCE_SIZE + 1);
    assert_true(mgmt_hex_decode(a + 10, nonce, MGMT_NONCE_SIZE));
}

/* "auth TAG command" with the right tag for nonce. */
static void answer_line(char *out, size_t size, const uint8_t nonce[MGMT_NONCE_SIZE],
                        const char *command)
{
    uint8_t tag[MGMT_TAG_SIZE];
    char hex[MGMT_HEX_SIZE];
    mgmt_auth_tag(&schedule, nonce, command, tag);
    mgmt_hex_encode(tag, sizeof tag, hex);
    snprintf(out, size, "auth %s %s", hex, command);
}

/* A fresh challenge, answered for command: the "auth TAG command" line. */
static void answered(char *out, size_t size, const char *command)
{
    uint8_t nonce[MGMT_NONCE_SIZE];
    challenge(nonce);
    answer_line(out, size, nonce, command);
}

static const struct mgmt_auth_counters *counters(void)
{
    /* What the board counted, as `stats` shows it. */
    static struct mgmt_auth_counters c;
    const char *a = say("stats");
    const char *line = strstr(a, "auth: challenges ");
    assert_non_null(line);
    unsigned v[5];
    assert_int_equal(sscanf(line, "auth: challenges %u, authenticated %u, refused: "
                                  "unauthenticated %u, stale %u, wrong answer %u",
                            &v[0], &v[1], &v[2], &v[3], &v[4]),
                     5);
    c = (struct mgmt_auth_counters){ v[0], v[1], v[2], v[3], v[4] };
    return &c;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool stopped(void)
{
    return victim->state == PROCESS_STOPPED;
}

/* ------------------------------------------------------------ tests */

static void mgmt_read_only_commands_are_open(void **state)
{
    (void)state;
    assert_non_null(strstr(say("ps"), "victim"));
    assert_non_null(strstr(say("stats"), "uart mux: frames sent"));
    assert_non_null(strstr(say("clients"), "mgmt (kernel)"));
    assert_non_null(strstr(say("help"), "commands: stats, clients,"));
    assert_int_equal(counters()->unauthenticated, 0);
}

static void mgmt_unauthenticated_stop_and_start_refused_and_counted(void **state)
{
    (void)state;
    assert_string_equal(say("stop victim"), "refused (not authenticated): stop victim\n");
    assert_false(stopped());
    /* stopped with the key, then a start from the wire */
    char line[160];
    answered(line, sizeof line, "stop victim");
    assert_string_equal(say(line), "stop victim: SUCCESS\n");
    assert_true(stopped());
    assert_string_equal(say("start victim"), "refused (not authenticated): start victim\n");
    assert_true(stopped());
    /* and anything else that is not read-only: closed by default */
    assert_string_equal(say("restart victim"), "refused (not authenticated): restart victim\n");
    assert_string_equal(say("stop"), "refused (not authenticated): stop\n");
    const struct mgmt_auth_counters *c = counters();
    assert_int_equal(c->unauthenticated, 4);
    assert_int_equal(c->authenticated, 1);
}

static void mgmt_right_answer_runs_the_command(void **state)
{
    (void)state;
    char line[160];
    answered(line, sizeof line, "stop victim");
    assert_string_equal(say(line), "stop victim: SUCCESS\n");
    assert_true(stopped());
    assert_non_null(strstr(say("ps"), "stopped"));
    answered(line, sizeof line, "start victim");
    assert_string_equal(say(line), "start victim: SUCCESS\n");
    assert_false(stopped());
    /* a read-only command may be authenticated too */
    answered(line, sizeof line, "ps");
    assert_non_null(strstr(say(line), "victim"));
    const struct mgmt_auth_counters *c = counters();
    assert_int_equal(c->authenticated, 3);
    assert_int_equal(c->challenges, 3);
    assert_int_equal(c->stale + c->bad_tag + c->unauthenticated, 0);
}

/* A command the board does not know is named before the list of those it
 * knows; asking for the list ("help", an empty line) names nothing. */
static void mgmt_unknown_command_is_named_before_the_help(void **state)
{
    (void)state;
    char line[160];
    const char *help = "commands: stats, clients,";
    answered(line, sizeof line, "bogus");
    assert_true(starts_with(say(line), "unknown command: bogus\ncommands: stats, clients,"));
    answered(line, sizeof line, "stop");
    assert_true(starts_with(say(line), "unknown command: stop\ncommands: "));
    assert_true(starts_with(say("help"), help));
    assert_true(starts_with(say(""), help));
    assert_false(stopped());
}

static void mgmt_replayed_answer_refused(void **state)
{
    (void)state;
    uint8_t nonce[MGMT_NONCE_SIZE];
    char stop[160], start[160];
    answered(stop, sizeof stop, "stop victim");
    assert_string_equal(say(stop), "stop victim: SUCCESS\n");
    answered(start, sizeof start, "start victim");
    assert_string_equal(say(start), "start victim: SUCCESS\n");
    /* the recorded answers again: their nonces are used up */
    assert_string_equal(say(stop), "auth: refused (no fresh challenge)\n");
    assert_false(stopped());
    /* after a new challenge a recorded answer is wrong for its nonce */
    challenge(nonce);
    assert_string_equal(say(stop), "auth: refused (wrong answer)\n");
    assert_false(stopped());
    /* and that challenge is used up by the wrong answer */
    answer_line(stop, sizeof stop, nonce, "stop victim");
    assert_string_equal(say(stop), "auth: refused (no fresh challenge)\n");
    assert_false(stopped());
    const struct mgmt_auth_counters *c = counters();
    assert_int_equal(c->authenticated, 2);
    assert_int_equal(c->stale, 2);
    assert_int_equal(c->bad_tag, 1);
}

static void mgmt_answer_for_another_command_refused(void **state)
{
    (void)state;
    uint8_t nonce[MGMT_NONCE_SIZE];
    char line[160], forged[160];
    answered(line, sizeof line, "ps");
    /* the tag of "ps" with another command after it */
    snprintf(forged, sizeof forged, "%.38sstop victim", line);
    assert_string_equal(say(forged), "auth: refused (wrong answer)\n");
    /* a new challenge replaces the one outstanding */
    uint8_t first[MGMT_NONCE_SIZE], second[MGMT_NONCE_SIZE];
    challenge(first);
    challenge(second);
    assert_memory_not_equal(first, second, sizeof first);
    answer_line(line, sizeof line, first, "stop victim");
    assert_string_equal(say(line), "auth: refused (wrong answer)\n");
    /* malformed answers use the challenge up too */
    challenge(nonce);
    assert_string_equal(say("auth 12 stop victim"), "auth: refused (wrong answer)\n");
    answer_line(line, sizeof line, nonce, "stop victim");
    assert_string_equal(say(line), "auth: refused (no fresh challenge)\n");
    assert_false(stopped());
    assert_int_equal(counters()->bad_tag, 3);
}

static void mgmt_nonces_never_repeat(void **state)
{
    (void)state;
    enum { N = 64 };
    static uint8_t seen[N][MGMT_NONCE_SIZE];
    for (unsigned i = 0; i < N; i++) {
        challenge(seen[i]);
        for (unsigned j = 0; j < i; j++)
            assert_memory_not_equal(seen[i], seen[j], MGMT_NONCE_SIZE);
    }
    /* another boot (another salt), same counter: other nonces */
    struct mgmt_auth a, b;
    char na[MGMT_HEX_SIZE], nb[MGMT_HEX_SIZE];
    mgmt_auth_init(&a, key, (const uint8_t *)"boot number one!");
    mgmt_auth_init(&b, key, (const uint8_t *)"boot number two!");
    assert_true(mgmt_auth_challenge(&a, 0, na));
    assert_true(mgmt_auth_challenge(&b, 0, nb));
    assert_string_not_equal(na, nb);
}

static void mgmt_board_without_key_refuses_every_change(void **state)
{
    (void)state;
    assert_string_equal(say("challenge"), "refused: no key\n");
    assert_string_equal(say("stop victim"), "refused (not authenticated): stop victim\n");
    uint8_t nonce[MGMT_NONCE_SIZE] = { 0 };
    char line[160];
    answer_line(line, sizeof line, nonce, "stop victim");
    assert_string_equal(say(line), "auth: refused (no key)\n");
    assert_false(stopped());
    assert_non_null(strstr(say("ps"), "victim"));
}

static void mgmt_key_file_is_32_hex_digits(void **state)
{
    (void)state;
    uint8_t k[MGMT_KEY_SIZE];
    assert_true(mgmt_key_parse("  6d676d740102030405060708090A0b0c\n", k));
    assert_memory_equal(k, key, sizeof k);
    assert_false(mgmt_key_parse("6d676d740102030405060708090a0b", k));     /* short */
    assert_false(mgmt_key_parse("6d676d740102030405060708090a0b0c0d", k)); /* long */
    assert_false(mgmt_key_parse("6d676d740102030405060708090a0b0g", k));   /* not hex */
    assert_false(mgmt_key_parse("6d676d74010203040506070809 0a0b0c", k)); /* split */
    assert_false(mgmt_key_parse("", k));
}

/* The line of "ps" for the process called name holds want. */
static void ps_line_holds(const char *ps, const char *name, const char *want)
{
    char key[40];
    snprintf(key, sizeof key, " %s ", name);
    const char *line = strstr(ps, key);
    assert_non_null(line);
    const char *found = strstr(line, want);
    assert_non_null(found);
    assert_true(found < strchr(line, '\n'));
}

/* Nothing is lost silently: a process refused its drivers' grants
 * (tests/attacks/apps/grant_exhaust.c: NOMEM from the console, crypto,
 * UDP, subscribe and the alarm) has the refusals in its line of "ps",
 * and only it. */
static void conservation_ps_shows_grants_refused_per_process(void **state)
{
    (void)state;
    struct process *p = rig_load("grant_exhaust", "exhauster", RESTART_NEVER);
    assert_true(rig_run(100 * MS, rig_done, p));
    assert_true(p->counters.grant_nomem >= 5);
    const char *ps = say("ps");
    char want[64];
    snprintf(want, sizeof want, ", grant refused %u)", (unsigned)p->counters.grant_nomem);
    ps_line_holds(ps, "exhauster", want);
    ps_line_holds(ps, "victim", "(bad 0, grant refused 0)");
}

/* Nothing is lost silently: a process whose system calls are malformed
 * (tests/attacks/apps/command_storm.c: classes and drivers that do not
 * exist, bad arguments) has them counted in its line of "ps", and only
 * it. */
static void conservation_ps_shows_bad_syscalls_per_process(void **state)
{
    (void)state;
    struct process *p = rig_load("command_storm", "stormer", RESTART_NEVER);
    rig_set(p, K_PARAM, 2000);
    assert_true(rig_run(100 * MS, rig_done, p));
    assert_true(p->counters.bad_syscalls > 0);
    const char *ps = say("ps");
    char want[64];
    snprintf(want, sizeof want, "(bad %u, grant refused ", (unsigned)p->counters.bad_syscalls);
    ps_line_holds(ps, "stormer", want);
    ps_line_holds(ps, "victim", "(bad 0, ");
}

int main(int argc, char **argv)
{
    (void)argc;
    rig_program_start(argv[0], WATCHDOG_S);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, rig_test_teardown)
    const struct CMUnitTest tests[] = {
        T(mgmt_read_only_commands_are_open),
        T(conservation_ps_shows_grants_refused_per_process),
        T(conservation_ps_shows_bad_syscalls_per_process),
        T(mgmt_unauthenticated_stop_and_start_refused_and_counted),
        T(mgmt_right_answer_runs_the_command),
        T(mgmt_unknown_command_is_named_before_the_help),
        T(mgmt_replayed_answer_refused),
        T(mgmt_answer_for_another_command_refused),
        T(mgmt_nonces_never_repeat),
        cmocka_unit_test_setup_teardown(mgmt_board_without_key_refuses_every_change,
                                        setup_without_key, rig_test_teardown),
        cmocka_unit_test(mgmt_key_file_is_32_hex_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
