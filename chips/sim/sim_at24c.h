/*
 * A simulated AT24C-series EEPROM on a simulated I2C bus
 * (chips/sim/sim_i2c.h), as QEMU 7.2's model behaves
 * (hw/nvram/eeprom_at24c.c): a two-byte address (most significant
 * first) at the start of every write sets the address counter; the
 * bytes written after it are stored there, those read come from there,
 * and the counter moves on by one each, wrapping at the end of the
 * memory (no page wrap, no write cycle: QEMU's model has neither). A
 * read without a written address goes on from the counter.
 *
 * Backed by a file when given one: its first `size` bytes are loaded at
 * attach (a shorter or missing file reads as 0xff beyond its end), and
 * the memory is written back at the end of every transaction that
 * changed it, so the contents outlive the board.
 */
#ifndef VMUX_CHIPS_SIM_SIM_AT24C_H
#define VMUX_CHIPS_SIM_SIM_AT24C_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim_i2c.h"

struct sim_at24c {
    struct sim_i2c_device dev;
    uint8_t *mem;                /* size bytes, the board's */
    uint32_t size;
    uint16_t counter;
    uint8_t address_bytes;       /* of the write under way */
    bool changed;
    const char *path;            /* NULL: not backed */
    uint32_t file_errors;
};

/* mem holds size bytes (1..65536). False when the file cannot be read
 * or made (the memory then starts erased, 0xff). */
bool sim_at24c_attach(struct sim_i2c *bus, struct sim_at24c *e, unsigned address, uint8_t *mem,
                      uint32_t size, const char *path);

#endif
