#!/bin/bash
# The lm3s6965evb under QEMU with input: lines typed to the management
# channel get answers (the clients list, an ADC sample on request, which
# vmuxterm authenticates with the image's key, help; a 200-byte line
# arrives whole, as two console lines, each refused), and a
# UDP datagram from a host program reaches the board's echo client through
# QEMU's user networking (hostfwd to 10.0.2.15:7) and comes back. Each
# step waits for the board's answer to the last (lm3s6965evb.bash).
. "$(dirname "$0")/lm3s6965evb.bash"

# One step after the other's answer: each line waits for what it asked.
talk() {
    say "@mgmt clients" && wait_for '^mgmt: channel [0-9]+: crypto \(kernel\)' &&
        say "@mgmt adc 3" && wait_for '^adc: channel 3: ' &&
        say "@mgmt help" && wait_for '^mgmt: commands:' &&
        # 200 bytes in one frame: more than the 16-byte FIFO takes at once
        say "@mgmt $(printf 'x%.0s' {1..200})" && wait_for '^mgmt: refused \(not authenticated\): x' 2 &&
        say "@mgmt stats" && wait_for '^mgmt: uart decoder: frames'
}

reply=$(new_tmp)
for attempt in 1 2 3; do
    port=$((30000 + (RANDOM % 20000)))
    board_start_talking "$images/vmux-test.elf" \
        -nic "user,model=stellaris,hostfwd=udp:127.0.0.1:$port-:7"
    if wait_for '^udp-echo: echoing UDP on board port 7'; then
        udp_ask "$port" 'ping from the host' "$reply"
        talk
    fi
    board_end
    grep -q 'Could not set up host forwarding' "$out" || break
    missing=() # the port was taken: another one
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
