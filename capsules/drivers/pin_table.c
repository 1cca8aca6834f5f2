#include "capsules/drivers/pin_table.h"

#include "capsules/drivers/owners.h"

void pin_table_init(struct pin_table *t, const struct pin *pins, client_id_t *holders,
                    unsigned count)
{
    t->pins = pins;
    t->holders = holders;
    t->count = (uint8_t)count;
    t->refused = 0;
    for (unsigned i = 0; holders && i < count; i++)
        holders[i] = client_none();
}

vmux_err_t pin_table_use(struct pin_table *t, uintptr_t n, const struct process *p)
{
    if (n >= t->count)
        return VMUX_INVALID;
    const char *owner = t->pins[n].owner;
    client_id_t id = process_client(p);
    bool allowed = owner == NULL || owners_include(owner, p->name);
    if (allowed && t->holders) {
        client_id_t *holder = &t->holders[n];
        allowed = client_is_none(*holder) || client_same(*holder, id);
        if (allowed)
            *holder = id;
    }
    if (allowed)
        return VMUX_SUCCESS;
    t->refused++;
    return VMUX_RESERVE;
}

void pin_table_release(struct pin_table *t, client_id_t id, void (*reset)(const struct pin *))
{
    for (unsigned i = 0; i < t->count; i++) {
        if (client_same(t->holders[i], id)) {
            t->holders[i] = client_none();
            reset(&t->pins[i]);
        }
    }
}

vmux_err_t pin_table_listen(const struct pin_table *t, struct hil_gpio_client *c)
{
    for (unsigned i = 0; i < t->count; i++) {
        struct hil_gpio *bank = t->pins[i].bank;
        if (bank->client != NULL && bank->client != c)
            return VMUX_BUSY;
        hil_gpio_set_client(bank, c);
    }
    return VMUX_SUCCESS;
}

int pin_table_find(const struct pin_table *t, const struct hil_gpio *bank, unsigned index)
{
    for (unsigned i = 0; i < t->count; i++)
        if (t->pins[i].bank == bank && t->pins[i].index == index)
            return (int)i;
    return -1;
}
