#include "chips/lm3s6965/enet.h"

#include <string.h>

#include "chips/lm3s6965/lm3s6965.h"
#include "chips/lm3s6965/sysctl.h"
#include "kernel/platform.h"

#define RX_OVERHEAD 6u   /* the length field and the FCS around a frame */

static struct lm3s_enet *instance;

static struct lm3s_enet *of(struct hil_net *n)
{
    return container_of(n, struct lm3s_enet, hil);
}

/* ------------------------------------------------------------ top half */

void lm3s_ethernet_isr(void)
{
    uint32_t ris = MAC_RIS;
    MAC_IACK = ris;
    struct lm3s_enet *e = instance;
    if (e == NULL) {
        MAC_IM = 0;
        return;
    }
    if (ris & MAC_INT_TXER) {
        e->tx_status = VMUX_FAIL;
        e->counters.tx_errors++;
    }
    if ((ris & (MAC_INT_TXEMP | MAC_INT_TXER)) && e->tx_busy)
        deferred_call_raise(&e->tx_irq);
    if (ris & MAC_INT_FOV)
        e->counters.rx_overruns++;
    if (ris & MAC_INT_RXER)
        e->counters.rx_errors++;
    if (ris & MAC_INT_RX) {
        /* The bottom half drains the FIFO; no more RX interrupts until
         * it is empty. */
        MAC_IM &= ~MAC_INT_RX;
        deferred_call_raise(&e->rx_irq);
    }
}

/* ------------------------------------------------------------ receive */

static void rx_bottom_half(struct deferred_call *dc)
{
    struct lm3s_enet *e = container_of(dc, struct lm3s_enet, rx_irq);
    if ((MAC_NP & 0x3fu) == 0) {
        /* Empty: clear the RX status the frames just read left behind,
         * then take interrupts again. A frame that came in between the
         * check and the acknowledgement is looked at once more. */
        uint32_t state = platform_irq_save();
        MAC_IACK = MAC_INT_RX;
        MAC_IM |= MAC_INT_RX;
        if (MAC_NP & 0x3fu)
            deferred_call_raise(&e->rx_irq);
        platform_irq_restore(state);
        return;
    }
    uint32_t first = MAC_DATA;
    uint32_t total = first & 0xffffu;
    uint32_t words = (total + 3u) / 4u;
    if (total < RX_OVERHEAD + NET_FRAME_MIN || words > LM3S_ENET_RX_WORDS) {
        /* Not a frame we can hold: throw the whole FIFO away, since its
         * framing can no longer be trusted. */
        e->counters.rx_dropped_size++;
        MAC_RCTL = (MAC_RCTL & ~MAC_RCTL_RXEN) | MAC_RCTL_RSTFIFO;
        MAC_RCTL = (MAC_RCTL & ~MAC_RCTL_RSTFIFO) | (e->rx_enabled ? MAC_RCTL_RXEN : 0u);
        deferred_call_raise(&e->rx_irq);
        return;
    }
    e->rx_words[0] = first;
    for (uint32_t i = 1; i < words; i++)
        e->rx_words[i] = MAC_DATA;
    const uint8_t *frame = (const uint8_t *)e->rx_words + 2;
    size_t len = total - RX_OVERHEAD;
    if (e->hil.client && e->hil.client->frame_received) {
        e->counters.rx_frames++;
        e->hil.client->frame_received(e->hil.client, frame, len);
    } else {
        e->counters.rx_dropped_no_client++;
    }
    /* One frame per turn; come back for the rest, or re-arm when empty. */
    deferred_call_raise(&e->rx_irq);
}

static void set_receive_enabled(struct hil_net *n, bool on)
{
    struct lm3s_enet *e = of(n);
    e->rx_enabled = on;
    if (on)
        MAC_RCTL |= MAC_RCTL_RXEN;
    else
        MAC_RCTL &= ~MAC_RCTL_RXEN;
}

/* ------------------------------------------------------------ transmit */

static void tx_bottom_half(struct deferred_call *dc)
{
    struct lm3s_enet *e = container_of(dc, struct lm3s_enet, tx_irq);
    if (!e->tx_busy)
        return;
    uint8_t *frame = e->tx_frame;
    size_t len = e->tx_len;
    vmux_err_t status = e->tx_status;
    e->tx_frame = NULL;
    e->tx_len = 0;
    e->tx_busy = false;   /* idle before the callback: it may send again */
    if (status == VMUX_SUCCESS)
        e->counters.tx_frames++;
    if (e->hil.client && e->hil.client->transmit_done)
        e->hil.client->transmit_done(e->hil.client, frame, len, status);
}

static vmux_err_t transmit(struct hil_net *n, uint8_t *frame, size_t len)
{
    struct lm3s_enet *e = of(n);
    if (frame == NULL)
        return VMUX_INVALID;
    if (len < NET_FRAME_MIN || len > NET_FRAME_MAX)
        return VMUX_SIZE;
    if (e->tx_busy)
        return VMUX_BUSY;
    e->tx_busy = true;
    e->tx_status = VMUX_SUCCESS;
    e->tx_frame = frame;
    e->tx_len = len;
    /* First word: payload length (without the 14-byte header), then the
     * first two destination bytes; then the rest, little-endian words. */
    MAC_DATA = (uint32_t)(len - 14u) | (uint32_t)frame[0] << 16 | (uint32_t)frame[1] << 24;
    size_t i = 2;
    for (; i + 4 <= len; i += 4)
        MAC_DATA = (uint32_t)frame[i] | (uint32_t)frame[i + 1] << 8 |
                   (uint32_t)frame[i + 2] << 16 | (uint32_t)frame[i + 3] << 24;
    if (i < len) {
        uint32_t last = 0;
        for (unsigned shift = 0; i < len; i++, shift += 8)
            last |= (uint32_t)frame[i] << shift;
        MAC_DATA = last;
    }
    MAC_TR = MAC_TR_NEWTX;
    return VMUX_SUCCESS;
}

static void mac_address(struct hil_net *n, uint8_t out[NET_MAC_SIZE])
{
    memcpy(out, of(n)->mac, NET_MAC_SIZE);
}

static const struct hil_net_ops lm3s_enet_ops = {
    .mac_address = mac_address,
    .transmit = transmit,
    .set_receive_enabled = set_receive_enabled,
};

vmux_err_t lm3s_enet_init(struct lm3s_enet *e, const uint8_t mac[NET_MAC_SIZE])
{
    if (e == NULL || mac == NULL)
        return VMUX_INVALID;
    memset(e, 0, sizeof *e);
    e->hil.ops = &lm3s_enet_ops;
    memcpy(e->mac, mac, NET_MAC_SIZE);
    vmux_err_t err = deferred_call_register(&e->tx_irq, tx_bottom_half);
    if (err == VMUX_SUCCESS)
        err = deferred_call_register(&e->rx_irq, rx_bottom_half);
    if (err != VMUX_SUCCESS)
        return err;

    lm3s_clock_enable(0, 0, RCGC2_EMAC0 | RCGC2_EPHY0);
    MAC_IM = 0;
    MAC_RCTL = MAC_RCTL_RSTFIFO;
    MAC_RCTL = MAC_RCTL_BADCRC;       /* receive off; drop frames with a bad FCS */
    MAC_TCTL = MAC_TCTL_TXEN | MAC_TCTL_PADEN | MAC_TCTL_CRC;
    MAC_THR = MAC_THR_OFF;            /* send on NEWTX only */
    MAC_IA0 = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
              (uint32_t)mac[3] << 24;
    MAC_IA1 = (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
    MAC_IACK = 0x7fu;
    MAC_IM = MAC_INT_RX | MAC_INT_TXER | MAC_INT_TXEMP | MAC_INT_FOV | MAC_INT_RXER;
    instance = e;
    nvic_enable_irq(LM3S_IRQ_ETHERNET);
    return VMUX_SUCCESS;
}
