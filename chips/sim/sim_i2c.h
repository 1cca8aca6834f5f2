/*
 * Simulated I2C: struct hil_i2c (hil/i2c.h) on the host board's clock,
 * with simulated devices at their addresses, which behave as QEMU's do
 * (chips/sim/sim_tmp105.h, sim_at24c.h, sim_ds1338.h).
 *
 * A transaction runs when it completes: after 9 bit times at 100 kHz per
 * byte on the wire (each address and data byte), a simulated event
 * raises the controller's deferred call, whose bottom half calls done().
 * The write part is joined to the read part by a repeated START. Each
 * device sees it through its ops: start(read) for its address (false:
 * it does not acknowledge), write(byte) for each byte written (false:
 * it does not acknowledge that byte, and the transaction ends there),
 * read() for each byte read, stop() at the end. Nobody at the address:
 * NOACK, as a missing device.
 *
 * reset() gives up the transaction (no done() follows) and frees a stuck
 * bus; counted in resets.
 *
 * Faults (chips/sim/sim_fault.h). On the controller
 * (sim_i2c_inject_fault), for transactions:
 *   REFUSE   transfer() returns the error.
 *   ERROR    it completes with the error (FAIL if 0: a bus error);
 *            no device sees it.
 *   LATE     it completes delay_ns late.
 *   NEVER    a stuck bus: it never completes, nor does any other
 *            transaction until reset() frees the bus.
 *   TWICE    done() is called twice.
 *   CORRUPT  the first byte read has its bit 0 flipped.
 * On one device (sim_i2c_device_fault), for transactions with it:
 *   ERROR    it does not acknowledge its address (NOACK).
 *   LATE     it stretches the clock delay_ns.
 *   NEVER    it stretches the clock forever: the transaction never
 *            completes until reset(), and the bus with it.
 *   CORRUPT  the first byte it sends has its bit 0 flipped.
 *
 * Storage: all in the structs, the board's (static).
 */
#ifndef VMUX_CHIPS_SIM_SIM_I2C_H
#define VMUX_CHIPS_SIM_SIM_I2C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/sim/sim.h"
#include "chips/sim/sim_fault.h"
#include "hil/i2c.h"
#include "kernel/deferred.h"

#define SIM_I2C_BYTE_NS 90000u      /* 9 bits at 100 kHz */

struct sim_i2c_device;

struct sim_i2c_device_ops {
    bool (*start)(struct sim_i2c_device *d, bool read);
    bool (*write)(struct sim_i2c_device *d, uint8_t byte);
    uint8_t (*read)(struct sim_i2c_device *d);
    void (*stop)(struct sim_i2c_device *d);
};

struct sim_i2c_device {
    const struct sim_i2c_device_ops *ops;
    uint8_t address;
    uint32_t transactions;       /* that reached it */
    struct sim_fault_slot fault;
    struct sim_i2c_device *next;
};

struct sim_i2c_counters {
    uint32_t transactions;       /* completed */
    uint32_t bytes;
    uint32_t nacks;
    uint32_t resets;
};

struct sim_i2c {
    struct hil_i2c hil;
    bool busy;
    bool stuck;                  /* until reset() */
    uint8_t address;
    uint8_t *buf;
    size_t write_len, read_len;
    vmux_err_t status;
    enum sim_fault_kind applying;          /* the controller's fault */
    enum sim_fault_kind device_applying;   /* the device's */
    struct sim_event completion;
    struct deferred_call irq;
    struct sim_fault_slot fault;
    struct sim_i2c_device *devices;
    struct sim_i2c_counters counters;
};

/* NOMEM when no deferred call is left. */
vmux_err_t sim_i2c_init(struct sim_i2c *i);

/* Put d on the bus at address (its fields but ops, address, next kept). */
void sim_i2c_attach(struct sim_i2c *i, struct sim_i2c_device *d,
                    const struct sim_i2c_device_ops *ops, unsigned address);

/* NULL or SIM_FAULT_NONE disarms. */
void sim_i2c_inject_fault(struct sim_i2c *i, const struct sim_fault *fault);
void sim_i2c_device_fault(struct sim_i2c_device *d, const struct sim_fault *fault);

#endif
