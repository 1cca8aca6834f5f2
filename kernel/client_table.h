/*
 * client_table: the one table of attached clients that every mux keeps.
 *
 * A mux's client struct embeds a struct client_entry; the mux owns a
 * table of entry pointers (storage from the board). The table gives each
 * attached client a slot index — the index the mux uses with its
 * round-robin set — and finds every entry of a departed client.
 *
 *     struct foo_client { struct client_entry entry; ... };
 *     client_table_add(&mux->clients, &c->entry, id);       // attach
 *     rr_set_pending(&mux->rr, c->entry.index);             // queue work
 *     unsigned at = 0;                                      // departure
 *     while ((e = client_table_next_of(&mux->clients, gone, &at)))
 *         foo_detach(container_of(e, struct foo_client, entry));
 */
#ifndef VMUX_KERNEL_CLIENT_TABLE_H
#define VMUX_KERNEL_CLIENT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/client.h"
#include "kernel/errors.h"

struct client_entry {
    client_id_t id;
    uint16_t index;     /* slot while attached */
    bool attached;
};

struct client_table {
    struct client_entry **entries;
    uint16_t capacity;
};

void client_table_init(struct client_table *t, struct client_entry **storage, unsigned capacity);

/* Put e in the first free slot under id. INVALID for NULL, ALREADY when
 * e is attached, NOMEM when the table is full. */
vmux_err_t client_table_add(struct client_table *t, struct client_entry *e, client_id_t id);

/* The attach of a mux's client struct, client (size bytes, with e inside
 * it): ALREADY when e is attached; otherwise the struct is zeroed and e
 * added under id (NOMEM when the table is full). The mux then fills in
 * its own fields. */
vmux_err_t client_table_attach(struct client_table *t, void *client, size_t size,
                               struct client_entry *e, client_id_t id);

/* Take e out; harmless when it is not attached. */
void client_table_remove(struct client_table *t, struct client_entry *e);

static inline struct client_entry *client_table_at(const struct client_table *t, unsigned i)
{
    return i < t->capacity ? t->entries[i] : (struct client_entry *)0;
}

/* The next attached entry of client id at slot *cursor or later, moving
 * the cursor past it; NULL when there is none. Safe against removing the
 * returned entry before the next call. */
struct client_entry *client_table_next_of(const struct client_table *t, client_id_t id,
                                          unsigned *cursor);

#endif
