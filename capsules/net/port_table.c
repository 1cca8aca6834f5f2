#include "capsules/net/port_table.h"

#include <stddef.h>

#define GOLDEN_RATIO_32 0x9e3779b9u

static uint32_t home(const struct port_table *t, uint16_t port)
{
    return ((uint32_t)port * GOLDEN_RATIO_32) >> t->shift;
}

vmux_err_t port_table_init(struct port_table *t, struct port_entry **slots, unsigned capacity)
{
    if (slots == NULL || capacity < 2 || capacity > 65536u || (capacity & (capacity - 1)))
        return VMUX_INVALID;
    unsigned bits = 0;
    while ((1u << bits) < capacity)
        bits++;
    t->slots = slots;
    t->mask = capacity - 1;
    t->shift = (uint8_t)(32 - bits);
    t->count = 0;
    t->limit = capacity / 4 * 3;
    if (t->limit == 0)
        t->limit = 1;
    t->stats = (struct port_table_stats){ 0 };
    for (unsigned i = 0; i < capacity; i++)
        slots[i] = NULL;
    return VMUX_SUCCESS;
}

/* The slot holding port, or the empty slot where it would go. */
static uint32_t probe(struct port_table *t, uint16_t port)
{
    uint32_t i = home(t, port);
    uint32_t probes = 1;
    while (t->slots[i] != NULL && t->slots[i]->port != port) {
        i = (i + 1) & t->mask;
        probes++;
    }
    t->stats.lookups++;
    t->stats.probes += probes;
    if (probes > t->stats.probes_max)
        t->stats.probes_max = probes;
    return i;
}

struct port_entry *port_table_find(struct port_table *t, uint16_t port)
{
    return t->slots[probe(t, port)];
}

vmux_err_t port_table_insert(struct port_table *t, struct port_entry *e)
{
    if (t->count >= t->limit)
        return VMUX_NOMEM;
    uint32_t i = probe(t, e->port);
    if (t->slots[i] != NULL)
        return VMUX_ALREADY;
    t->slots[i] = e;
    t->count++;
    return VMUX_SUCCESS;
}

void port_table_remove(struct port_table *t, struct port_entry *e)
{
    uint32_t hole = probe(t, e->port);
    if (t->slots[hole] != e)
        return;
    /* Walk the rest of the cluster; an entry whose home is at or before
     * the hole (going round) moves into it, and its old slot is the new
     * hole. Then no lookup ever meets an empty slot before its entry. */
    for (uint32_t j = (hole + 1) & t->mask; t->slots[j] != NULL; j = (j + 1) & t->mask) {
        uint32_t from_home = (j - home(t, t->slots[j]->port)) & t->mask;
        if (from_home >= ((j - hole) & t->mask)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole] = NULL;
    t->count--;
}
