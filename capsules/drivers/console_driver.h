/*
 * Console syscall driver: driver 0x1, compatible with Tock's console.
 *
 * A process's console is its own channel of the UART mux, attached on the
 * process's first command and announced under the process's name. Frames
 * the peer sends on that channel reach that process only; nobody reads
 * another's input (the policy's UART example). The channel closes when
 * the process ends.
 *
 *   command 1, n   write min(n, len) bytes of read-only allow 1   Success
 *   command 2, n   read min(n, len) bytes into read-write allow 1 Success
 *   command 3      abort the read in progress                     Success
 *   other                                                         NOSUPPORT
 *   subscribe 1    write done: (bytes written, 0, 0)
 *   subscribe 2    read done:  (status, bytes received, 0)
 *   read-only allow 1    what to write
 *   read-write allow 1   where reads land
 *
 * Write. The bytes go out in chunks of CONSOLE_DRIVER_TX_CHUNK, each
 * copied from the allow when it is sent; if the process shrinks or
 * withdraws the buffer meanwhile, the write ends with what was sent. A
 * write of 0 bytes (nothing allowed, or n = 0) succeeds and its upcall
 * reports 0. Failures: BUSY while this process's previous write is going
 * out (Tock would overwrite it), NOMEM when the mux has no channel left.
 *
 * Read. Completes when min(n, len) bytes have arrived on the channel
 * (Tock's getnstr), or at abort. Bytes are gathered in a kernel buffer
 * and copied into the allow that is there at completion, as far as it
 * reaches. Read-done status: 0; SIZE when the buffer then held fewer
 * bytes than received (the count is what was copied); NOMEM when no
 * buffer was allowed any more (count 0); CANCEL after an abort, with the
 * bytes received until then.
 * Failures of command 2: BUSY while this process reads already (each
 * process has its own channel, so only its own read can be in the way);
 * INVALID beyond CONSOLE_DRIVER_RX_MAX bytes (Tock's kernel buffer
 * limit); SIZE for 0 bytes (nothing allowed, or n = 0).
 * Command 3 succeeds also when no read is in progress.
 * Conservation (kernel/tally.h), for all processes, in bytes: tx
 * takes the bytes of each write (min(n, len)), each ending sent
 * (delivered), not sent when the write ended early (failed: the count in
 * the upcall says how far it went), or unsent when the process ended
 * (departed); rx takes the bytes a read gathered, each ending copied into
 * the allow (delivered), not copied, the allow being too short or gone
 * then (refused), or gathered for a read the process's end cut short
 * (departed). The mux counts the same bytes on its side
 * (capsules/uart_mux.h).
 */
#ifndef VMUX_CAPSULES_DRIVERS_CONSOLE_DRIVER_H
#define VMUX_CAPSULES_DRIVERS_CONSOLE_DRIVER_H

#include "capsules/uart_mux.h"
#include "kernel/syscall_driver.h"

#define CONSOLE_DRIVER_NUM 0x1u
#define CONSOLE_DRIVER_RX_MAX 64u     /* longest read, as Tock's default */
#define CONSOLE_DRIVER_TX_CHUNK 64u   /* bytes copied out of the allow per frame */

enum console_driver_command {
    CONSOLE_CMD_WRITE = 1,
    CONSOLE_CMD_READ = 2,
    CONSOLE_CMD_ABORT_READ = 3,
};

#define CONSOLE_UPCALL_WRITE_DONE 1u
#define CONSOLE_UPCALL_READ_DONE 2u
#define CONSOLE_ALLOW_RO_WRITE 1u
#define CONSOLE_ALLOW_RW_READ 1u

struct console_driver {
    struct syscall_driver driver;   /* register &d->driver */
    struct uart_mux *mux;
    struct tally tx, rx;            /* bytes, every process (see Conservation) */
};

void console_driver_init(struct console_driver *d, struct uart_mux *mux);

#endif
