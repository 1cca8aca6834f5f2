/*
 * What the host tools over TBF objects share (tools/tbf, tools/vmuxload):
 * messages and whole-file reads and writes. Every failure ends the
 * program with status 1 and one line on stderr, "PROGRAM: what".
 */
#ifndef VMUX_TOOLS_TBF_TOOL_H
#define VMUX_TOOLS_TBF_TOOL_H

#include <stddef.h>
#include <stdint.h>

/* The name messages start with; each program sets it. */
extern const char *tool_program;

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);

/* The whole file (malloc'd) and its length. */
uint8_t *read_file(const char *path, size_t *len);
void write_file(const char *path, const uint8_t *data, size_t len);

#endif
