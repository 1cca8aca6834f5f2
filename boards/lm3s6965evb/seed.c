#include "boards/lm3s6965evb/seed.h"

#include <string.h>

#include "chips/lm3s6965/adc.h"
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

/* Run the loop until r is done or patience ticks have passed. */
static void wait_for(struct reading *r, uint32_t patience)
{
    uint32_t start = lm3s_timebase_now();
    while (!r->done && lm3s_timebase_now() - start < patience)
        kernel_loop_once();
}

/* Out of line: inlined into the board's wiring it costs more flash. */
__attribute__((noinline)) void lm3s_seed_drbg(struct ctr_drbg *d, struct hil_adc *adc,
                                              const uint8_t *mac, size_t mac_len)
{
    uint32_t pool[2 * LM3S_SEED_READINGS + 2];
    struct reading r = { { sampled, NULL }, false, 0 };
    /* A reading takes 1 ms; QEMU on a loaded host can take much longer. */
    uint32_t patience = lm3s_timebase_hz() / 10u; /* 100 ms */
    hil_adc_set_client(adc, &r.client);
    for (unsigned k = 0; k < LM3S_SEED_READINGS; k++) {
        r.done = false;
        if (hil_adc_sample(adc, k % LM3S_ADC_CHANNELS) == VMUX_SUCCESS)
            wait_for(&r, patience);
        /* Given up: stop it. ALREADY means its reading is in and
         * sample_done on its way: take it, so that the ADC mux gets an
         * idle converter. */
        if (!r.done && hil_adc_stop(adc) == VMUX_ALREADY)
            wait_for(&r, patience);
        pool[2 * k] = r.value;
        pool[2 * k + 1] = lm3s_timebase_now();
    }
    hil_adc_set_client(adc, NULL);
    memset(&pool[2 * LM3S_SEED_READINGS], 0, 8);
    memcpy(&pool[2 * LM3S_SEED_READINGS], mac, mac_len < 8 ? mac_len : 8);
    ctr_drbg_seed(d, (const uint8_t *)pool, sizeof pool);
    wipe(pool, sizeof pool);
}
