/*
 * The host board: vmux as a Linux program with simulated peripherals.
 * (Wiring grows with each component; see docs/architecture.md.)
 */
#include <stdio.h>

#include "chips/sim/sim.h"
#include "kernel/deferred.h"

int main(void)
{
    sim_init(SIM_CLOCK_REAL, 0);
    printf("vmux host board\n");
    kernel_loop_once();
    return 0;
}
