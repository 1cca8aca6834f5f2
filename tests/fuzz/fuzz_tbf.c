/*
 * Fuzz the TBF parser (kernel/tbf.h) as the loader uses it: walk the
 * input as an app list. Invariants: nothing reads outside the input
 * (ASan), a skippable verdict has a total size inside what was left, an
 * app's entry is inside its object, names are printable and terminated,
 * and the walk ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tbf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
        if (v == TBF_APP && (h.header_size > h.total_size ||
                             h.init_fn_offset >= h.total_size - h.header_size))
            abort();
        at += h.total_size;
    }
}
