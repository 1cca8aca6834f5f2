/*
 * tbf: Tock Binary Format objects and flash images for the Cortex-M boards.
 *
 *   tbf pack -o APP.tbf [options] APP.elf
 *   tbf image -o APPS.bin [--max SIZE] APP.tbf...
 *   tbf list APPS.bin
 *   tbf info APP.tbf
 *
 * pack writes, for an ARM ELF, the TBF object elf2tab writes for it with
 * the same options (Tock's packer; the layout below is its, checked
 * field by field by tests/check/tbf_pack_like_elf2tab.sh):
 *
 *   header   base, Main, Program, Package Name (with -n), one Writeable
 *            Flash Region per non-empty section named *.wfr*, Fixed
 *            Addresses (a flash segment not at 0x80000000, or a symbol
 *            _sram_origin other than 0), Permissions, Storage (Persistent
 *            ACL), Kernel Version, in that order; ShortId last
 *   trailer  zeros up to --protected-region-size; for a fixed flash
 *            address, up to its 256-byte boundary when that is more than
 *            the header
 *   binary   every PT_LOAD segment with file bytes, in order, zeros where
 *            one segment's load address leaves a gap after the previous
 *            one; then u32 n and n bytes: the .rel.X section of every
 *            writable section X in those segments (what libtock-c's crt0
 *            reads through reldata_start); binary_end_offset is here
 *   footers  a SHA-256 credential (--sha256), then one Reserved credential
 *            filling --minimum-footer-size and the padding
 *   padding  to a power of two of at least 512 bytes (ARM)
 *
 *   init_fn_offset    the entry's place in the binary, from the end of the
 *                     header (its Thumb bit kept)
 *   minimum_ram_size  p_memsz of every writable PT_LOAD segment with
 *                     vaddr != paddr, + the stack rounded to 8 (--stack,
 *                     else the size of section .stack, else 2048) + the
 *                     app heap and kernel heap rounded to 4 (--app-heap,
 *                     --kernel-heap, 1024 each by default)
 *
 * Options, as elf2tab spells them: -n/--package-name NAME, --stack N,
 * --app-heap N, --kernel-heap N, --kernel-major N, --kernel-minor N,
 * --minimum-footer-size N, --protected-region-size N, --app-version N,
 * --disable, --sha256, --permissions DRIVER,COMMAND (repeatable),
 * --write_id N, --read_ids N[,N...], --access_ids N[,N...], --short-id N
 * (ShortId: not written by the elf2tab versions vmux was checked
 * against; placed last). --name is -n. Not supported: SHA-384, SHA-512
 * and RSA credentials (refused).
 * Differences from elf2tab: an ELF without its entry point in a loaded
 * segment is refused (elf2tab writes init_fn_offset 0); when the padding
 * is under 8 bytes and a reserved footer exists, elf2tab also writes
 * those padding bytes after total_size, outside the object: pack writes
 * the object, total_size bytes.
 * For vmux's own builds and tests:
 *   --strict        refuse relocations crt0 cannot apply (anything but
 *                   R_ARM_ABS32 in a writable section; an absolute
 *                   address in read-only code or data: not position
 *                   independent); without it they are warnings
 *   --min-size N    pad the object to at least N bytes (a power of two)
 *   --bad-checksum  store a wrong header checksum
 *   --bad-sha256    store a SHA-256 credential that does not match
 *
 * image concatenates objects into a flash image for _apps_flash_start:
 * largest first, so that each object starts at a multiple of its size
 * (every object is a power of two), and ends it with a zero word (a
 * version 0 header: the end of the list). --max fails when the image
 * would not fit.
 *
 * list walks an image with the kernel's parser (kernel/tbf.h) and prints
 * each object, then every TLV of its header and every footer; info does
 * the same for one object file.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sha256.h"
#include "kernel/tbf.h"

#define FLASH_PIC_BASE 0x80000000u
#define MAX_OBJECTS 16
#define MAX_PERMISSIONS 64
#define MAX_STORAGE_IDS 64

static const char *program = "tbf";

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", program);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: tbf pack -o APP.tbf [-n NAME] [--stack N] [--app-heap N] [--kernel-heap N]\n"
            "                [--kernel-major N [--kernel-minor N]] [--minimum-footer-size N]\n"
            "                [--protected-region-size N] [--app-version N] [--disable]\n"
            "                [--sha256] [--permissions DRIVER,COMMAND]... [--write_id N]\n"
            "                [--read_ids N,...] [--access_ids N,...] [--short-id N]\n"
            "                [--strict] [--min-size N] [--bad-checksum] [--bad-sha256] APP.elf\n"
            "       tbf image -o APPS.bin [--max SIZE] APP.tbf...\n"
            "       tbf list APPS.bin\n"
            "       tbf info APP.tbf\n");
    exit(2);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (!buf || ferror(f))
        die("%s: read failed", path);
    fclose(f);
    *len = n;
    return buf;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        die("%s: write failed", path);
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | get16(p + 2) << 16;
}

static uint32_t align_to(uint32_t v, uint32_t box)
{
    return v + (box - v % box) % box;
}

static uint32_t number(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || *s == '\0' || *end != '\0' || v > 0xffffffffu)
        die("%s: not a number: \"%s\"", what, s);
    return (uint32_t)v;
}

/* ------------------------------------------------------------ ELF */

struct elf {
    uint8_t *file;
    size_t len;
    const Elf32_Ehdr *eh;
    const Elf32_Phdr *ph;
    const Elf32_Shdr *sh;
    const char *names;  /* section name strings */
    size_t names_len;
};

static const void *elf_at(const struct elf *e, uint64_t off, uint64_t size, const char *what)
{
    if (off > e->len || size > e->len - off)
        die("ELF %s outside the file", what);
    return e->file + off;
}

static void load_elf(struct elf *e, const char *path)
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

static const char *section_name(const struct elf *e, const Elf32_Shdr *s)
{
    if (s->sh_name >= e->names_len || memchr(e->names + s->sh_name, 0, e->names_len - s->sh_name) == NULL)
        die("a section name outside the string table");
    return e->names + s->sh_name;
}

static const Elf32_Shdr *find_section(const struct elf *e, const char *name)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++)
        if (strcmp(section_name(e, &e->sh[i]), name) == 0)
            return &e->sh[i];
    return NULL;
}

static const uint8_t *section_data(const struct elf *e, const Elf32_Shdr *s)
{
    return s->sh_type == SHT_NOBITS ? NULL : elf_at(e, s->sh_offset, s->sh_size, "section");
}

/* Is section s inside PT_LOAD segment p, wholly, by address and (unless
 * it has no file bytes) by file offset? elf2tab's rule. */
static bool section_in_segment(const Elf32_Shdr *s, const Elf32_Phdr *p)
{
    if (!(s->sh_flags & SHF_ALLOC)) /* TLS sections may sit in a PT_LOAD */
        return false;
    uint64_t size = s->sh_size;
    if (s->sh_addr < p->p_vaddr || s->sh_addr - p->p_vaddr + size > p->p_memsz ||
        (uint64_t)s->sh_addr - p->p_vaddr + 1 > p->p_memsz)
        return false;
    if (s->sh_type == SHT_NOBITS)
        return true;
    return s->sh_offset >= p->p_offset && s->sh_offset - p->p_offset + size <= p->p_filesz &&
           (uint64_t)s->sh_offset - p->p_offset + 1 <= p->p_filesz;
}

static bool has_section_in(const struct elf *e, const Elf32_Phdr *p)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++)
        if (e->sh[i].sh_size > 0 && section_in_segment(&e->sh[i], p))
            return true;
    return false;
}

static bool symbol(const struct elf *e, const char *name, uint32_t *value)
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

static bool loaded(const Elf32_Phdr *p)
{
    return p->p_type == PT_LOAD && p->p_filesz > 0;
}

/* ------------------------------------------------------------ pack */

struct pack_options {
    const char *out, *elf, *name;
    bool has_stack, has_kernel_version, has_write_id, has_read_ids, has_access_ids;
    uint32_t stack, app_heap, kernel_heap, kernel_major, kernel_minor;
    uint32_t min_footer, app_version, min_size, short_id;
    bool has_protected, disabled, sha256, strict, bad_checksum, bad_sha256;
    uint32_t protected_size;
    struct {
        uint32_t driver, offset;
        uint64_t allowed;
    } perms[MAX_PERMISSIONS];
    unsigned perm_count;
    uint32_t write_id;
    uint32_t read_ids[MAX_STORAGE_IDS], access_ids[MAX_STORAGE_IDS];
    unsigned read_count, access_count;
};

static void add_permission(struct pack_options *o, const char *arg)
{
    const char *comma = strchr(arg, ',');
    if (!comma)
        die("--permissions %s: DRIVER,COMMAND", arg);
    char driver[32];
    snprintf(driver, sizeof driver, "%.*s", (int)(comma - arg), arg);
    uint32_t d = number(driver, "--permissions"), c = number(comma + 1, "--permissions");
    for (unsigned i = 0; i < o->perm_count; i++)
        if (o->perms[i].driver == d && o->perms[i].offset == c / 64) {
            o->perms[i].allowed |= 1ull << (c % 64);
            return;
        }
    if (o->perm_count == MAX_PERMISSIONS)
        die("more than %d permission entries", MAX_PERMISSIONS);
    o->perms[o->perm_count].driver = d;
    o->perms[o->perm_count].offset = c / 64;
    o->perms[o->perm_count++].allowed = 1ull << (c % 64);
}

static unsigned id_list(const char *arg, uint32_t *ids, const char *what)
{
    char copy[512];
    snprintf(copy, sizeof copy, "%s", arg);
    unsigned n = 0;
    for (char *tok = strtok(copy, ", "); tok; tok = strtok(NULL, ", ")) {
        if (n == MAX_STORAGE_IDS)
            die("%s: more than %d ids", what, MAX_STORAGE_IDS);
        ids[n++] = number(tok, what);
    }
    return n;
}

static void parse_pack_options(struct pack_options *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->app_heap = o->kernel_heap = 1024;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output-file") == 0)
            o->out = v;
        else if (strcmp(a, "-n") == 0 || strcmp(a, "--package-name") == 0 ||
                 strcmp(a, "--name") == 0)
            o->name = v;
        else if (strcmp(a, "--stack") == 0 && v)
            o->has_stack = true, o->stack = number(v, a);
        else if (strcmp(a, "--app-heap") == 0 && v)
            o->app_heap = number(v, a);
        else if (strcmp(a, "--kernel-heap") == 0 && v)
            o->kernel_heap = number(v, a);
        else if (strcmp(a, "--kernel-major") == 0 && v)
            o->has_kernel_version = true, o->kernel_major = number(v, a);
        else if (strcmp(a, "--kernel-minor") == 0 && v)
            o->kernel_minor = number(v, a);
        else if (strcmp(a, "--minimum-footer-size") == 0 && v)
            o->min_footer = number(v, a);
        else if (strcmp(a, "--protected-region-size") == 0 && v)
            o->has_protected = true, o->protected_size = number(v, a);
        else if (strcmp(a, "--app-version") == 0 && v)
            o->app_version = number(v, a);
        else if (strcmp(a, "--permissions") == 0 && v)
            add_permission(o, v);
        else if (strcmp(a, "--write_id") == 0 && v)
            o->has_write_id = true, o->write_id = number(v, a);
        else if (strcmp(a, "--read_ids") == 0 && v)
            o->has_read_ids = true, o->read_count = id_list(v, o->read_ids, a);
        else if (strcmp(a, "--access_ids") == 0 && v)
            o->has_access_ids = true, o->access_count = id_list(v, o->access_ids, a);
        else if (strcmp(a, "--short-id") == 0 && v)
            o->short_id = number(v, a);
        else if (strcmp(a, "--min-size") == 0 && v)
            o->min_size = number(v, a);
        else {
            takes = false;
            if (strcmp(a, "--disable") == 0 || strcmp(a, "--disabled") == 0)
                o->disabled = true;
            else if (strcmp(a, "--sha256") == 0)
                o->sha256 = true;
            else if (strcmp(a, "--strict") == 0)
                o->strict = true;
            else if (strcmp(a, "--bad-checksum") == 0)
                o->bad_checksum = true;
            else if (strcmp(a, "--bad-sha256") == 0)
                o->sha256 = o->bad_sha256 = true;
            else if (strcmp(a, "--sha384") == 0 || strcmp(a, "--sha512") == 0 ||
                     strncmp(a, "--rsa", 5) == 0)
                die("%s: only SHA-256 credentials are supported", a);
            else if (a[0] != '-' && !o->elf)
                o->elf = a;
            else
                usage();
        }
        if (takes) {
            if (!v)
                usage();
            i++;
        }
    }
    if (!o->out || !o->elf)
        usage();
    if (o->kernel_minor && !o->has_kernel_version)
        die("--kernel-minor needs --kernel-major");
    if (o->name && strlen(o->name) > TBF_NAME_MAX)
        die("name \"%s\": more than %u bytes, which the kernel refuses", o->name, TBF_NAME_MAX);
}

/* The header elf2tab writes, into h (room for it all); its length. */
struct header_fields {
    uint32_t min_ram, total, init_fn, trailer, binary_end;
    unsigned wfr_count;
    uint32_t wfr[64][2];
    bool fixed;
    uint32_t fixed_ram, fixed_flash;
};

static uint32_t write_header(uint8_t *h, const struct pack_options *o,
                             const struct header_fields *f)
{
    uint32_t at = TBF_BASE_SIZE;
    uint8_t *t;
#define TLV(type, len) (t = h + at, put16(t, type), put16(t + 2, len), at += 4 + align_to(len, 4), t + 4)
    for (unsigned k = 0; k < 2; k++) { /* Main, then Program */
        uint8_t *v = k ? TLV(TBF_TLV_PROGRAM, TBF_PROGRAM_SIZE) : TLV(TBF_TLV_MAIN, TBF_MAIN_SIZE);
        put32(v, f->init_fn);
        put32(v + 4, f->trailer);
        put32(v + 8, f->min_ram);
        if (k) {
            put32(v + 12, f->binary_end);
            put32(v + 16, o->app_version);
        }
    }
    if (o->name && o->name[0]) {
        uint8_t *v = TLV(TBF_TLV_PACKAGE_NAME, (uint32_t)strlen(o->name));
        memcpy(v, o->name, strlen(o->name));
    }
    for (unsigned i = 0; i < f->wfr_count; i++) {
        uint8_t *v = TLV(TBF_TLV_FLASH_REGIONS, 8);
        put32(v, f->wfr[i][0]);
        put32(v + 4, f->wfr[i][1]);
    }
    if (f->fixed) {
        uint8_t *v = TLV(TBF_TLV_FIXED_ADDRESSES, 8);
        put32(v, f->fixed_ram);
        put32(v + 4, f->fixed_flash);
    }
    if (o->perm_count) {
        uint8_t *v = TLV(TBF_TLV_PERMISSIONS, 2 + 16 * o->perm_count);
        put16(v, o->perm_count);
        for (unsigned i = 0; i < o->perm_count; i++) {
            put32(v + 2 + 16 * i, o->perms[i].driver);
            put32(v + 6 + 16 * i, o->perms[i].offset);
            put32(v + 10 + 16 * i, (uint32_t)o->perms[i].allowed);
            put32(v + 14 + 16 * i, (uint32_t)(o->perms[i].allowed >> 32));
        }
    }
    if (o->has_write_id || o->has_read_ids || o->has_access_ids) {
        uint8_t *v = TLV(TBF_TLV_STORAGE, 8 + 4 * (o->read_count + o->access_count));
        put32(v, o->write_id);
        put16(v + 4, o->read_count);
        for (unsigned i = 0; i < o->read_count; i++)
            put32(v + 6 + 4 * i, o->read_ids[i]);
        uint8_t *m = v + 6 + 4 * o->read_count;
        put16(m, o->access_count);
        for (unsigned i = 0; i < o->access_count; i++)
            put32(m + 2 + 4 * i, o->access_ids[i]);
    }
    if (o->has_kernel_version) {
        uint8_t *v = TLV(TBF_TLV_KERNEL_VERSION, 4);
        put16(v, o->kernel_major);
        put16(v + 2, o->kernel_minor);
    }
    if (o->short_id) {
        uint8_t *v = TLV(TBF_TLV_SHORT_ID, 4);
        put32(v, o->short_id);
    }
#undef TLV
    put16(h, TBF_VERSION);
    put16(h + 2, at);
    put32(h + 4, f->total);
    put32(h + 8, o->disabled ? 0 : TBF_FLAG_ENABLED);
    put32(h + 12, tbf_checksum(h, at) ^ (o->bad_checksum ? 0x5a5a5a5au : 0));
    return at;
}

/* Warn about (or with --strict refuse) relocations crt0 cannot apply. */
static void check_relocation(const struct pack_options *o, const char *section, const Elf32_Rel *r,
                             bool writable)
{
    unsigned type = ELF32_R_TYPE(r->r_info);
    const char *why = NULL;
    if (writable && type != R_ARM_ABS32 && type != R_ARM_NONE)
        why = "crt0 applies R_ARM_ABS32 only";
    else if (!writable && type == R_ARM_ABS32)
        why = "an absolute address in read-only memory: not position independent";
    if (!why)
        return;
    if (o->strict)
        die("%s: relocation type %u at 0x%x: %s", section, type, (unsigned)r->r_offset, why);
    fprintf(stderr, "%s: warning: %s: relocation type %u at 0x%x: %s\n", program, section, type,
            (unsigned)r->r_offset, why);
}

static void check_relocations(const struct pack_options *o, const struct elf *e)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++) {
        const Elf32_Shdr *s = &e->sh[i];
        if (s->sh_type != SHT_REL || s->sh_info >= e->eh->e_shnum)
            continue;
        const Elf32_Shdr *target = &e->sh[s->sh_info];
        if (!(target->sh_flags & SHF_ALLOC))
            continue;
        const Elf32_Rel *rel = elf_at(e, s->sh_offset, s->sh_size, "relocations");
        for (size_t k = 0; k < s->sh_size / sizeof *rel; k++)
            check_relocation(o, section_name(e, s), &rel[k], (target->sh_flags & SHF_WRITE) != 0);
    }
}

static int pack(int argc, char **argv)
{
    struct pack_options o;
    parse_pack_options(&o, argc, argv);
    struct elf e;
    load_elf(&e, o.elf);
    check_relocations(&o, &e);
    struct header_fields f;
    memset(&f, 0, sizeof f);

    /* RAM: RAM segments loaded from flash, the stack, the two heaps. */
    uint32_t stack = 2048;
    const Elf32_Shdr *stack_section = find_section(&e, ".stack");
    if (o.has_stack)
        stack = o.stack;
    else if (stack_section)
        stack = stack_section->sh_size;
    for (unsigned i = 0; i < e.eh->e_phnum; i++) {
        const Elf32_Phdr *p = &e.ph[i];
        if (p->p_type == PT_LOAD && p->p_vaddr != p->p_paddr && p->p_memsz > 0 &&
            (p->p_flags & PF_W))
            f.min_ram += p->p_memsz;
    }
    f.min_ram += align_to(stack, 8) + align_to(o.app_heap, 4) + align_to(o.kernel_heap, 4);

    /* Fixed addresses: a flash segment elsewhere than 0x80000000 (the
     * lowest one), a RAM origin symbol other than 0. */
    bool pic = false, fixed_flash = false;
    for (unsigned i = 0; i < e.eh->e_phnum; i++) {
        const Elf32_Phdr *p = &e.ph[i];
        if (!loaded(p) || !(p->p_flags & PF_X) || !has_section_in(&e, p))
            continue;
        if (p->p_vaddr == FLASH_PIC_BASE || pic)
            pic = true;
        else if (!fixed_flash || p->p_paddr < f.fixed_flash)
            fixed_flash = true, f.fixed_flash = p->p_paddr;
    }
    if (pic)
        fixed_flash = false;
    uint32_t sram_origin = 0;
    bool fixed_ram = symbol(&e, "_sram_origin", &sram_origin) && sram_origin != 0;
    f.fixed = fixed_flash || fixed_ram;
    f.fixed_flash = fixed_flash ? f.fixed_flash : TBF_NO_FIXED_ADDRESS;
    f.fixed_ram = fixed_ram ? sram_origin : TBF_NO_FIXED_ADDRESS;

    /* Writeable flash regions: their TLVs first, filled in below. */
    for (unsigned i = 0; i < e.eh->e_phnum; i++)
        for (unsigned k = 0; loaded(&e.ph[i]) && k < e.eh->e_shnum; k++)
            if (e.sh[k].sh_size > 0 && section_in_segment(&e.sh[k], &e.ph[i]) &&
                strstr(section_name(&e, &e.sh[k]), ".wfr")) {
                if (f.wfr_count == 64)
                    die("more than 64 writeable flash regions");
                f.wfr_count++;
            }

    uint8_t header[4096];
    memset(header, 0, sizeof header);
    uint32_t header_length = write_header(header, &o, &f);
    uint32_t protected_region = header_length;
    if (o.has_protected) {
        if (o.protected_size > 1u << 20)
            die("--protected-region-size %u: more than 1 MiB", (unsigned)o.protected_size);
        if (o.protected_size < header_length)
            die("--protected-region-size %u is too small for the %u-byte header",
                (unsigned)o.protected_size, (unsigned)header_length);
        protected_region = o.protected_size;
    } else if (!pic) {
        uint32_t binary_at = fixed_flash ? f.fixed_flash : 0;
        uint32_t before = binary_at - binary_at / 256 * 256;
        if (before > header_length)
            protected_region = before;
    }
    f.trailer = protected_region - header_length;

    /* The binary: segments, gaps between them, the relocation data. */
    size_t cap = protected_region + 4 + e.len + 64 * 1024;
    uint8_t *obj = calloc(1, cap);
    uint8_t *rel = malloc(e.len + 1);
    uint32_t at = protected_region, rel_len = 0, wfr_filled = 0;
    bool have_last = false, have_entry = false;
    uint32_t last_end = 0;
    for (unsigned i = 0; i < e.eh->e_phnum; i++) {
        const Elf32_Phdr *p = &e.ph[i];
        if (!loaded(p))
            continue;
        if (have_last) {
            if (p->p_paddr >= last_end) {
                uint32_t gap = p->p_paddr - last_end;
                if (gap >= 4096)
                    fprintf(stderr, "%s: warning: %u bytes between segments\n", program,
                            (unsigned)gap);
                if ((uint64_t)at + gap > cap)
                    die("a %u-byte gap between segments", (unsigned)gap);
                at += gap; /* zeros */
            } else {
                fprintf(stderr, "%s: warning: segments out of load-address order: no padding\n",
                        program);
            }
        }
        if ((uint64_t)at + p->p_filesz + 4 > cap)
            die("segments larger than the ELF");
        if (e.eh->e_entry >= p->p_paddr && e.eh->e_entry - p->p_paddr < p->p_filesz) {
            if (have_entry && !o.disabled)
                die("two loaded segments hold the entry point");
            if (!have_entry)
                f.init_fn = at + (e.eh->e_entry - p->p_paddr) - header_length;
            have_entry = true;
        }
        for (unsigned k = 0; k < e.eh->e_shnum; k++) {
            const Elf32_Shdr *s = &e.sh[k];
            if (s->sh_size == 0 || !section_in_segment(s, p))
                continue;
            const char *name = section_name(&e, s);
            if (s->sh_flags & SHF_WRITE) {
                char rel_name[256];
                snprintf(rel_name, sizeof rel_name, ".rel%s", name);
                const Elf32_Shdr *r = find_section(&e, rel_name);
                const uint8_t *data = r ? section_data(&e, r) : NULL;
                if (data) {
                    if ((uint64_t)rel_len + r->sh_size > e.len)
                        die("%s: relocation data counted twice", rel_name);
                    memcpy(rel + rel_len, data, r->sh_size);
                    rel_len += r->sh_size;
                }
            }
            if (strstr(name, ".wfr") && wfr_filled < f.wfr_count) {
                f.wfr[wfr_filled][0] = at + (s->sh_addr - p->p_vaddr);
                f.wfr[wfr_filled++][1] = s->sh_size;
            }
        }
        memcpy(obj + at, elf_at(&e, p->p_offset, p->p_filesz, "segment"), p->p_filesz);
        at += p->p_filesz;
        last_end = p->p_paddr + p->p_filesz;
        have_last = true;
    }
    if (!have_entry)
        die("%s: the entry point 0x%x is in no loaded segment", o.elf, (unsigned)e.eh->e_entry);
    if (rel_len && at % 4)
        fprintf(stderr, "%s: warning: relocation data at 0x%x, not 4-byte aligned\n", program,
                (unsigned)at);
    if ((uint64_t)at + 4 + rel_len > cap)
        die("relocation data larger than the ELF");
    put32(obj + at, rel_len);
    memcpy(obj + at + 4, rel, rel_len);
    at += 4 + rel_len;
    f.binary_end = at;

    /* Footers: SHA-256, reserved space, padding to a power of two. */
    uint32_t footers = o.sha256 ? 8 + TBF_SHA256_SIZE : 0;
    at += footers;
    if (o.min_footer > footers)
        at += align_to(o.min_footer - footers > 8 ? o.min_footer - footers : 8, 4);
    uint32_t pad = 0;
    if (__builtin_popcount(at) > 1) {
        uint32_t pow2 = 1u << (32 - __builtin_clz(at));
        pad = (pow2 > 512 ? pow2 : 512) - at;
    }
    at += pad;
    while (at < o.min_size)
        at *= 2;
    f.total = at;
    if (f.total > cap)
        die("the object would be %u bytes", (unsigned)f.total);

    if (write_header(obj, &o, &f) != header_length)
        die("internal: the header changed size");
    uint32_t footer_at = f.binary_end, room = f.total - f.binary_end;
    if (o.sha256) {
        struct sha256 s;
        sha256_init(&s);
        sha256_update(&s, obj, f.binary_end);
        put16(obj + footer_at, TBF_TLV_CREDENTIALS);
        put16(obj + footer_at + 2, 4 + TBF_SHA256_SIZE);
        put32(obj + footer_at + 4, TBF_CREDENTIALS_SHA256);
        sha256_final(&s, obj + footer_at + 8);
        obj[footer_at + 8] ^= o.bad_sha256 ? 0x80 : 0;
        footer_at += 8 + TBF_SHA256_SIZE;
        room -= 8 + TBF_SHA256_SIZE;
    }
    if (room >= 8) { /* reserved space: the rest, padding included */
        put16(obj + footer_at, TBF_TLV_CREDENTIALS);
        put16(obj + footer_at + 2, room - 4);
        put32(obj + footer_at + 4, TBF_CREDENTIALS_RESERVED);
    }

    struct tbf_header h;
    enum tbf_verdict v = tbf_parse(obj, f.total, &h);
    if (v != (o.bad_checksum ? TBF_BAD_CHECKSUM : TBF_APP))
        die("the packed object does not parse: %s", tbf_verdict_name(v));
    write_file(o.out, obj, f.total);
    printf("%s: %s, %u bytes (header %u, binary %u, relocations %u), entry +0x%x, RAM %u "
           "bytes%s%s%s\n",
           o.out, o.name ? o.name : "(no name)", (unsigned)f.total, (unsigned)header_length,
           (unsigned)(f.binary_end - protected_region), (unsigned)rel_len, (unsigned)f.init_fn,
           (unsigned)f.min_ram, o.disabled ? ", disabled" : "",
           o.bad_checksum ? ", BAD CHECKSUM" : "", o.bad_sha256 ? ", BAD SHA-256" : "");
    free(rel);
    free(obj);
    free(e.file);
    return 0;
}

/* ------------------------------------------------------------ image */

struct object {
    uint8_t *data;
    size_t size;
    const char *path;
};

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t p = 16;
    while (p < n)
        p <<= 1;
    return p;
}

static int by_size_descending(const void *a, const void *b)
{
    const struct object *x = a, *y = b;
    return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

static int image(int argc, char **argv)
{
    const char *out = NULL;
    unsigned long max = 0;
    struct object objs[MAX_OBJECTS];
    unsigned n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
            max = strtoul(argv[++i], NULL, 0);
        } else if (argv[i][0] != '-') {
            if (n == MAX_OBJECTS)
                die("more than %d objects", MAX_OBJECTS);
            objs[n].path = argv[i];
            objs[n].data = read_file(argv[i], &objs[n].size);
            struct tbf_header h;
            enum tbf_verdict v = tbf_parse(objs[n].data, objs[n].size, &h);
            if (!tbf_can_skip(v) || h.total_size != objs[n].size)
                die("%s: not one TBF object (%s)", argv[i], tbf_verdict_name(v));
            if (objs[n].size != pow2_at_least((uint32_t)objs[n].size))
                die("%s: %zu bytes, not a power of two", argv[i], objs[n].size);
            n++;
        } else {
            usage();
        }
    }
    if (!out)
        usage();
    /* Stable: equal sizes keep the command line's order. */
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && by_size_descending(&objs[j - 1], &objs[j]) > 0; j--) {
            struct object t = objs[j];
            objs[j] = objs[j - 1];
            objs[j - 1] = t;
        }
    size_t total = 4;
    for (unsigned i = 0; i < n; i++)
        total += objs[i].size;
    if (max && total > max)
        die("the image needs %zu bytes, more than %lu", total, max);
    uint8_t *img = calloc(1, total);
    size_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        memcpy(img + at, objs[i].data, objs[i].size);
        at += objs[i].size;
        free(objs[i].data);
    }
    write_file(out, img, total); /* the last 4 bytes: zero, the end of the list */
    printf("%s: %u object(s), %zu bytes\n", out, n, total);
    free(img);
    return 0;
}

/* ------------------------------------------------------------ list, info */

static const char *credential_name(uint32_t format)
{
    static const char *names[] = { "reserved", "RSA-3072", "RSA-4096", "SHA-256", "SHA-384",
                                   "SHA-512", "ECDSA P-256" };
    return format < sizeof names / sizeof names[0] ? names[format] : "unknown format";
}

static void print_address(const char *what, uint32_t a)
{
    if (a == TBF_NO_FIXED_ADDRESS)
        printf(" %s none", what);
    else
        printf(" %s 0x%08x", what, (unsigned)a);
}

/* Every TLV of the header of obj, then every footer. */
static void print_tlvs(const uint8_t *obj, const struct tbf_header *h)
{
    uint32_t at = TBF_BASE_SIZE, v;
    uint16_t type, len;
    while (at < h->header_size && tbf_next_tlv(obj, &at, h->header_size, &type, &len, &v)) {
        const uint8_t *p = obj + v;
        printf("    TLV %u", type);
        switch (type) {
        case TBF_TLV_MAIN:
        case TBF_TLV_PROGRAM:
            printf(" %s: init_fn_offset 0x%x protected_trailer_size %u minimum_ram_size %u",
                   type == TBF_TLV_MAIN ? "Main" : "Program", (unsigned)get32(p),
                   (unsigned)get32(p + 4), (unsigned)get32(p + 8));
            if (type == TBF_TLV_PROGRAM && len >= 20)
                printf(" binary_end_offset %u version %u", (unsigned)get32(p + 12),
                       (unsigned)get32(p + 16));
            break;
        case TBF_TLV_FLASH_REGIONS:
            printf(" Writeable flash regions:");
            for (uint32_t i = 0; i + 8 <= len; i += 8)
                printf(" offset 0x%x size %u", (unsigned)get32(p + i), (unsigned)get32(p + i + 4));
            break;
        case TBF_TLV_PACKAGE_NAME:
            printf(" Package Name: %.*s", (int)len, (const char *)p);
            break;
        case TBF_TLV_FIXED_ADDRESSES:
            printf(" Fixed addresses:");
            print_address("RAM", get32(p));
            print_address("flash", get32(p + 4));
            break;
        case TBF_TLV_PERMISSIONS:
            printf(" Permissions: %u", len >= 2 ? (unsigned)get16(p) : 0u);
            for (uint32_t i = 0; len >= 2 && i < get16(p) && 2 + 16 * (i + 1) <= len; i++)
                printf(" (driver 0x%x commands %u+ 0x%08x%08x)", (unsigned)get32(p + 2 + 16 * i),
                       (unsigned)(64 * get32(p + 6 + 16 * i)), (unsigned)get32(p + 14 + 16 * i),
                       (unsigned)get32(p + 10 + 16 * i));
            break;
        case TBF_TLV_STORAGE:
            printf(" Storage permissions: write_id %u, read", (unsigned)h->storage_write_id);
            for (unsigned i = 0; i < h->storage_read_count; i++)
                printf(" %u", (unsigned)get32(obj + h->storage_read_at + 4 * i));
            printf(", modify");
            for (unsigned i = 0; i < h->storage_modify_count; i++)
                printf(" %u", (unsigned)get32(obj + h->storage_modify_at + 4 * i));
            break;
        case TBF_TLV_KERNEL_VERSION:
            printf(" Kernel Version: ^%u.%u (%s on vmux %u.%u)", (unsigned)get16(p),
                   (unsigned)get16(p + 2), tbf_kernel_version_ok(h) ? "runs" : "does not run",
                   TBF_KERNEL_MAJOR, TBF_KERNEL_MINOR);
            break;
        case TBF_TLV_SHORT_ID:
            printf(" ShortId: 0x%08x", (unsigned)get32(p));
            break;
        default:
            printf(" (unknown, %u bytes)", len);
        }
        printf("\n");
    }
    if (!h->has_program)
        return;
    at = h->binary_end_offset;
    while (tbf_next_tlv(obj, &at, h->total_size, &type, &len, &v) && type == TBF_TLV_CREDENTIALS) {
        uint32_t format = get32(obj + v);
        printf("    footer at 0x%x: %s credentials, %u bytes", (unsigned)(v - 4),
               credential_name(format), (unsigned)len - 4);
        if (format == TBF_CREDENTIALS_SHA256) {
            printf(" ");
            for (unsigned i = 0; i < TBF_SHA256_SIZE; i++)
                printf("%02x", obj[v + 4 + i]);
        }
        printf("\n");
    }
    if (h->sha256_count)
        printf("    SHA-256: %s\n",
               tbf_check_sha256(obj, h) == TBF_SHA256_MATCH ? "matches" : "DOES NOT MATCH");
}

/* Walk [0, len) as an app list; one object only when single. */
static int walk(const uint8_t *img, size_t len, bool single)
{
    size_t at = 0;
    for (;;) {
        struct tbf_header h;
        enum tbf_verdict v = tbf_parse(img + at, len - at, &h);
        if (v == TBF_END) {
            printf("0x%05zx end\n", at);
            break;
        }
        printf("0x%05zx %-12s %-23s total %u header %u entry +0x%x ram %u%s%s\n", at,
               tbf_verdict_name(v), h.name[0] ? h.name : "-", (unsigned)h.total_size,
               (unsigned)h.header_size, (unsigned)h.init_fn_offset,
               (unsigned)h.minimum_ram_size, v == TBF_APP && !h.enabled ? " (disabled)" : "",
               h.sticky ? " (sticky)" : "");
        if (v == TBF_BAD_CHECKSUM)
            printf("    checksum 0x%08x, computed 0x%08x\n", (unsigned)h.checksum,
                   (unsigned)h.checksum_computed);
        if (v == TBF_APP || v == TBF_PADDING || v == TBF_BAD_CHECKSUM)
            print_tlvs(img + at, &h);
        if (!tbf_can_skip(v))
            return 1;
        at += h.total_size;
        if (single)
            break;
    }
    return 0;
}

static int list(int argc, char **argv, bool single)
{
    if (argc != 1)
        usage();
    size_t len;
    uint8_t *img = read_file(argv[0], &len);
    int rc = walk(img, len, single);
    free(img);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    if (strcmp(argv[1], "pack") == 0)
        return pack(argc - 2, argv + 2);
    if (strcmp(argv[1], "image") == 0)
        return image(argc - 2, argv + 2);
    if (strcmp(argv[1], "list") == 0)
        return list(argc - 2, argv + 2, false);
    if (strcmp(argv[1], "info") == 0)
        return list(argc - 2, argv + 2, true);
    usage();
}
