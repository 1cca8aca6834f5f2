/*
 * Tock Binary Format (TBF) objects: the parser the loader and tools/tbf
 * share. Portable and defensive: it reads only the bytes it is given,
 * any byte sequence is a valid input (tests/fuzz/fuzz_tbf.c), and it
 * never trusts a size before checking it against what is there.
 *
 * An app list is TBF objects back to back; the next object starts
 * total_size bytes after this one. Little-endian throughout. An object:
 *
 *   header     base header, then TLVs, header_size bytes in all
 *   trailer    protected_trailer_size bytes (the app cannot write them)
 *   binary     from header_size + protected_trailer_size up to
 *              binary_end_offset (the Program TLV's; total_size without
 *              one): what libtock-c's crt0 calls the app's start
 *   footers    credentials TLVs up to total_size (only with a Program
 *              TLV), then padding
 *
 *   base header  0  u16 version (2)     2  u16 header_size (base + TLVs)
 *                4  u32 total_size      8  u32 flags (bit 0 enabled,
 *                                          bit 1 sticky)
 *               12  u32 checksum: XOR of every 4-byte word of the header
 *                   except this one
 *   TLVs         u16 type, u16 length, data padded to 4 bytes:
 *     1 Main           u32 init_fn_offset (the entry, from the end of the
 *                      header), u32 protected_trailer_size,
 *                      u32 minimum_ram_size (12 bytes exactly)
 *     2 Writeable flash regions  (u32 offset from the object's start,
 *                      u32 size) pairs; the first TBF_FLASH_REGIONS_MAX
 *                      are kept, the rest counted
 *     3 Package Name   the name, length bytes, no NUL
 *     5 Fixed addresses  u32 RAM start, u32 binary start in flash
 *                      (TBF_NO_FIXED_ADDRESS: none) (8 bytes)
 *     6 Permissions    u16 n, then n x (u32 driver, u32 offset,
 *                      u64 allowed commands): counted, not enforced
 *     7 Storage permissions  u32 write_id, u16 n, n x u32 read ids,
 *                      u16 m, m x u32 modify ids (at most
 *                      TBF_STORAGE_IDS_MAX each; write_id 0: none): the
 *                      write id, the counts and where the ids are kept
 *                      (tbf_storage_id); the storage drivers enforce
 *                      them (capsules/storage/storage_permissions.h)
 *     8 Kernel version u16 major, u16 minor: the app runs on kernels
 *                      >= major.minor and < (major + 1).0 (4 bytes)
 *     9 Program        Main's three fields, u32 binary_end_offset,
 *                      u32 version (20 bytes); preferred over Main when
 *                      both are present
 *    10 ShortId        u32 (0: none) (4 bytes)
 *       other types are skipped
 *   footers      TLVs of type 128 (credentials): u32 format (0 reserved
 *                space, 1 RSA-3072, 2 RSA-4096, 3 SHA-256, 4 SHA-384,
 *                5 SHA-512; every format is accepted), then its data
 *                (SHA-256: the 32-byte hash of [0, binary_end_offset)).
 *                The walk stops at the first TLV of another type (the
 *                rest is padding).
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
 *   TBF_BAD_TLV    a TLV runs past the header or has the wrong length for
 *                  its type; a name longer than TBF_NAME_MAX or with
 *                  bytes outside printable ASCII (0x21-0x7e); more than
 *                  TBF_STORAGE_IDS_MAX storage ids; a writeable flash region
 *                  outside the object; an entry point or binary outside
 *                  [header_size, binary_end_offset), or a binary end
 *                  outside [header_size, total_size]
 *   TBF_BAD_FOOTER a credentials footer shorter than its format word,
 *                  a SHA-256 one of another length than 4 + 32 bytes, or
 *                  one running past total_size
 *   TBF_PADDING    valid, without a Main or Program TLV: not an app
 *   TBF_APP        valid, with one (check `enabled`)
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
#define TBF_TLV_FLASH_REGIONS 2u
#define TBF_TLV_PACKAGE_NAME 3u
#define TBF_TLV_FIXED_ADDRESSES 5u
#define TBF_TLV_PERMISSIONS 6u
#define TBF_TLV_STORAGE 7u
#define TBF_TLV_KERNEL_VERSION 8u
#define TBF_TLV_PROGRAM 9u
#define TBF_TLV_SHORT_ID 10u
#define TBF_TLV_CREDENTIALS 128u
#define TBF_MAIN_SIZE 12u
#define TBF_PROGRAM_SIZE 20u
#define TBF_FLAG_ENABLED 1u
#define TBF_FLAG_STICKY 2u
#define TBF_CREDENTIALS_RESERVED 0u
#define TBF_CREDENTIALS_SHA256 3u
#define TBF_SHA256_SIZE 32u
#define TBF_NO_FIXED_ADDRESS 0xffffffffu
#define TBF_NAME_MAX 23u            /* fits a process name (kernel/process.h) */
#define TBF_FLASH_REGIONS_MAX 4u    /* as Tock keeps */
#define TBF_STORAGE_IDS_MAX 8u      /* as Tock keeps, each of read and modify */

/* The system call ABI vmux implements, as a Kernel Version TLV names it:
 * Tock 2.x, TRD104 as of Tock 2.2 (yield-wait-for included). An app that
 * asks for ^2.0, ^2.1 or ^2.2 runs; ^2.3 or ^3.0 does not. */
#define TBF_KERNEL_MAJOR 2u
#define TBF_KERNEL_MINOR 2u

enum tbf_verdict {
    TBF_APP,
    TBF_PADDING,
    TBF_END,
    TBF_TRUNCATED,
    TBF_BAD_HEADER,
    TBF_BAD_CHECKSUM,
    TBF_BAD_TLV,
    TBF_BAD_FOOTER,
};

struct tbf_region {
    uint32_t offset, size;  /* from the start of the object */
};

struct tbf_header {
    uint16_t version;
    uint16_t header_size;
    uint32_t total_size;
    uint32_t flags;
    uint32_t checksum;        /* as stored */
    uint32_t checksum_computed;
    bool enabled, sticky;
    bool has_main, has_program;
    /* From the Program TLV when there is one, else from Main. */
    uint32_t init_fn_offset;  /* from the end of the header */
    uint32_t protected_trailer_size;
    uint32_t minimum_ram_size;
    uint32_t binary_end_offset; /* total_size without a Program TLV */
    uint32_t app_version;       /* 0 without a Program TLV */
    char name[TBF_NAME_MAX + 1]; /* "" without a Package Name TLV */
    uint8_t flash_region_count;   /* kept, at most TBF_FLASH_REGIONS_MAX */
    uint8_t flash_regions_ignored; /* beyond those */
    struct tbf_region flash_regions[TBF_FLASH_REGIONS_MAX];
    uint32_t fixed_ram, fixed_flash; /* TBF_NO_FIXED_ADDRESS: none */
    bool has_kernel_version;
    uint16_t kernel_major, kernel_minor;
    uint16_t permission_count;  /* driver permission entries */
    bool has_storage;
    uint8_t storage_read_count, storage_modify_count;
    uint32_t storage_write_id;
    /* The ids stay in the object: id i of a list is the little-endian
     * u32 at its offset + 4 * i (tbf_get32(obj + offset + 4 * i)). */
    uint16_t storage_read_at, storage_modify_at;
    uint32_t short_id;          /* 0: none */
    uint8_t footer_count;       /* credentials footers (255: 255 or more) */
    uint8_t sha256_count;       /* of them SHA-256 */
};

/* Parse the object at data (avail bytes left in the list) into *out. */
enum tbf_verdict tbf_parse(const uint8_t *data, size_t avail, struct tbf_header *out);

/* Can the walk go on past a verdict (skipping total_size bytes)? */
bool tbf_can_skip(enum tbf_verdict v);

/* XOR of the words of header[0, header_size) but word 3; header_size a
 * multiple of 4. */
uint32_t tbf_checksum(const uint8_t *header, size_t header_size);

const char *tbf_verdict_name(enum tbf_verdict v);

/* The little-endian u32 at p (any alignment). */
uint32_t tbf_get32(const uint8_t *p);

/* Id i of the Storage Permissions TLV's read list (modify: its modify
 * list) of the object obj, h its parse: 0 for i past the list's count
 * (0 is never an app's id: it is the kernel's). */
uint32_t tbf_storage_id(const uint8_t *obj, const struct tbf_header *h, bool modify, unsigned i);

/* May an app with header h run on this kernel (TBF_KERNEL_MAJOR.MINOR)?
 * Yes without a Kernel Version TLV. */
bool tbf_kernel_version_ok(const struct tbf_header *h);

/* The next TLV of [*at, end) in data: its type and length and where its
 * value starts; *at moves past it (padded to 4). false when fewer than 4
 * bytes are left or the value runs past end. */
bool tbf_next_tlv(const uint8_t *data, uint32_t *at, uint32_t end, uint16_t *type,
                  uint16_t *length, uint32_t *value);

/* The SHA-256 credentials of the object obj (h: its parse, a TBF_APP):
 * TBF_SHA256_NONE when it carries none, TBF_SHA256_MATCH when every
 * SHA-256 footer holds the hash of [0, binary_end_offset) (kernel/
 * sha256.h), TBF_SHA256_MISMATCH otherwise. Reads only [0, total_size).
 * A board that asks for it refuses an app whose hash does not match. */
enum tbf_sha256 { TBF_SHA256_NONE, TBF_SHA256_MATCH, TBF_SHA256_MISMATCH };
enum tbf_sha256 tbf_check_sha256(const uint8_t *obj, const struct tbf_header *h);

#endif
