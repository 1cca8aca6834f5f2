#include "chips/sim/sim_sd.h"

#include <string.h>

enum {
    CMD,        /* waiting for a command (or, after CMD24's R1, the token) */
    ARG,
    GAP,        /* one 0xff before the response */
    RESP,
    RGAP,       /* read: one 0xff before the token */
    RTOKEN,
    RDATA,
    RCRC,
    WAIT_TOKEN,
    WDATA,
    WCRC,
    WRESP,
    WBUSY,
};

#define R1_IDLE 0x01u
#define R1_ILLEGAL 0x04u
#define R1_ADDRESS 0x20u
#define R1_PARAMETER 0x40u

static void respond(struct sim_sd *sd, uint8_t r1, const uint8_t *tail, unsigned tail_len,
                    uint8_t after)
{
    sd->resp[0] = r1;
    if (tail_len)
        memcpy(&sd->resp[1], tail, tail_len);
    sd->resp_len = (uint8_t)(1u + tail_len);
    sd->resp_pos = 0;
    sd->after = after;
    sd->state = GAP;
}

/* The block an address names, or UINT32_MAX. */
static uint32_t block_of(const struct sim_sd *sd, uint32_t addr)
{
    if (!sd->hc && addr % HIL_BLOCK_SIZE)
        return UINT32_MAX;
    uint32_t block = sd->hc ? addr : addr / HIL_BLOCK_SIZE;
    return block < sd->blocks ? block : UINT32_MAX;
}

static void execute(struct sim_sd *sd)
{
    uint32_t arg = (uint32_t)sd->arg[0] << 24 | (uint32_t)sd->arg[1] << 16 |
                   (uint32_t)sd->arg[2] << 8 | sd->arg[3];
    bool app = sd->app;
    sd->app = false;
    sd->commands++;
    sd->last_cmd = sd->cmd;
    uint8_t idle = sd->idle ? R1_IDLE : 0;
    if (sd->cmd == 0) {
        sd->idle = true;
        respond(sd, R1_IDLE, NULL, 0, CMD);
        return;
    }
    switch (sd->cmd) {
    case 8: {
        if (sd->v1)
            break;
        const uint8_t r7[4] = { 0, 0, (uint8_t)((arg >> 8) & 0x0fu), (uint8_t)arg };
        respond(sd, idle, r7, 4, CMD);
        return;
    }
    case 55:
        sd->app = true;
        respond(sd, idle, NULL, 0, CMD);
        return;
    case 41:
        if (!app)
            break;
        if (sd->idle_rounds)
            sd->idle_rounds--;
        else
            sd->idle = false;
        respond(sd, sd->idle ? R1_IDLE : 0, NULL, 0, CMD);
        return;
    case 58: {
        const uint8_t ocr[4] = { (uint8_t)(0x80u | (sd->hc ? 0x40u : 0)), 0xff, 0x80, 0 };
        respond(sd, idle, ocr, 4, CMD);
        return;
    }
    default:
        break;
    }
    if (sd->idle || (sd->cmd == 8 && sd->v1)) {
        respond(sd, (uint8_t)(idle | R1_ILLEGAL), NULL, 0, CMD);
        return;
    }
    switch (sd->cmd) {
    case 16:
        respond(sd, arg == HIL_BLOCK_SIZE ? 0 : R1_PARAMETER, NULL, 0, CMD);
        return;
    case 17:
    case 24:
        sd->block = block_of(sd, arg);
        if (sd->block == UINT32_MAX) {
            respond(sd, R1_ADDRESS, NULL, 0, CMD);
            return;
        }
        respond(sd, 0, NULL, 0, sd->cmd == 17 ? RGAP : WAIT_TOKEN);
        return;
    default:
        respond(sd, R1_ILLEGAL, NULL, 0, CMD);
        return;
    }
}

static uint8_t exchange(struct sim_spi_device *d, uint8_t out, bool data)
{
    struct sim_sd *sd = container_of(d, struct sim_sd, dev);
    (void)data;
    if (sd->mute)
        return 0xff;
    switch (sd->state) {
    case CMD:
        if ((out & 0xc0u) == 0x40u) {
            sd->cmd = out & 0x3fu;
            sd->argn = 0;
            sd->state = ARG;
        }
        return 0xff;
    case ARG:
        if (sd->argn < 4)
            sd->arg[sd->argn++] = out;
        else
            execute(sd); /* the CRC byte */
        return 0xff;
    case GAP:
        sd->state = RESP;
        return 0xff;
    case RESP: {
        uint8_t b = sd->resp[sd->resp_pos++];
        if (sd->resp_pos == sd->resp_len)
            sd->state = sd->after;
        return b;
    }
    case RGAP:
        sd->state = RTOKEN;
        return 0xff;
    case RTOKEN:
        sd->state = RDATA;
        sd->pos = 0;
        sd->reads++;
        return 0xfe;
    case RDATA: {
        uint8_t b = sd->mem[sd->block * HIL_BLOCK_SIZE + sd->pos++];
        if (sd->pos == HIL_BLOCK_SIZE) {
            sd->state = RCRC;
            sd->pos = 0;
        }
        return b;
    }
    case RCRC:
        if (++sd->pos == 2)
            sd->state = CMD;
        return 0x00;
    case WAIT_TOKEN:
        if (out == 0xfe) {
            sd->state = WDATA;
            sd->pos = 0;
        } else if (out != 0xff) {
            sd->state = CMD;
            return exchange(d, out, data);
        }
        return 0xff;
    case WDATA:
        sd->incoming[sd->pos++] = out;
        if (sd->pos == HIL_BLOCK_SIZE) {
            sd->state = WCRC;
            sd->pos = 0;
        }
        return 0xff;
    case WCRC:
        if (++sd->pos == 2)
            sd->state = WRESP;
        return 0xff;
    case WRESP:
        sd->pos = 0;
        sd->state = sd->busy_bytes ? WBUSY : CMD;
        if (sd->reject_writes) {
            sd->rejected++;
            sd->state = CMD;
            return 0x0d;
        }
        memcpy(&sd->mem[sd->block * HIL_BLOCK_SIZE], sd->incoming, HIL_BLOCK_SIZE);
        sd->writes++;
        return 0x05;
    default: /* WBUSY */
        if (++sd->pos >= sd->busy_bytes)
            sd->state = CMD;
        return 0x00;
    }
}

static void select_changed(struct sim_spi_device *d, bool selected)
{
    (void)d, (void)selected;
}

static const struct sim_spi_device_ops sd_ops = { select_changed, exchange };

void sim_sd_attach(struct sim_spi *s, struct sim_sd *sd, uint8_t *mem, uint32_t blocks,
                   struct sim_gpio *cs_bank, unsigned cs_pin)
{
    memset(sd, 0, sizeof *sd);
    sd->mem = mem;
    sd->blocks = blocks;
    sd->idle = true;
    sim_spi_attach(s, &sd->dev, &sd_ops, cs_bank, cs_pin, false, NULL, 0);
}
