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

bool process_mgmt_command(struct console *c, const char *line,
                          const cap_process_management_t *cap)
{
    /* Each state's name in 8 bytes, padded with NULs: no table of
     * pointers. */
    static const char state_names[][8] = { "empty", "ready", "yielded", "waiting",
                                           "stopped", "ended" };
    if (strcmp(line, "ps") == 0) {
        for (unsigned s = 0; s < PROCESS_MAX; s++) {
            const struct process *p = process_at(s);
            if (p)
                console_printf(c, "%u %-17s %-7s gen %u syscalls " U32 " upcalls " U32
                                  " dropped " U32 " restarts " U32 " held " U32 "%s\n",
                               s, p->name, state_names[p->state], (unsigned)p->generation,
                               p->counters.syscalls, p->counters.upcalls_delivered,
                               p->counters.upcalls_dropped, p->counters.restarts,
                               p->counters.restarts_held, p->faulted ? " (faulted)" : "");
        }
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
