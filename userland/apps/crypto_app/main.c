/*
 * crypto_app: reserves a key slot, loads a key, encrypts a message with
 * AES-128-CTR, prints the ciphertext in hex (a known answer: the key is
 * SP 800-38A's); then draws a fresh key from the RNG (driver 0x40001),
 * encrypts the message under it and decrypts it back; and releases the
 * slot.
 */
#include "libvmux.h"

static const uint8_t key[VMUX_CRYPTO_KEY_SIZE] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const uint8_t counter[VMUX_CRYPTO_BLOCK_SIZE] = {
    0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};
static const char message[] = "attack at dawn";
#define LEN (sizeof message - 1)

static int fail(const char *step, int err)
{
    vmux_printf("%s refused: %s\n", step, vmux_error_name(err));
    return 1;
}

/* The message under a key from the RNG, and back: another ciphertext
 * than under the fixed key (a key of all the same bytes would be a
 * broken RNG), the same message. The key is wiped from our memory once
 * it is in the slot. (Few strings: each costs the app a word of RAM in
 * its GOT, and its RAM block is full.) */
static int random_key_round_trip(uint32_t slot, const uint8_t *fixed_cipher)
{
    uint8_t fresh[VMUX_CRYPTO_KEY_SIZE], cipher[LEN], back[LEN + 1];
    size_t len = 0;
    int err = vmux_rng_get(fresh, sizeof fresh, &len);
    if (err == VMUX_OK && len != sizeof fresh)
        err = VMUX_ESIZE;
    if (err == VMUX_OK)
        err = vmux_crypto_load_key(slot, fresh);
    vmux_memset(fresh, 0, sizeof fresh);
    if (err == VMUX_OK)
        err = vmux_crypto_crypt(slot, VMUX_CRYPTO_CTR, counter, message, cipher, LEN, &len);
    if (err == VMUX_OK)
        err = vmux_crypto_crypt(slot, VMUX_CRYPTO_CTR, counter, cipher, back, LEN, &len);
    if (err == VMUX_OK && vmux_memcmp(cipher, fixed_cipher, LEN) == 0)
        err = VMUX_EFAIL;
    if (err != VMUX_OK)
        return fail("a key from the RNG", err);
    back[len] = '\0';
    vmux_printf("under a key from the RNG: another ciphertext, decrypts to \"%s\"\n",
                (char *)back);
    return vmux_memcmp(back, message, LEN) != 0;
}

int main(void)
{
    uint32_t slot;
    int err = vmux_crypto_reserve(&slot);
    if (err != VMUX_OK)
        return fail("reserving a key slot", err);
    vmux_printf("reserved key slot handle 0x%x\n", (unsigned)slot);

    err = vmux_crypto_load_key(slot, key);
    uint8_t cipher[LEN];
    size_t len = 0;
    if (err == VMUX_OK)
        err = vmux_crypto_crypt(slot, VMUX_CRYPTO_CTR, counter, message, cipher, sizeof cipher,
                                &len);
    if (err == VMUX_OK) {
        char hex[2 * sizeof cipher + 1];
        for (size_t i = 0; i < len; i++)
            vmux_snprintf(hex + 2 * i, 3, "%02x", cipher[i]);
        hex[2 * len] = '\0';
        vmux_printf("AES-128-CTR(\"%s\") = %s\n", message, hex);
        err = random_key_round_trip(slot, cipher);
    } else {
        vmux_printf("encryption refused: %s\n", vmux_error_name(err));
    }

    int released = vmux_crypto_release(slot);
    vmux_printf("released the slot: %s\n", vmux_error_name(released));
    /* its window shows the bytes it encrypted, and stays so after it ends */
    if (vmux_screen_power(1) == VMUX_OK)
        vmux_screen_number(2, 2, err == VMUX_OK ? (uint32_t)(2 * len) : 0, 6);
    return err != VMUX_OK || released != VMUX_OK;
}
