/*
 * A syscall driver for tests only (0x9f0f0): command N, for N from 1 to
 * 10, returns the N-th return variant of TRD104 (Failure, Failure u32,
 * Failure 2 u32, Failure u64, Success, Success u32, Success 2 u32,
 * Success u64, Success 3 u32, Success u32 u64) with values 0x1111_1111,
 * 0x2222_2222, 0x3333_3333 in the registers the variant defines, so a
 * test app can check that every variant writes exactly its registers
 * (tests/tock/apps/abi). No real driver returns some of these. A board
 * registers it only in a test image (lm3s6965evb: VMUX_TEST_VARIANTS).
 */
#ifndef VMUX_BOARDS_COMMON_VARIANTS_DRIVER_H
#define VMUX_BOARDS_COMMON_VARIANTS_DRIVER_H

#include "kernel/syscall_driver.h"

#define VARIANTS_DRIVER_NUM 0x9f0f0u

extern const struct syscall_driver variants_driver;

#endif
