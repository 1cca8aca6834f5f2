/*
 * Fuzz the TBF parser (kernel/tbf.h) as the loader uses it: walk the
 * input as an app list. Invariants: nothing reads outside the input
 * (ASan), a skippable verdict has a total size inside what was left, an
 * app's binary and entry are inside its object (the entry inside the
 * binary), its writeable flash regions inside the object, what it keeps
 * within the bounds of its arrays, names are printable and terminated,
 * and the walk ends; the SHA-256 check reads only the object.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tbf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool app_ok(const struct tbf_header *h)
{
    uint64_t end = h->binary_end_offset;
    if (h->header_size > h->total_size || end > h->total_size || end < h->header_size ||
        (uint64_t)h->header_size + h->protected_trailer_size > end ||
        (uint64_t)h->header_size + h->init_fn_offset >= end)
        return false;
    if (h->flash_region_count > TBF_FLASH_REGIONS_MAX ||
        h->storage_read_count > TBF_STORAGE_IDS_MAX ||
        h->storage_modify_count > TBF_STORAGE_IDS_MAX || h->sha256_count > h->footer_count ||
        (!h->has_program && h->footer_count))
        return false;
    if (h->has_storage &&
        ((uint32_t)h->storage_read_at + 4u * h->storage_read_count > h->header_size ||
         (uint32_t)h->storage_modify_at + 4u * h->storage_modify_count > h->header_size))
        return false;
    for (unsigned i = 0; i < h->flash_region_count; i++)
        if ((uint64_t)h->flash_regions[i].offset + h->flash_regions[i].size > h->total_size)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t at = 0;
    for (unsigned objects = 0;; objects++) {
        if (objects > size)
            abort(); /* every step moves forward by at least 16 bytes */
        struct tbf_header h;
        /* A copy of exactly what is left, so ASan sees any overread. */
        size_t left = size - at;
        uint8_t *copy = malloc(left ? left : 1);
        memcpy(copy, data + at, left);
        enum tbf_verdict v = tbf_parse(copy, left, &h);
        if (v == TBF_APP)
            (void)tbf_check_sha256(copy, &h); /* reads only the object */
        free(copy);
        if (strlen(h.name) > TBF_NAME_MAX)
            abort();
        for (const char *c = h.name; *c; c++)
            if (*c < 0x21 || *c > 0x7e)
                abort();
        if (!tbf_can_skip(v))
            return 0;
        if (h.total_size < TBF_BASE_SIZE || h.total_size > left)
            abort();
        if (v == TBF_APP && !app_ok(&h))
            abort();
        (void)tbf_kernel_version_ok(&h);
        at += h.total_size;
    }
}
