/*
 * Compiler attributes libvmux needs, in one place (GCC and Clang).
 */
#ifndef VMUX_LIBVMUX_COMPILER_H
#define VMUX_LIBVMUX_COMPILER_H

/* Apps are built with -fvisibility=hidden: only what is marked here is
 * exported from an app's shared object (the entry point and the system
 * call variable the board's loader fills in). */
#define VMUX_EXPORT __attribute__((visibility("default")))
#define VMUX_HIDDEN __attribute__((visibility("hidden")))

/* For the byte loops of runtime.c: keep the compiler from turning them
 * back into calls to memcpy/memset, which in a freestanding build are
 * these very functions. */
#if defined(__clang__)
#define VMUX_NO_LOOP_IDIOMS __attribute__((no_builtin))
#elif defined(__GNUC__)
#define VMUX_NO_LOOP_IDIOMS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define VMUX_NO_LOOP_IDIOMS
#endif

#define VMUX_UNUSED __attribute__((unused))

#endif
