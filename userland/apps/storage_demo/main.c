/*
 * storage_demo: keeps a boot counter in the key-value store and a small
 * log in its own isolated region, across runs of the board: each start
 * counts one more boot, appends a line to the log, and prints the last
 * lines. Nothing else can read either: the counter belongs to this app's
 * write id, the region to its name.
 *
 * The log, in the region: at offset 0 a u32 magic and a u32 count of
 * lines ever written; line k in slot k % LINES, LINE bytes each from
 * offset LINE.
 */
#include "libvmux.h"

#define MAGIC 0x676f6c76u /* "vlog" */
#define LINE 32u
#define LINES 8u
#define SHOWN 4u

static const char boots_key[] = "boots";

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The boot counter: read, one more, written back. */
static int count_boot(uint32_t *boots)
{
    uint8_t value[4];
    size_t len = 0;
    int err = vmux_kv_get(boots_key, sizeof boots_key - 1, value, sizeof value, &len);
    *boots = err == VMUX_OK && len == sizeof value ? get32(value) : 0;
    if (err != VMUX_OK && err != VMUX_ENOSUPPORT) /* NOSUPPORT: the first boot */
        return err;
    put32(value, ++*boots);
    return vmux_kv_set(boots_key, sizeof boots_key - 1, value, sizeof value);
}

static int append_line(uint32_t boots, uint32_t *lines)
{
    uint8_t head[8];
    int err = vmux_storage_read(0, head, sizeof head);
    if (err != VMUX_OK)
        return err;
    *lines = get32(head) == MAGIC ? get32(head + 4) : 0; /* erased: a new log */
    char line[LINE];
    vmux_memset(line, 0, sizeof line);
    vmux_snprintf(line, sizeof line, "boot %u, log line %u", (unsigned)boots,
                  (unsigned)*lines + 1);
    err = vmux_storage_write(LINE * (1 + *lines % LINES), line, sizeof line);
    if (err != VMUX_OK)
        return err;
    put32(head, MAGIC);
    put32(head + 4, ++*lines);
    return vmux_storage_write(0, head, sizeof head);
}

static void show_log(uint32_t lines)
{
    uint32_t first = lines > SHOWN ? lines - SHOWN : 0;
    for (uint32_t k = first; k < lines; k++) {
        char line[LINE + 1];
        if (vmux_storage_read(LINE * (1 + k % LINES), line, LINE) != VMUX_OK)
            return;
        line[LINE] = '\0';
        vmux_printf("  log: %s\n", line);
    }
}

int main(void)
{
    uint32_t boots = 0, lines = 0, size = 0;
    int err = count_boot(&boots);
    if (err != VMUX_OK) {
        vmux_printf("boot counter: %s\n", vmux_error_name(err));
        return 1;
    }
    err = vmux_storage_size(&size);
    if (err == VMUX_OK)
        err = append_line(boots, &lines);
    if (err != VMUX_OK) {
        vmux_printf("boot %u; log: %s\n", (unsigned)boots, vmux_error_name(err));
        return 1;
    }
    vmux_printf("boot %u of this app on this storage; its region: %u bytes, %u log lines\n",
                (unsigned)boots, (unsigned)size, (unsigned)lines);
    show_log(lines);
    return 0;
}
