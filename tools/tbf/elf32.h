/*
 * 32-bit little-endian ARM ELF files as the host tools read them
 * (tools/tbf packs an app's, tools/vmuxload reads the kernel's symbols
 * and an app's sections for gdb). Every offset is checked against the
 * file; a malformed file ends the program (tool.h).
 */
#ifndef VMUX_TOOLS_TBF_ELF32_H
#define VMUX_TOOLS_TBF_ELF32_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf {
    uint8_t *file;
    size_t len;
    const Elf32_Ehdr *eh;
    const Elf32_Phdr *ph;
    const Elf32_Shdr *sh;
    const char *names;  /* section name strings */
    size_t names_len;
};

/* size bytes at offset off of the file (ends the program if outside). */
const void *elf_at(const struct elf *e, uint64_t off, uint64_t size, const char *what);
void load_elf(struct elf *e, const char *path);
const char *section_name(const struct elf *e, const Elf32_Shdr *s);
const Elf32_Shdr *find_section(const struct elf *e, const char *name);
/* NULL for a section without file bytes (SHT_NOBITS). */
const uint8_t *section_data(const struct elf *e, const Elf32_Shdr *s);
/* The value of symbol name in the symbol table; false if there is none. */
bool symbol(const struct elf *e, const char *name, uint32_t *value);

#endif
