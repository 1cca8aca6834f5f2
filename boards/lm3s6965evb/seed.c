#include "boards/lm3s6965evb/seed.h"

#include <string.h>

#include "chips/lm3s6965/adc.h"
#include "chips/lm3s6965/sysctl.h"
#include "chips/lm3s6965/timebase.h"
#include "kernel/deferred.h"
#include "kernel/wipe.h"

struct reading {
    struct hil_adc_client client;
    volatile bool done;
    uint16_t value;
};

static void sampled(struct hil_adc_client *self, unsigned channel, uint16_t value,
                    vmux_err_t status)
{
    struct reading *r = container_of(self, struct reading, client);
    (void)channel, (void)status; /* a failed reading is 0: its time still counts */
    r->value = value;
    r->done = true;
}

/* A reading takes 1 ms; QEMU on a loaded host can take much longer. */
#define PATIENCE (LM3S_SYSCLK_HZ / 10u) /* 100 ms */

/* Run the loop until r is done or the patience is out. */
static void wait_for(struct reading *r)
{
    uint32_t start = lm3s_timebase_now();
    while (!r->done && lm3s_timebase_now() - start < PATIENCE)
        kernel_loop_once();
}

/* Out of line: inlined into the board's wiring it costs more flash. */
__attribute__((noinline)) void lm3s_seed_drbg(struct ctr_drbg *d, struct hil_adc *adc,
                                              const uint8_t *mac, size_t mac_len)
{
    uint32_t pool[2 * LM3S_SEED_READINGS + 2];
    struct reading r = { { sampled, NULL }, false, 0 };
    hil_adc_set_client(adc, &r.client); /* the ADC mux, wired next, takes it back */
    for (unsigned k = 0; k < LM3S_SEED_READINGS; k++) {
        r.done = false;
        if (hil_adc_sample(adc, k % LM3S_ADC_CHANNELS) == VMUX_SUCCESS)
            wait_for(&r);
        /* Given up: stop it. ALREADY means its reading is in and
         * sample_done on its way: take it, so that the ADC mux gets an
         * idle converter. */
        if (!r.done && hil_adc_stop(adc) == VMUX_ALREADY)
            wait_for(&r);
        pool[2 * k] = r.value;
        pool[2 * k + 1] = lm3s_timebase_now();
    }
    pool[2 * LM3S_SEED_READINGS] = pool[2 * LM3S_SEED_READINGS + 1] = 0;
    memcpy(&pool[2 * LM3S_SEED_READINGS], mac, mac_len < 8 ? mac_len : 8);
    ctr_drbg_seed(d, (const uint8_t *)pool, sizeof pool);
    wipe(pool, sizeof pool);
}
