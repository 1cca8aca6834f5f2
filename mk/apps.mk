# ================================================================ apps: load, run, debug
# --- begin: app tools (tools/vmuxload, make run APPS=, make debug) ----------
# Included by the Makefile after its userland and lm3s6965evb blocks.
#
# tbf and vmuxload share their ELF, image and message code (tools/tbf/
# tool.c, elf32.c, image.c); vmuxload also lays an image out with the
# lm3s6965evb loader's own code (boards/lm3s6965evb/app_layout.c and the
# MPU's geometry), built for the host with the board's process slots.
TBF_TOOL_OBJS    := $(call objs,release,tools/tbf/tool.c tools/tbf/elf32.c tools/tbf/image.c)
LAYOUT_TOOL_OBJS := $(call objs,release,boards/lm3s6965evb/app_layout.c arch/cortex-m3/mpu_geometry.c)
$(LAYOUT_TOOL_OBJS) $(BUILD)/release/obj/tools/vmuxload/main.o: STD += -DPROCESS_MAX=$(LM3S_PROCESS_MAX)u
$(BUILD)/release/tbf: $(BUILD)/release/obj/tools/tbf/main.o $(TBF_TOOL_OBJS) $(BUILD)/release/libvmux.a
	$(CC) $(LDFLAGS_release) -o $@ $^
$(BUILD)/release/vmuxload: $(BUILD)/release/obj/tools/vmuxload/main.o $(TBF_TOOL_OBJS) \
                           $(LAYOUT_TOOL_OBJS) $(BUILD)/release/libvmux.a
	$(CC) $(LDFLAGS_release) -o $@ $^
-include $(patsubst %.o,%.d,$(TBF_TOOL_OBJS) $(LAYOUT_TOOL_OBJS))

# make run APPS="...": exactly the apps named, instead of the demo's.
#   host board    APP.so (or APP.so@NAME: another name), or a folder of
#                 them (an apps directory vmuxload keeps)
#   lm3s6965evb   APP.tbf or APP.tab files, installed with vmuxload into
#                 build/lm3s6965evb/apps-run.bin; or one apps image (.bin)
#                 that vmuxload made
# Paths are from the top of the tree (out-of-tree apps pass absolute
# ones). Either way, before the board starts, the set is checked: on the
# lm3s6965evb with the loader's own layout (vmuxload check): a set that
# would not start whole is refused, with the loader's report, and make
# run fails (tools/run-hint.sh says what to run instead).
VMUXLOAD := $(BUILD)/release/vmuxload
HOST_RUN_APPS = $(if $(APPS),$(foreach a,$(APPS),$(if $(wildcard $(a)/.),$(sort $(wildcard $(a)/*.so)),$(a))),$(addprefix $(BUILD)/release/apps/,$(DEMO_APPS)))
LM3S_RUN_BIN  = $(if $(APPS),$(if $(filter %.bin,$(APPS)),$(APPS),$(LM3S_BUILD)/apps-run.bin),$(LM3S_RUN_APPS))
.PHONY: host-run-check lm3s-run-image
host-run-check:
	@set -- $(HOST_RUN_APPS); \
	if [ $$# -gt 8 ]; then echo "make run: $$# apps: the host board runs 8 at most" >&2; exit 1; fi; \
	for a; do [ -f "$${a%@*}" ] || { echo "make run: $${a%@*}: no such app" >&2; exit 1; }; done
lm3s-run-image: $(LM3S_RUN_ELF) $(VMUXLOAD) $(if $(APPS),,$(LM3S_RUN_APPS)) | deps-arm
ifneq ($(APPS),)
ifeq ($(filter %.bin,$(APPS)),)
	@rm -f $(LM3S_BUILD)/apps-run.bin
	@$(VMUXLOAD) --kernel $(LM3S_RUN_ELF) $(LM3S_BUILD)/apps-run.bin install $(APPS) >/dev/null
endif
endif
	@$(VMUXLOAD) --kernel $(LM3S_RUN_ELF) $(LM3S_RUN_BIN) check >$(LM3S_BUILD)/run-check.txt || \
	{ cat $(LM3S_BUILD)/run-check.txt >&2; \
	  echo "make run: not every app of $(LM3S_RUN_BIN) would start (above, the board's loader as vmuxload runs it): nothing started" >&2; \
	  tools/run-hint.sh 4 lm3s6965evb; }

# make debug BOARD=lm3s6965evb: the board as make run starts it (the same
# APPS or RUN_APPS), halted before its first instruction, with a gdb
# server on localhost:GDB_PORT; then gdb-multiarch with the kernel's
# symbols and each app's at the place the loader gives it (vmuxload gdb:
# code from the app's TBF in flash, data from its RAM), connected. The
# board's output goes to build/lm3s6965evb/debug.log; lines written to
# the pipe build/lm3s6965evb/debug.in are typed into it (vmuxterm's
# "@NAME text"). When gdb ends, so does QEMU. GDB_ARGS passes options to
# gdb (a test runs it with -batch). Each app's ELF is the .elf next to
# its .tbf (the demo's: build/arm/apps).
GDB      ?= gdb-multiarch
GDB_PORT ?= 1234
LM3S_DEBUG_ELFS = $(if $(APPS),$(patsubst %.tbf,%.elf,$(filter %.tbf,$(APPS))),\
                  $(foreach a,$(LM3S_DEMO_APPS),$(a)=$(ARM_APPS)/$(if $(filter sensor-%,$(a)),sensor,$(a)).elf))
.PHONY: debug
debug: $(LM3S_RUN_ELF) lm3s-run-image $(TOOLS) $(LM3S_BUILD)/eeprom.bin $(LM3S_BUILD)/sd.img | deps-arm
	@{ echo "set confirm off"; echo "file $(LM3S_RUN_ELF)"; \
	   $(VMUXLOAD) --kernel $(LM3S_RUN_ELF) $(LM3S_RUN_BIN) gdb $(LM3S_DEBUG_ELFS); \
	   echo "target remote localhost:$(GDB_PORT)"; } >$(LM3S_BUILD)/debug.gdb
	@rm -f $(LM3S_BUILD)/debug.in; mkfifo $(LM3S_BUILD)/debug.in; exec 3<>$(LM3S_BUILD)/debug.in; \
	setsid $(BUILD)/release/vmuxterm --plain --key $(LM3S_BUILD)/mgmt.key --exec $(QEMU_LM3S) \
		-kernel $(LM3S_RUN_ELF) $(call qemu_apps,$(LM3S_RUN_BIN)) $(LM3S_BUS_DEVICES) \
		-nic user,model=stellaris,hostfwd=udp:127.0.0.1:$(UDP_PORT)-:2007 \
		-S -gdb tcp:127.0.0.1:$(GDB_PORT) $(RUN_ARGS) <&3 >$(LM3S_BUILD)/debug.log 2>&1 & \
	board=$$!; \
	echo "debug: the board's output in $(LM3S_BUILD)/debug.log, its input $(LM3S_BUILD)/debug.in"; \
	$(GDB) -q -x $(LM3S_BUILD)/debug.gdb $(GDB_ARGS); rc=$$?; \
	kill -TERM -- -$$board 2>/dev/null; wait $$board; exit $$rc
# --- end: app tools ---------------------------------------------------------
