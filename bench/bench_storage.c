/*
 * Key-value store benchmarks (capsules/storage/kv_store.h), counted in
 * instructions by callgrind (bench/run.sh), on the storage fixture
 * (tests/unit/kv_fixture.h: the simulated block device on memory, the
 * storage mux, the store over 256 blocks).
 *
 *   bench_storage get N    N keys in the store, then OPS gets of them
 *   bench_storage set N    N keys in the store, then OPS sets (each an
 *                          overwrite of one of them, with its collection)
 *   bench_storage sizes    RAM of the store, a region table and an index
 *                          entry
 *
 * Only bench_kv_get / bench_kv_set are counted (callgrind's
 * --toggle-collect): the requests, the simulated device completing them,
 * the store's work in between. get and set also print the device's
 * traffic: write amplification is the bytes written to the device
 * (blocks and erases, 512 bytes each) over the record bytes the requests
 * appended, and over the keys and values the clients gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsules/storage/regions.h"
#define KF_INDEX 2048u /* at most half full: the index is open addressing */
#include "tests/unit/kv_fixture.h"

#define BLOCKS SF_DEVICE_BLOCKS
#define OPS 500u
#define VALUE_LEN 8u

static struct kv_fixture f;
static char keys[1000][12];
static unsigned long operations;

static void value_of(uint8_t *v, unsigned i, unsigned round)
{
    for (unsigned b = 0; b < VALUE_LEN; b++)
        v[b] = (uint8_t)(i * 7u + round + b);
}

static void fill(unsigned n)
{
    if (!kf_boot(&f, true, BLOCKS, 0, KF_INDEX) ||
        kv_store_grant(&f.kv, 1, f.kv.capacity) != VMUX_SUCCESS || !kf_mount(&f) ||
        !kf_attach(&f, 0, 1, (const uint32_t[]){ 1, 0 }, (const uint32_t[]){ 1, 0 })) {
        fprintf(stderr, "bench_storage: no store\n");
        exit(1);
    }
    for (unsigned i = 0; i < n; i++) {
        uint8_t v[VALUE_LEN];
        snprintf(keys[i], sizeof keys[i], "key%05u", i);
        value_of(v, i, 0);
        vmux_err_t err = kf_call(&f, 0, KV_SET, keys[i], v, sizeof v);
        if (err != VMUX_SUCCESS) {
            fprintf(stderr, "bench_storage: set %u of %u: %s\n", i, n, vmux_err_name(err));
            exit(1);
        }
    }
}

/* The keys in a fixed spread order (a stride prime to n). */
static unsigned pick(unsigned k, unsigned n)
{
    return (unsigned)((k * 7919u) % n);
}

__attribute__((noinline)) void bench_kv_get(unsigned n)
{
    for (unsigned k = 0; k < OPS; k++) {
        unsigned i = pick(k, n);
        if (kf_call(&f, 0, KV_GET, keys[i], NULL, 0) != VMUX_SUCCESS ||
            f.probes[0].value_len != VALUE_LEN)
            exit(1);
        operations++;
    }
}

__attribute__((noinline)) void bench_kv_set(unsigned n)
{
    for (unsigned k = 0; k < OPS; k++) {
        unsigned i = pick(k, n);
        uint8_t v[VALUE_LEN];
        value_of(v, i, k + 1);
        if (kf_call(&f, 0, KV_SET, keys[i], v, sizeof v) != VMUX_SUCCESS)
            exit(1);
        operations++;
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "sizes") == 0) {
        printf("struct kv_store %zu, per key (struct kv_entry) %zu, per owner (struct kv_owner) "
               "%zu, per block of the log 1, struct regions %zu, per region slot %zu, "
               "struct storage_mux %zu\n",
               sizeof(struct kv_store), sizeof(struct kv_entry), sizeof(struct kv_owner),
               sizeof(struct regions), sizeof(struct region_slot), sizeof(struct storage_mux));
        return 0;
    }
    unsigned n = argc == 3 ? (unsigned)atoi(argv[2]) : 0;
    if (argc != 3 || n < 1 || n > 1000 || (strcmp(argv[1], "get") && strcmp(argv[1], "set"))) {
        fprintf(stderr, "usage: bench_storage get|set N (1..1000) | sizes\n");
        return 2;
    }
    fill(n);
    struct kv_store_counters before = f.kv.counters;
    unsigned written = f.sf.device.counters.writes + f.sf.device.counters.erases;
    unsigned read = f.sf.device.counters.reads;
    if (argv[1][0] == 'g')
        bench_kv_get(n);
    else
        bench_kv_set(n);
    written = f.sf.device.counters.writes + f.sf.device.counters.erases - written;
    read = f.sf.device.counters.reads - read;
    uint32_t records = f.kv.counters.user_bytes - before.user_bytes;
    printf("operations %lu\n", operations);
    printf("blocks_read_per_op %.2f blocks_written_per_op %.2f collected_per_op %.2f\n",
           (double)read / OPS, (double)written / OPS,
           (double)(f.kv.counters.gc_steps - before.gc_steps) / OPS);
    if (records)
        printf("write_amplification %.1f of records (%.1f of keys and values)\n",
               (double)written * HIL_BLOCK_SIZE / records,
               (double)written * HIL_BLOCK_SIZE / (OPS * (strlen(keys[0]) + VALUE_LEN)));
    return 0;
}
