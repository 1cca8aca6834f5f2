/*
 * Process regions on the ARMv7-M MPU (mpu.h). Register layout from the
 * ARMv7-M Architecture Reference Manual (B3.5): MPU_TYPE.DREGION [15:8];
 * MPU_CTRL ENABLE, HFNMIENA, PRIVDEFENA; MPU_RBAR ADDR [31:5], VALID
 * [4], REGION [3:0]; MPU_RASR XN [28], AP [26:24], TEX [21:19], S [18],
 * C [17], B [16], SRD [15:8], SIZE [5:1] (2^(SIZE+1) bytes), ENABLE [0].
 */
#include "arch/cortex-m3/mpu.h"

#include "arch/cortex-m3/cortex_m3.h"

#define MPU_TYPE MMIO32(0xE000ED90u)
#define MPU_CTRL MMIO32(0xE000ED94u)
#define MPU_RNR  MMIO32(0xE000ED98u)
#define MPU_RBAR MMIO32(0xE000ED9Cu)
#define MPU_RASR MMIO32(0xE000EDA0u)

#define CTRL_ENABLE     (1u << 0)
#define CTRL_PRIVDEFENA (1u << 2)
#define RBAR_VALID      (1u << 4)
#define RASR_ENABLE     (1u << 0)
#define RASR_SIZE(log2) ((uint32_t)((log2) - 1u) << 1)
#define RASR_SRD(bits)  ((uint32_t)(bits) << 8)
#define RASR_B          (1u << 16)
#define RASR_C          (1u << 17)
#define RASR_AP_RO_RO   (6u << 24)  /* privileged and unprivileged read only */
#define RASR_AP_RW_RW   (3u << 24)  /* both read and write */
#define RASR_XN         (1u << 28)

#define REGION_FLASH 0u
#define REGION_RAM 1u
#define REGION_RAM_TAIL 2u

unsigned cm3_mpu_regions(void)
{
    return (MPU_TYPE >> 8) & 0xffu;
}

bool cm3_mpu_init(void)
{
    unsigned n = cm3_mpu_regions();
    if (n < CM3_MPU_REGIONS_USED)
        return false;
    MPU_CTRL = 0;
    for (unsigned i = 0; i < n; i++) {
        MPU_RNR = i;
        MPU_RASR = 0;
        MPU_RBAR = 0;
    }
    MPU_CTRL = CTRL_ENABLE | CTRL_PRIVDEFENA;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    return true;
}

/* Of a power of two (one clz instruction). */
static unsigned log2_of(uint32_t pow2)
{
    return 31u - (unsigned)__builtin_clz(pow2);
}

/* SRD with the first `enabled` of the eight subregions enabled. */
static uint32_t srd_first(unsigned enabled)
{
    return RASR_SRD(~((1u << enabled) - 1u) & 0xffu);
}

void cm3_mpu_configure(struct cm3_mpu_config *c, uintptr_t flash_start, uintptr_t flash_end,
                       uintptr_t ram_start, uintptr_t ram_end, uintptr_t brk)
{
    uint32_t len = (uint32_t)(flash_end - flash_start), size = cm3_mpu_pow2(len);
    uint32_t srd = size >= 256u ? srd_first(len / (size / 8u)) : 0;
    c->region[REGION_FLASH].rbar = (uint32_t)flash_start | RBAR_VALID | REGION_FLASH;
    c->region[REGION_FLASH].rasr = RASR_AP_RO_RO | RASR_C | srd | RASR_SIZE(log2_of(size)) | RASR_ENABLE;

    uint32_t block = cm3_mpu_ram_block(ram_start, ram_end), sub = block / 8u, fine = sub / 8u;
    uint32_t off = brk > ram_start ? (uint32_t)(brk - ram_start) : 0;
    if (off > block)
        off = block;
    unsigned full = off / sub;
    uint32_t rem = off % sub;
    c->region[REGION_RAM].rbar = (uint32_t)ram_start | RBAR_VALID | REGION_RAM;
    c->region[REGION_RAM].rasr = full == 0 ? 0
                                    : RASR_XN | RASR_AP_RW_RW | RASR_C | RASR_B | srd_first(full) |
                                          RASR_SIZE(log2_of(block)) | RASR_ENABLE;
    uint32_t tail = (uint32_t)ram_start + full * sub;
    c->region[REGION_RAM_TAIL].rbar = (rem ? tail : 0) | RBAR_VALID | REGION_RAM_TAIL;
    c->region[REGION_RAM_TAIL].rasr = rem == 0 ? 0
                                        : RASR_XN | RASR_AP_RW_RW | RASR_C | RASR_B |
                                              srd_first((rem + fine - 1u) / fine) |
                                              RASR_SIZE(log2_of(sub)) | RASR_ENABLE;
}

_Static_assert(CM3_MPU_REGIONS_USED == 3u, "cm3_mpu_apply stores three RBAR/RASR pairs");

/* Through RBAR/RASR and their aliases A1 and A2 (consecutive words from
 * MPU_RBAR): six words in one load and one store. */
void cm3_mpu_apply(const struct cm3_mpu_config *c)
{
    __asm__ volatile("ldmia %0, {r2, r3, r4, r5, r6, r7}\n\t"
                     "stmia %1, {r2, r3, r4, r5, r6, r7}\n\t"
                     "dsb\n\t"
                     "isb"
                     :
                     : "r"(c), "r"(&MPU_RBAR)
                     : "r2", "r3", "r4", "r5", "r6", "r7", "memory");
}

void cm3_mpu_clear(void)
{
    for (unsigned i = 0; i < CM3_MPU_REGIONS_USED; i++) {
        MPU_RNR = i;
        MPU_RASR = 0;
    }
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}
