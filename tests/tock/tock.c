/* Output, checks and sleeping for the Tock-convention test apps (tock.h). */
#include "tock.h"

static unsigned passed, failed;

static size_t length(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* A console write (allow, command, then yield-wait-for its upcall:
 * nothing subscribed, as Tock's synchronous libraries do). */
void tock_print(const char *s)
{
    size_t n = length(s);
    if (n == 0)
        return;
    tock_allow_ro(TOCK_CONSOLE, 1, s, n);
    struct tock_ret r = tock_command(TOCK_CONSOLE, 1, n, 0);
    if (r.r0 == TOCK_SUCCESS)
        tock_yield_wait_for(TOCK_CONSOLE, 1);
    tock_allow_ro(TOCK_CONSOLE, 1, 0, 0);
}

void tock_print_hex(uint32_t v)
{
    char s[11] = "0x";
    for (int i = 0; i < 8; i++)
        s[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
    s[10] = '\0';
    tock_print(s);
}

void tock_print_dec(uint32_t v)
{
    char s[11];
    int i = 10;
    s[i] = '\0';
    do {
        s[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    tock_print(s + i);
}

void tock_check(const char *name, bool ok, uint32_t got, uint32_t want)
{
    if (ok) {
        passed++;
        tock_print("ok ");
        tock_print(name);
        tock_print("\n");
        return;
    }
    failed++;
    tock_print("FAIL ");
    tock_print(name);
    tock_print(": got ");
    tock_print_hex(got);
    tock_print(", want ");
    tock_print_hex(want);
    tock_print("\n");
}

unsigned tock_done(void)
{
    tock_print("done: ");
    tock_print_dec(passed);
    tock_print(" ok, ");
    tock_print_dec(failed);
    tock_print(" failed\n");
    return failed;
}

void tock_sleep_ms(uint32_t ms)
{
    uint32_t hz = tock_command(TOCK_ALARM, 1, 0, 0).r1;
    uint32_t ticks = hz / 1000u * ms;
    if (tock_command(TOCK_ALARM, 5, ticks, 0).r0 == TOCK_SUCCESS_U32)
        tock_yield_wait_for(TOCK_ALARM, 0);
}

/* What the compiler may call for struct copies and clears (no libc). */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memset(void *d, int c,
                                                                          size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *memcpy(void *d,
                                                                          const void *s,
                                                                          size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
