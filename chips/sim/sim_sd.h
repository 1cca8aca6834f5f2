/*
 * Simulated SD card in SPI mode: a device on the simulated SPI bus
 * (chips/sim/sim_spi.h), answering byte by byte what an SD card (and
 * QEMU's hw/sd/ssi-sd.c) answers, over memory the test owns (blocks of
 * HIL_BLOCK_SIZE bytes).
 *
 * Commands: a frame 0x40|index, 4 argument bytes, a CRC byte (not
 * checked); one 0xff, then the R1 (bit 0 idle; 0x04 illegal command,
 * 0x20 address error, 0x40 parameter error). CMD0 to idle; CMD8 (R7:
 * the R1 and 4 bytes echoing the voltage and pattern; illegal on a
 * version 1 card, v1); CMD55 then CMD41 leaves idle after idle_rounds
 * more tries; CMD58 (R3: the OCR, CCS set on a high-capacity card, hc);
 * CMD16 (512 only); CMD17 read (one 0xff, the token 0xfe, the block, 2
 * CRC bytes); CMD24 write (after its R1: the token 0xfe, 512 bytes, 2
 * CRC bytes; then the data response 0x05, or 0x0d with reject_writes,
 * then busy_bytes of 0x00; the block is stored at the data response).
 * Addresses count bytes, or blocks on a hc card. Anything else but CMD0
 * while idle, and an unknown command, is illegal. mute: it answers 0xff
 * to everything (no card).
 */
#ifndef VMUX_CHIPS_SIM_SIM_SD_H
#define VMUX_CHIPS_SIM_SIM_SD_H

#include <stdbool.h>
#include <stdint.h>

#include "chips/sim/sim_spi.h"
#include "hil/block.h"

struct sim_sd {
    struct sim_spi_device dev;
    uint8_t *mem;
    uint32_t blocks;
    /* how it behaves, the test's to set */
    bool v1, hc, reject_writes, mute;
    unsigned idle_rounds, busy_bytes;
    /* state */
    bool idle, app;
    uint8_t state, cmd, argn;
    uint8_t arg[4];
    uint8_t resp[5], resp_len, resp_pos;
    uint8_t after;              /* the state after the response */
    uint32_t block;             /* of the read or write */
    uint16_t pos;
    uint8_t incoming[HIL_BLOCK_SIZE];
    /* what it saw */
    uint32_t commands, reads, writes, rejected;
    uint8_t last_cmd;
};

void sim_sd_attach(struct sim_spi *s, struct sim_sd *sd, uint8_t *mem, uint32_t blocks,
                   struct sim_gpio *cs_bank, unsigned cs_pin);

#endif
