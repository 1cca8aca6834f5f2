/*
 * crypto_app: encrypts with AES-128-CTR in a key slot of the kernel's
 * crypto engine and prints the ciphertext in hex. First "attack at dawn"
 * under a fixed key (a known answer: the key is SP 800-38A's); then the
 * same message under a fresh key from the RNG (driver 0x40001), decrypted
 * back; then every line typed to it on its console (in vmuxterm:
 * "@crypto_app TEXT") under the fixed key. For each message it reserves a
 * slot, loads the key, encrypts and releases the slot, so it holds none
 * while it waits for the next line. Its window (when the board gives it
 * one) shows how many bytes it has encrypted.
 */
#include "libvmux.h"

#define TEXT_MAX 64u

static const uint8_t key[VMUX_CRYPTO_KEY_SIZE] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const uint8_t counter[VMUX_CRYPTO_BLOCK_SIZE] = {
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

static int fail(const char *step, int err)
{
    vmux_printf("%s refused: %s\n", step, vmux_error_name(err));
    return err;
}

/* The message under a key from the RNG, and back: another ciphertext
 * than under the fixed key (a key of all the same bytes would be a
 * broken RNG), the same message. The key is wiped from our memory once
 * it is in the slot. (Few strings: each costs the app a word of RAM in
 * its GOT.) */
static int random_key_round_trip(uint32_t slot, const char *message, size_t len,
                                 const uint8_t *fixed_cipher)
{
    uint8_t fresh[VMUX_CRYPTO_KEY_SIZE], cipher[TEXT_MAX], back[TEXT_MAX];
    size_t out = 0;
    int err = vmux_rng_get(fresh, sizeof fresh, &out);
    if (err == VMUX_OK && out != sizeof fresh)
        err = VMUX_ESIZE;
    if (err == VMUX_OK)
        err = vmux_crypto_load_key(slot, fresh);
    vmux_memset(fresh, 0, sizeof fresh);
    if (err == VMUX_OK)
        err = vmux_crypto_crypt(slot, VMUX_CRYPTO_CTR, counter, message, cipher, len, &out);
    if (err == VMUX_OK)
        err = vmux_crypto_crypt(slot, VMUX_CRYPTO_CTR, counter, cipher, back, len, &out);
    if (err == VMUX_OK && vmux_memcmp(cipher, fixed_cipher, len) == 0)
        err = VMUX_EFAIL;
    if (err != VMUX_OK)
        return fail("a key from the RNG", err);
    back[out] = '\0';
    vmux_printf("under a key from the RNG: another ciphertext, decrypts to \"%s\"\n",
                (char *)back);
    return vmux_memcmp(back, message, len) != 0 ? VMUX_EFAIL : VMUX_OK;
}

/* Its window shows how many bytes it has encrypted (when the board
 * gives it one). */
static void show_encrypted(size_t bytes)
{
    static uint32_t total;
    total += (uint32_t)bytes;
    if (vmux_screen_power(1) == VMUX_OK)
        vmux_screen_number(2, 2, total, 6);
}

/* Encrypts message (len < TEXT_MAX bytes, NUL-terminated) in a slot of
 * its own and prints the result, then, when rng is set, does the round
 * trip under a key from the RNG in the same slot: VMUX_OK, or the first
 * refusal. */
static int encrypt(const char *message, size_t len, bool rng)
{
    uint32_t slot;
    int err = vmux_crypto_reserve(&slot);
    if (err != VMUX_OK)
        return fail("reserving a key slot", err);
    vmux_printf("reserved key slot handle 0x%x\n", (unsigned)slot);

    err = vmux_crypto_load_key(slot, key);
    uint8_t cipher[TEXT_MAX];
    size_t out = 0;
    if (err == VMUX_OK)
        err = vmux_crypto_crypt(slot, VMUX_CRYPTO_CTR, counter, message, cipher, len, &out);
    if (err == VMUX_OK) {
        char hex[2 * TEXT_MAX + 1];
        for (size_t i = 0; i < out; i++)
            vmux_snprintf(hex + 2 * i, 3, "%02x", cipher[i]);
        hex[2 * out] = '\0';
        vmux_printf("AES-128-CTR(\"%s\") = %s\n", message, hex);
        if (rng)
            err = random_key_round_trip(slot, message, len, cipher);
    } else {
        fail("encryption", err);
    }

    int released = vmux_crypto_release(slot);
    vmux_printf("released the slot: %s\n", vmux_error_name(released));
    if (err == VMUX_OK)
        show_encrypted(rng ? 2 * len : len);
    return err != VMUX_OK ? err : released;
}

int main(void)
{
    static const char message[] = "attack at dawn";
    if (encrypt(message, sizeof message - 1, true) != VMUX_OK)
        return 1;
    vmux_printf("type a line to encrypt it: @crypto_app TEXT\n");
    for (;;) {
        char line[TEXT_MAX];
        size_t len;
        int err = vmux_console_read_line(line, sizeof line, &len);
        if (err == VMUX_ESIZE)
            vmux_printf("line cut to %u characters\n", TEXT_MAX - 1);
        else if (err != VMUX_OK)
            return fail("reading the console", err);
        if (len > 0)
            encrypt(line, len, false);
    }
}
