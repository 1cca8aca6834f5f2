/*
 * udp_echo: binds UDP port 2007 (ports below 1024 are the kernel's) and
 * sends every datagram back to its sender. Its window on the screen shows
 * how many it has echoed.
 */
#include "libvmux.h"

#define ECHO_PORT 2007

static uint8_t datagram[512]; /* UDP_DRIVER_MAX_PAYLOAD */

int main(void)
{
    int err = vmux_udp_bind(ECHO_PORT);
    if (err != VMUX_OK) {
        vmux_printf("binding port %u refused: %s\n", ECHO_PORT, vmux_error_name(err));
        return 1;
    }
    size_t room = sizeof datagram;
    uint32_t max;
    if (vmux_udp_max_payload(&max) == VMUX_OK && max < room)
        room = max; /* never receive what cannot be sent back */
    vmux_printf("echoing on port %u\n", ECHO_PORT);
    uint32_t echoed = 0;
    int screen = vmux_screen_power(1);
    if (screen == VMUX_OK)
        screen = vmux_screen_number(2, 2, echoed, 6);
    for (;;) {
        size_t len;
        struct vmux_udp_endpoint from;
        err = vmux_udp_recv(datagram, room, &len, &from);
        if (err == VMUX_OK)
            err = vmux_udp_send_to(&from, datagram, len);
        if (err == VMUX_OK && screen == VMUX_OK)
            screen = vmux_screen_number(2, 2, ++echoed, 6);
        if (err != VMUX_OK)
            vmux_printf("%s\n", vmux_error_name(err));
    }
}
