#include "kernel/client.h"

#include <stddef.h>
#include <string.h>

static const char *kernel_names[CLIENT_KERNEL_MAX];
static unsigned kernel_count;
static const char *const *reserved_names;
static client_process_name_fn process_namer;
static struct client_observer *observers;

client_id_t client_register_kernel(const char *name)
{
    if (kernel_count >= CLIENT_KERNEL_MAX)
        return client_none();
    kernel_names[kernel_count] = name ? name : "kernel";
    return client_make(CLIENT_KERNEL, kernel_count++, 0);
}

void client_reserve_names(const char *const *names)
{
    reserved_names = names;
}

bool client_name_reserved(const char *name)
{
    for (unsigned i = 0; i < kernel_count; i++)
        if (strcmp(kernel_names[i], name) == 0)
            return true;
    for (const char *const *r = reserved_names; r && *r; r++)
        if (strcmp(*r, name) == 0)
            return true;
    return false;
}

void client_set_process_namer(client_process_name_fn fn)
{
    process_namer = fn;
}

const char *client_name(client_id_t c)
{
    switch (client_kind(c)) {
    case CLIENT_KERNEL:
        if (client_index(c) < kernel_count)
            return kernel_names[client_index(c)];
        return "kernel?";
    case CLIENT_PROCESS:
        if (process_namer) {
            const char *name = process_namer(c);
            if (name)
                return name;
        }
        return "process?";
    default:
        return "none";
    }
}

void client_observe(struct client_observer *obs)
{
    struct client_observer **tail = &observers;
    while (*tail) {
        if (*tail == obs)
            return;
        tail = &(*tail)->next;
    }
    obs->next = NULL;
    *tail = obs;
}

void client_departed(client_id_t gone)
{
    for (struct client_observer *o = observers; o; o = o->next)
        o->client_gone(o, gone);
}

void client_reset(void)
{
    kernel_count = 0;
    reserved_names = NULL;
    process_namer = NULL;
    observers = NULL;
}
