/*
 * Tock Binary Format (TBF) headers: the parser the loader and tools/tbf
 * share. Portable and defensive: it reads only the bytes it is given,
 * any byte sequence is a valid input (tests/fuzz/fuzz_tbf.c), and it
 * never trusts a size before checking it against what is there.
 *
 * An app list is TBF objects back to back; the next object starts
 * total_size bytes after this one. Little-endian throughout.
 *
 *   base header  0  u16 version (2)     2  u16 header_size (base + TLVs)
 *                4  u32 total_size      8  u32 flags (bit 0: enabled)
 *               12  u32 checksum: XOR of every 4-byte word of the header
 *                   except this one
 *   TLVs         u16 type, u16 length, data padded to 4 bytes
 *                type 1 Main: u32 init_fn_offset (entry, from the end of
 *                  the header), u32 protected_size, u32 minimum_ram_size
 *                type 3 Package Name: the name, length bytes, no NUL
 *                other types are skipped
 *
 * Verdicts, in the order they are checked:
 *   TBF_END        fewer than 4 bytes left, or a version other than 2
 *                  (erased flash reads 0xFFFF, zeroed flash 0): the list
 *                  is over
 *   TBF_TRUNCATED  the base header or total_size does not fit in what is
 *                  left, or total_size is not a multiple of 4 or below 16:
 *                  nothing after it can be trusted; stop
 *   TBF_BAD_HEADER header_size below 16, above total_size or not a
 *                  multiple of 4
 *   TBF_BAD_CHECKSUM (the TLVs are parsed all the same: name and Main
 *                  say what the object claims to be)
 *   TBF_BAD_TLV    a TLV runs past the header, a Main TLV shorter than 12
 *                  bytes or with its entry outside the object, a name
 *                  longer than TBF_NAME_MAX or with bytes outside
 *                  printable ASCII (0x21-0x7e)
 *   TBF_PADDING    valid, without a Main TLV: not an app
 *   TBF_APP        valid, with a Main TLV (check `enabled`)
 * From TBF_BAD_HEADER on, total_size is trustworthy: skip the object.
 */
#ifndef VMUX_KERNEL_TBF_H
#define VMUX_KERNEL_TBF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TBF_VERSION 2u
#define TBF_BASE_SIZE 16u
#define TBF_TLV_MAIN 1u
#define TBF_TLV_PACKAGE_NAME 3u
#define TBF_MAIN_SIZE 12u
#define TBF_FLAG_ENABLED 1u
#define TBF_NAME_MAX 23u   /* fits a process name (kernel/process.h) */

enum tbf_verdict {
    TBF_APP,
    TBF_PADDING,
    TBF_END,
    TBF_TRUNCATED,
    TBF_BAD_HEADER,
    TBF_BAD_CHECKSUM,
    TBF_BAD_TLV,
};

struct tbf_header {
    uint16_t version;
    uint16_t header_size;
    uint32_t total_size;
    uint32_t flags;
    uint32_t checksum;        /* as stored */
    uint32_t checksum_computed;
    bool enabled;
    bool has_main;
    uint32_t init_fn_offset;  /* from the end of the header */
    uint32_t protected_size;
    uint32_t minimum_ram_size;
    char name[TBF_NAME_MAX + 1]; /* "" without a Package Name TLV */
};

/* Parse the object at data (avail bytes left in the list) into *out. */
enum tbf_verdict tbf_parse(const uint8_t *data, size_t avail, struct tbf_header *out);

/* Can the walk go on past a verdict (skipping total_size bytes)? */
bool tbf_can_skip(enum tbf_verdict v);

/* XOR of the words of header[0, header_size) but word 3; header_size a
 * multiple of 4. */
uint32_t tbf_checksum(const uint8_t *header, size_t header_size);

const char *tbf_verdict_name(enum tbf_verdict v);

#endif
