/*
 * Attack: write bytes that are, on the wire, whole valid frames for other
 * channels (the control channel and the victim's). The test builds them
 * (it knows the channel numbers, as an attacker could guess them) into
 * this app's buffer, whose address the app reports in K_FIRST_RESULT;
 * K_PARAM is their length. K_PHASE 1: the buffer is ready to be filled;
 * the app writes it once K_PARAM2 is set. Result: K_FIRST_RESULT + 1,
 * the count written.
 */
#include "tests/attacks/attack.h"

static volatile uint8_t forged[1024];

void vmux_host_entry(void)
{
    put(K_FIRST_RESULT, (uintptr_t)forged);
    put(K_PHASE, 1);
    while (get(K_PARAM2) == 0)
        yield_no_wait(0);
    put(K_FIRST_RESULT + 1, console_write(forged, get(K_PARAM)));
    put(K_DONE, 1);
    park();
}
