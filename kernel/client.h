/*
 * Client identity: who is asking.
 *
 * Every request to a shared component names its client. A client is either
 * a kernel component (registered once at boot by the board) or a process
 * (a process slot plus a generation). The generation is bumped each time a
 * slot is (re)started, so a restarted process is a different client: stale
 * handles, bindings and reservations of its previous life never match it.
 *
 * client_id_t is a 32-bit value passed by value:
 *   bits 31..30  kind (CLIENT_NONE, CLIENT_KERNEL, CLIENT_PROCESS)
 *   bits 29..16  index (kernel component number or process slot)
 *   bits 15..0   generation (0 for kernel components)
 *
 * Components that hold per-client state register a client_observer; the
 * kernel calls every observer when a client goes away (a process exits,
 * faults or is stopped), so its ports, slots and queued work are released.
 */
#ifndef VMUX_KERNEL_CLIENT_H
#define VMUX_KERNEL_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

enum client_kind {
    CLIENT_NONE = 0,
    CLIENT_KERNEL = 1,
    CLIENT_PROCESS = 2,
};

typedef struct client_id {
    uint32_t raw;
} client_id_t;

#define CLIENT_INDEX_MAX 0x3fffu
#define CLIENT_KERNEL_MAX 32u

static inline client_id_t client_make(enum client_kind kind, unsigned index,
                                      unsigned generation)
{
    client_id_t id = { ((uint32_t)kind << 30) |
                       ((uint32_t)(index & CLIENT_INDEX_MAX) << 16) |
                       (uint32_t)(generation & 0xffffu) };
    return id;
}

static inline client_id_t client_none(void) { return client_make(CLIENT_NONE, 0, 0); }
static inline enum client_kind client_kind(client_id_t c) { return (enum client_kind)(c.raw >> 30); }
static inline unsigned client_index(client_id_t c) { return (c.raw >> 16) & CLIENT_INDEX_MAX; }
static inline unsigned client_generation(client_id_t c) { return c.raw & 0xffffu; }
static inline bool client_is_none(client_id_t c) { return client_kind(c) == CLIENT_NONE; }
static inline bool client_is_kernel(client_id_t c) { return client_kind(c) == CLIENT_KERNEL; }
static inline bool client_is_process(client_id_t c) { return client_kind(c) == CLIENT_PROCESS; }
static inline bool client_same(client_id_t a, client_id_t b) { return a.raw == b.raw; }

static inline client_id_t client_process(unsigned slot, unsigned generation)
{
    return client_make(CLIENT_PROCESS, slot, generation);
}

/*
 * Kernel components. The board registers each kernel client once, by name,
 * and passes the id to the component. Returns client_none() when the table
 * (CLIENT_KERNEL_MAX entries) is full. The name must outlive the kernel.
 */
client_id_t client_register_kernel(const char *name);

/*
 * A kernel client's name, written CLIENT_NAME("name") where the board
 * names one (client_register_kernel(), console_attach()): the literal
 * itself, also recorded in the image's section .vmux.names, which is not
 * loaded (no flash, no RAM). A host tool learns from that section which
 * names the image's kernel clients may take, with no list of its own
 * (tools/vmuxload: an app may not take them). Only code the image keeps
 * records its names.
 */
#define CLIENT_NAME(literal)                                                     \
    (__extension__({                                                             \
        const char *client_name_ = literal;                                      \
        __asm__(".pushsection .vmux.names,\"\"\n\t.asciz \"" literal "\"\n\t"    \
                ".popsection"                                                    \
                : "+r"(client_name_));                                           \
        client_name_;                                                            \
    }))

/*
 * Names the processes may not take (kernel/process.h): every kernel
 * client's, and those the board reserves with client_reserve_names() (a
 * NULL-terminated table that outlives the kernel: names it will register
 * later, or that something outside uses, as the host's terminal does).
 */
void client_reserve_names(const char *const *names);
bool client_name_reserved(const char *name);

/*
 * Process names come from the process table, which installs a lookup here
 * (NULL until processes exist).
 */
typedef const char *(*client_process_name_fn)(client_id_t c);
void client_set_process_namer(client_process_name_fn fn);

/* Name of a client for logs and the UART control channel; never NULL. */
const char *client_name(client_id_t c);

/*
 * Departure notification. Observers are intrusive and statically
 * allocated by their component; they are called in registration order.
 */
struct client_observer {
    void (*client_gone)(struct client_observer *self, client_id_t gone);
    struct client_observer *next;
};

void client_observe(struct client_observer *obs);
void client_departed(client_id_t gone);

/* Forget every kernel client, reserved name and observer (tests and board
 * re-init only). */
void client_reset(void);

#endif
