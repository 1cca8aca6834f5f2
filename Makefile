# vmux: top-level build. `make help` lists the targets.
#
# Layers are discovered by directory, so adding a file needs no edit here:
#   kernel/ capsules/ capsules/net/ capsules/drivers/ capsules/storage/ chips/soft/
#                                                  portable (host and Cortex-M)
#   arch/host/ chips/sim/                          host-board hardware
#   boards/host/ boards/common/                    the vmux host-board program
#   boards/test/                                   board wiring used by tests
#   tests/unit/test_*.c                            one cmocka binary each

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD   ?= build
CC      ?= gcc
ifeq ($(origin CC),default)
CC := gcc
endif
# Quiet builds: every compiler, linker and archiver call goes through
# tools/make-step.sh, which prints one line for it ("  CC build/test/obj/
# kernel/rr.o") and explains the usual reasons an app does not build;
# V=1 prints every command in full instead.
V ?= 0
export V
STEP := tools/make-step.sh
override CC := $(STEP) $(CC)
AR := $(STEP) ar
ifneq ($(V),1)
.SILENT:
endif

WARN      := -Wall -Wextra -Werror
STD       := -std=c11 -D_GNU_SOURCE
INCLUDES  := -I.
PKGS      := slirp
# Evaluated when a recipe runs (after `deps` has installed pkg-config and
# the libraries), not when the Makefile is read, and then kept.
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)

# Variant flags: release (the demo, benchmarks), test (sanitizers), fuzz
# (clang, libFuzzer instrumentation and sanitizers).
CC_release := $(CC)
CC_test    := $(CC)
CC_fuzz    := $(STEP) clang
CFLAGS_fuzz := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=all
CFLAGS_release := -O2 -g
CFLAGS_test    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                  -fno-sanitize-recover=all
LDFLAGS_release :=
LDFLAGS_test    := -fsanitize=address,undefined

PORTABLE_SRCS := $(wildcard kernel/*.c capsules/*.c capsules/net/*.c capsules/drivers/*.c capsules/storage/*.c chips/soft/*.c)
HOST_SRCS     := $(wildcard arch/host/*.c chips/sim/*.c)
LIB_SRCS      := $(PORTABLE_SRCS) $(HOST_SRCS)
BOARD_HOST_SRCS := $(wildcard boards/host/*.c boards/common/*.c)
BOARD_TEST_SRCS := $(wildcard boards/test/*.c)
TEST_SRCS     := $(wildcard tests/unit/test_*.c)
TEST_SUPPORT_SRCS := $(wildcard tests/unit/support/*.c)
TOOL_SRCS     := $(wildcard tools/*/main.c)
FUZZ_SRCS     := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_SRCS    := $(wildcard bench/bench_*.c)

objs = $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(2))

# ---------------------------------------------------------------- packages
.PHONY: deps deps-host deps-fuzz deps-arm deps-bench
deps:
	@sh tools/deps.sh
deps-host:
	@sh tools/deps.sh host
deps-fuzz:
	@sh tools/deps.sh fuzz
deps-arm:
	@sh tools/deps.sh arm
deps-bench:
	@sh tools/deps.sh bench

# ---------------------------------------------------------------- objects
define variant_rules
$(BUILD)/$(1)/obj/%.o: %.c | deps-host $(if $(filter fuzz,$(1)),deps-fuzz)
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(STD) $$(WARN) $$(CFLAGS_$(1)) $$(INCLUDES) $$(PKG_CFLAGS) -MMD -MP -c $$< -o $$@

$(BUILD)/$(1)/libvmux.a: $(call objs,$(1),$(LIB_SRCS))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(AR) rcs $$@ $$^

-include $$(patsubst %.o,%.d,$(call objs,$(1),$(LIB_SRCS) $(BOARD_HOST_SRCS) $(BOARD_TEST_SRCS) $(TEST_SRCS) $(TEST_SUPPORT_SRCS) $(TOOL_SRCS) $(FUZZ_SRCS) $(BENCH_SRCS)))
endef
$(eval $(call variant_rules,release))
$(eval $(call variant_rules,test))
$(eval $(call variant_rules,fuzz))

# ---------------------------------------------------------------- programs
VMUX := $(BUILD)/release/vmux
$(VMUX): $(call objs,release,$(BOARD_HOST_SRCS)) $(BUILD)/release/libvmux.a
	$(CC) $(LDFLAGS_release) -o $@ $^ $(PKG_LIBS) -ldl -lpthread

VMUX_TEST := $(BUILD)/test/vmux
$(VMUX_TEST): $(call objs,test,$(BOARD_HOST_SRCS)) $(BUILD)/test/libvmux.a
	$(CC) $(LDFLAGS_test) -o $@ $^ $(PKG_LIBS) -ldl -lpthread

TOOLS := $(patsubst tools/%/main.c,$(BUILD)/release/%,$(TOOL_SRCS))
$(BUILD)/release/%: $(BUILD)/release/obj/tools/%/main.o $(BUILD)/release/libvmux.a
	$(CC) $(LDFLAGS_release) -o $@ $^
# A helper of the end-to-end checks: holds UDP ports as another program
# would (tests/check/make_run_fails_loudly.sh).
$(BUILD)/test/hold_udp_port: tests/check/hold_udp_port.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) -O1 -o $@ $<
# vmuxterm answers the management channel's challenges with the board's
# own code for them (boards/common/mgmt_auth.c).
$(BUILD)/release/vmuxterm: $(BUILD)/release/obj/tools/vmuxterm/main.o \
                           $(BUILD)/release/obj/boards/common/mgmt_auth.o $(BUILD)/release/libvmux.a
	$(CC) $(LDFLAGS_release) -o $@ $^

# A management key (boards/common/mgmt_auth.h): 16 random bytes in hex,
# readable by its owner only, made once per build directory. `make run`
# gives the host board and vmuxterm $(BUILD)/mgmt.key; the lm3s6965evb
# image bakes in $(BUILD)/lm3s6965evb/mgmt.key.
%/mgmt.key:
	@mkdir -p $(dir $@)
	@umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >$@; echo >>$@

# ---------------------------------------------------------------- fuzzing
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
$(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/tests/fuzz/%.o $(call objs,fuzz,$(BOARD_TEST_SRCS) $(TEST_SUPPORT_SRCS)) $(BUILD)/fuzz/libvmux.a
	$(CC_fuzz) -fsanitize=fuzzer,address,undefined -o $@ $^ $(PKG_LIBS) -ldl -lpthread

# `make test` runs each fuzzer on a fixed number of inputs from a fixed
# seed (the same inputs on any machine, however loaded; the slowest
# harnesses on fewer: syscalls 3 ms an input, storage_mount 0.4 ms);
# `make fuzz FUZZ_SECONDS=600` for a time, from a new seed each run.
FUZZ_SECONDS ?= 60
FUZZ_RUNS_IN_TEST ?= 50000
export FUZZ_RUNS_fuzz_syscalls ?= 3000
export FUZZ_RUNS_fuzz_storage_mount ?= 20000
fuzz: $(FUZZ_BINS) | deps-host deps-fuzz
	@tools/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# ---------------------------------------------------------------- test apps
# Host-board apps for the process tests (tests/unit/test_host_*.c): tiny
# freestanding shared objects, as the loader (arch/host/loader.h) wants
# them: no libc, no sanitizers (their runtimes live in the board, not in
# the app's link-map namespace), every symbol resolved at link time.
APP_SRCS   := $(wildcard tests/apps/*.c)
TEST_APPS  := $(patsubst tests/apps/%.c,$(BUILD)/test/apps/%.so,$(APP_SRCS))
TEST_APP_CFLAGS := -O1 -g -fPIC -shared -nostdlib -ffreestanding -fno-stack-protector -Wl,-z,defs
$(BUILD)/test/apps/%.so: tests/apps/%.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(TEST_APP_CFLAGS) $(INCLUDES) -MMD -MP -MF $(@:.so=.d) -o $@ $<
-include $(TEST_APPS:.so=.d)

# ---------------------------------------------------------------- tests
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/test/tests/%,$(TEST_SRCS))
TEST_COMMON_OBJS := $(call objs,test,$(BOARD_TEST_SRCS) $(TEST_SUPPORT_SRCS))
$(BUILD)/test/tests/%: $(BUILD)/test/obj/tests/unit/%.o $(TEST_COMMON_OBJS) $(BUILD)/test/libvmux.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_test) -o $@ $^ $(PKG_LIBS) -lcmocka -lcrypto -ldl -lpthread

.PHONY: all build-tests check unit test run bench fuzz clean help
all: $(VMUX) $(TOOLS) $(TEST_BINS)

build-tests: $(TEST_BINS) $(VMUX_TEST) $(TEST_APPS) $(BUILD)/test/hold_udp_port

check: | deps-host
	@tools/check-capabilities.sh .
	@tools/check-layers.sh .
	@tools/check-names.sh .
	@echo "check: capabilities minted only in boards/, layers respected, kernel clients named with CLIENT_NAME"

unit: build-tests
	@ONLY="$(ONLY)" tools/run-tests.sh $(TEST_BINS)

# Everything: static checks, unit tests, end-to-end scripts, the fuzzers
# briefly. One summary. ONLY=PATH reruns one program (tools/run-tests.sh).
test: build-tests $(VMUX) $(TOOLS) $(FUZZ_BINS) | deps-host deps-fuzz
	@BUILD=$(BUILD) FUZZ_RUNS=$(FUZZ_RUNS_IN_TEST) ONLY="$(ONLY)" tools/run-tests.sh --check \
		$(TEST_BINS) tests/check/*.sh tests/qemu/*.sh $(FUZZ_BINS)

# The demo: the host board under vmuxterm, which labels each client's
# output; type "@mgmt help". Two sensors share ADC and temperature
# readings (sensor-a counts its starts in the simulated EEPROM, kept in
# $(BUILD)/eeprom.bin), udp_echo answers on UDP_PORT of 127.0.0.1 (board
# port 2007), crypto_app encrypts, policy_probe tries what the policy
# forbids, storage_demo counts its boots and keeps a log in its storage
# on $(BUILD)/storage.img (type "@mgmt storage"). RUN_APPS adds more
# (e.g. RUN_APPS=hog: a process that never yields, preempted); APPS runs
# exactly the apps it names instead (mk/apps.mk). When the board cannot
# start, tools/run-hint.sh says why (a UDP port taken) and what to do,
# and make fails.
UDP_PORT ?= 5555
KERNEL_UDP_PORT ?= 5556
DEMO_APPS = sensor.so@sensor-a sensor.so@sensor-b udp_echo.so crypto_app.so policy_probe.so \
            storage_demo.so $(addsuffix .so,$(RUN_APPS))
ifeq ($(BOARD),lm3s6965evb)
run: run-lm3s6965evb
else
run: $(VMUX) $(TOOLS) apps $(BUILD)/mgmt.key host-run-check | deps-host
	$(BUILD)/release/vmuxterm --key $(BUILD)/mgmt.key --exec $(VMUX) \
		--mgmt-key $(BUILD)/mgmt.key --udp-forward $(UDP_PORT):2007 --eeprom $(BUILD)/eeprom.bin \
		--storage $(BUILD)/storage.img \
		$(foreach a,$(HOST_RUN_APPS),--app $(a)) $(RUN_ARGS) \
		|| tools/run-hint.sh $$? host UDP_PORT=$(UDP_PORT)
endif

BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/release/bench/%,$(BENCH_SRCS))
$(BUILD)/release/bench/%: $(BUILD)/release/obj/bench/%.o $(call objs,release,$(BOARD_TEST_SRCS) $(TEST_SUPPORT_SRCS)) $(BUILD)/release/libvmux.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(PKG_LIBS) -ldl -lpthread

# Apps the syscall benchmark runs: the same loop with 0 and 1000 calls.
BENCH_APPS := $(foreach k,null upcall,$(foreach n,0 1000,$(BUILD)/release/bench/apps/$(k)_$(n).so))
$(BUILD)/release/bench/apps/%.so: bench/apps/syscall_loop.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(TEST_APP_CFLAGS) $(INCLUDES) -DCALLS=$(lastword $(subst _, ,$*)) \
		-DUPCALLS=$(if $(filter upcall_%,$*),1,0) -o $@ $<

bench: $(BENCH_BINS) $(BENCH_APPS) | deps-host deps-bench
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# Every target and variable the README and docs use
# (tests/check/make_help_covers_the_docs.sh holds it to them); the first
# two lines are the README's own.
help:
	@echo "make run     # the demo: the host board, each client's output under its name"
	@echo "make test    # every test: static checks, unit tests, end-to-end, one summary"
	@echo ""
	@echo "Running"
	@echo "  make run BOARD=lm3s6965evb   the same demo on the Cortex-M3 board under QEMU"
	@echo "  make run BOARD=lm3s6965evb DISPLAY=1   with QEMU's OLED shared in windows"
	@echo "  make run BOARD=lm3s6965evb STORAGE=1   with storage on QEMU's SD card (sd.img)"
	@echo "  make run RUN_APPS=\"hog buttons\"   adds apps to the demo (userland/apps/NAME)"
	@echo "  make run RUN_ARGS=...        more arguments for the board (vmux, or QEMU)"
	@echo "  make run UDP_PORT=N KERNEL_UDP_PORT=N   host UDP ports forwarded to the board"
	@echo "                               (5555: udp_echo, board port 2007; 5556: the"
	@echo "                               kernel's echo, board port 7, on the lm3s6965evb)"
	@echo "  make run APPS=\"a.so b.so\"    exactly these apps instead of the demo's (with"
	@echo "                               BOARD=lm3s6965evb: .tbf files, or a vmuxload image)"
	@echo "  make debug BOARD=lm3s6965evb QEMU halted and gdb with the kernel's and the apps'"
	@echo "                               symbols (APPS= as for run; GDB_ARGS=, GDB_PORT=1234)"
	@echo "Your own app (docs/app-guide.md)"
	@echo "  tools/new-app NAME DIR       a new app folder; in it, make, make run, make debug,"
	@echo "                               make expect EXPECT=REGEX (run until a line matches)"
	@echo "  build/release/vmuxload IMAGE list|install|uninstall|info|check   the QEMU board's apps"
	@echo "Testing"
	@echo "  make test ONLY=PATH          one test program (a path, or a name: test_rr)"
	@echo "  make check                   static checks: capability minting and layering"
	@echo "  make unit                    the unit tests only (ONLY= as for make test)"
	@echo "  make stress STRESS_RUNS=N    the end-to-end, attack and QEMU suites N (20) times,"
	@echo "                               every core kept busy"
	@echo "  make fuzz FUZZ_SECONDS=N     each fuzzer for N seconds (60)"
	@echo "  make report                  the adversarial suite's figures (REPORT_FUZZ_SECONDS=5"
	@echo "                               per fuzzer)"
	@echo "Measuring"
	@echo "  make bench                   instruction counts on the host (callgrind)"
	@echo "  make bench-lm3s6965evb       instruction counts on the Cortex-M3 (QEMU -icount)"
	@echo "  make lm3s6965evb-size        flash and RAM of the Cortex-M3 images, per object"
	@echo "Building"
	@echo "  make all                     the host board, tools, apps and tests, no run"
	@echo "  make build-tests             every test program, no run"
	@echo "  make apps                    the apps for the host board ($(BUILD)/release/apps/)"
	@echo "  make apps-arm-check          the apps compiled for the Cortex-M3 (no link)"
	@echo "  make lm3s6965evb             the Cortex-M3 board image, and its size"
	@echo "  make deps                    install the missing Debian packages (says which)"
	@echo "  make clean                   remove $(BUILD)/"
	@echo "  make help                    this list"
	@echo "Variables for any target"
	@echo "  V=1                          print every compiler command in full"
	@echo "  BUILD=DIR                    build into DIR (build)"
.SECONDARY:

# ================================================================ userland apps
# --- begin: userland apps (libvmux) ---------------------------------------
# Each app is a folder userland/apps/<name>/ with its sources and a
# Makefile naming it and its sizes, built by userland/app.mk, the rules
# an app outside the tree uses too (docs/app-guide.md): for the host
# board a freestanding shared object build/<variant>/apps/<name>.so (no C
# library: its only exports are vmux_host_entry and vmux_host_syscall;
# tests/check/apps_are_freestanding.sh checks), for the Cortex-M3 a
# position-independent ELF build/arm/apps/<name>.elf (app_arm.ld, as
# libtock-c's: crt0_arm.c relocates it at start; --emit-relocs keeps the
# relocations of .data) packed into a TBF object build/arm/apps/<name>.tbf
# by tools/tbf as elf2tab packs a libtock-c app.
VMUX_DIR := .
VMUX_APPS_IN_TREE := 1
include userland/app.mk
$(eval $(call vmux_app_compile,host,$(BUILD)/release/app-obj,$(BUILD)/release/app-obj,deps-host))
$(eval $(call vmux_app_compile,host,$(BUILD)/test/app-obj,$(BUILD)/test/app-obj,deps-host))
$(eval $(call vmux_app_compile,arm,$(BUILD)/arm/app-obj,$(BUILD)/arm/app-obj,deps-arm))
$(foreach m,$(wildcard userland/apps/*/Makefile),$(eval include $(m)))
# A folder with sources and no Makefile: built with the defaults (its
# folder's name, app.mk's sizes).
$(foreach d,$(sort $(dir $(wildcard userland/apps/*/*.c))),$(if $(wildcard $(d)Makefile),,\
    $(eval NAME := $(notdir $(patsubst %/,%,$(d))))$(eval VMUX_APP_DIR := $(d))$(eval include userland/app.mk)))
APP_SRCS  := $(wildcard userland/apps/*/*.c)
APP_NAMES := $(VMUX_TREE_APPS)
app_objs = $(patsubst %.c,$(BUILD)/$(1)/app-obj/%.o,$(2))
APPS_release := $(patsubst %,$(BUILD)/release/apps/%.so,$(APP_NAMES))
APPS_test    := $(patsubst %,$(BUILD)/test/apps/%.so,$(APP_NAMES))
ARM_APPS     := $(BUILD)/arm/apps

.PHONY: apps apps-arm-check
apps: $(APPS_release) $(APPS_test)
apps-arm-check: $(call app_objs,arm,$(LIBVMUX_ARM_SRCS) $(APP_SRCS))
	@echo "apps-arm-check: libvmux and $(words $(APP_NAMES)) app(s) compile for Cortex-M3"
all: apps
build-tests: apps

# libvmux built as ordinary host code (test flags, sanitizers) for its
# cmocka tests: the formatting alone, and the whole library (less the
# entry point) against a fake kernel, which also loads the apps.
LIBVMUX_TEST_OBJS := $(call objs,test,$(LIBVMUX_PORT_SRCS) $(LIBVMUX_DIR)/syscall_host.c)
$(LIBVMUX_TEST_OBJS) $(BUILD)/test/obj/tests/unit/test_libvmux_calls.o: INCLUDES += -Iuserland/include
$(BUILD)/test/tests/test_libvmux_format: $(call objs,test,$(LIBVMUX_DIR)/runtime.c)
$(BUILD)/test/tests/test_libvmux_calls: $(LIBVMUX_TEST_OBJS) | $(APPS_test)
-include $(patsubst %.o,%.d,$(LIBVMUX_TEST_OBJS))
# --- end: userland apps (libvmux) -----------------------------------------

# ================================================================ BOARD=lm3s6965evb
# The Cortex-M3 kernel for the TI LM3S6965 evaluation board, run under
# QEMU (-M lm3s6965evb). Everything for it is in this block.
#   make BOARD=lm3s6965evb         $(BUILD)/lm3s6965evb/vmux.elf
#   make run BOARD=lm3s6965evb     QEMU, UART0 on vmuxterm; host udp 127.0.0.1:UDP_PORT
#                                  reaches the board's port 7
#   make lm3s6965evb-size          flash and RAM of the kernel, per object
# `make test` also builds the test images (the board with a test-mode
# define: exit with status 0 after LM3S_TEST_EXIT_MS, a short ticker; and
# one that faults on purpose) and runs tests/qemu/*.sh on them.
ARM_CC     := $(STEP) arm-none-eabi-gcc
ARM_SIZE   := arm-none-eabi-size
ARM_OBJCOPY := arm-none-eabi-objcopy
QEMU_ARM   := qemu-system-arm
LM3S_BUILD := $(BUILD)/lm3s6965evb
# Link-time optimisation over the whole kernel: symbols that only assembly
# or the linker script uses are marked `used` (arch/cortex-m3, vectors.c).
# The objects also carry ordinary code (-ffat-lto-objects) so that
# lm3s6965evb-size can link them without LTO for a per-object breakdown.
LM3S_OPT   := -Os -flto -ffunction-sections -fdata-sections
# Everything but the system call and switch paths is also compiled with
# passes that trade speed for size turned off (jump threading and the
# others below: about 740 bytes less of the kernel; each measured
# alone, the last six from -fno-tree-dse on also together). Left out:
# -fno-tree-scev-cprop, -fno-tree-fre and -fno-shrink-wrap, smaller
# still but 17, 6 and 2 instructions more an upcall.
# The files in LM3S_HOT keep plain -Os: there the same flags cost 6 to 10
# instructions a switch (make bench-lm3s6965evb). LTO keeps each
# function's own options.
LM3S_SMALL := -fno-thread-jumps -fno-move-loop-invariants -fno-partial-inlining \
              -fno-sched-interblock -fno-schedule-insns2 -fno-if-conversion -fno-if-conversion2 \
              -fno-tree-tail-merge -fno-ssa-phiopt -fno-tree-dominator-opts \
              -fno-inline-small-functions -fno-optimize-sibling-calls -fno-tree-loop-im \
              -fno-guess-branch-probability -fno-isolate-erroneous-paths-dereference \
              -fno-ira-hoist-pressure -fira-algorithm=priority \
              -fno-tree-dse -fno-tree-copy-prop -fno-forward-propagate -fno-tree-phiprop \
              -fno-jump-tables -fno-tree-cselim
# Process slots (the tools that lay out an apps image use the same).
LM3S_PROCESS_MAX := 6
LM3S_HOT   := arch/cortex-m3/process.c kernel/process.c kernel/syscall.c kernel/rr.c \
              kernel/deferred.c chips/lm3s6965/slice.c arch/cortex-m3/mpu.c \
              arch/cortex-m3/mpu_geometry.c
LM3S_CFLAGS := -mcpu=cortex-m3 -mthumb $(LM3S_OPT) -ffat-lto-objects -g -ffreestanding \
               -DCONSOLE_BUFFER=384u -DPROCESS_MAX=$(LM3S_PROCESS_MAX)u -DVMUX_FMT_KERNEL=1
LM3S_LDFLAGS := -mcpu=cortex-m3 -mthumb $(LM3S_OPT) -g -flto-partition=one -nostartfiles \
                --specs=nano.specs -Wl,--gc-sections -Wl,--no-warn-rwx-segments \
                -T arch/cortex-m3/vmux.ld -L boards/lm3s6965evb
LM3S_SRCS  := $(PORTABLE_SRCS) $(wildcard arch/cortex-m3/*.c chips/lm3s6965/*.c \
              boards/common/*.c boards/lm3s6965evb/*.c)
LM3S_MAIN  := boards/lm3s6965evb/main.c
LM3S_OBJS  := $(patsubst %.c,$(LM3S_BUILD)/obj/%.o,$(filter-out $(LM3S_MAIN),$(LM3S_SRCS)))
LM3S_LDDEPS := arch/cortex-m3/vmux.ld boards/lm3s6965evb/memory.ld
LM3S_ELF   := $(LM3S_BUILD)/vmux.elf
# The kernel with every virtualizer: the board without the management
# channel and the demo's kernel clients (ticker, crypto, udp-echo, adc;
# boards/common/demo_clients.c), every virtualizer and driver still
# wired. Its flash is the figure the kernel budget is about
# (tests/check/kernel_fits_flash_budget.sh).
# The SPI and I2C buses (SSI0, I2C0, their muxes, the TMP105 and the
# SPI, I2C and temperature syscall drivers) are a board option
# (VMUX_BUSES): they do not fit under the kernel's 40 KiB with every
# other virtualizer, so the kernel image leaves them out, and
# vmux-kernel-buses.elf, the same kernel with them, measures what they
# add (lm3s6965evb-size; docs/performance.md). The board image has them.
LM3S_KERNEL_ELF := $(LM3S_BUILD)/vmux-kernel.elf
LM3S_KERNEL_BUSES_ELF := $(LM3S_BUILD)/vmux-kernel-buses.elf
# The display (the SSD0323 OLED on SSI0 shared in windows, the screen
# driver, the kernel's status strip: boards/common/display.h) is a board
# option too (VMUX_DISPLAY): vmux-display.elf is the board with it, as
# `make run BOARD=lm3s6965evb DISPLAY=1` starts it, with its own flash
# budget; vmux.elf and the kernel images leave it out.
LM3S_DISPLAY_ELF := $(LM3S_BUILD)/vmux-display.elf
# Storage on the SD card (the storage mux, the key-value store 0x50003,
# isolated storage 0x50004 over capsules/sd_spi.h: boards/common/
# storage.h) is a board option too (VMUX_STORAGE): vmux-storage.elf is
# the board with it, as `make run BOARD=lm3s6965evb STORAGE=1` starts it,
# with its own flash budget.
LM3S_STORAGE_ELF := $(LM3S_BUILD)/vmux-storage.elf
LM3S_TEST_EXIT_MS ?= 4000
LM3S_TEST_ELF  := $(LM3S_BUILD)/vmux-test.elf
LM3S_FAULT_ELF := $(LM3S_BUILD)/vmux-fault.elf
LM3S_KERNEL_TEST_ELF := $(LM3S_BUILD)/vmux-kernel-test.elf
LM3S_BUSES_TEST_ELF := $(LM3S_BUILD)/vmux-buses-test.elf
LM3S_TEST_IMAGES := $(LM3S_TEST_ELF) $(LM3S_FAULT_ELF) $(LM3S_KERNEL_TEST_ELF) \
                    $(LM3S_BUSES_TEST_ELF) $(LM3S_DISPLAY_ELF) $(LM3S_STORAGE_ELF)
# QEMU as `make run` and the tests start it: UART0 on its stdio (vmuxterm
# --exec gives it a pipe), the monitor off (it would share stdio),
# semihosting for exit statuses, user networking with a UDP forward.
QEMU_LM3S = $(QEMU_ARM) -M lm3s6965evb -nographic -monitor none -serial stdio \
            -semihosting-config $(QEMU_LM3S_SEMIHOSTING)
QEMU_LM3S_SEMIHOSTING = enable=on,target=native
# make run wants every app it puts in flash: the board image, told so
# (apps=all), ends QEMU with status 4 when one has no room in RAM, and
# tools/run-hint.sh says what to do.
run-lm3s6965evb: QEMU_LM3S_SEMIHOSTING = enable=on,target=native,arg=vmux,arg=apps=all

# The objects depend on the Makefile: their flags (CONSOLE_BUFFER,
# PROCESS_MAX) change struct layouts, and every object must agree.
$(LM3S_BUILD)/obj/%.o: %.c Makefile | deps-arm
	@mkdir -p $(dir $@)
	$(ARM_CC) $(STD) $(WARN) $(LM3S_CFLAGS) $(if $(filter $<,$(LM3S_HOT)),,$(LM3S_SMALL)) \
		$(INCLUDES) -MMD -MP -c $< -o $@

# The management key, baked into the image (a demo-grade choice:
# docs/security.md): one per build directory, as an initializer.
$(LM3S_BUILD)/mgmt_key.h: $(LM3S_BUILD)/mgmt.key
	@sed -E 's/(..)/0x\1, /g; s/^/#define VMUX_MGMT_KEY { /; s/, $$/ }/' $< >$@

$(LM3S_BUILD)/obj/main-%.o: $(LM3S_MAIN) Makefile $(LM3S_BUILD)/mgmt_key.h | deps-arm
	@mkdir -p $(dir $@)
	$(ARM_CC) $(STD) $(WARN) $(LM3S_CFLAGS) $(LM3S_DEFS_$*) \
		-DVMUX_MGMT_KEY_H='"$(LM3S_BUILD)/mgmt_key.h"' $(INCLUDES) -MMD -MP -c $< -o $@

LM3S_DEFS_board :=
LM3S_DEFS_kernel := -DVMUX_DEMO_CLIENTS=0 -DVMUX_MGMT=0 -DVMUX_LOW_LEVEL_DEBUG=0 -DVMUX_BUSES=0
LM3S_DEFS_kernelbuses := -DVMUX_DEMO_CLIENTS=0 -DVMUX_MGMT=0 -DVMUX_LOW_LEVEL_DEBUG=0
# The test image: exits after LM3S_TEST_EXIT_MS, ticks every 200 ms, and
# its alarm counter starts 2 s (100M cycles at 50 MHz) before it wraps;
# it checks SHA-256 credentials (tests/qemu/lm3s6965evb_tbf.sh).
LM3S_DEFS_test  := -DVMUX_TEST_EXIT_MS=$(LM3S_TEST_EXIT_MS) -DVMUX_TICKER_MS=200 \
                   -DVMUX_TIMEBASE_START=0xfa0a1f00u -DVMUX_TBF_SHA256=1 -DVMUX_TEST_VARIANTS
LM3S_DEFS_fault := -DVMUX_TEST_FAULT_MS=300
# The kernel with every virtualizer in test mode: the apps test runs the
# demo apps on it too.
LM3S_DEFS_kerneltest := $(LM3S_DEFS_test) -DVMUX_DEMO_CLIENTS=0 -DVMUX_MGMT=0 \
                        -DVMUX_LOW_LEVEL_DEBUG=0 -DVMUX_BUSES=0
# The board with the SD card given to a test app (the buses test).
LM3S_DEFS_busestest := -DVMUX_SD_OWNERS='"buses-a"'
LM3S_DEFS_display := -DVMUX_DISPLAY=1
LM3S_DEFS_storage := -DVMUX_STORAGE=1 -DVMUX_DEMO_CLIENTS=0 -DVMUX_LOW_LEVEL_DEBUG=0

define lm3s_image # elf, variant
$(1): $(LM3S_OBJS) $(LM3S_BUILD)/obj/main-$(2).o $(LM3S_LDDEPS) | deps-arm
	$(ARM_CC) $(LM3S_LDFLAGS) -Wl,-Map=$(basename $(1)).map -o $$@ $(LM3S_OBJS) \
		$(LM3S_BUILD)/obj/main-$(2).o -lc -lgcc
endef
# The apps image (tools/tbf): the demo apps as TBF objects, loaded into
# flash at _apps_flash_start (0x10000) next to the kernel's ELF.
LM3S_APPS_ADDR := 0x10000
LM3S_APPS_MAX  := 196608
LM3S_DEMO_APPS := sensor-a sensor-b udp_echo crypto_app policy_probe $(RUN_APPS)
LM3S_DEMO_BIN  := $(LM3S_BUILD)/apps-demo.bin
# tools/tbf pack takes elf2tab's options. vmux's apps ask for the ABI
# vmux implements (2.2) and name their heaps in their Makefiles
# (userland/app.mk: KERNEL_HEAP, room for the grants of the drivers they
# use beyond the console's and alarm's, which the loader adds to every
# app; on the Cortex-M3: ADC 88 bytes, crypto 248, UDP 1740, LED 24,
# button 40, GPIO 32, RNG 72, low-level debug 8, SPI 192, I2C 176,
# temperature 72). The test apps below ask for no app heap and
# elf2tab's default kernel heap (1 KiB). Objects depend on the Makefile:
# their options are here. The demo's two sensors are one ELF.
TBF_PACK       := $(VMUX_TBF_PACK) --app-heap 0
$(ARM_APPS)/sensor-%.tbf: $(ARM_APPS)/sensor.elf $(BUILD)/release/tbf Makefile userland/apps/sensor/Makefile
	$(VMUX_TBF_PACK) $(APP_PACK_sensor) -n sensor-$* -o $@ $<
# The image is made again when the list changes (RUN_APPS): its list
# file is written only then.
$(LM3S_DEMO_BIN): $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_DEMO_APPS)) $(BUILD)/release/tbf Makefile \
                  $(LM3S_BUILD)/apps-demo.list
	$(BUILD)/release/tbf image --max $(LM3S_APPS_MAX) -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-demo.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LM3S_DEMO_APPS)' | cmp -s - $@ || echo '$(LM3S_DEMO_APPS)' >$@
.PHONY: FORCE
FORCE:
# With the display (make run DISPLAY=1) the kernel keeps the OLED's 4 KiB
# copy, and the five apps' RAM blocks no longer all fit (policy_probe's
# is 8 KiB): the demo runs the four with a window; policy_probe, which
# has none, shows its refusals in the demo without the display.
LM3S_DISPLAY_DEMO_APPS := sensor-a sensor-b udp_echo crypto_app $(RUN_APPS)
LM3S_DISPLAY_DEMO_BIN  := $(LM3S_BUILD)/apps-demo-display.bin
$(LM3S_DISPLAY_DEMO_BIN): $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_DISPLAY_DEMO_APPS)) \
                          $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image --max $(LM3S_APPS_MAX) -o $@ $(filter %.tbf,$^)
# With storage (make run STORAGE=1): storage_demo, packed with its
# storage permissions (write id 93, which it may read and modify, as the
# host board's table gives it), beside the demo apps that fit in RAM
# with the storage drivers' grants; its kernel heap is room for the
# key-value and isolated storage drivers' grants (its folder has no
# Makefile: the host board's apps need none).
LM3S_STORAGE_DEMO_APPS := sensor-a sensor-b udp_echo crypto_app $(RUN_APPS)
LM3S_STORAGE_DEMO_BIN  := $(LM3S_BUILD)/apps-demo-storage.bin
LM3S_STORAGE_KHEAP     := 1024
$(LM3S_BUILD)/storage_demo.tbf: $(ARM_APPS)/storage_demo.elf $(BUILD)/release/tbf Makefile
	$(VMUX_TBF_PACK) --app-heap 0 --kernel-heap $(LM3S_STORAGE_KHEAP) \
		--write_id 93 --read_ids 93 --access_ids 93 \
		-n storage_demo -o $@ $<
$(LM3S_STORAGE_DEMO_BIN): $(LM3S_BUILD)/storage_demo.tbf \
                          $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_STORAGE_DEMO_APPS)) \
                          $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image --max $(LM3S_APPS_MAX) -o $@ $(filter %.tbf,$^)
qemu_apps = -device loader,file=$(1),addr=$(LM3S_APPS_ADDR)

# Test apps for the QEMU tests (tests/qemu/apps/<name>/main.c, same
# libvmux, a 768-byte stack): "alive" (a bystander) and "intruder" (one
# binary, packed under several names: the name picks the attack).
QEMU_APP_SRCS := $(wildcard tests/qemu/apps/*/main.c)
$(ARM_APPS)/test-%.elf: $(BUILD)/arm/app-obj/tests/qemu/apps/%/main.o \
                        $(call app_objs,arm,$(LIBVMUX_ARM_SRCS)) $(APP_ARM_LD) | deps-arm
	@mkdir -p $(dir $@)
	$(APP_ARM_CC) $(APP_ARM_LDFLAGS) -Wl,--defsym=STACK_SIZE=768 -o $@ $(filter %.o,$^) -lgcc
-include $(patsubst %.o,%.d,$(call app_objs,arm,$(QEMU_APP_SRCS)))
$(ARM_APPS)/intruder-%.tbf: $(ARM_APPS)/test-intruder.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n intruder-$* -o $@ $<
$(ARM_APPS)/alive.tbf: $(ARM_APPS)/test-alive.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n alive --min-size 8192 -o $@ $<
$(ARM_APPS)/corrupt.tbf: $(ARM_APPS)/test-alive.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n corrupt --min-size 8192 --bad-checksum -o $@ $<
# Isolation 1: the bystander first (so it gets the top block, right above
# the first intruder's), then attacks on other processes' and the
# kernel's RAM, and a system call whose frame cannot be stacked. Isolation 2: a TBF with a bad checksum among good ones,
# then attacks on grants, kernel code, the stack, peripherals, and a
# semihosting call (which would end QEMU).
LM3S_ISO1_APPS := alive intruder-write-1 intruder-read-2 intruder-kernel-3 intruder-kwrite-4 \
                  intruder-svcstack-5
LM3S_ISO2_APPS := alive corrupt intruder-grant-1 intruder-jump-2 intruder-stack-3 \
                  intruder-periph-4 intruder-bkpt-5
# Isolation 3, the loader's refusals: after the bystander, apps that took
# the names of the kernel's channels (kernel, mgmt, ticker, crypto, adc)
# or of the host's terminal (vmuxterm), and one named as the bystander
# is: more than the process slots, but none takes one, so the last, valid
# app (a system call with its stack pointer in its grants) still starts.
# Every object 8 KiB: the image keeps this order.
$(ARM_APPS)/refused-%.tbf: $(ARM_APPS)/test-intruder.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n $* --min-size 8192 -o $@ $<
LM3S_ISO3_APPS := alive $(addprefix refused-,kernel mgmt vmuxterm ticker crypto adc alive) \
                  intruder-svcgrant-1
$(LM3S_BUILD)/apps-iso3.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_ISO3_APPS)) $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-iso1.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_ISO1_APPS)) $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-iso2.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_ISO2_APPS)) $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# Preemption: hog (never yields) next to the bystander; the bystander
# alone (the MPU is loaded once).
$(LM3S_BUILD)/apps-hog.bin: $(ARM_APPS)/hog.tbf $(ARM_APPS)/alive.tbf $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-alive.bin: $(ARM_APPS)/alive.tbf $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# Restarts: remnant (looks for what its last life left) next to the
# bystander.
$(ARM_APPS)/remnant.tbf: $(ARM_APPS)/test-remnant.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) --app-heap 256 -n remnant -o $@ $<
$(LM3S_BUILD)/apps-remnant.bin: $(ARM_APPS)/remnant.tbf $(ARM_APPS)/alive.tbf $(BUILD)/release/tbf \
                                Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# TBF objects as elf2tab writes them for libtock-c (tests/qemu/apps/layout,
# tests/qemu/lm3s6965evb_tbf.sh): layout packed with libtock-c's sizes and
# kernel version, reserved footer space and a SHA-256 credential; then
# variants the loader must leave out (disabled, for kernel 2.9 and 3.0,
# a SHA-256 footer that does not match, linked for a fixed flash address,
# more RAM than the board has, a fixed RAM address in the kernel's RAM),
# one with a fixed RAM address it must honour, three more copies and the
# bystander: six processes, each in a 4 KiB block.
TBF_LIBTOCK := $(BUILD)/release/tbf pack --kernel-major 2 --kernel-minor 0 \
               --minimum-footer-size 256 --sha256
LAYOUT_OPTS_off    := --disable
LAYOUT_OPTS_2-9    := --kernel-minor 9
LAYOUT_OPTS_3-0    := --kernel-major 3
LAYOUT_OPTS_badsha := --bad-sha256
LAYOUT_OPTS_huge   := --app-heap 40000
LAYOUT_OBJS := $(BUILD)/arm/app-obj/tests/qemu/apps/layout/main.o \
               $(call app_objs,arm,$(LIBVMUX_ARM_SRCS))
$(ARM_APPS)/test-layout-flash.elf: $(LAYOUT_OBJS) $(APP_ARM_LD) | deps-arm
	$(APP_ARM_CC) $(APP_ARM_LDFLAGS) -Wl,--defsym=STACK_SIZE=768 -Wl,--defsym=FLASH_LINK=0x30080 \
		-o $@ $(filter %.o,$^) -lgcc
$(ARM_APPS)/test-layout-ram.elf: $(LAYOUT_OBJS) $(APP_ARM_LD) | deps-arm
	$(APP_ARM_CC) $(APP_ARM_LDFLAGS) -Wl,--defsym=STACK_SIZE=768 \
		-Wl,--defsym=_sram_origin=0x2000c000 -o $@ $(filter %.o,$^) -lgcc
$(ARM_APPS)/test-layout-kram.elf: $(LAYOUT_OBJS) $(APP_ARM_LD) | deps-arm
	$(APP_ARM_CC) $(APP_ARM_LDFLAGS) -Wl,--defsym=STACK_SIZE=768 \
		-Wl,--defsym=_sram_origin=0x20001000 -o $@ $(filter %.o,$^) -lgcc
$(ARM_APPS)/layout.tbf: $(ARM_APPS)/test-layout.elf $(BUILD)/release/tbf Makefile
	$(TBF_LIBTOCK) -n layout -o $@ $<
$(ARM_APPS)/layout-flash.tbf: $(ARM_APPS)/test-layout-flash.elf $(BUILD)/release/tbf Makefile
	$(TBF_LIBTOCK) -n layout-flash -o $@ $<
$(ARM_APPS)/layout-ram.tbf: $(ARM_APPS)/test-layout-ram.elf $(BUILD)/release/tbf Makefile
	$(TBF_LIBTOCK) -n layout-ram -o $@ $<
$(ARM_APPS)/layout-kram.tbf: $(ARM_APPS)/test-layout-kram.elf $(BUILD)/release/tbf Makefile
	$(TBF_LIBTOCK) -n layout-kram -o $@ $<
$(ARM_APPS)/layout-%.tbf: $(ARM_APPS)/test-layout.elf $(BUILD)/release/tbf Makefile
	$(TBF_LIBTOCK) $(LAYOUT_OPTS_$*) -n layout-$* -o $@ $<
LM3S_TBF_APPS := alive layout-off layout-2-9 layout-3-0 layout-badsha layout-flash layout-huge \
                 layout-kram layout-ram layout-a layout-b layout-c layout
$(LM3S_BUILD)/apps-tbf.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_TBF_APPS)) $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# Tock-convention test apps (tests/tock): their own crt0, linker script
# and system call wrappers, written from Tock's conventions (the layout
# and registers libtock-c uses), not libvmux's; packed as elf2tab packs
# libtock-c apps. tests/qemu/lm3s6965evb_tock.sh runs them.
TOCK_APP_DIR   := tests/tock
TOCK_APP_SRCS  := $(wildcard $(TOCK_APP_DIR)/apps/*/main.c)
TOCK_APP_NAMES := $(patsubst $(TOCK_APP_DIR)/apps/%/main.c,%,$(TOCK_APP_SRCS))
TOCK_APP_CFLAGS := -mcpu=cortex-m3 -mthumb -Os -ffreestanding -nostdlib -fno-stack-protector \
                   -fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative \
                   -ffunction-sections -fdata-sections $(WARN) -std=gnu11
TOCK_APP_LDFLAGS := -mcpu=cortex-m3 -mthumb -nostdlib -nostartfiles -T $(TOCK_APP_DIR)/tock_app.ld \
                    -Wl,--emit-relocs -Wl,--gc-sections -Wl,--no-warn-rwx-segments
TOCK_OBJ := $(BUILD)/arm/tock-obj
$(TOCK_OBJ)/%.o: $(TOCK_APP_DIR)/%.c | deps-arm
	@mkdir -p $(dir $@)
	$(APP_ARM_CC) $(TOCK_APP_CFLAGS) -MMD -MP -c $< -o $@
-include $(wildcard $(TOCK_OBJ)/*.d $(TOCK_OBJ)/apps/*/*.d)
$(ARM_APPS)/tock-%.elf: $(TOCK_OBJ)/apps/%/main.o $(TOCK_OBJ)/crt0.o $(TOCK_OBJ)/tock.o \
                        $(TOCK_APP_DIR)/tock_app.ld | deps-arm
	@mkdir -p $(dir $@)
	$(APP_ARM_CC) $(TOCK_APP_LDFLAGS) -o $@ $(filter %.o,$^) -lgcc
# Small heaps (elf2tab's defaults are 1 KiB each): six of them side by
# side on the QEMU board's RAM.
$(ARM_APPS)/tock-%.tbf: $(ARM_APPS)/tock-%.elf $(BUILD)/release/tbf
	$(BUILD)/release/tbf pack --name tock-$* --app-heap 256 --kernel-heap $(or $(TOCK_KERNEL_HEAP_$*),256) \
	    -o $@ $<
# As elf2tab's --kernel-heap: room for the UDP driver's grant (1740 bytes).
TOCK_KERNEL_HEAP_udp := 2048
# Six at once (PROCESS_MAX on the board): each must pass next to the
# others, the faulting one included; the drivers' apps in a second image.
LM3S_TOCK_APPS  := tock-abi tock-console tock-alarm tock-fault tock-exit tock-restart
LM3S_TOCK2_APPS := tock-pins tock-rng tock-adc tock-udp
$(LM3S_BUILD)/apps-tock.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_TOCK_APPS)) $(BUILD)/release/tbf \
                             Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-tock2.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_TOCK2_APPS)) $(BUILD)/release/tbf \
                              Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)

# The RNG and low-level debug drivers: the same test app under two
# names, drawing at once.
$(ARM_APPS)/random-%.tbf: $(ARM_APPS)/test-random.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n random-$* -o $@ $<
$(LM3S_BUILD)/apps-rng.bin: $(ARM_APPS)/random-a.tbf $(ARM_APPS)/random-b.tbf $(BUILD)/release/tbf \
                            Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# Benchmarks (tests/qemu/apps/bench): one after the other, the switch
# pair together.
$(ARM_APPS)/bench-%.tbf: $(ARM_APPS)/test-bench.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n bench-$* -o $@ $<
# The bare-svc switch pair has an image of its own (PROCESS_MAX is 6).
LM3S_BENCH_APPS := bench-null-1 bench-upcall-2 bench-yield-3 bench-switch-a-4 bench-switch-b-4 \
                   bench-raw-5
LM3S_BENCH2_APPS := bench-swraw-a-1 bench-swraw-b-1
$(LM3S_BUILD)/apps-bench.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_BENCH_APPS)) $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-bench2.bin: $(patsubst %,$(ARM_APPS)/%.tbf,$(LM3S_BENCH2_APPS)) $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# Pins (tests/qemu/apps/buttons): one binary under two names, each
# listening to its own button; the first takes the LED and a GPIO pin.
$(ARM_APPS)/buttons-%.tbf: $(ARM_APPS)/test-buttons.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n buttons-$* -o $@ $<
# Buses (tests/qemu/apps/buses): one binary under two names, beside the
# two sensors (the temperature, sensor-a's EEPROM record).
$(ARM_APPS)/buses-%.tbf: $(ARM_APPS)/test-buses.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n buses-$* -o $@ $<
$(LM3S_BUILD)/apps-buses.bin: $(ARM_APPS)/sensor-a.tbf $(ARM_APPS)/sensor-b.tbf \
                              $(ARM_APPS)/buses-a.tbf $(ARM_APPS)/buses-b.tbf \
                              $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
$(LM3S_BUILD)/apps-buttons.bin: $(ARM_APPS)/buttons-a.tbf $(ARM_APPS)/buttons-b.tbf \
                                $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# The display (tests/qemu/lm3s6965evb_display.sh): the painter under the
# two sensors' names, the flooder under udp_echo's: their windows.
$(ARM_APPS)/paint-sensor-%.tbf: $(ARM_APPS)/painter.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n sensor-$* -o $@ $<
$(ARM_APPS)/flood-udp_echo.tbf: $(ARM_APPS)/flooder.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n udp_echo -o $@ $<
$(LM3S_BUILD)/apps-display.bin: $(ARM_APPS)/paint-sensor-a.tbf $(ARM_APPS)/paint-sensor-b.tbf \
                                $(ARM_APPS)/flood-udp_echo.tbf $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
# Names the board keeps from apps (tests/qemu/lm3s6965evb_vmuxload.sh):
# the bystander packed as a kernel client's name, as names the board
# reserves with and without the demo's clients, and twice under its own.
LM3S_NAMES_APPS := kernel vmuxterm ticker boots alive
$(ARM_APPS)/names-%.tbf: $(ARM_APPS)/test-alive.elf $(BUILD)/release/tbf Makefile
	$(TBF_PACK) -n $* -o $@ $<
$(LM3S_BUILD)/apps-names.bin: $(patsubst %,$(ARM_APPS)/names-%.tbf,$(LM3S_NAMES_APPS)) \
                              $(ARM_APPS)/alive.tbf $(BUILD)/release/tbf Makefile
	$(BUILD)/release/tbf image -o $@ $(filter %.tbf,$^)
LM3S_APP_IMAGES := $(LM3S_DEMO_BIN) $(LM3S_BUILD)/apps-iso1.bin $(LM3S_BUILD)/apps-iso2.bin \
                   $(LM3S_BUILD)/apps-iso3.bin \
                   $(LM3S_BUILD)/apps-hog.bin $(LM3S_BUILD)/apps-alive.bin \
                   $(LM3S_BUILD)/apps-bench.bin $(LM3S_BUILD)/apps-bench2.bin \
                   $(LM3S_BUILD)/apps-remnant.bin $(LM3S_BUILD)/apps-buttons.bin \
                   $(LM3S_BUILD)/apps-buses.bin $(LM3S_BUILD)/apps-display.bin \
                   $(LM3S_BUILD)/apps-tbf.bin $(LM3S_BUILD)/apps-tock.bin \
                   $(LM3S_BUILD)/apps-tock2.bin $(LM3S_BUILD)/apps-rng.bin \
                   $(LM3S_BUILD)/apps-names.bin $(LM3S_STORAGE_DEMO_BIN)

$(eval $(call lm3s_image,$(LM3S_ELF),board))
$(eval $(call lm3s_image,$(LM3S_KERNEL_ELF),kernel))
$(eval $(call lm3s_image,$(LM3S_KERNEL_BUSES_ELF),kernelbuses))
$(eval $(call lm3s_image,$(LM3S_BUSES_TEST_ELF),busestest))
$(eval $(call lm3s_image,$(LM3S_DISPLAY_ELF),display))
$(eval $(call lm3s_image,$(LM3S_STORAGE_ELF),storage))
$(eval $(call lm3s_image,$(LM3S_KERNEL_TEST_ELF),kerneltest))
$(eval $(call lm3s_image,$(LM3S_TEST_ELF),test))
$(eval $(call lm3s_image,$(LM3S_FAULT_ELF),fault))

-include $(patsubst %.o,%.d,$(LM3S_OBJS)) $(wildcard $(LM3S_BUILD)/obj/main-*.d)
$(LM3S_BUILD)/obj/%.d: ;

# System call costs in instructions (QEMU -icount shift=0: 1 instruction
# = 1 ns of virtual time), as docs/performance.md reports them.
bench-lm3s6965evb: $(LM3S_TEST_ELF) $(LM3S_BUILD)/apps-bench.bin $(LM3S_BUILD)/apps-bench2.bin \
                   $(TOOLS) | deps-arm
	@for image in apps-bench.bin apps-bench2.bin; do \
		$(BUILD)/release/vmuxterm --plain --exec $(QEMU_LM3S) -kernel $(LM3S_TEST_ELF) -nic none \
			-icount shift=0 $(call qemu_apps,$(LM3S_BUILD)/$$image) | grep -a '^bench-'; \
	done

.PHONY: lm3s6965evb lm3s6965evb-size run-lm3s6965evb bench-lm3s6965evb
lm3s6965evb: $(LM3S_ELF) $(LM3S_DEMO_BIN) $(BUILD)/release/vmuxload
	@$(ARM_SIZE) $(LM3S_ELF)

# The per-object view: the same (fat) objects linked without LTO, which
# inlines across objects and so has no per-object breakdown of its own.
LM3S_NOLTO_ELF := $(LM3S_BUILD)/vmux-nolto.elf
$(LM3S_NOLTO_ELF): $(LM3S_OBJS) $(LM3S_BUILD)/obj/main-board.o $(LM3S_LDDEPS) | deps-arm
	$(ARM_CC) $(LM3S_LDFLAGS) -fno-lto -Wl,-Map=$(basename $@).map -o $@ $(LM3S_OBJS) \
		$(LM3S_BUILD)/obj/main-board.o -lc -lgcc

LM3S_SIZED := $(LM3S_KERNEL_ELF) $(LM3S_KERNEL_BUSES_ELF) $(LM3S_ELF) $(LM3S_DISPLAY_ELF) \
              $(LM3S_STORAGE_ELF)
LM3S_BUS_OBJS := bus_mux|spi_mux|i2c_mux|tmp105|spi_driver|i2c_driver|temperature_driver|owners|ssi\.o|/i2c\.o|common/buses
lm3s6965evb-size: $(LM3S_SIZED) $(LM3S_NOLTO_ELF)
	@echo "== linked images (-Os, LTO): text = flash code+rodata, data = initialised RAM (kept in"
	@echo "   flash too), bss = zeroed RAM plus the $(shell sed -n 's/^STACK_SIZE = \(.*\);/\1/p' boards/lm3s6965evb/memory.ld) main stack; flash used = text + data."
	@echo "   vmux-kernel.elf is the kernel with every virtualizer but the buses (no management"
	@echo "   channel, no demo clients), vmux-kernel-buses.elf the same with the SPI and I2C"
	@echo "   buses (VMUX_BUSES), vmux.elf the board as make run starts it (with all three),"
	@echo "   vmux-display.elf the board with the display (VMUX_DISPLAY; make run DISPLAY=1),"
	@echo "   vmux-storage.elf the board with storage on the SD card (VMUX_STORAGE; make run STORAGE=1)"
	@$(ARM_SIZE) $(LM3S_SIZED) | sed 's|$(LM3S_BUILD)/||'
	@$(ARM_SIZE) $(LM3S_SIZED) | awk 'NR > 1 { printf "flash used by %s: %d bytes\n", $$6, $$1 + $$2 }' | sed 's|$(LM3S_BUILD)/||'
	@$(ARM_SIZE) $(LM3S_KERNEL_ELF) $(LM3S_KERNEL_BUSES_ELF) | awk 'NR > 1 { f[NR] = $$1 + $$2; r[NR] = $$2 + $$3 } END { printf "the buses add %d bytes of flash and %d of RAM to the kernel\n", f[3] - f[2], r[3] - r[2] }'
	@echo "== per object and layer: the same objects linked without LTO, from that link's map"
	@boards/lm3s6965evb/size-report.sh $(LM3S_NOLTO_ELF)
	@echo "== the buses' objects (without LTO; with it, the figure above)"
	@boards/lm3s6965evb/size-report.sh $(LM3S_NOLTO_ELF) | grep -E '$(LM3S_BUS_OBJS)'
	@echo "== object files (before --gc-sections drops unused functions)"
	@$(ARM_SIZE) $(LM3S_OBJS) $(LM3S_BUILD)/obj/main-board.o | sed 's|$(LM3S_BUILD)/obj/||'

# QEMU's devices on the buses (boards/common/buses.h): on I2C0 a TMP105
# (set what it measures from QEMU's monitor: qom-set
# /machine/peripheral/tmp105 temperature 23250), an AT24C32 EEPROM kept
# in $(LM3S_BUILD)/eeprom.bin (sensor-a's start count outlives QEMU), a
# DS1338 clock; on SSI0 an SD card, $(LM3S_BUILD)/sd.img (1 MiB: QEMU
# wants a power of two).
LM3S_BUS_DEVICES = -device tmp105,address=0x48,id=tmp105 \
                   -drive if=none,id=eeprom,format=raw,file=$(LM3S_BUILD)/eeprom.bin \
                   -device at24c-eeprom,address=0x50,rom-size=4096,drive=eeprom \
                   -device ds1338,address=0x68 -drive if=sd,format=raw,file=$(LM3S_BUILD)/sd.img
$(LM3S_BUILD)/eeprom.bin:
	@mkdir -p $(dir $@)
	truncate -s 4096 $@
$(LM3S_BUILD)/sd.img:
	@mkdir -p $(dir $@)
	truncate -s 1M $@
# DISPLAY=1: the board with the display (vmux-display.elf); STORAGE=1:
# the board with storage on sd.img (vmux-storage.elf), which outlives
# QEMU until make clean.
LM3S_RUN_ELF = $(if $(filter 1,$(DISPLAY)),$(LM3S_DISPLAY_ELF),$(if $(filter 1,$(STORAGE)),$(LM3S_STORAGE_ELF),$(LM3S_ELF)))
LM3S_RUN_APPS = $(if $(filter 1,$(DISPLAY)),$(LM3S_DISPLAY_DEMO_BIN),$(if $(filter 1,$(STORAGE)),$(LM3S_STORAGE_DEMO_BIN),$(LM3S_DEMO_BIN)))
run-lm3s6965evb: $(LM3S_RUN_ELF) lm3s-run-image $(TOOLS) $(LM3S_BUILD)/eeprom.bin $(LM3S_BUILD)/sd.img \
                 | deps-arm
	$(BUILD)/release/vmuxterm --key $(LM3S_BUILD)/mgmt.key --exec $(QEMU_LM3S) -kernel $(LM3S_RUN_ELF) \
		$(call qemu_apps,$(LM3S_RUN_BIN)) $(LM3S_BUS_DEVICES) \
		-nic user,model=stellaris,hostfwd=udp:127.0.0.1:$(UDP_PORT)-:2007,hostfwd=udp:127.0.0.1:$(KERNEL_UDP_PORT)-:7 \
		$(RUN_ARGS) || tools/run-hint.sh $$? lm3s6965evb UDP_PORT=$(UDP_PORT) KERNEL_UDP_PORT=$(KERNEL_UDP_PORT)

test: $(LM3S_TEST_IMAGES) $(LM3S_ELF) $(LM3S_APP_IMAGES) | deps-arm

ifeq ($(BOARD),lm3s6965evb)
.DEFAULT_GOAL := lm3s6965evb
endif

# ================================================================ adversarial suite
# --- begin: adversarial suite (tests/attacks) ------------------------------
# Malicious apps (tests/attacks/apps/*.c), built as the process tests'
# apps are (freestanding shared objects), into build/test/attacks/. The
# rig (tests/attacks/rig.c) is a host board inside a test program; it is
# linked into tests/unit/test_host_attacks.c and tests/unit/test_load.c.
# `make report` runs the whole suite and prints its figures.
ATTACK_SRCS := $(wildcard tests/attacks/apps/*.c)
ATTACK_APPS := $(patsubst tests/attacks/apps/%.c,$(BUILD)/test/attacks/%.so,$(ATTACK_SRCS))
# -fno-tree-loop-distribute-patterns: no memset/memcpy calls the app could not resolve
ATTACK_APP_CFLAGS := $(TEST_APP_CFLAGS) -fno-tree-loop-distribute-patterns
$(BUILD)/test/attacks/%.so: tests/attacks/apps/%.c
	@mkdir -p $(dir $@)
	$(CC) $(STD) $(WARN) $(ATTACK_APP_CFLAGS) $(INCLUDES) -MMD -MP -MF $(@:.so=.d) -o $@ $<
-include $(ATTACK_APPS:.so=.d)

RIG_OBJS := $(call objs,test,tests/attacks/rig.c)
-include $(RIG_OBJS:.o=.d)
RIG_TESTS := $(BUILD)/test/tests/test_host_attacks $(BUILD)/test/tests/test_load \
             $(BUILD)/test/tests/test_conservation
$(RIG_TESTS): $(BUILD)/test/tests/%: $(BUILD)/test/obj/tests/unit/%.o $(RIG_OBJS) \
              $(TEST_COMMON_OBJS) $(BUILD)/test/libvmux.a | $(ATTACK_APPS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_test) -o $@ $^ $(PKG_LIBS) -lcmocka -lcrypto -ldl -lpthread
build-tests: $(ATTACK_APPS)
# The management channel on the rig, with the boards' own code for it.
MGMT_TEST_OBJS := $(call objs,test,$(addprefix boards/common/,demo.c console.c process_mgmt.c \
                                                               mgmt_auth.c))
$(BUILD)/test/tests/test_mgmt: $(BUILD)/test/obj/tests/unit/test_mgmt.o $(MGMT_TEST_OBJS) \
                               $(RIG_OBJS) $(TEST_COMMON_OBJS) $(BUILD)/test/libvmux.a | $(ATTACK_APPS)
	$(CC) $(LDFLAGS_test) -o $@ $^ $(PKG_LIBS) -lcmocka -lcrypto -ldl -lpthread

REPORT_FUZZ_SECONDS ?= 5
.PHONY: report
report: build-tests $(FUZZ_BINS) | deps-host deps-fuzz
	@BUILD=$(BUILD) FUZZ_SECONDS=$(REPORT_FUZZ_SECONDS) tests/attacks/report.sh $(FUZZ_BINS)
# --- end: adversarial suite (tests/attacks) --------------------------------

# ================================================================ stress
# The suites that run the board for real (end to end on the host board,
# the attack and process tests with their threads, the load test, QEMU),
# STRESS_RUNS times in a row with a busy loop on every core: a test that
# depends on the machine's speed fails here. Stops at the first failure.
STRESS_RUNS ?= 20
STRESS_PROGRAMS = $(addprefix $(BUILD)/test/tests/,test_host_attacks test_host_process test_load \
                    test_sim_net) \
                  tests/check/host_board_demo.sh tests/check/host_board_buttons.sh \
                  tests/check/vmuxterm_attaches_to_a_running_board.sh \
                  $(sort $(wildcard tests/qemu/*.sh))
.PHONY: stress
stress: build-tests $(VMUX) $(TOOLS) $(LM3S_TEST_IMAGES) $(LM3S_ELF) $(LM3S_APP_IMAGES) | deps-host deps-arm
	@BUILD=$(BUILD) tools/stress.sh $(STRESS_RUNS) $(STRESS_PROGRAMS)

include mk/apps.mk
