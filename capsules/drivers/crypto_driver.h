/*
 * Crypto syscall driver: driver 0x40100, vmux's own, over the crypto mux
 * and its AES-128 engine. Tock's cryptography class starts at 0x40000
 * and its drivers use 0x40001 (RNG) to 0x40006 (AES); 0x40100 is
 * assigned to nothing there, so no Tock program reaches this driver by
 * mistake (it was 0x40001, Tock's RNG, until vmux had an RNG driver).
 *
 * Key registers are few and cannot be shared, so a process reserves one
 * (first come, first served: the policy's "unreturnable lock") and keeps
 * it until it releases it or ends. A handle names a register and one
 * reservation of it by one client, and processes are clients by slot and
 * generation: a handle is good only for the process (and the life of it)
 * that reserved it. Everyone else gets RESERVE, so no process can load,
 * use or release another's key.
 *
 *   command 1              reserve a key register     Success u32 = handle;
 *                                                      NOMEM when all are held
 *   command 2, h           load the key (read-only allow 0, 16 bytes)
 *                          into h                      Success; NOMEM no key
 *                          allowed; SIZE shorter than 16; RESERVE not
 *                          this process's handle; INVALID no such handle
 *   command 3, op, h       run op (enum hil_crypto_op: 0 ECB encrypt,
 *                          1 ECB decrypt, 2 CBC encrypt, 3 CBC decrypt,
 *                          4 CTR) with h on read-only allow 1 into
 *                          read-write allow 0, with the iv (16 bytes) of
 *                          read-only allow 2 for CBC and CTR
 *                                                      Success; INVALID
 *                          bad op or handle; NOMEM a buffer it needs is
 *                          not allowed; SIZE input longer than
 *                          CRYPTO_DRIVER_MAX_LEN or than the output
 *                          buffer, not whole blocks (ECB, CBC), or iv
 *                          shorter than 16; RESERVE not this process's
 *                          handle; BUSY while its previous operation runs
 *   command 4, h           release h (the register is wiped)
 *                                                      Success; RESERVE;
 *                                                      INVALID
 *   other                                              NOSUPPORT
 *   subscribe 0    operation done: (status, bytes written, 0)
 *   read-only allow 0 key, 1 input, 2 iv; read-write allow 0 output
 *
 * The input is copied into a kernel buffer when the operation is asked
 * for; the engine works there, in place; the result is copied into the
 * read-write allow that is there at completion, as far as it reaches
 * (status SIZE when it no longer fits all; NOMEM when none is allowed any
 * more). The read-only allows are only ever read. Releasing the handle of
 * an operation in flight ends it with CANCEL, writing nothing.
 *
 * When a process ends, its registers are wiped and released and its
 * operation dropped; no upcall follows.
 */
#ifndef VMUX_CAPSULES_DRIVERS_CRYPTO_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_CRYPTO_DRIVER_H

#include "capsules/crypto_mux.h"
#include "kernel/syscall_driver.h"

#define CRYPTO_DRIVER_NUM 0x40100u
#define CRYPTO_DRIVER_MAX_LEN 128u   /* bytes per operation */

enum crypto_driver_command {
    CRYPTO_CMD_RESERVE = 1,
    CRYPTO_CMD_LOAD_KEY = 2,
    CRYPTO_CMD_CRYPT = 3,
    CRYPTO_CMD_RELEASE = 4,
};

#define CRYPTO_UPCALL_DONE 0u
#define CRYPTO_ALLOW_RO_KEY 0u
#define CRYPTO_ALLOW_RO_INPUT 1u
#define CRYPTO_ALLOW_RO_IV 2u
#define CRYPTO_ALLOW_RW_OUTPUT 0u

struct crypto_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct crypto_mux *mux;
};

void crypto_driver_init(struct crypto_driver *d, struct crypto_mux *mux);

#endif
