/*
 * sd_spi: the block HIL (hil/block.h) over an SD card in SPI mode, as
 * one client of the SPI mux (capsules/spi_mux.h) on the card's chip
 * select (the lm3s6965evb's SD card on SSI0, QEMU's hw/sd/ssi-sd.c).
 *
 * Card set-up, the first time an operation comes (and again after one
 * failed): CMD0 (to idle, SPI mode), CMD8 (voltage check; a card that
 * calls it illegal is a version 1 card), CMD55 + ACMD41 until the card
 * leaves idle (with HCS on a version 2 card), CMD58 (the OCR: CCS says
 * whether addresses are blocks or bytes), CMD16 (512-byte blocks) for a
 * byte-addressed card; then the clock goes from 400 kHz to fast_hz.
 *
 * Operations, each a few held transactions on the bus, one per command
 * (the select released between them, so others on the bus get turns):
 *   read   CMD17, wait for the data token 0xfe, 512 bytes into the
 *          client's buffer, the 2 CRC bytes (CRCs are off in SPI mode:
 *          not checked)
 *   write  CMD24, the token 0xfe, the 512 bytes, a CRC, the data
 *          response (accepted: xxx0_0101), then busy (0x00) until the
 *          card is done: the block is on the card when write_done says
 *          SUCCESS
 *   erase  a write of 512 bytes of 0xff (from a small scratch buffer):
 *          what hil/block.h promises; SD erase commands may leave 0x00
 * An R1 with an error bit, an error token, a rejected data response or a
 * card that does not answer within its poll limit ends the operation
 * with FAIL, counted (counters), and the card is set up again next time,
 * after 544 bytes of 0xff that take it past the end of any block it was
 * in the middle of (a card ignores its select mid-block, as QEMU's does).
 *
 * The block count is the board's (the card's size: QEMU's image); CSD
 * is not read. abort() detaches from the mux and attaches again: the
 * transfer in flight is ended there, so the buffer is the client's again
 * when abort() returns, and no done follows.
 *
 * Not done: the 74 clocks with the select released before CMD0 that a
 * real card wants at power-up (every transfer of the mux selects the
 * chip; QEMU needs none), waiting between ACMD41 retries (they follow
 * each other; a real card may want up to 1 s: SD_SPI_INIT_TRIES bounds
 * them).
 *
 *     static struct sd_spi sd;
 *     sd_spi_init(&sd, &board_buses.spi, client_register_kernel(CLIENT_NAME("sd")), &board_bus_device,
 *                 &spi_chips[0], 2048, 12500000);
 *     board_storage_init(&(struct board_storage){ &sd.hil, ... });
 */
#ifndef VMUX_CAPSULES_SD_SPI_H
#define VMUX_CAPSULES_SD_SPI_H

#include <stdbool.h>
#include <stdint.h>

#include "capsules/spi_mux.h"
#include "hil/block.h"

#define SD_SPI_INIT_HZ 400000u
#define SD_SPI_INIT_TRIES 1000u     /* CMD0 and ACMD41 attempts */
#define SD_SPI_POLLS 4096u          /* bytes clocked waiting for an answer */

struct sd_spi_counters {
    uint32_t setups;            /* card set-ups that succeeded */
    uint32_t reads, writes, erases;   /* done with SUCCESS */
    uint32_t card_errors;       /* an error R1, token or data response */
    uint32_t no_answer;         /* the poll limit reached */
    uint32_t bus_errors;        /* the mux refused or failed a transfer */
    uint32_t aborts;
};

struct sd_spi {
    struct hil_block hil;
    struct spi_device dev;
    struct spi_mux *mux;
    const cap_bus_device_t *cap;
    const struct spi_chip *chip;
    client_id_t id;
    uint32_t blocks, fast_hz;
    uint8_t scratch[16];        /* commands, answers, erase's 0xff */
    uint8_t state;              /* where the operation is */
    uint8_t cmd;                /* the command whose R1 is awaited */
    uint8_t op;                 /* read, write, erase; 0 none */
    bool ready;                 /* the card is set up */
    bool block_addressed;       /* CCS: addresses count blocks */
    bool v2;                    /* answered CMD8 */
    bool flush;                 /* clock the card past a block first */
    uint16_t tries;
    uint16_t polls;
    uint16_t left;              /* erase: 0xff bytes still to send */
    uint32_t block;
    uint8_t *buf;
    const uint8_t *wbuf;
    struct sd_spi_counters counters;
};

/* The card's client of the mux, at SD_SPI_INIT_HZ in mode 0 until set
 * up. Errors as spi_mux_attach; INVALID for no blocks. */
vmux_err_t sd_spi_init(struct sd_spi *sd, struct spi_mux *mux, client_id_t id,
                       const cap_bus_device_t *cap, const struct spi_chip *chip, uint32_t blocks,
                       uint32_t fast_hz);

#endif
