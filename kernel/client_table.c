#include "kernel/client_table.h"

#include <stddef.h>
#include <string.h>

void client_table_init(struct client_table *t, struct client_entry **storage, unsigned capacity)
{
    t->entries = storage;
    t->capacity = (uint16_t)capacity;
    for (unsigned i = 0; i < capacity; i++)
        storage[i] = NULL;
}

vmux_err_t client_table_add(struct client_table *t, struct client_entry *e, client_id_t id)
{
    if (e == NULL)
        return VMUX_INVALID;
    if (e->attached)
        return VMUX_ALREADY;
    for (unsigned i = 0; i < t->capacity; i++) {
        if (t->entries[i] != NULL)
            continue;
        e->id = id;
        e->index = (uint16_t)i;
        e->attached = true;
        t->entries[i] = e;
        return VMUX_SUCCESS;
    }
    return VMUX_NOMEM;
}

vmux_err_t client_table_attach(struct client_table *t, void *client, size_t size,
                               struct client_entry *e, client_id_t id)
{
    if (e->attached)
        return VMUX_ALREADY;
    memset(client, 0, size);
    return client_table_add(t, e, id);
}

void client_table_remove(struct client_table *t, struct client_entry *e)
{
    if (e == NULL || !e->attached)
        return;
    if (e->index < t->capacity && t->entries[e->index] == e)
        t->entries[e->index] = NULL;
    e->attached = false;
}

struct client_entry *client_table_next_of(const struct client_table *t, client_id_t id,
                                          unsigned *cursor)
{
    while (*cursor < t->capacity) {
        struct client_entry *e = t->entries[(*cursor)++];
        if (e && client_same(e->id, id))
            return e;
    }
    return NULL;
}
