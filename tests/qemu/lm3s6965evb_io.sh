#!/bin/bash
# The lm3s6965evb under QEMU with input: lines typed to the management
# channel get answers (the clients list, an ADC sample on request, which
# vmuxterm authenticates with the image's key, help; a 200-byte line
# arrives whole, as two console lines, each refused), and a
# UDP datagram from a host program reaches the board's echo client through
# QEMU's user networking (hostfwd to 10.0.2.15:7) and comes back.
. "$(dirname "$0")/lm3s6965evb.bash"

typing() {
    sleep 1
    echo "@mgmt clients"
    sleep 0.3
    echo "@mgmt adc 3"
    sleep 0.3
    echo "@mgmt help"
    # 200 bytes in one frame: more than the 16-byte FIFO takes at once
    echo "@mgmt $(printf 'x%.0s' {1..200})"
    sleep 0.3
    echo "@mgmt stats"
}

reply=$(new_tmp)
for attempt in 1 2 3; do
    port=$((30000 + (RANDOM % 20000)))
    board_start "$images/vmux-test.elf" typing \
        -nic "user,model=stellaris,hostfwd=udp:127.0.0.1:$port-:7"
    sleep 1.5
    if ! grep -q 'Could not set up host forwarding' "$out"; then
        exec 3<>"/dev/udp/127.0.0.1/$port"
        printf 'ping from the host\n' >&3
        timeout 3 head -c 19 <&3 >"$reply" || true
        exec 3<&-
    fi
    board_wait
    grep -q 'Could not set up host forwarding' "$out" || break
done

check exits_qemu_with_status_0 '[[ $status == 0 ]]'
check host_gets_udp_echo 'grep -q "^ping from the host$" "$reply"'
expect udp_echo_bound '^udp-echo: echoing UDP on board port 7'
expect udp_echo_echoed '^udp-echo: echoed 19 bytes to 10\.0\.2\.2:[0-9]+ \(SUCCESS\)'
expect mgmt_answers_clients '^mgmt: channel [0-9]+: crypto \(kernel\)'
expect mgmt_starts_adc_sample '^mgmt: adc: sampling channel 3 \(SUCCESS\)'
expect adc_sample_on_request '^adc: channel 3: 51[2-9] \(SUCCESS\)'
expect mgmt_answers_help '^mgmt: commands: stats, clients, pins, buses, adc \[CHANNEL\], ps, stop NAME, start NAME, help'
expect long_line_received_whole '^mgmt: uart decoder: frames [0-9]+, bad crc 0, runt 0, malformed 0, oversized 0'
# the 200-byte line is answered twice (the console splits at 127); too
# long to authenticate, both pieces are refused
check long_line_answered_as_two_lines '[[ $(grep -ac "^mgmt: refused (not authenticated): x" "$out") -eq 2 ]]'
expect_not no_bad_frames 'bad frame'
# the kernel's formatter knows every conversion its messages use
expect_not every_format_known '<\?>'
finish
