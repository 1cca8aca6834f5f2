#include "tools/tbf/image.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tbf/tool.h"

/* elf2tab's padding past total_size is under 8 bytes (tools/tbf/main.c). */
#define ELF2TAB_TRAILING_MAX 7u

#define TAR_BLOCK 512u

static bool is_pow2(size_t n)
{
    return n >= 16 && (n & (n - 1)) == 0;
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), k = strlen(end);
    return n >= k && strcmp(s + n - k, end) == 0;
}

/* A tar member's octal size field; false if it is not one. */
static bool tar_size(const uint8_t *field, size_t *size)
{
    size_t v = 0;
    unsigned i = 0;
    while (i < 12 && field[i] == ' ')
        i++;
    if (i == 12 || field[i] < '0' || field[i] > '7')
        return false;
    for (; i < 12 && field[i] >= '0' && field[i] <= '7'; i++)
        v = v * 8 + (size_t)(field[i] - '0');
    *size = v;
    return true;
}

/* The Cortex-M3 TBF of a TAB (a tar archive): where it is and how long.
 * false if data is not a tar archive. */
static bool tab_member(const char *path, const uint8_t *data, size_t len, size_t *at, size_t *size)
{
    if (len < TAR_BLOCK || memcmp(data + 257, "ustar", 5) != 0)
        return false;
    char names[512] = "";
    unsigned tbfs = 0;
    bool cortex_m3 = false;
    for (size_t pos = 0; pos + TAR_BLOCK <= len;) {
        const uint8_t *hdr = data + pos;
        size_t n;
        if (hdr[0] == 0 || !tar_size(hdr + 124, &n))
            break; /* the end blocks */
        if (n > len - pos - TAR_BLOCK)
            die("%s: a TAB whose member runs past its end", path);
        char name[101];
        memcpy(name, hdr, 100);
        name[100] = '\0';
        const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        bool regular = hdr[156] == '0' || hdr[156] == '\0';
        if (regular && ends_with(base, ".tbf")) {
            snprintf(names + strlen(names), sizeof names - strlen(names), " %s", base);
            bool m3 = strncmp(base, "cortex-m3", 9) == 0;
            if (tbfs++ == 0 || (m3 && !cortex_m3)) {
                *at = pos + TAR_BLOCK;
                *size = n;
                cortex_m3 = m3;
            }
        }
        pos += TAR_BLOCK + (n + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    }
    if (tbfs == 0)
        die("%s: a TAB with no .tbf in it", path);
    if (!cortex_m3 && tbfs > 1)
        die("%s: a TAB with no Cortex-M3 TBF (it has:%s)", path, names);
    return true;
}

void tbf_object_load(struct tbf_object *o, const char *path)
{
    size_t len;
    uint8_t *file = read_file(path, &len);
    size_t at = 0, size = len;
    bool tab = tab_member(path, file, len, &at, &size);
    o->verdict = tbf_parse(file + at, size, &o->h);
    if (!tbf_can_skip(o->verdict))
        die("%s: not a TBF object (%s)", path, tbf_verdict_name(o->verdict));
    if (o->h.total_size < size && (tab || size - o->h.total_size > ELF2TAB_TRAILING_MAX))
        die("%s: %zu bytes after the object's %u: not one TBF object", path,
            size - o->h.total_size, (unsigned)o->h.total_size);
    if (!is_pow2(o->h.total_size))
        die("%s: %u bytes, not a power of two (the MPU needs one)", path,
            (unsigned)o->h.total_size);
    o->size = o->h.total_size;
    o->data = malloc(o->size);
    if (!o->data)
        die("out of memory");
    memcpy(o->data, file + at, o->size);
    o->source = path;
    free(file);
}

unsigned tbf_image_load(const char *path, struct tbf_object *objs, unsigned max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        die("%s: %s", path, strerror(errno));
    }
    fclose(f);
    size_t len;
    uint8_t *img = read_file(path, &len);
    unsigned n = 0;
    for (size_t at = 0;;) {
        struct tbf_header h;
        enum tbf_verdict v = tbf_parse(img + at, len - at, &h);
        if (v == TBF_END)
            break;
        if (!tbf_can_skip(v))
            die("%s: at 0x%zx: %s: not an apps image, or a damaged one", path, at,
                tbf_verdict_name(v));
        if (v != TBF_PADDING) {
            if (n == max)
                die("%s: more than %u objects", path, max);
            objs[n].data = malloc(h.total_size);
            if (!objs[n].data)
                die("out of memory");
            memcpy(objs[n].data, img + at, h.total_size);
            objs[n].size = h.total_size;
            objs[n].h = h;
            objs[n].verdict = v;
            objs[n].source = path;
            n++;
        }
        at += h.total_size;
    }
    free(img);
    return n;
}

uint8_t *tbf_image_build(struct tbf_object *objs, unsigned n, size_t *len)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && objs[j - 1].size < objs[j].size; j--) {
            struct tbf_object t = objs[j];
            objs[j] = objs[j - 1];
            objs[j - 1] = t;
        }
    size_t total = 4;
    for (unsigned i = 0; i < n; i++)
        total += objs[i].size;
    uint8_t *img = calloc(1, total);
    if (!img)
        die("out of memory");
    size_t at = 0;
    for (unsigned i = 0; i < n; i++) {
        memcpy(img + at, objs[i].data, objs[i].size);
        at += objs[i].size;
    }
    *len = total; /* the last 4 bytes: zero, the end of the list */
    return img;
}

/* ------------------------------------------------------------ printing */

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)(p[0] | p[1] << 8);
}

#define get32 tbf_get32

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

void tbf_object_print(const uint8_t *obj, size_t at, const struct tbf_header *h, enum tbf_verdict v)
{
    printf("0x%05zx %-12s %-23s total %u header %u entry +0x%x ram %u%s%s\n", at,
           tbf_verdict_name(v), h->name[0] ? h->name : "-", (unsigned)h->total_size,
           (unsigned)h->header_size, (unsigned)h->init_fn_offset,
           (unsigned)h->minimum_ram_size, v == TBF_APP && !h->enabled ? " (disabled)" : "",
           h->sticky ? " (sticky)" : "");
    if (v == TBF_BAD_CHECKSUM)
        printf("    checksum 0x%08x, computed 0x%08x\n", (unsigned)h->checksum,
               (unsigned)h->checksum_computed);
    if (v == TBF_APP || v == TBF_PADDING || v == TBF_BAD_CHECKSUM)
        print_tlvs(obj, h);
}
