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
 * image concatenates objects into a flash image for _apps_flash_start
 * (image.h: largest first, then a zero word); each APP.tbf is a TBF file
 * as pack or elf2tab writes it, or elf2tab's TAB. --max fails when the
 * image would not fit. tools/vmuxload installs apps into an image and
 * checks that they fit the board.
 *
 * list walks an image with the kernel's parser (kernel/tbf.h) and prints
 * each object, then every TLV of its header and every footer; info does
 * the same for one object file.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/sha256.h"
#include "kernel/tbf.h"
#include "tools/tbf/elf32.h"
#include "tools/tbf/image.h"
#include "tools/tbf/tool.h"

#define FLASH_PIC_BASE 0x80000000u
#define MAX_PERMISSIONS 64
#define MAX_STORAGE_IDS 64

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
    fprintf(stderr, "%s: warning: %s: relocation type %u at 0x%x: %s\n", tool_program, section, type,
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
                    fprintf(stderr, "%s: warning: %u bytes between segments\n", tool_program,
                            (unsigned)gap);
                if ((uint64_t)at + gap > cap)
                    die("a %u-byte gap between segments", (unsigned)gap);
                at += gap; /* zeros */
            } else {
                fprintf(stderr, "%s: warning: segments out of load-address order: no padding\n",
                        tool_program);
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
        fprintf(stderr, "%s: warning: relocation data at 0x%x, not 4-byte aligned\n", tool_program,
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

static int image(int argc, char **argv)
{
    const char *out = NULL;
    unsigned long max = 0;
    struct tbf_object objs[TBF_IMAGE_OBJECTS_MAX];
    unsigned n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
            max = strtoul(argv[++i], NULL, 0);
        } else if (argv[i][0] != '-') {
            if (n == TBF_IMAGE_OBJECTS_MAX)
                die("more than %u objects", TBF_IMAGE_OBJECTS_MAX);
            tbf_object_load(&objs[n++], argv[i]);
        } else {
            usage();
        }
    }
    if (!out)
        usage();
    size_t total;
    uint8_t *img = tbf_image_build(objs, n, &total);
    if (max && total > max)
        die("the image needs %zu bytes, more than %lu", total, max);
    write_file(out, img, total);
    printf("%s: %u object(s), %zu bytes\n", out, n, total);
    free(img);
    for (unsigned i = 0; i < n; i++)
        free(objs[i].data);
    return 0;
}

/* ------------------------------------------------------------ list, info */

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
        tbf_object_print(img + at, at, &h, v);
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
    tool_program = "tbf";
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
