# vmux: top-level build. `make help` lists the targets.
#
# Layers are discovered by directory, so adding a file needs no edit here:
#   kernel/ capsules/ capsules/net/ chips/soft/   portable (host and Cortex-M)
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
CC_fuzz    := clang
CFLAGS_fuzz := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
               -fno-sanitize-recover=all
CFLAGS_release := -O2 -g
CFLAGS_test    := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                  -fno-sanitize-recover=all
LDFLAGS_release :=
LDFLAGS_test    := -fsanitize=address,undefined

PORTABLE_SRCS := $(wildcard kernel/*.c capsules/*.c capsules/net/*.c chips/soft/*.c)
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
	ar rcs $$@ $$^

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

# ---------------------------------------------------------------- fuzzing
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
$(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/tests/fuzz/%.o $(call objs,fuzz,$(BOARD_TEST_SRCS)) $(BUILD)/fuzz/libvmux.a
	$(CC_fuzz) -fsanitize=fuzzer,address,undefined -o $@ $^ $(PKG_LIBS) -ldl -lpthread

# `make test` runs each fuzzer briefly; `make fuzz FUZZ_SECONDS=600` longer.
FUZZ_SECONDS ?= 60
FUZZ_SECONDS_IN_TEST ?= 10
fuzz: $(FUZZ_BINS) | deps-host deps-fuzz
	@tools/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# ---------------------------------------------------------------- tests
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/test/tests/%,$(TEST_SRCS))
TEST_COMMON_OBJS := $(call objs,test,$(BOARD_TEST_SRCS) $(TEST_SUPPORT_SRCS))
$(BUILD)/test/tests/%: $(BUILD)/test/obj/tests/unit/%.o $(TEST_COMMON_OBJS) $(BUILD)/test/libvmux.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_test) -o $@ $^ $(PKG_LIBS) -lcmocka -lcrypto -ldl -lpthread

.PHONY: all build-tests check unit test run bench fuzz clean help
all: $(VMUX) $(TOOLS) $(TEST_BINS)

build-tests: $(TEST_BINS) $(VMUX_TEST)

check: | deps-host
	@tools/check-capabilities.sh .
	@tools/check-layers.sh .

unit: build-tests
	@tools/run-tests.sh $(TEST_BINS)

# Everything: static checks, unit tests, checker self-test. One summary.
test: build-tests $(VMUX) $(TOOLS) $(FUZZ_BINS) | deps-host deps-fuzz
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS_IN_TEST) tools/run-tests.sh --check \
		$(TEST_BINS) tests/check/*.sh $(FUZZ_BINS)

# The demo: the host board under vmuxterm, which labels each client's
# output; type "@mgmt help". UDP_PORT on 127.0.0.1 reaches the board's
# UDP port 7.
UDP_PORT ?= 5555
run: $(VMUX) $(TOOLS) | deps-host
	$(BUILD)/release/vmuxterm --exec $(VMUX) --udp-forward $(UDP_PORT):7 $(RUN_ARGS)

BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/release/bench/%,$(BENCH_SRCS))
$(BUILD)/release/bench/%: $(BUILD)/release/obj/bench/%.o $(call objs,release,$(BOARD_TEST_SRCS)) $(BUILD)/release/libvmux.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(PKG_LIBS) -ldl -lpthread

bench: $(BENCH_BINS) | deps-host deps-bench
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

help:
	@echo "make run     the demo on the host board"
	@echo "make test    every test (static checks, unit tests, checker self-test)"
	@echo "make check   static checks: capability minting and layering"
	@echo "make bench   instruction-count benchmarks (callgrind)"
	@echo "make deps    install missing Debian packages"
	@echo "make clean   remove $(BUILD)/"
.SECONDARY:
