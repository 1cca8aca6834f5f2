/*
 * vmux error codes: the completion codes of Tock's TRD104, with the same
 * numbers, used by every layer of vmux (kernel, HILs, capsules, syscalls).
 *
 * A function that can fail returns a vmux_err_t; VMUX_SUCCESS (0) means it
 * did what it said. Split-phase completions carry one as their status.
 */
#ifndef VMUX_KERNEL_ERRORS_H
#define VMUX_KERNEL_ERRORS_H

typedef enum vmux_err {
    VMUX_SUCCESS = 0,
    VMUX_FAIL = 1,        /* generic failure */
    VMUX_BUSY = 2,        /* underlying resource busy: try again later */
    VMUX_ALREADY = 3,     /* already in the requested state */
    VMUX_OFF = 4,         /* component is powered down or not started */
    VMUX_RESERVE = 5,     /* reservation required (or none left) */
    VMUX_INVALID = 6,     /* an argument is invalid */
    VMUX_SIZE = 7,        /* a size (buffer, length) is wrong */
    VMUX_CANCEL = 8,      /* operation cancelled */
    VMUX_NOMEM = 9,       /* out of memory */
    VMUX_NOSUPPORT = 10,  /* operation not supported */
    VMUX_NODEVICE = 11,   /* device not present */
    VMUX_UNINSTALLED = 12, /* device not physically installed */
    VMUX_NOACK = 13,      /* packet transmission not acknowledged */
} vmux_err_t;

#define VMUX_ERR_COUNT 14

/* Upper-case name of a code ("BUSY"), or "?" for numbers out of range. */
const char *vmux_err_name(int err);

/* The nth string (from 0) of list, strings packed one after the other
 * ("a\0b\0c"): a table of names without a table of pointers. n must be
 * within the list. */
const char *vmux_string_at(const char *list, unsigned n);

#endif
