/*
 * Single ADC samples of channel K_PARAM, one after the other: K_PARAM2 of
 * them, then it parks (0: for ever). Keys: K_PHASE 1 once sampling; K_CYCLES samples that came back (Tock's
 * ADC upcall has no status: failures come back with value 0); K_BAD
 * requests refused.
 */
#include "tests/attacks/attack.h"

void vmux_host_entry(void)
{
    uintptr_t channel = get(K_PARAM);
    arm(ADC_DRIVER_NUM, ADC_UPCALL_DONE);
    put(K_PHASE, 1);
    for (uintptr_t left = get(K_PARAM2); left == 0 || get(K_CYCLES) < left;) {
        if (!succeeded(command(ADC_DRIVER_NUM, ADC_CMD_SINGLE, channel, 0))) {
            count(K_BAD);
            park();
        }
        wait_for(ADC_DRIVER_NUM, ADC_UPCALL_DONE);
        count(K_CYCLES);
    }
    put(K_DONE, 1);
    park();
}
