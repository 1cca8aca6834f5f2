/*
 * The rig driver: how an attack app and tests/unit/test_host_attacks.c
 * talk. The test registers it next to the real drivers; an app reports
 * what it saw and learns its parameters through it. It is test plumbing
 * only: it grants nothing, and every attack goes through the real
 * drivers.
 *
 * A store of RIG_KEYS values per process slot, kept across restarts (so
 * a second life can be handed what the first one held, as an attacker
 * that remembers would):
 *   command RIG_PUT, key, value   store[slot][key] = value      Success
 *   command RIG_GET, key          Success u32 = store[slot][key] (pointer-sized)
 *   command RIG_COUNT, key        Success u32 = ++store[slot][key]
 * Each app documents what its keys mean.
 */
#ifndef VMUX_TESTS_ATTACKS_RIG_ABI_H
#define VMUX_TESTS_ATTACKS_RIG_ABI_H

#define RIG_DRIVER 0x98u
#define RIG_KEYS 32u

enum rig_command {
    RIG_PUT = 1,
    RIG_GET = 2,
    RIG_COUNT = 3,
};

/* Keys every app uses the same way. */
enum rig_common_key {
    K_PHASE = 0,       /* app: how far it got */
    K_DONE = 1,        /* app: 1 when it has made its attack and seen the outcome */
    K_CYCLES = 2,      /* app: rounds of its loop (bystanders: work done) */
    K_TARGET = 3,      /* test: an address the app is told to aim at */
    K_PARAM = 4,       /* test: a parameter (a port, a count) */
    K_PARAM2 = 5,
    K_BAD = 6,         /* app: anything it saw that it must not have */
    K_FIRST_RESULT = 8 /* app-specific results from here on */
};

#endif
