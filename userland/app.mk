# userland/app.mk: how a vmux app is built, for both boards. One copy of
# the rules: an app folder anywhere includes this file, and so does vmux's
# own Makefile, once for its flags and then through each
# userland/apps/NAME/Makefile.
#
# An app is a folder with its C sources and a Makefile of a few lines
# (tools/new-app NAME DIR makes one; docs/app-guide.md walks through it):
#
#   NAME        := hello    # the process's name, at most 23 characters
#   STACK       := 1024     # bytes of stack (lm3s6965evb)
#   HEAP        := 0        # bytes of heap above .bss (libvmux has no malloc)
#   KERNEL_HEAP := 0        # grant room beyond the console's and the alarm's
#   VMUX_DIR    ?= /path/to/vmux
#   include $(VMUX_DIR)/userland/app.mk
#
# Optional: SRCS (default: every .c in the folder), APP_FLAGS (more
# compiler flags for the app's own sources). HEAP and KERNEL_HEAP are the
# TBF's app heap and kernel heap (APP_HEAP is another name for HEAP); the
# lm3s6965evb gives an app its TBF's minimum RAM (its data, STACK, HEAP,
# KERNEL_HEAP) plus the console's and alarm's grants, in the power-of-two
# block the MPU needs (docs/app-guide.md, "Sizing"). The host board gives
# every app 64 KiB and ignores the three.
#
# In the app's folder:
#   make                  build/host/NAME.so (the host board) and
#                         build/arm/NAME.elf, build/arm/NAME.tbf (Cortex-M3)
#   make run              the app alone on the host board, under vmuxterm
#   make run BOARD=lm3s6965evb    the same under QEMU
#   make debug            QEMU halted, gdb with the kernel's and the app's
#                         symbols (BOARD=lm3s6965evb is implied)
#   make expect EXPECT=REGEX      make run until a line matching REGEX
#                         appears: a check for a test (tools/run-expect)
#   make clean
# RUN_ARGS passes more options to the board program (vmux or QEMU). vmux's
# tools are built in VMUX_DIR (its build/ folder) as needed.
#
# No C library: apps call libvmux (vmux_printf, vmux_memcpy, ...); a call
# to printf or memcpy's friends by their C names fails to link.

ifndef VMUX_APP_MK_RULES
VMUX_APP_MK_RULES := 1

# Where vmux is: this file is VMUX_DIR/userland/app.mk.
VMUX_DIR ?= $(patsubst %/userland/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
# vmux's own sources, as the rules name them: relative inside the tree.
VMUX_SRC := $(if $(filter .,$(VMUX_DIR)),,$(VMUX_DIR)/)

LIBVMUX_DIR       := $(VMUX_SRC)userland/libvmux
# The formatter is the kernel's (kernel/fmt.c): one copy for both.
LIBVMUX_PORT_SRCS := $(filter-out %_host.c %_arm.c,$(wildcard $(LIBVMUX_DIR)/*.c)) \
                     $(VMUX_SRC)kernel/fmt.c
LIBVMUX_HOST_SRCS := $(LIBVMUX_PORT_SRCS) $(wildcard $(LIBVMUX_DIR)/*_host.c)
LIBVMUX_ARM_SRCS  := $(LIBVMUX_PORT_SRCS) $(wildcard $(LIBVMUX_DIR)/*_arm.c)
APP_WARN          := -Wall -Wextra -Werror
APP_INCLUDES      := -I$(VMUX_SRC)userland/include -I$(LIBVMUX_DIR)
# The host board: freestanding shared objects (arch/host/loader.h), no C
# library, every symbol bound at link time.
APP_CFLAGS        := -fPIC -ffreestanding -nostdlib -fno-stack-protector -O2 -g $(APP_WARN) \
                     -std=c11 -fvisibility=hidden $(APP_INCLUDES)
APP_LDFLAGS       := -shared -nostdlib -Wl,-z,defs -Wl,-Bsymbolic
# The Cortex-M3: position independent as libtock-c's apps (r9 holds the
# GOT), laid out by app_arm.ld, relocated by crt0_arm.c.
APP_ARM_CC        := $(STEP) arm-none-eabi-gcc
APP_ARM_CFLAGS    := -mcpu=cortex-m3 -mthumb -Os -g -ffreestanding -nostdlib -fno-stack-protector \
                     -fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative \
                     -ffunction-sections -fdata-sections $(APP_WARN) -std=c11 $(APP_INCLUDES)
APP_ARM_LD        := $(LIBVMUX_DIR)/app_arm.ld
APP_ARM_LDFLAGS   := -mcpu=cortex-m3 -mthumb -nostdlib -nostartfiles -T $(APP_ARM_LD) \
                     -Wl,--emit-relocs -Wl,--gc-sections -Wl,--no-warn-rwx-segments
# tools/tbf packs as elf2tab packs a libtock-c app: vmux's ABI (Tock 2.2),
# the heaps each app names.
VMUX_BUILD        ?= $(VMUX_SRC)$(or $(BUILD),build)
VMUX_TBF          := $(VMUX_BUILD)/release/tbf
VMUX_TBF_PACK     := $(VMUX_TBF) pack --strict --kernel-major 2 --kernel-minor 2

# Compile rules. $(1): host or arm; $(2): where objects of the app's own
# sources go; $(3): where objects of vmux's sources go (the same folder in
# the tree, where both are named from its top). $(4): the prerequisite
# that installs the compiler.
define vmux_app_compile
$(3)/%.o: $(VMUX_SRC)%.c $(VMUX_SRC)userland/app.mk | $(4)
	@mkdir -p $$(dir $$@)
	$$(APP_CC_$(1)) $$(APP_CFLAGS_$(1)) -MMD -MP -c $$< -o $$@
ifneq ($(2),$(3))
$(2)/%.o: %.c $(VMUX_SRC)userland/app.mk | $(4)
	@mkdir -p $$(dir $$@)
	$$(APP_CC_$(1)) $$(APP_CFLAGS_$(1)) $$(APP_FLAGS) -MMD -MP -c $$< -o $$@
endif
endef
APP_CC_host     = $(CC)
APP_CFLAGS_host = $(APP_CFLAGS)
APP_CC_arm      = $(APP_ARM_CC)
APP_CFLAGS_arm  = $(APP_ARM_CFLAGS)

# Objects: $(1) the app's sources, $(2) its objects' folder, $(3) vmux's
# objects' folder, $(4) host or arm.
vmux_app_objs = $(patsubst %.c,$(2)/%.o,$(1)) \
                $(patsubst $(VMUX_SRC)%.c,$(3)/%.o,$(LIBVMUX_$(if $(filter arm,$(4)),ARM,HOST)_SRCS))

# One app. $(1) name, $(2) sources, $(3) host objects, $(4) vmux's host
# objects, $(5) the .so; $(6) ARM objects, $(7) vmux's ARM objects, $(8)
# the .elf, $(9) the .tbf, $(10) stack, $(11) app heap, $(12) kernel heap,
# $(13) what the settings come from (the TBF is packed again when it
# changes).
define vmux_app_rules
$(5): $(call vmux_app_objs,$(2),$(3),$(4),host)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(APP_LDFLAGS) -o $$@ $$^
$(8): $(call vmux_app_objs,$(2),$(6),$(7),arm) $(APP_ARM_LD) $(13)
	@mkdir -p $$(dir $$@)
	$$(APP_ARM_CC) $$(APP_ARM_LDFLAGS) -Wl,--defsym=STACK_SIZE=$(10) -Wl,-Map=$$(@:.elf=.map) \
		-o $$@ $$(filter %.o,$$^) -lgcc
$(9): $(8) $(VMUX_TBF) $(13)
	$$(VMUX_TBF_PACK) $$(APP_PACK_$(1)) -n $(1) -o $$@ $$<
APP_PACK_$(1) := --app-heap $(11) --kernel-heap $(12)
-include $(patsubst %.o,%.d,$(call vmux_app_objs,$(2),$(3),$(4),host) \
                            $(call vmux_app_objs,$(2),$(6),$(7),arm))
endef

endif # VMUX_APP_MK_RULES

# ------------------------------------------------------------ one app
# Included from an app's Makefile (NAME set): the app's rules.
ifneq ($(NAME),)
# VMUX_APP_DIR: an app folder without a Makefile of its own (vmux's
# Makefile builds such a folder with the defaults).
APP_MAKEFILE := $(if $(VMUX_APP_DIR),Makefile,$(lastword $(filter-out $(lastword $(MAKEFILE_LIST)),$(MAKEFILE_LIST))))
APP_DIR      := $(or $(VMUX_APP_DIR),$(patsubst ./%,%,$(dir $(APP_MAKEFILE))))
APP_SRCS     := $(if $(SRCS),$(addprefix $(APP_DIR),$(SRCS)),$(wildcard $(APP_DIR)*.c))
APP_STACK    := $(or $(STACK),1024)
APP_HEAP_BYTES := $(or $(HEAP),$(APP_HEAP),0)
APP_KHEAP    := $(or $(KERNEL_HEAP),0)
ifneq ($(words $(NAME)),1)
$(error NAME "$(NAME)": one word, please)
endif
ifeq ($(APP_SRCS),)
$(error app $(NAME): no sources (no .c file in $(or $(APP_DIR),this folder), and no SRCS))
endif

ifdef VMUX_APPS_IN_TREE
# vmux's tree: the host board's apps in build/release/apps and
# build/test/apps (each vmux finds its apps next to it), the Cortex-M3's
# in build/arm/apps; objects named from the top of the tree.
VMUX_TREE_APPS := $(VMUX_TREE_APPS) $(NAME)
$(eval $(call vmux_app_rules,$(NAME),$(APP_SRCS),$(BUILD)/release/app-obj,$(BUILD)/release/app-obj,$(BUILD)/release/apps/$(NAME).so,$(BUILD)/arm/app-obj,$(BUILD)/arm/app-obj,$(BUILD)/arm/apps/$(NAME).elf,$(BUILD)/arm/apps/$(NAME).tbf,$(APP_STACK),$(APP_HEAP_BYTES),$(APP_KHEAP),$(APP_MAKEFILE) Makefile))
$(BUILD)/test/apps/$(NAME).so: $(call vmux_app_objs,$(APP_SRCS),$(BUILD)/test/app-obj,$(BUILD)/test/app-obj,host)
	@mkdir -p $(dir $@)
	$(CC) $(APP_LDFLAGS) -o $@ $^
-include $(patsubst %.o,%.d,$(call vmux_app_objs,$(APP_SRCS),$(BUILD)/test/app-obj,$(BUILD)/test/app-obj,host))
else
# An app folder: everything under build/ here.
APP_BUILD ?= build
.DEFAULT_GOAL := all
$(eval $(call vmux_app_compile,host,$(APP_BUILD)/host,$(APP_BUILD)/host/vmux,))
$(eval $(call vmux_app_compile,arm,$(APP_BUILD)/arm,$(APP_BUILD)/arm/vmux,vmux-deps-arm))
$(eval $(call vmux_app_rules,$(NAME),$(APP_SRCS),$(APP_BUILD)/host,$(APP_BUILD)/host/vmux,$(APP_BUILD)/host/$(NAME).so,$(APP_BUILD)/arm,$(APP_BUILD)/arm/vmux,$(APP_BUILD)/arm/$(NAME).elf,$(APP_BUILD)/arm/$(NAME).tbf,$(APP_STACK),$(APP_HEAP_BYTES),$(APP_KHEAP),$(APP_MAKEFILE)))

APP_NAME := $(NAME)
APP_SO  := $(APP_BUILD)/host/$(NAME).so
APP_TBF := $(APP_BUILD)/arm/$(NAME).tbf
VMUX_MAKE = $(MAKE) --no-print-directory -C $(VMUX_DIR)

.PHONY: all run debug expect clean vmux-deps-arm
all: $(APP_SO) $(APP_TBF)
	@echo "$(APP_NAME): $(APP_SO) (host board), $(APP_TBF) (lm3s6965evb)"
vmux-deps-arm:
	@sh $(VMUX_DIR)/tools/deps.sh arm
$(VMUX_TBF):
	@$(VMUX_MAKE) build/release/tbf
# Run or debug the app alone: vmux's `make run APPS=...` and `make debug`.
ifeq ($(BOARD),lm3s6965evb)
run: $(APP_TBF)
	@$(VMUX_MAKE) run BOARD=lm3s6965evb APPS="$(abspath $(APP_TBF))"
else
run: $(APP_SO)
	@$(VMUX_MAKE) run APPS="$(abspath $(APP_SO))"
endif
debug: $(APP_TBF)
	@$(VMUX_MAKE) debug BOARD=lm3s6965evb APPS="$(abspath $(APP_TBF))"
# A check: run it (as make run, on BOARD) until a line matching EXPECT
# appears (status 0), or the board ends or WITHIN seconds pass (status 1).
expect: $(if $(filter lm3s6965evb,$(BOARD)),$(APP_TBF),$(APP_SO))
	@$(VMUX_DIR)/tools/run-expect $(if $(WITHIN),--within $(WITHIN)) '$(EXPECT)' -- \
		$(MAKE) --no-print-directory run $(if $(BOARD),BOARD=$(BOARD))
clean:
	rm -rf $(APP_BUILD)
endif

undefine NAME
undefine VMUX_APP_DIR
undefine SRCS
undefine STACK
undefine HEAP
undefine APP_HEAP
undefine KERNEL_HEAP
endif
