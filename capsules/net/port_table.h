/*
 * Port table: which entry holds each 16-bit port, found in O(1) on
 * average however many ports are bound.
 *
 * Open addressing with linear probing over a power-of-two array of
 * pointers that the board provides. Ports are spread by Fibonacci
 * hashing (multiply by 2^32/phi and keep the top bits), so runs of
 * consecutive ports, or ports a power of two apart, do not pile up in one
 * cluster. The table takes at most 3/4 of its capacity, which keeps the
 * expected probes per lookup under 2.5 for a miss and 2 for a hit.
 * Removal shifts the entries behind back into the hole instead of
 * leaving tombstones, so lookups do not slow down as ports come and go.
 *
 * The entries are the caller's (embedded in its own structs); the table
 * holds pointers only. Statistics count every slot a lookup examines, so
 * a test can tell a hash lookup from a scan.
 */
#ifndef VMUX_CAPSULES_NET_PORT_TABLE_H
#define VMUX_CAPSULES_NET_PORT_TABLE_H

#include <stdint.h>

#include "kernel/errors.h"

struct port_entry {
    uint16_t port;
};

struct port_table_stats {
    uint32_t lookups;
    uint32_t probes;       /* slots examined by all lookups */
    uint32_t probes_max;   /* by the worst single lookup */
};

struct port_table {
    struct port_entry **slots;
    uint32_t mask;         /* capacity - 1 */
    uint8_t shift;         /* 32 - log2(capacity) */
    uint32_t count;
    uint32_t limit;        /* 3/4 of capacity */
    struct port_table_stats stats;
};

/* INVALID unless capacity is a power of two from 2 to 65536. */
vmux_err_t port_table_init(struct port_table *t, struct port_entry **slots, unsigned capacity);

/* The entry holding port, or NULL. */
struct port_entry *port_table_find(struct port_table *t, uint16_t port);

/* Add e under e->port, which must not be in the table. NOMEM when full. */
vmux_err_t port_table_insert(struct port_table *t, struct port_entry *e);

/* Take e out; nothing happens if it is not in the table. */
void port_table_remove(struct port_table *t, struct port_entry *e);

#endif
