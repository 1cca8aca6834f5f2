/*
 * The management channel's challenge-response: commands that change
 * anything run only when the peer proves it holds the board's key, with
 * an answer nobody can replay (docs/security.md, "The management
 * channel"). The text protocol, on the mgmt channel:
 *
 *   peer:   challenge
 *   board:  challenge NONCE             32 hex digits, never seen before
 *   peer:   auth TAG COMMAND            TAG: 32 hex digits
 *   board:  runs COMMAND when TAG = AES-CMAC(key, "A" || NONCE || COMMAND)
 *
 * Each nonce answers one auth, right or wrong, and a new challenge
 * replaces the one outstanding: a recorded answer is worth nothing once
 * its nonce was used, and a wrong guess costs the guesser its nonce.
 * Nonces are AES-CMAC(key, "N" || salt || counter || stir): the counter
 * makes them unique within a boot, the salt the board gives (random on
 * the host board) across boots; the stir is what the board adds at each
 * challenge (the cycle counter on the lm3s6965evb, which has no random
 * source: see docs/security.md).
 *
 * Ownership: init copies the key; the caller wipes its own. The key is
 * expanded on the stack for each challenge and answer, and wiped there
 * (176 bytes of RAM saved on the lm3s6965evb). Nothing here allocates,
 * and nothing writes to the console: the caller answers.
 *
 * The peer's side (tools/vmuxterm) uses mgmt_auth_tag and the hex helpers:
 * one definition of the message for both ends.
 *
 * Wiring (boards/common/demo.c):
 *
 *     static struct mgmt_auth auth;
 *     mgmt_auth_init(&auth, board_key, board_salt);    // key NULL: no key
 *     ...                                              // on "challenge":
 *     char nonce[MGMT_HEX_SIZE];
 *     if (mgmt_auth_challenge(&auth, stir, nonce)) print("challenge %s", nonce);
 *     ...                                              // on "auth TAG CMD":
 *     if (mgmt_auth_check(&auth, tag, cmd) == VMUX_SUCCESS) run(cmd);
 */
#ifndef VMUX_BOARDS_COMMON_MGMT_AUTH_H
#define VMUX_BOARDS_COMMON_MGMT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/soft/aes128.h"
#include "kernel/errors.h"

#define MGMT_KEY_SIZE 16u
#define MGMT_NONCE_SIZE 16u
#define MGMT_TAG_SIZE 16u
#define MGMT_HEX_SIZE (2u * MGMT_NONCE_SIZE + 1u)   /* a nonce or tag in hex, NUL */
#define MGMT_COMMAND_MAX 127u                      /* a console line */

struct mgmt_auth_counters {
    uint32_t challenges;
    uint32_t authenticated;    /* commands run with a right answer */
    uint32_t unauthenticated;  /* commands that change state, sent without one */
    uint32_t stale;            /* answers with no fresh challenge: replays */
    uint32_t bad_tag;          /* wrong or malformed answers */
};

struct mgmt_auth {
    uint8_t key[MGMT_KEY_SIZE];
    bool keyed;
    bool fresh;                /* nonce is outstanding, unused */
    uint8_t salt[16];
    uint32_t counter;
    uint8_t nonce[MGMT_NONCE_SIZE];
    struct mgmt_auth_counters counters;
};

/* key NULL: this board has none, and nothing can be authenticated.
 * salt NULL: zeroes. */
void mgmt_auth_init(struct mgmt_auth *a, const uint8_t key[MGMT_KEY_SIZE],
                    const uint8_t salt[16]);

/* A fresh nonce, in hex, replacing the one outstanding; false without a
 * key. */
bool mgmt_auth_challenge(struct mgmt_auth *a, uint32_t stir, char nonce_hex[MGMT_HEX_SIZE]);

/*
 * May command run, on this answer? SUCCESS (counted authenticated); OFF
 * no key; ALREADY no fresh challenge (counted stale: a replay, or an
 * answer to a nonce used already); INVALID a tag that is wrong, not 32
 * hex digits, or a command over MGMT_COMMAND_MAX (counted bad_tag). The
 * outstanding nonce is used up either way.
 */
vmux_err_t mgmt_auth_check(struct mgmt_auth *a, const char *tag_hex, const char *command);

/* The answer to nonce for command: AES-CMAC(key, "A" || nonce || command),
 * command at most MGMT_COMMAND_MAX bytes (longer ones are cut there). */
void mgmt_auth_tag(const struct aes128_schedule *key, const uint8_t nonce[MGMT_NONCE_SIZE],
                   const char *command, uint8_t tag[MGMT_TAG_SIZE]);

/* Exactly 2n hex digits (either case) at hex into n bytes; false
 * otherwise (out is then undefined). */
bool mgmt_hex_decode(const char *hex, uint8_t *out, size_t n);
/* n bytes as 2n lower-case digits and a NUL. */
void mgmt_hex_encode(const uint8_t *in, size_t n, char *out);

/* A key file's text: 32 hex digits, white space around them ignored. */
bool mgmt_key_parse(const char *text, uint8_t key[MGMT_KEY_SIZE]);

#endif
