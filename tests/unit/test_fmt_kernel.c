/* The Cortex-M3 kernel's build of the formatter (kernel/fmt.c with
 * VMUX_FMT_KERNEL=1: no '*', no precision, no hh or h), compiled here
 * under other names next to the library's full one: every case of
 * test_fmt.c it supports must still match the host's snprintf, and what
 * it leaves out must stop the output. */
#define VMUX_FMT_KERNEL 1
#define vmux_vformat kernel_vformat
#define vmux_vsnprintf kernel_vsnprintf
#define vmux_snprintf kernel_snprintf
#include "kernel/fmt.c"

#define TEST_FMT_KERNEL 1
#include "test_fmt.c"
