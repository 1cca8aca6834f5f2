/*
 * bus_mux: the shape every bus mux shares, written once. The SPI mux
 * (capsules/spi_mux.h) and the I2C mux (capsules/i2c_mux.h) embed it and
 * add only what is particular to their bus; storage and screen muxes can
 * do the same.
 *
 * Clients. A client is one device on the bus as one kernel component or
 * one process uses it (a chip select, an I2C address): a struct
 * bus_client embedded in the particular mux's device struct, attached
 * under its client id in the mux's client table (kernel/client_table.h).
 * Two users of one device are two clients. Each client has at most one
 * operation queued or running (BUSY otherwise).
 *
 * Turns. The bus serves one client at a time, round robin among the
 * clients with an operation queued (kernel/rr.h): a turn is one
 * operation, or one held transaction (an operation completed with `keep`
 * keeps the bus for the same client: the turn goes on with its next
 * operation, and nobody else's starts in between). So from the moment a
 * client queues an operation, at most N-1 other turns start before its
 * own (N attached clients).
 *
 * A turn that never ends. Every turn is timed by the mux's watchdog (a
 * virtual alarm of its own) from its start to its end. When it fires,
 * the particular mux's recover() stops the hardware and puts the bus
 * back in a known state (I2C bus clear, SPI reset, chip select
 * released), the operation running ends with FAIL for its own client,
 * and the next client's turn starts. A held turn that times out between
 * two operations is cut: that client's next request answers CANCEL (its
 * device saw the transaction end), counted in `cut`. Only the client
 * whose turn it was is affected.
 *
 * Buffers. The mux keeps no data: a client's buffers go down to the
 * driver in its own turn and come back to that client in its callback.
 * When a client detaches while its operation is on the bus, recover()
 * stops the hardware first (the HILs promise the driver no longer
 * touches the buffers then), so a departing process's grant is never
 * written after it is gone. A detached client gets no callback.
 *
 * Completions. The particular mux calls bus_mux_complete() from its
 * HIL's callback; one that comes while no operation runs (a driver
 * completing twice, or late after a reset) is dropped and counted
 * (spurious), never taken for the next client's. The next turn starts
 * from the mux's deferred call, never inside a callback.
 *
 * Conservation (kernel/tally.h), per client and for all: every operation
 * accepted is taken and ends delivered (SUCCESS), failed (any error, the
 * watchdog's included) or departed (its client detached first).
 *
 * What the particular mux supplies (struct bus_mux_ops):
 *   start(m, c)     put c's queued operation on the hardware; an error
 *                   ends it with that status (the bus is recovered)
 *   recover(m, c)   stop the hardware, release c's lines
 *   finish(c, s)    hand c's ended operation back to c (its callback)
 *
 *     struct foo_device { struct bus_client bus; ...the operation... };
 *     bus_mux_init(&foo->bus, &foo_bus_ops, slots, rr_bits, 8, &wd.hil, 50000);
 *     bus_mux_attach(&foo->bus, &dev->bus, id);
 *     bus_mux_request(&dev->bus);            // in foo_transfer()
 *     bus_mux_complete(&foo->bus, status, keep);  // in the HIL's done
 */
#ifndef VMUX_CAPSULES_BUS_MUX_H
#define VMUX_CAPSULES_BUS_MUX_H

#include <stdbool.h>
#include <stdint.h>

#include "hil/alarm.h"
#include "kernel/client_table.h"
#include "kernel/deferred.h"
#include "kernel/rr.h"
#include "kernel/tally.h"

struct bus_mux;

struct bus_client {
    struct client_entry entry;     /* identity and slot in the mux's table */
    struct bus_mux *mux;
    bool queued;                   /* an operation waits or runs */
    bool cut;                      /* its held turn was cut: next request CANCEL */
    struct tally ops;              /* its operations (see Conservation) */
};

struct bus_mux_ops {
    vmux_err_t (*start)(struct bus_mux *m, struct bus_client *c);
    void (*recover)(struct bus_mux *m, struct bus_client *c);
    void (*finish)(struct bus_client *c, vmux_err_t status);
};

struct bus_mux_counters {
    struct tally ops;              /* operations of all clients */
    uint32_t turns;                /* turns started */
    uint32_t timeouts;             /* turns the watchdog ended */
    uint32_t cut;                  /* held turns cut between operations */
    uint32_t spurious;             /* completions with nothing running */
};

struct bus_mux {
    const struct bus_mux_ops *ops;
    struct client_table clients;
    struct rr rr;
    int16_t holder;                /* slot whose turn it is; -1 between turns */
    bool running;                  /* the holder's operation is on the bus */
    struct deferred_call work;
    struct hil_alarm *watchdog;
    struct hil_alarm_client watchdog_client;
    uint32_t timeout_ticks;
    struct bus_mux_counters counters;
};

/* The watchdog is an alarm for the mux alone; a turn longer than
 * timeout_us is ended. INVALID for missing storage or alarm; NOMEM when
 * no deferred call is left. */
vmux_err_t bus_mux_init(struct bus_mux *m, const struct bus_mux_ops *ops,
                        struct client_entry **storage, uint32_t *rr_words, unsigned capacity,
                        struct hil_alarm *watchdog, uint32_t timeout_us);

/* NOMEM when the table is full, ALREADY when c is attached. */
vmux_err_t bus_mux_attach(struct bus_mux *m, struct bus_client *c, client_id_t id);

/* Harmless when not attached. See Buffers. */
void bus_mux_detach(struct bus_client *c);

/* Queue c's operation (its fields set by the particular mux). OFF when
 * not attached, BUSY when one is queued, CANCEL once after a cut turn. */
vmux_err_t bus_mux_request(struct bus_client *c);

/* The client whose operation is on the bus, NULL when none. */
struct bus_client *bus_mux_running(const struct bus_mux *m);

/* Is it c's turn (an operation running, or a held transaction)? */
bool bus_mux_has_turn(const struct bus_client *c);

/* The operation on the bus ended with status; keep: the turn goes on
 * (a held transaction). False (counted spurious) when none was running. */
bool bus_mux_complete(struct bus_mux *m, vmux_err_t status, bool keep);

/* End c's held turn between operations (its lines already released). */
void bus_mux_end_turn(struct bus_client *c);

#endif
