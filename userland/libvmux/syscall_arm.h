/*
 * System call backend for Cortex-M: `svc N` with N the class, arguments
 * in r0-r3 and results in r0-r3 (TRD104). The kernel writes the results
 * into the stacked r0-r3 of the exception frame. Included by syscall.h:
 * vmux_trap() is inline, so a call with a constant class is one svc.
 *
 * Registers are bound with GCC register variables. Every trap clobbers
 * memory (the kernel reads and writes allowed buffers). A yield may also
 * run an upcall, as if the svc were a call to it: then every
 * caller-saved register (r0-r3, r12, lr) and the flags are garbage when
 * the svc "returns", so TRAP clobbers those for every class; the cost
 * outside yield is a saved lr.
 */
#ifndef VMUX_LIBVMUX_SYSCALL_ARM_H
#define VMUX_LIBVMUX_SYSCALL_ARM_H

#if !defined(__arm__)
#error "syscall_arm.h is the Cortex-M backend; the host board uses syscall_host.c"
#endif

#define TRAP(class_id, a0, a1, a2, a3)                                                       \
    ({                                                                                       \
        register uintptr_t r0_ __asm__("r0") = (a0);                                         \
        register uintptr_t r1_ __asm__("r1") = (a1);                                         \
        register uintptr_t r2_ __asm__("r2") = (a2);                                         \
        register uintptr_t r3_ __asm__("r3") = (a3);                                         \
        __asm__ volatile("svc %[cls]"                                                        \
                         : "+r"(r0_), "+r"(r1_), "+r"(r2_), "+r"(r3_)                        \
                         : [cls] "i"(class_id)                                               \
                         : "memory", "cc", "r12", "lr");                                     \
        (struct vmux_regs){ r0_, r1_, r2_, r3_ };                                            \
    })

/* The class is the svc instruction's immediate, so each has its own. */
#define CLASS_CASE(class_id)                                                                 \
    case class_id:                                                                           \
        return TRAP(class_id, r0, r1, r2, r3);

static inline __attribute__((always_inline)) struct vmux_regs
vmux_trap(uint32_t class_id, uintptr_t r0, uintptr_t r1, uintptr_t r2, uintptr_t r3)
{
    switch (class_id) {
        CLASS_CASE(VMUX_CLASS_YIELD)
        CLASS_CASE(VMUX_CLASS_SUBSCRIBE)
        CLASS_CASE(VMUX_CLASS_COMMAND)
        CLASS_CASE(VMUX_CLASS_ALLOW_RW)
        CLASS_CASE(VMUX_CLASS_ALLOW_RO)
        CLASS_CASE(VMUX_CLASS_MEMOP)
        CLASS_CASE(VMUX_CLASS_EXIT)
    default:
        return (struct vmux_regs){ VMUX_FAILURE, VMUX_ENOSUPPORT, 0, 0 };
    }
}

#endif
