/*
 * The probe driver that tests/unit/test_host_process.c registers and the
 * test apps call: its number and commands, shared by both sides.
 */
#ifndef VMUX_TESTS_APPS_PROBE_H
#define VMUX_TESTS_APPS_PROBE_H

#define PROBE_DRIVER 0x99u

enum probe_command {
    PROBE_COUNT = 1,   /* count a call of this process; Success u32 = calls this life */
    PROBE_REPORT = 2,  /* log (arg1, arg2) for the test; Success */
    PROBE_UPCALL = 3,  /* schedule upcall 0 with (arg1, arg2, 42); Success */
    PROBE_HELLO = 4,   /* Success u32 = hellos of this slot, over every life */
};

#endif
