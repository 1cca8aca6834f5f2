#include "tools/tbf/elf32.h"

#include <string.h>

#include "tools/tbf/tool.h"

const void *elf_at(const struct elf *e, uint64_t off, uint64_t size, const char *what)
{
    if (off > e->len || size > e->len - off)
        die("ELF %s outside the file", what);
    return e->file + off;
}

void load_elf(struct elf *e, const char *path)
{
    e->file = read_file(path, &e->len);
    e->eh = elf_at(e, 0, sizeof *e->eh, "header");
    if (memcmp(e->eh->e_ident, ELFMAG, SELFMAG) != 0 || e->eh->e_ident[EI_CLASS] != ELFCLASS32 ||
        e->eh->e_ident[EI_DATA] != ELFDATA2LSB || e->eh->e_machine != EM_ARM)
        die("%s: not a 32-bit little-endian ARM ELF", path);
    e->ph = elf_at(e, e->eh->e_phoff, (uint64_t)e->eh->e_phnum * sizeof *e->ph, "segments");
    e->sh = elf_at(e, e->eh->e_shoff, (uint64_t)e->eh->e_shnum * sizeof *e->sh, "sections");
    if (e->eh->e_shnum == 0 || e->eh->e_shstrndx >= e->eh->e_shnum)
        die("%s: no section headers", path);
    const Elf32_Shdr *names = &e->sh[e->eh->e_shstrndx];
    e->names = elf_at(e, names->sh_offset, names->sh_size, "section names");
    e->names_len = names->sh_size;
}

const char *section_name(const struct elf *e, const Elf32_Shdr *s)
{
    if (s->sh_name >= e->names_len || memchr(e->names + s->sh_name, 0, e->names_len - s->sh_name) == NULL)
        die("a section name outside the string table");
    return e->names + s->sh_name;
}

const Elf32_Shdr *find_section(const struct elf *e, const char *name)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++)
        if (strcmp(section_name(e, &e->sh[i]), name) == 0)
            return &e->sh[i];
    return NULL;
}

const uint8_t *section_data(const struct elf *e, const Elf32_Shdr *s)
{
    return s->sh_type == SHT_NOBITS ? NULL : elf_at(e, s->sh_offset, s->sh_size, "section");
}

bool symbol(const struct elf *e, const char *name, uint32_t *value)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++) {
        const Elf32_Shdr *s = &e->sh[i];
        if (s->sh_type != SHT_SYMTAB || s->sh_link >= e->eh->e_shnum)
            continue;
        const Elf32_Sym *sym = elf_at(e, s->sh_offset, s->sh_size, "symbols");
        const Elf32_Shdr *str = &e->sh[s->sh_link];
        const char *strings = elf_at(e, str->sh_offset, str->sh_size, "symbol names");
        for (size_t k = 0; k < s->sh_size / sizeof *sym; k++)
            if (sym[k].st_name < str->sh_size &&
                strnlen(strings + sym[k].st_name, str->sh_size - sym[k].st_name) == strlen(name) &&
                memcmp(strings + sym[k].st_name, name, strlen(name)) == 0) {
                *value = sym[k].st_value;
                return true;
            }
    }
    return false;
}

