/*
 * The management channel's process commands, shared by the boards: "ps"
 * (a line per process: slot, name, state, generation, system calls, its
 * upcalls and how they ended, restarts, whether it faulted), "stop NAME"
 * and "start NAME". Only a board can call them: they need the
 * process-management capability it minted; and the management channel
 * runs stop and start only for a peer that answered its challenge
 * (boards/common/demo.c, mgmt_auth.h).
 */
#ifndef VMUX_BOARDS_COMMON_PROCESS_MGMT_H
#define VMUX_BOARDS_COMMON_PROCESS_MGMT_H

#include <stdbool.h>

#include "kernel/capability.h"

struct console;

/* True when line was one of the commands (answered on c). */
bool process_mgmt_command(struct console *c, const char *line,
                          const cap_process_management_t *cap);

#endif
