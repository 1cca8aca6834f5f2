/*
 * tbf: Tock Binary Format images for the Cortex-M boards.
 *
 *   tbf pack -o APP.tbf [--name NAME] [--min-size BYTES] [--disabled] [--bad-checksum] APP.elf
 *   tbf image -o APPS.bin [--max SIZE] APP.tbf...
 *   tbf list APPS.bin
 *
 * pack turns an app linked with userland/libvmux/app_arm.ld (an ELF32 ARM
 * executable whose flash part is linked at 0x80000000 and RAM part at 0)
 * into one TBF object:
 *
 *   base header (version 2, header size, total size, flags, checksum)
 *   Main TLV      init_fn_offset = the ELF entry, from the start of the
 *                 binary; protected_size 0; minimum_ram_size = the RAM
 *                 the app links (stack, GOT, data, bss), 8-byte rounded
 *   Package Name  NAME (default: the ELF file name without .elf)
 *   binary        the loadable flash bytes: code, read-only data, the
 *                 relocations, the GOT and .data image (by load address)
 *   padding       0xff up to total_size, the smallest power of two that
 *                 holds it all (the MPU wants power-of-two regions)
 *
 * It refuses an ELF whose relocations the app's crt0 could not apply:
 * anything but R_ARM_RELATIVE, or a relocated word outside RAM (a text
 * relocation: code that is not position independent).
 * --bad-checksum stores a wrong checksum (for tests of the loader).
 * --min-size pads the object to at least BYTES (rounded up to a power of
 * two), so that tests can fix where an object lands in an image.
 *
 * image concatenates objects into a flash image for _apps_flash_start:
 * largest first, so that each object starts at a multiple of its size
 * (every object is a power of two), and ends it with a zero word (a
 * version 0 header: the end of the list). --max fails when the image
 * would not fit.
 *
 * list walks an image with the kernel's parser (kernel/tbf.h) and prints
 * each object.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tbf.h"

#define FLASH_LINK_BASE 0x80000000u
#define MAX_OBJECTS 16

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
    fprintf(stderr, "usage: tbf pack -o APP.tbf [--name NAME] [--min-size BYTES] [--disabled]\n"
                    "                [--bad-checksum] APP.elf\n"
                    "       tbf image -o APPS.bin [--max SIZE] APP.tbf...\n"
                    "       tbf list APPS.bin\n");
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

static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t p = 64;
    while (p < n)
        p <<= 1;
    return p;
}

/* ------------------------------------------------------------ ELF */

struct app_elf {
    uint8_t *binary;        /* flash bytes from FLASH_LINK_BASE */
    uint32_t binary_size;
    uint32_t entry;         /* offset in binary */
    uint32_t ram_size;      /* RAM linked, from 0 */
};

static const void *elf_at(const uint8_t *file, size_t len, uint64_t off, uint64_t size,
                          const char *what)
{
    if (off > len || size > len - off)
        die("ELF %s outside the file", what);
    return file + off;
}

static void check_relocations(const uint8_t *file, size_t len, const Elf32_Ehdr *eh)
{
    const Elf32_Shdr *sh =
        elf_at(file, len, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf32_Shdr), "sections");
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type == SHT_RELA && (sh[i].sh_flags & SHF_ALLOC))
            die("RELA relocations: not an ARM app");
        if (sh[i].sh_type != SHT_REL || !(sh[i].sh_flags & SHF_ALLOC))
            continue;
        const Elf32_Rel *rel = elf_at(file, len, sh[i].sh_offset, sh[i].sh_size, "relocations");
        for (size_t r = 0; r < sh[i].sh_size / sizeof *rel; r++) {
            if (ELF32_R_TYPE(rel[r].r_info) != R_ARM_RELATIVE)
                die("relocation type %u at 0x%x: crt0 applies R_ARM_RELATIVE only",
                    (unsigned)ELF32_R_TYPE(rel[r].r_info), (unsigned)rel[r].r_offset);
            if (rel[r].r_offset >= FLASH_LINK_BASE)
                die("text relocation at 0x%x: the code is not position independent",
                    (unsigned)rel[r].r_offset);
        }
    }
}

static struct app_elf load_elf(const char *path)
{
    size_t len;
    uint8_t *file = read_file(path, &len);
    const Elf32_Ehdr *eh = elf_at(file, len, 0, sizeof *eh, "header");
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS32 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_ARM)
        die("%s: not a 32-bit little-endian ARM ELF", path);
    const Elf32_Phdr *ph =
        elf_at(file, len, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr), "segments");
    struct app_elf app = { 0 };
    uint32_t hi = FLASH_LINK_BASE;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (ph[i].p_vaddr < FLASH_LINK_BASE && ph[i].p_vaddr + ph[i].p_memsz > app.ram_size)
            app.ram_size = ph[i].p_vaddr + ph[i].p_memsz;
        if (ph[i].p_filesz == 0)
            continue;
        if (ph[i].p_paddr < FLASH_LINK_BASE)
            die("%s: a segment loads at 0x%x, below the flash link base 0x%x", path,
                (unsigned)ph[i].p_paddr, FLASH_LINK_BASE);
        if (ph[i].p_paddr + ph[i].p_filesz > hi)
            hi = ph[i].p_paddr + ph[i].p_filesz;
    }
    app.binary_size = (hi - FLASH_LINK_BASE + 3u) & ~3u;
    if (app.binary_size == 0 || app.binary_size > 1u << 20)
        die("%s: %u bytes of flash: not an app", path, (unsigned)app.binary_size);
    app.binary = calloc(1, app.binary_size);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_filesz == 0)
            continue;
        memcpy(app.binary + (ph[i].p_paddr - FLASH_LINK_BASE),
               elf_at(file, len, ph[i].p_offset, ph[i].p_filesz, "segment"), ph[i].p_filesz);
    }
    if (eh->e_entry < FLASH_LINK_BASE || eh->e_entry - FLASH_LINK_BASE >= app.binary_size)
        die("%s: entry 0x%x outside the flash image", path, (unsigned)eh->e_entry);
    app.entry = (eh->e_entry & ~1u) - FLASH_LINK_BASE;
    app.ram_size = (app.ram_size + 7u) & ~7u;
    check_relocations(file, len, eh);
    free(file);
    return app;
}

/* ------------------------------------------------------------ pack */

static int pack(int argc, char **argv)
{
    const char *out = NULL, *name = NULL, *elf = NULL;
    bool disabled = false, bad_checksum = false;
    uint32_t min_size = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--min-size") == 0 && i + 1 < argc)
            min_size = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "--disabled") == 0)
            disabled = true;
        else if (strcmp(argv[i], "--bad-checksum") == 0)
            bad_checksum = true;
        else if (argv[i][0] != '-' && !elf)
            elf = argv[i];
        else
            usage();
    }
    if (!out || !elf)
        usage();
    char default_name[TBF_NAME_MAX + 1];
    if (!name) {
        const char *base = strrchr(elf, '/') ? strrchr(elf, '/') + 1 : elf;
        snprintf(default_name, sizeof default_name, "%s", base);
        char *dot = strstr(default_name, ".elf");
        if (dot)
            *dot = '\0';
        name = default_name;
    }
    size_t name_len = strlen(name);
    if (name_len == 0 || name_len > TBF_NAME_MAX)
        die("name \"%s\": 1 to %u characters", name, TBF_NAME_MAX);

    struct app_elf app = load_elf(elf);
    uint32_t header_size = TBF_BASE_SIZE + 4u + TBF_MAIN_SIZE + 4u + (((uint32_t)name_len + 3u) & ~3u);
    uint32_t needed = header_size + app.binary_size;
    uint32_t total = pow2_at_least(needed > min_size ? needed : min_size);
    uint8_t *obj = malloc(total);
    memset(obj, 0xff, total);
    memset(obj, 0, header_size);
    put16(obj, TBF_VERSION);
    put16(obj + 2, header_size);
    put32(obj + 4, total);
    put32(obj + 8, disabled ? 0 : TBF_FLAG_ENABLED);
    uint8_t *tlv = obj + TBF_BASE_SIZE;
    put16(tlv, TBF_TLV_MAIN);
    put16(tlv + 2, TBF_MAIN_SIZE);
    put32(tlv + 4, app.entry);
    put32(tlv + 8, 0);
    put32(tlv + 12, app.ram_size);
    tlv += 4 + TBF_MAIN_SIZE;
    put16(tlv, TBF_TLV_PACKAGE_NAME);
    put16(tlv + 2, (uint32_t)name_len);
    memcpy(tlv + 4, name, name_len);
    put32(obj + 12, tbf_checksum(obj, header_size) ^ (bad_checksum ? 0x5a5a5a5au : 0));
    memcpy(obj + header_size, app.binary, app.binary_size);

    struct tbf_header h;
    enum tbf_verdict v = tbf_parse(obj, total, &h);
    if (v != (bad_checksum ? TBF_BAD_CHECKSUM : TBF_APP))
        die("the packed object does not parse: %s", tbf_verdict_name(v));
    write_file(out, obj, total);
    printf("%s: %s, %u bytes (header %u, binary %u), entry +0x%x, RAM %u bytes%s%s\n", out, name,
           (unsigned)total, (unsigned)header_size, (unsigned)app.binary_size,
           (unsigned)app.entry, (unsigned)app.ram_size, disabled ? ", disabled" : "",
           bad_checksum ? ", BAD CHECKSUM" : "");
    free(obj);
    free(app.binary);
    return 0;
}

/* ------------------------------------------------------------ image */

struct object {
    uint8_t *data;
    size_t size;
    const char *path;
};

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

/* ------------------------------------------------------------ list */

static int list(int argc, char **argv)
{
    if (argc != 1)
        usage();
    size_t len;
    uint8_t *img = read_file(argv[0], &len);
    size_t at = 0;
    for (;;) {
        struct tbf_header h;
        enum tbf_verdict v = tbf_parse(img + at, len - at, &h);
        if (v == TBF_END) {
            printf("0x%05zx end\n", at);
            break;
        }
        printf("0x%05zx %-12s %-23s total %u header %u entry +0x%x ram %u%s\n", at,
               tbf_verdict_name(v), h.name[0] ? h.name : "-", (unsigned)h.total_size,
               (unsigned)h.header_size, (unsigned)h.init_fn_offset,
               (unsigned)h.minimum_ram_size, v == TBF_APP && !h.enabled ? " (disabled)" : "");
        if (!tbf_can_skip(v))
            break;
        at += h.total_size;
    }
    free(img);
    return 0;
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
        return list(argc - 2, argv + 2);
    usage();
}
