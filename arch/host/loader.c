/*
 * The host-board app loader: dlmopen, program headers, one mapping per
 * app, then process_create() over a context from arch/host/process.c.
 */
#include "arch/host/loader.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch/host/process.h"
#include "kernel/fmt.h"

#define SIGNAL_STACK_BYTES (64u * 1024u)

struct loaded_app {
    bool used;
    void *handle;
    void *map;
    size_t map_len;
    void *context;
};

static struct loaded_app apps[PROCESS_MAX];
static char error_text[256];

static vmux_err_t failed(vmux_err_t err, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vmux_vsnprintf(error_text, sizeof error_text, format, args);
    va_end(args);
    return err;
}

const char *host_loader_error(void)
{
    return error_text;
}

static uintptr_t page_size(void)
{
    return (uintptr_t)sysconf(_SC_PAGESIZE);
}

static uintptr_t page_down(uintptr_t a)
{
    return a & ~(page_size() - 1);
}

static uintptr_t page_up(uintptr_t a)
{
    return page_down(a + page_size() - 1);
}

/* ------------------------------------------------------------ segments */

struct layout {
    uintptr_t flash_start, flash_end;
    struct memory_range rw[2];
};

/* The object's program headers. glibc 2.36 gives them (dlinfo
 * RTLD_DI_PHDR); before, they are read from the ELF header, which the
 * first PT_LOAD of a shared object maps at the load bias.
 * (dl_iterate_phdr() would not do: it lists the caller's namespace only.) */
static size_t program_headers(void *handle, const struct link_map *object,
                              const ElfW(Phdr) **phdr)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 36))
    (void)object;
    int n = dlinfo(handle, RTLD_DI_PHDR, phdr);
    return n > 0 ? (size_t)n : 0;
#else
    (void)handle;
    const ElfW(Ehdr) *ehdr = (const ElfW(Ehdr) *)object->l_addr;
    if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG) != 0)
        return 0;
    *phdr = (const ElfW(Phdr) *)(object->l_addr + ehdr->e_phoff);
    return ehdr->e_phnum;
#endif
}

/* Flash and writable ranges of the loaded object, from its program
 * headers (addresses are the headers' plus the load bias l_addr). */
static vmux_err_t describe(void *handle, struct layout *out)
{
    struct link_map *object = NULL;
    if (dlinfo(handle, RTLD_DI_LINKMAP, &object) != 0 || object == NULL)
        return failed(VMUX_FAIL, "dlinfo: %s", dlerror());
    const ElfW(Phdr) *phdr = NULL;
    size_t phnum = program_headers(handle, object, &phdr);
    if (phnum == 0 || phdr == NULL)
        return failed(VMUX_FAIL, "program headers not found");
    uintptr_t base = object->l_addr;

    /* RELRO: writable while relocating, read-only (whole pages) after. */
    uintptr_t relro_start = 0, relro_end = 0;
    for (size_t i = 0; i < phnum; i++)
        if (phdr[i].p_type == PT_GNU_RELRO) {
            relro_start = page_down(base + phdr[i].p_vaddr);
            relro_end = page_down(base + phdr[i].p_vaddr + phdr[i].p_memsz);
        }

    memset(out, 0, sizeof *out);
    unsigned rw = 0;
    /* PT_LOAD entries come in ascending address order (ELF). */
    for (size_t i = 0; i < phnum; i++) {
        const ElfW(Phdr) *ph = &phdr[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0 || !(ph->p_flags & (PF_R | PF_W | PF_X)))
            continue;
        uintptr_t start = base + ph->p_vaddr, end = start + ph->p_memsz;
        if (!(ph->p_flags & PF_W)) {
            /* Flash must be readable throughout: the kernel reads it. */
            if (out->flash_end == 0)
                out->flash_start = start;
            else if (page_down(start) > page_up(out->flash_end))
                return failed(VMUX_INVALID, "a gap between read-only segments");
            if (end > out->flash_end)
                out->flash_end = end;
            continue;
        }
        if (relro_end > relro_start && start < relro_end && end > relro_start) {
            if (relro_start > start)
                return failed(VMUX_INVALID, "RELRO inside a writable segment");
            start = relro_end;
        }
        if (start >= end)
            continue;
        if (rw == 2)
            return failed(VMUX_INVALID, "more than two writable segments");
        out->rw[rw++] = (struct memory_range){ start, end };
    }
    if (out->flash_end == 0)
        return failed(VMUX_INVALID, "no read-only segment");
    return VMUX_SUCCESS;
}

/* ------------------------------------------------------------ loading */

static void unload(struct loaded_app *app)
{
    host_process_free(app->context);
    if (app->handle)
        dlclose(app->handle);
    if (app->map)
        munmap(app->map, app->map_len);
    memset(app, 0, sizeof *app);
}

/* The file name without its directory and ".so". */
static void name_from_path(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t len = strlen(base);
    if (len > 3 && strcmp(base + len - 3, ".so") == 0)
        len -= 3;
    if (len >= size)
        len = size - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

/* Map guard | signal stack | guard | RAM | guard | data copy. */
static vmux_err_t map_memory(struct loaded_app *app, size_t ram_bytes, const struct layout *l,
                             struct host_process_config *config, uintptr_t *ram)
{
    uintptr_t page = page_size();
    size_t data_bytes = 0;
    for (unsigned i = 0; i < 2; i++)
        data_bytes += page_up(l->rw[i].end - l->rw[i].start);
    app->map_len = page + SIGNAL_STACK_BYTES + page + ram_bytes + page + data_bytes;
    void *map = mmap(NULL, app->map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return failed(VMUX_NOMEM, "mmap of %zu bytes failed", app->map_len);
    app->map = map;
    uintptr_t signal_stack = (uintptr_t)map + page;
    *ram = signal_stack + SIGNAL_STACK_BYTES + page;
    uintptr_t data = *ram + ram_bytes + page;
    if (mprotect((void *)signal_stack, SIGNAL_STACK_BYTES, PROT_READ | PROT_WRITE) != 0 ||
        mprotect((void *)*ram, ram_bytes, PROT_READ | PROT_WRITE) != 0 ||
        (data_bytes && mprotect((void *)data, data_bytes, PROT_READ | PROT_WRITE) != 0))
        return failed(VMUX_NOMEM, "mprotect failed");
    config->signal_stack = (void *)signal_stack;
    config->signal_stack_size = SIGNAL_STACK_BYTES;
    for (unsigned i = 0; i < 2; i++) {
        size_t size = l->rw[i].end - l->rw[i].start;
        if (size == 0)
            continue;
        memcpy((void *)data, (const void *)l->rw[i].start, size);
        config->data[i].at = (void *)l->rw[i].start;
        config->data[i].initial = (const void *)data;
        config->data[i].size = size;
        data += page_up(size);
    }
    if (data_bytes)
        mprotect((void *)(data - data_bytes), data_bytes, PROT_READ);
    return VMUX_SUCCESS;
}

vmux_err_t host_load_app(const char *path, const char *name, size_t ram_bytes,
                         enum process_restart_policy policy, const cap_process_management_t *cap,
                         struct process **out)
{
    error_text[0] = '\0';
    if (!capability_valid(cap))
        return failed(VMUX_RESERVE, "no process management capability");
    if (path == NULL)
        return failed(VMUX_INVALID, "no path");
    char kept_name[PROCESS_NAME_MAX]; /* what the process keeps of its name */
    if (name == NULL)
        name_from_path(path, kept_name, sizeof kept_name);
    else
        snprintf(kept_name, sizeof kept_name, "%s", name);
    name = kept_name;
    const char *why;
    vmux_err_t refused = process_name_check(name, &why); /* before anything is loaded */
    if (refused != VMUX_SUCCESS)
        return failed(refused, "the name %s is %s", name, why);
    struct loaded_app *app = NULL;
    for (unsigned i = 0; i < PROCESS_MAX && app == NULL; i++)
        if (!apps[i].used)
            app = &apps[i];
    if (app == NULL)
        return failed(VMUX_NOMEM, "%u apps loaded already", PROCESS_MAX);

    ram_bytes = page_up(ram_bytes ? ram_bytes : HOST_APP_RAM_DEFAULT);
    size_t stack_bytes = page_down(ram_bytes / 2);
    if (stack_bytes < (size_t)PTHREAD_STACK_MIN)
        return failed(VMUX_SIZE, "%zu bytes of RAM leave no room for a %zu-byte stack",
                      ram_bytes, (size_t)PTHREAD_STACK_MIN);

    /* A namespace of its own: separate globals for each instance. */
    void *handle = dlmopen(LM_ID_NEWLM, path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL)
        return failed(VMUX_FAIL, "%s", dlerror());
    app->used = true;
    app->handle = handle;

    vmux_err_t err;
    vmux_host_syscall_fn *syscall_slot = dlsym(handle, VMUX_HOST_SYSCALL_SYMBOL);
    void (*entry)(void) = (void (*)(void))dlsym(handle, VMUX_HOST_ENTRY_SYMBOL);
    struct layout layout;
    if (syscall_slot == NULL || entry == NULL) {
        err = failed(VMUX_INVALID, "%s: no %s or %s", path, VMUX_HOST_SYSCALL_SYMBOL,
                     VMUX_HOST_ENTRY_SYMBOL);
        goto fail;
    }
    if ((err = describe(handle, &layout)) != VMUX_SUCCESS)
        goto fail;
    if ((uintptr_t)entry < layout.flash_start || (uintptr_t)entry >= layout.flash_end) {
        err = failed(VMUX_INVALID, "%s: the entry is not in a read-only segment", path);
        goto fail;
    }
    /* before the copy of the data, so that a restart keeps it */
    *syscall_slot = host_syscall_entry;

    struct host_process_config config = { .entry = entry };
    uintptr_t ram = 0;
    if ((err = map_memory(app, ram_bytes, &layout, &config, &ram)) != VMUX_SUCCESS)
        goto fail;
    config.stack = (void *)ram;
    config.stack_size = stack_bytes;
    app->context = host_process_alloc(&config);
    if (app->context == NULL) {
        err = failed(VMUX_NOMEM, "no process context left");
        goto fail;
    }

    struct process_image image = {
        .name = name,
        .ram_start = ram,
        .ram_end = ram + ram_bytes,
        .initial_break = ram + stack_bytes,
        .flash_start = layout.flash_start,
        .flash_end = layout.flash_end,
        .extra_rw = { layout.rw[0], layout.rw[1] },
        .stack_top = ram + stack_bytes,
        .heap_start = ram + stack_bytes,
        .restart_policy = policy,
    };
    struct process *p = NULL;
    err = process_create(cap, &image, app->context, &p);
    if (out)
        *out = p;
    if (err != VMUX_SUCCESS) {
        failed(err, "process_create: %s", vmux_err_name(err));
        goto fail; /* no slot was kept */
    }
    return VMUX_SUCCESS;

fail:
    unload(app);
    return err;
}

void host_loader_reset(void)
{
    for (unsigned i = 0; i < PROCESS_MAX; i++)
        if (apps[i].used)
            unload(&apps[i]);
}
