/*
 * vmuxload: the apps on a board image, as tockloader keeps them on a
 * board: list, install, uninstall, info.
 *
 *   vmuxload [--board lm3s6965evb|host] [--kernel ELF] [--sha256] IMAGE COMMAND [ARG...]
 *
 *   list                the apps, and what the board's loader will do with
 *                       each: where it runs, or why it does not
 *   install APP...      add the apps, each replacing an app of its name;
 *                       refused, the image unchanged, when an app of the
 *                       new set would not start (no room for its RAM, no
 *                       process slot, no room in flash, or refused)
 *   uninstall NAME...   remove the named apps
 *   info NAME           one app in detail
 *   check               as list; exit status 1 when an app would not start
 *   gdb [NAME=]APP.elf...  gdb commands that load each app's symbols where
 *                       the board will put its code and data
 *
 * The lm3s6965evb's image is the flash image QEMU loads at
 * _apps_flash_start (-device loader,file=IMAGE,addr=0x10000); its apps are
 * TBF objects (.tbf as tools/tbf or elf2tab writes them, or elf2tab's
 * .tab). What the loader will do comes from the loader's own code,
 * boards/lm3s6965evb/app_layout.c, run here with the addresses of the
 * kernel image the image runs with (--kernel, by default the vmux.elf
 * that `make BOARD=lm3s6965evb` built next to this program; give
 * vmux-storage.elf or vmux-display.elf for `make run STORAGE=1` or
 * DISPLAY=1): its symbols _apps_flash_start, _apps_flash_end,
 * _apps_ram_start and _apps_ram_end, its grant room (lm3s_grant_floor,
 * lm3s_grant_allowance: app_layout.h's figures for that build), and the
 * names no app may take (its kernel clients', section .vmux.names, and
 * its table lm3s_reserved_names), refused with the kernel's own check
 * (kernel/process_name.c), as is a second app of one name; and the
 * board's process slots. --sha256: the image checks SHA-256
 * credentials, as the test images do.
 *
 * The host board's image is a directory of apps, each a shared object
 * NAME.so (`make run APPS=DIR` loads them all); install takes APP.so or
 * APP.so@NAME and refuses a file that is not a vmux app (no
 * vmux_host_entry) or a set larger than the board's process slots.
 *
 * The board is the one --board names; without it a directory is the host
 * board's image and anything else the lm3s6965evb's.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boards/lm3s6965evb/app_layout.h"
#include "kernel/tbf.h"
#include "tools/tbf/elf32.h"
#include "tools/tbf/image.h"
#include "tools/tbf/tool.h"

/* The host board's process slots (kernel/process.h's default, which the
 * host board keeps); this program is built with the lm3s6965evb's. */
#define HOST_PROCESS_MAX 8u
#define HOST_NAME_MAX_LEN (PROCESS_NAME_MAX - 1u)

static void usage(void)
{
    fprintf(stderr,
            "usage: vmuxload [--board lm3s6965evb|host] [--kernel ELF] [--sha256] IMAGE COMMAND\n"
            "  list                   the apps and what the board's loader does with each\n"
            "  install APP...         add apps (.tbf or .tab; the host board: .so or .so@NAME)\n"
            "  uninstall NAME...      remove apps\n"
            "  info NAME              one app in detail\n"
            "  check                  as list; exit status 1 when an app would not start\n"
            "  gdb [NAME=]APP.elf...  gdb commands loading each app's symbols where it runs\n"
            "IMAGE: the lm3s6965evb's apps flash image (a file), or the host board's\n"
            "apps directory\n"
            "--kernel ELF: the lm3s6965evb kernel image the apps run with (its RAM, grant\n"
            "room and reserved names; default build/lm3s6965evb/vmux.elf; STORAGE=1 runs\n"
            "vmux-storage.elf, DISPLAY=1 vmux-display.elf)\n");
    exit(2);
}

/* ------------------------------------------------------------ lm3s6965evb */

struct board {
    const char *kernel;
    uintptr_t flash_start, flash_end, ram_start, ram_end;
    uint32_t grant_floor, grant_allowance;
    bool check_sha256;
};

/* The names the kernel image keeps from its apps: its kernel clients'
 * (section .vmux.names, CLIENT_NAME() in kernel/client.h) and its table
 * of reserved names (lm3s_reserved_names): they are passed to the
 * kernel's own check (kernel/client.c, process_name_check()). */
#define NAMES_MAX 64u
static char *kernel_names[NAMES_MAX + 1];
static unsigned kernel_name_count;

/* Keep the name at name (room bytes left in its section) unless it is
 * kept already; its length. */
static size_t keep_name(const struct board *b, const char *name, size_t room)
{
    size_t len = strnlen(name, room);
    if (len == room)
        die("%s: a reserved name runs past the end of its section", b->kernel);
    for (unsigned i = 0; i < kernel_name_count; i++)
        if (strcmp(kernel_names[i], name) == 0)
            return len;
    if (kernel_name_count == NAMES_MAX)
        die("%s: more than %u reserved names", b->kernel, NAMES_MAX);
    kernel_names[kernel_name_count++] = strndup(name, len);
    return len;
}

/* The bytes at address addr of the kernel image, and how many of its
 * section follow (0: addr is in no section with bytes in the file). */
static const uint8_t *at_address(const struct elf *e, uint32_t addr, size_t *room)
{
    for (unsigned i = 0; i < e->eh->e_shnum; i++) {
        const Elf32_Shdr *s = &e->sh[i];
        if (!(s->sh_flags & SHF_ALLOC) || s->sh_type == SHT_NOBITS || addr < s->sh_addr ||
            addr - s->sh_addr >= s->sh_size)
            continue;
        *room = s->sh_size - (addr - s->sh_addr);
        return section_data(e, s) + (addr - s->sh_addr);
    }
    *room = 0;
    return NULL;
}

static void names_from_kernel(const struct board *b, const struct elf *e)
{
    const Elf32_Shdr *sec = find_section(e, ".vmux.names");
    const uint32_t *table;
    size_t room;
    uint32_t addr;
    if (!sec || !symbol(e, "lm3s_reserved_names", &addr) ||
        !(table = (const uint32_t *)at_address(e, addr, &room)))
        die("%s: no section .vmux.names or table lm3s_reserved_names: build it again "
            "(make BOARD=lm3s6965evb)", b->kernel);
    const char *names = (const char *)section_data(e, sec);
    for (size_t at = 0; names && at < sec->sh_size;)
        at += keep_name(b, names + at, sec->sh_size - at) + 1;
    for (size_t i = 0; i < room / 4u && table[i]; i++) {
        size_t left;
        const char *name = (const char *)at_address(e, table[i], &left);
        if (!name)
            die("%s: lm3s_reserved_names names no string", b->kernel);
        keep_name(b, name, left);
    }
    kernel_names[kernel_name_count] = NULL;
    client_reserve_names((const char *const *)kernel_names);
}

static void board_from_kernel(struct board *b)
{
    struct elf e;
    load_elf(&e, b->kernel);
    const char *names[] = { "_apps_flash_start", "_apps_flash_end", "_apps_ram_start",
                            "_apps_ram_end" };
    uintptr_t *values[] = { &b->flash_start, &b->flash_end, &b->ram_start, &b->ram_end };
    for (unsigned i = 0; i < 4; i++) {
        uint32_t v;
        if (!symbol(&e, names[i], &v))
            die("%s: no symbol %s: not a vmux kernel for the lm3s6965evb", b->kernel, names[i]);
        *values[i] = v;
    }
    if (!symbol(&e, "lm3s_grant_floor", &b->grant_floor) ||
        !symbol(&e, "lm3s_grant_allowance", &b->grant_allowance))
        die("%s: no symbols lm3s_grant_floor and lm3s_grant_allowance (its grant room): "
            "build it again (make BOARD=lm3s6965evb)", b->kernel);
    names_from_kernel(b, &e);
    free(e.file);
}

/* The process table, as far as the name check asks: the apps the plan
 * has started so far, each with the name a process keeps. */
static char started_names[PROCESS_MAX][PROCESS_NAME_MAX];
static unsigned started_count;
static struct process a_process;

struct process *process_find(const char *name)
{
    for (unsigned i = 0; i < started_count; i++)
        if (strcmp(started_names[i], name) == 0)
            return &a_process;
    return NULL;
}

/* The kernel image next to this program: build/release/vmuxload and
 * build/lm3s6965evb/vmux.elf. */
static const char *default_kernel(void)
{
    static char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 64);
    if (n <= 0)
        die("no --kernel given and no way to find this program's build directory");
    path[n] = '\0';
    char *dir = dirname(dirname(path)); /* build/release/vmuxload -> build */
    memmove(path, dir, strlen(dir) + 1);
    strcat(path, "/lm3s6965evb/vmux.elf");
    if (access(path, R_OK) != 0)
        die("no kernel image %s: build it (make BOARD=lm3s6965evb) or name one with --kernel",
            path);
    return path;
}

/* The loader's report, collected: what the board prints at start. */
static char report[16384];
static size_t report_len;

static void collect(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(report + report_len, sizeof report - report_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        report_len += (size_t)n < sizeof report - report_len ? (size_t)n : 0;
}

/* An image's apps as the board's loader sees them. */
struct plan {
    uint8_t *img;
    size_t len;
    struct lm3s_app_place apps[LM3S_APPS_CONSIDERED];
    const char *left_out[LM3S_APPS_CONSIDERED];
    unsigned count, started, unplaced;
};

static const char *name_of(const struct tbf_header *h)
{
    return h->name[0] ? h->name : "app";
}

/* Lay out the image as the loader will, and say what the board will
 * (report: the loader's own lines, then its summary). */
static void plan_image(const struct board *b, struct plan *p, uint8_t *img, size_t len)
{
    p->img = img;
    p->len = len;
    report_len = 0;
    report[0] = '\0';
    size_t flash = b->flash_end - b->flash_start;
    const struct lm3s_layout layout = {
        .flash = img,
        .flash_addr = b->flash_start,
        .flash_size = len < flash ? len : flash,
        .ram_start = b->ram_start,
        .ram_end = b->ram_end,
        .grant_floor = b->grant_floor,
        .grant_allowance = b->grant_allowance,
        .check_sha256 = b->check_sha256,
    };
    started_count = 0;
    p->count = lm3s_layout_apps(&layout, p->apps, collect);
    p->started = p->unplaced = 0;
    for (unsigned i = 0; i < p->count; i++) {
        const struct lm3s_app_place *a = &p->apps[i];
        struct tbf_header h;
        tbf_parse(img + a->offset, len - a->offset, &h);
        p->left_out[i] = lm3s_layout_left_out(a, p->started, PROCESS_MAX);
        p->unplaced += a->ram == 0;
        if (p->left_out[i]) {
            collect("app %s: %s: skipped\n", name_of(&h), p->left_out[i]);
            continue;
        }
        /* As the board's process_create(): a name an app started before took. */
        if (process_name_check(name_of(&h), &p->left_out[i]) != VMUX_SUCCESS) {
            collect("app %s: not started: %s\n", name_of(&h), p->left_out[i]);
            continue;
        }
        snprintf(started_names[started_count++], PROCESS_NAME_MAX, "%s", name_of(&h));
        p->started++;
        collect("app %s: flash 0x%05lx %luK, RAM 0x%08lx %luB\n", name_of(&h),
                (unsigned long)(b->flash_start + a->offset), (unsigned long)(h.total_size / 1024u),
                (unsigned long)a->ram, (unsigned long)a->quota);
    }
    collect("apps: %u started, %u without room in %luB of RAM, up to %luB each for grants\n",
            p->started, p->unplaced, (unsigned long)(b->ram_end - b->ram_start),
            (unsigned long)b->grant_allowance);
}

/* The candidate that is the object at offset, or -1 (left out in the walk). */
static int candidate_at(const struct plan *p, size_t offset)
{
    for (unsigned i = 0; i < p->count; i++)
        if (p->apps[i].offset == offset)
            return (int)i;
    return -1;
}

/* The apps of the plan that do not start, one line each into why;
 * how many. */
static unsigned not_starting(const struct plan *p, char *why, size_t room)
{
    unsigned n = 0;
    why[0] = '\0';
    for (size_t at = 0; at < p->len;) {
        struct tbf_header h;
        enum tbf_verdict v = tbf_parse(p->img + at, p->len - at, &h);
        if (v == TBF_END || !tbf_can_skip(v))
            break;
        int c = candidate_at(p, at);
        if (v != TBF_PADDING && (c < 0 || p->left_out[c])) {
            n++;
            size_t used = strlen(why);
            snprintf(why + used, room - used, "  %s: %s\n", name_of(&h),
                     c < 0 ? "refused by the loader (see above)" : p->left_out[c]);
        }
        at += h.total_size;
    }
    return n;
}

static void load_image(const char *path, struct tbf_object *objs, unsigned *n)
{
    *n = tbf_image_load(path, objs, TBF_IMAGE_OBJECTS_MAX);
}

static int lm3s_list(const struct board *b, const char *image, bool check)
{
    size_t len = 0;
    uint8_t *img = NULL;
    if (access(image, F_OK) == 0)
        img = read_file(image, &len);
    else
        img = calloc(1, len = 4);
    struct plan p;
    plan_image(b, &p, img, len);
    fputs(report, stdout);
    char why[4096];
    unsigned bad = not_starting(&p, why, sizeof why);
    printf("%s: %zu of %lu bytes of flash (kernel %s)\n", image, len,
           (unsigned long)(b->flash_end - b->flash_start), b->kernel);
    if (bad)
        printf("not starting:\n%s", why);
    free(img);
    return check && bad ? 1 : 0;
}

/* Write objs as IMAGE if every app in it starts; else say why and leave
 * IMAGE as it was. */
static int lm3s_write(const struct board *b, const char *image, struct tbf_object *objs,
                      unsigned n, const char *what)
{
    size_t len;
    uint8_t *img = tbf_image_build(objs, n, &len);
    size_t flash = b->flash_end - b->flash_start;
    if (len > flash) {
        fprintf(stderr, "vmuxload: %s: the apps need %zu bytes of flash, the board has %zu: "
                        "nothing changed\n", what, len, flash);
        return 1;
    }
    struct plan p;
    plan_image(b, &p, img, len);
    char why[4096];
    if (not_starting(&p, why, sizeof why)) {
        fprintf(stderr, "%s", report);
        fprintf(stderr, "vmuxload: %s: not every app would start, nothing changed:\n%s", what,
                why);
        fprintf(stderr, "vmuxload: make room (vmuxload %s uninstall NAME), or make the app "
                        "smaller (its STACK, HEAP and KERNEL_HEAP: docs/app-guide.md)\n", image);
        return 1;
    }
    write_file(image, img, len);
    fputs(report, stdout);
    free(img);
    return 0;
}

static int find_object(struct tbf_object *objs, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(objs[i].h.name, name) == 0)
            return (int)i;
    return -1;
}

static int lm3s_install(const struct board *b, const char *image, int argc, char **argv)
{
    struct tbf_object objs[TBF_IMAGE_OBJECTS_MAX];
    unsigned n;
    load_image(image, objs, &n);
    for (int i = 0; i < argc; i++) {
        struct tbf_object o;
        tbf_object_load(&o, argv[i]);
        if (o.verdict != TBF_APP)
            die("%s: not an app (%s)", argv[i], tbf_verdict_name(o.verdict));
        int old = find_object(objs, n, o.h.name);
        if (old >= 0) {
            printf("%s: replaces the app %s\n", argv[i], name_of(&o.h));
            free(objs[old].data);
            objs[old] = o;
        } else {
            if (n == TBF_IMAGE_OBJECTS_MAX)
                die("more than %u objects", TBF_IMAGE_OBJECTS_MAX);
            objs[n++] = o;
        }
    }
    char what[256];
    snprintf(what, sizeof what, "installing %s%s", argv[0], argc > 1 ? " and more" : "");
    return lm3s_write(b, image, objs, n, what);
}

static int lm3s_uninstall(const struct board *b, const char *image, int argc, char **argv)
{
    struct tbf_object objs[TBF_IMAGE_OBJECTS_MAX];
    unsigned n;
    load_image(image, objs, &n);
    for (int i = 0; i < argc; i++) {
        int k = find_object(objs, n, argv[i]);
        if (k < 0)
            die("%s: no app %s", image, argv[i]);
        free(objs[k].data);
        objs[k] = objs[--n];
    }
    /* What is left fitted before and fits after (the blocks only shrink). */
    size_t len;
    uint8_t *img = tbf_image_build(objs, n, &len);
    write_file(image, img, len);
    free(img);
    return lm3s_list(b, image, false);
}

/* Where a started app's binary (link address 0x80000000) and RAM (link
 * address 0) are; false if name does not start. */
static bool lm3s_place(const struct board *b, const char *image, const char *name,
                       uintptr_t *binary, uintptr_t *ram, uint32_t *quota)
{
    size_t len;
    uint8_t *img = read_file(image, &len);
    struct plan p;
    plan_image(b, &p, img, len);
    bool found = false;
    for (unsigned i = 0; i < p.count && !found; i++) {
        struct tbf_header h;
        tbf_parse(img + p.apps[i].offset, len - p.apps[i].offset, &h);
        if (strcmp(h.name, name) != 0 || p.left_out[i])
            continue;
        *binary = b->flash_start + p.apps[i].offset + h.header_size + h.protected_trailer_size;
        *ram = p.apps[i].ram;
        *quota = p.apps[i].quota;
        found = true;
    }
    free(img);
    return found;
}

static int lm3s_info(const struct board *b, const char *image, const char *name)
{
    struct tbf_object objs[TBF_IMAGE_OBJECTS_MAX];
    unsigned n;
    load_image(image, objs, &n);
    int k = find_object(objs, n, name);
    if (k < 0)
        die("%s: no app %s", image, name);
    tbf_object_print(objs[k].data, 0, &objs[k].h, objs[k].verdict);
    uintptr_t binary, ram;
    uint32_t quota;
    if (lm3s_place(b, image, name, &binary, &ram, &quota))
        printf("    runs: binary at 0x%08lx, RAM 0x%08lx-0x%08lx (%lu bytes)\n",
               (unsigned long)binary, (unsigned long)ram, (unsigned long)(ram + quota),
               (unsigned long)quota);
    else
        printf("    does not start (vmuxload %s list says why)\n", image);
    return 0;
}

/* gdb's add-symbol-file for each APP.elf: every allocated section at
 * its place (flash sections from the binary's start, RAM ones from the
 * app's RAM: app_arm.ld links them at 0x80000000 and 0). */
static int lm3s_gdb(const struct board *b, const char *image, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        char name[TBF_NAME_MAX + 1];
        const char *path = argv[i], *eq = strchr(argv[i], '=');
        if (eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - argv[i]), argv[i]);
            path = eq + 1;
        } else {
            const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
            snprintf(name, sizeof name, "%.*s", (int)strcspn(base, "."), base);
        }
        uintptr_t binary, ram;
        uint32_t quota;
        if (!lm3s_place(b, image, name, &binary, &ram, &quota))
            die("%s: no app %s that starts (vmuxload %s list)", image, name, image);
        struct elf e;
        load_elf(&e, path);
        const Elf32_Shdr *text = find_section(&e, ".text");
        if (!text)
            die("%s: no .text section", path);
        printf("# %s: binary 0x%08lx, RAM 0x%08lx\n", name, (unsigned long)binary,
               (unsigned long)ram);
        printf("add-symbol-file %s 0x%08lx", path,
               (unsigned long)(binary + (text->sh_addr & 0x7fffffffu)));
        for (unsigned k = 0; k < e.eh->e_shnum; k++) {
            const Elf32_Shdr *s = &e.sh[k];
            if (!(s->sh_flags & SHF_ALLOC) || s->sh_size == 0 || s == text)
                continue;
            uintptr_t at = s->sh_addr & 0x80000000u ? binary + (s->sh_addr & 0x7fffffffu)
                                                    : ram + s->sh_addr;
            printf(" -s %s 0x%08lx", section_name(&e, s), (unsigned long)at);
        }
        printf("\n");
        free(e.file);
    }
    return 0;
}

/* ------------------------------------------------------------ host board */

/* Is path a vmux app for the host board: a 64-bit shared object that
 * exports vmux_host_entry (userland/libvmux/crt_host.c)? NULL if so,
 * else why not. */
static const char *host_app_problem(const char *path)
{
    size_t len;
    uint8_t *f = read_file(path, &len);
    const char *why = "not a 64-bit ELF shared object";
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
    if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_DYN ||
        eh->e_shoff > len || (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len - eh->e_shoff)
        goto done;
    why = "no vmux_host_entry: not built with libvmux (userland/app.mk)";
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *str = &sh[sh[i].sh_link];
        if (sh[i].sh_offset > len || sh[i].sh_size > len - sh[i].sh_offset ||
            str->sh_offset > len || str->sh_size > len - str->sh_offset)
            break;
        const Elf64_Sym *sym = (const Elf64_Sym *)(f + sh[i].sh_offset);
        const char *names = (const char *)f + str->sh_offset;
        for (size_t k = 0; k < sh[i].sh_size / sizeof *sym; k++)
            if (sym[k].st_name < str->sh_size && sym[k].st_shndx != SHN_UNDEF &&
                strnlen(names + sym[k].st_name, str->sh_size - sym[k].st_name) == 15 &&
                memcmp(names + sym[k].st_name, "vmux_host_entry", 15) == 0)
                why = NULL;
    }
done:
    free(f);
    return why;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME.so files of dir, sorted (malloc'd names without ".so"). */
static unsigned host_apps(const char *dir, char **names, unsigned max)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        die("%s: %s", dir, strerror(errno));
    }
    unsigned n = 0;
    for (struct dirent *ent; (ent = readdir(d)) != NULL;) {
        size_t len = strlen(ent->d_name);
        if (len <= 3 || strcmp(ent->d_name + len - 3, ".so") != 0)
            continue;
        if (n == max)
            die("%s: more than %u apps", dir, max);
        names[n] = strndup(ent->d_name, len - 3);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], by_name);
    return n;
}

static int host_list(const char *dir, bool check)
{
    char *names[64];
    unsigned n = host_apps(dir, names, 64), bad = 0;
    for (unsigned i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.so", dir, names[i]);
        struct stat st;
        const char *why = host_app_problem(path);
        if (!why && i >= HOST_PROCESS_MAX)
            why = "no process slot left";
        stat(path, &st);
        printf("app %s: %s, %lld bytes%s%s\n", names[i], path, (long long)st.st_size,
               why ? ": " : "", why ? why : "");
        bad += why != NULL;
        free(names[i]);
    }
    printf("%s: %u app(s) for the host board, %u process slots\n", dir, n, HOST_PROCESS_MAX);
    return check && bad ? 1 : 0;
}

static int host_install(const char *dir, int argc, char **argv)
{
    char *names[64];
    unsigned n = host_apps(dir, names, 64), adding = 0;
    for (int i = 0; i < argc; i++) {
        char src[4096], name[PROCESS_NAME_MAX + 8];
        snprintf(src, sizeof src, "%s", argv[i]);
        char *at = strrchr(src, '@');
        if (at)
            *at++ = '\0';
        const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
        snprintf(name, sizeof name, "%.*s", (int)strcspn(at ? at : base, "."), at ? at : base);
        if (strlen(name) == 0 || strlen(name) > HOST_NAME_MAX_LEN)
            die("%s: a name of 1 to %u characters, please (APP.so@NAME)", argv[i],
                HOST_NAME_MAX_LEN);
        const char *why = host_app_problem(src);
        if (why)
            die("%s: %s", src, why);
        bool present = false;
        for (unsigned k = 0; k < n; k++)
            present |= strcmp(names[k], name) == 0;
        adding += !present;
        if (n + adding > HOST_PROCESS_MAX)
            die("%s: the host board runs %u processes at most: nothing more installed",
                argv[i], HOST_PROCESS_MAX);
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            die("%s: %s", dir, strerror(errno));
        size_t len;
        uint8_t *data = read_file(src, &len);
        char dst[4096];
        snprintf(dst, sizeof dst, "%s/%s.so", dir, name);
        write_file(dst, data, len);
        chmod(dst, 0755);
        free(data);
        printf("%s: %s%s\n", dst, name, present ? " (replaced)" : "");
    }
    for (unsigned k = 0; k < n; k++)
        free(names[k]);
    return host_list(dir, false);
}

static int host_uninstall(const char *dir, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.so", dir, argv[i]);
        if (unlink(path) != 0)
            die("%s: no app %s (%s)", dir, argv[i], strerror(errno));
    }
    return host_list(dir, false);
}

static int host_info(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.so", dir, name);
    if (access(path, R_OK) != 0)
        die("%s: no app %s", dir, name);
    const char *why = host_app_problem(path);
    printf("app %s: %s%s%s\n", name, path, why ? ": " : "", why ? why : "");
    printf("    the host board gives it a %u KiB RAM quota: its stack, heap and grants "
           "(arch/host/loader.h)\n", 64u);
    return 0;
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    tool_program = "vmuxload";
    struct board b = { 0 };
    const char *board = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--board") == 0 && i + 1 < argc)
            board = argv[++i];
        else if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc)
            b.kernel = argv[++i];
        else if (strcmp(argv[i], "--sha256") == 0)
            b.check_sha256 = true;
        else
            usage();
    }
    if (argc - i < 2)
        usage();
    const char *image = argv[i], *cmd = argv[i + 1];
    int nargs = argc - i - 2;
    char **args = argv + i + 2;
    struct stat st;
    if (!board)
        board = (stat(image, &st) == 0 && S_ISDIR(st.st_mode)) || image[strlen(image) - 1] == '/'
                    ? "host"
                    : "lm3s6965evb";
    bool host = strcmp(board, "host") == 0;
    if (!host && strcmp(board, "lm3s6965evb") != 0)
        die("--board %s: lm3s6965evb or host", board);
    if (!host) {
        if (!b.kernel)
            b.kernel = default_kernel();
        board_from_kernel(&b);
    }
    bool one = nargs == 1, some = nargs >= 1, none = nargs == 0;
    if (strcmp(cmd, "list") == 0 && none)
        return host ? host_list(image, false) : lm3s_list(&b, image, false);
    if (strcmp(cmd, "check") == 0 && none)
        return host ? host_list(image, true) : lm3s_list(&b, image, true);
    if (strcmp(cmd, "install") == 0 && some)
        return host ? host_install(image, nargs, args) : lm3s_install(&b, image, nargs, args);
    if (strcmp(cmd, "uninstall") == 0 && some)
        return host ? host_uninstall(image, nargs, args) : lm3s_uninstall(&b, image, nargs, args);
    if (strcmp(cmd, "info") == 0 && one)
        return host ? host_info(image, args[0]) : lm3s_info(&b, image, args[0]);
    if (strcmp(cmd, "gdb") == 0 && some && !host)
        return lm3s_gdb(&b, image, nargs, args);
    usage();
}
