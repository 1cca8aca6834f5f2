#include "boards/common/mgmt_auth.h"

#include <string.h>

#include "chips/soft/aes_cmac.h"
#include "kernel/wipe.h"

/* Domain bytes: a nonce and an answer are never the same message. */
#define DOMAIN_NONCE 'N'
#define DOMAIN_ANSWER 'A'

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool mgmt_hex_decode(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(hex[2 * i]);
        int lo = hi < 0 ? -1 : hex_value(hex[2 * i + 1]);
        if (lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

void mgmt_hex_encode(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool mgmt_key_parse(const char *text, uint8_t key[MGMT_KEY_SIZE])
{
    while (is_space(*text))
        text++;
    if (strnlen(text, 2 * MGMT_KEY_SIZE) < 2 * MGMT_KEY_SIZE ||
        !mgmt_hex_decode(text, key, MGMT_KEY_SIZE))
        return false;
    for (text += 2 * MGMT_KEY_SIZE; is_space(*text); text++)
        ;
    return *text == '\0';
}

void mgmt_auth_init(struct mgmt_auth *a, const uint8_t key[MGMT_KEY_SIZE], const uint8_t salt[16])
{
    memset(a, 0, sizeof *a);
    if (salt)
        memcpy(a->salt, salt, sizeof a->salt);
    if (key) {
        memcpy(a->key, key, sizeof a->key);
        a->keyed = true;
    }
}

bool mgmt_auth_challenge(struct mgmt_auth *a, uint32_t stir, char nonce_hex[MGMT_HEX_SIZE])
{
    if (!a->keyed)
        return false;
    uint8_t msg[1 + sizeof a->salt + 8];
    msg[0] = DOMAIN_NONCE;
    memcpy(msg + 1, a->salt, sizeof a->salt);
    uint32_t words[2] = { ++a->counter, stir };
    for (unsigned i = 0; i < 8; i++)
        msg[1 + sizeof a->salt + i] = (uint8_t)(words[i / 4] >> (8 * (i % 4)));
    struct aes128_schedule s;
    aes128_expand_key(&s, a->key);
    aes128_cmac(&s, msg, sizeof msg, a->nonce);
    wipe(&s, sizeof s);
    a->fresh = true;
    a->counters.challenges++;
    mgmt_hex_encode(a->nonce, sizeof a->nonce, nonce_hex);
    return true;
}

void mgmt_auth_tag(const struct aes128_schedule *key, const uint8_t nonce[MGMT_NONCE_SIZE],
                   const char *command, uint8_t tag[MGMT_TAG_SIZE])
{
    uint8_t msg[1 + MGMT_NONCE_SIZE + MGMT_COMMAND_MAX];
    size_t len = strnlen(command, MGMT_COMMAND_MAX);
    msg[0] = DOMAIN_ANSWER;
    memcpy(msg + 1, nonce, MGMT_NONCE_SIZE);
    memcpy(msg + 1 + MGMT_NONCE_SIZE, command, len);
    aes128_cmac(key, msg, 1 + MGMT_NONCE_SIZE + len, tag);
}

vmux_err_t mgmt_auth_check(struct mgmt_auth *a, const char *tag_hex, const char *command)
{
    if (!a->keyed)
        return VMUX_OFF;
    if (!a->fresh) {
        a->counters.stale++;
        return VMUX_ALREADY;
    }
    a->fresh = false; /* one answer per nonce, right or wrong */
    uint8_t given[MGMT_TAG_SIZE] = { 0 }, want[MGMT_TAG_SIZE];
    uint8_t diff = 0;
    bool formed = mgmt_hex_decode(tag_hex, given, sizeof given) &&
                  strnlen(command, MGMT_COMMAND_MAX + 1) <= MGMT_COMMAND_MAX;
    struct aes128_schedule s;
    aes128_expand_key(&s, a->key);
    mgmt_auth_tag(&s, a->nonce, command, want);
    wipe(&s, sizeof s);
    for (unsigned i = 0; i < MGMT_TAG_SIZE; i++) /* every byte: no early exit */
        diff |= (uint8_t)(given[i] ^ want[i]);
    wipe(want, sizeof want);
    wipe(a->nonce, sizeof a->nonce);
    if (!formed || diff != 0) {
        a->counters.bad_tag++;
        return VMUX_INVALID;
    }
    a->counters.authenticated++;
    return VMUX_SUCCESS;
}
