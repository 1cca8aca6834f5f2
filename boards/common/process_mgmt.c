#include "boards/common/process_mgmt.h"

#include <inttypes.h>
#include <string.h>

#include "boards/common/console.h"
#include "kernel/process.h"

#define U32 "%" PRIu32

/* line past word, its beginning; NULL if it does not begin with word. */
static const char *after_word(const char *line, const char *word)
{
    while (*word)
        if (*line++ != *word++)
            return NULL;
    return line;
}

/* Line i of "ps": the process in slot i, if any. Its syscalls, then
 * those refused as malformed (bad_syscalls: unknown class or driver
 * call, bad arguments) and the uses of a driver refused because its grant did not fit in the
 * process's quota (NOMEM, grant_nomem); the upcalls: delivered of
 * scheduled, then the others by how they ended (kernel/process.h). */
static bool ps_line(struct console *c, unsigned slot)
{
    /* Each state's name in 8 bytes, padded with NULs: no table of
     * pointers. */
    static const char state_names[][8] = { "empty", "ready", "yielded", "waiting",
                                           "stopped", "ended" };
    if (slot >= PROCESS_MAX)
        return false;
    const struct process *p = process_at(slot);
    if (p)
        console_printf(c, "%u %-17s %-7s gen %u syscalls " U32 " (bad " U32 ", grant refused " U32
                          ") upcalls " U32 " of " U32
                          " (full " U32 ", replaced " U32 ", unsubscribed " U32 ", at end " U32
                          ") restarts " U32 " held " U32 "%s\n",
                       slot, p->name, state_names[p->state], (unsigned)p->generation,
                       p->counters.syscalls, p->counters.bad_syscalls, p->counters.grant_nomem,
                       p->counters.upcalls_delivered,
                       p->counters.upcalls_scheduled, p->counters.upcalls_dropped,
                       p->counters.upcalls_replaced, p->counters.upcalls_unsubscribed,
                       p->counters.upcalls_ended, p->counters.restarts,
                       p->counters.restarts_held, p->faulted ? " (faulted)" : "");
    return true;
}

bool process_mgmt_command(struct console *c, const char *line,
                          const cap_process_management_t *cap)
{
    if (strcmp(line, "ps") == 0) {
        console_report(c, ps_line);
        return true;
    }
    const char *name = after_word(line, "stop ");
    bool stop = name != NULL;
    if (!stop && (name = after_word(line, "start ")) == NULL)
        return false;
    struct process *p = process_find(name);
    if (!p) {
        console_printf(c, "no process named %s\n", name);
        return true;
    }
    vmux_err_t err = stop ? process_stop(cap, p) : process_start(cap, p);
    console_printf(c, "%s: %s\n", line, vmux_err_name(err)); /* line: "stop NAME" or "start NAME" */
    return true;
}
