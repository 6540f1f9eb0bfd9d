# Top-level build.  GNU make.  See README.md and docs/testing.md.
#
#   make            build the kernel (build/kernel.elf), the boot initrd
#                   (build/initrd.cpio, from root/) and the test programs
#   make run        boot it on the console (ACCEL, SMP, MEM, CMDLINE)
#   make debug      boot halted with a gdb stub on :1234
#   make test       run the whole kyua suite, print "tests: N passed, N failed"
#   make bench      in-kernel benchmarks: TCG instruction counts, KVM cycles
#   make clean

ACCEL	?= kvm:tcg
SMP	?= 2
MEM	?= 512M
CMDLINE	?=
BUILD	?= build

CC	:= clang
LD	:= ld.lld
NM	:= nm
HOSTCC	:= clang
RESDIR	:= $(shell $(CC) -print-resource-dir)

KERNEL	:= $(BUILD)/kernel.elf

KCFLAGS	:= -target x86_64-unknown-none-elf -std=gnu11 -O2 -g \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	-ffreestanding -nostdinc -isystem $(RESDIR)/include \
	-fno-stack-protector -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-avx -msoft-float \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-strict-aliasing -fno-common \
	-I sys -I $(BUILD)/include -MMD -MP
KASFLAGS := $(KCFLAGS) -D__ASSEMBLY__
KLDFLAGS := -nostdlib -static -z max-page-size=4096 --no-dynamic-linker \
	-T sys/platform/pc64/kernel.ld

KSRCS	:= $(wildcard sys/platform/pc64/*.S sys/platform/pc64/*.c \
	sys/kern/*.c sys/vm/*.c sys/dev/*/*.c sys/vfs/*/*.c)
KOBJS	:= $(patsubst %,$(BUILD)/%.o,$(basename $(KSRCS)))

QEMU	:= qemu-system-x86_64
QEMUFLAGS = -machine q35,accel=$(ACCEL) -cpu max -smp $(SMP) -m $(MEM) \
	-nodefaults -no-reboot -display none -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04

TEST_PROGS :=
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-sign-compare -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

.PHONY: all kernel initrd tests userland run debug test bench deps clean
all: kernel initrd tests

# Userland (docs/userland.md): our libc (lib/libc, archived into
# BUILD/lib/libc.a; crt0 kept apart) and static programs linked against
# it.  usr.bin/NAME/*.c becomes /bin/NAME, sbin/NAME/*.c /sbin/NAME,
# tests/user/NAME.c /usr/tests/NAME, all staged under BUILD/uroot and
# packed into the initrd.  Userland may use SSE (the kernel saves the FPU
# state per thread); the kernel itself may not.
UCFLAGS	:= -target x86_64-unknown-none-elf -std=gnu11 -O2 -g \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	-ffreestanding -nostdinc -isystem lib/libc/include \
	-isystem $(RESDIR)/include -fno-stack-protector -fno-pic -fno-pie \
	-fno-omit-frame-pointer -MMD -MP
ULDFLAGS := -nostdlib -static -z max-page-size=4096 --no-dynamic-linker \
	-e _start
UAR	:= ar
LIBC_SRCS := $(filter-out lib/libc/arch/x86_64/crt0.S, \
	$(wildcard lib/libc/*/*.c lib/libc/arch/x86_64/*.S lib/libc/arch/x86_64/*.c))
LIBC_OBJS := $(patsubst %,$(BUILD)/u/%.o,$(basename $(LIBC_SRCS)))
LIBC	:= $(BUILD)/lib/libc.a
CRT0	:= $(BUILD)/u/lib/libc/arch/x86_64/crt0.o
UROOT	:= $(BUILD)/uroot
UBIN_DIRS := $(patsubst %/,%,$(dir $(wildcard usr.bin/*/*.c)))
USBIN_DIRS := $(patsubst %/,%,$(dir $(wildcard sbin/*/*.c)))
UTEST_DATA := $(wildcard tests/user/MANIFEST tests/user/*.in tests/user/*.expect)
UPROGS	:= $(sort $(patsubst usr.bin/%,$(UROOT)/bin/%,$(UBIN_DIRS)) \
	$(patsubst sbin/%,$(UROOT)/sbin/%,$(USBIN_DIRS)) \
	$(patsubst tests/user/%.c,$(UROOT)/usr/tests/%,$(wildcard tests/user/*.c)) \
	$(patsubst bench/%.c,$(UROOT)/usr/bench/%,$(wildcard bench/*.c)) \
	$(patsubst tests/user/%,$(UROOT)/usr/tests/%,$(UTEST_DATA)))
UOBJS	= $(patsubst %,$(BUILD)/u/%.o,$(basename $(wildcard \
	usr.bin/*/*.c sbin/*/*.c tests/user/*.c bench/*.c)))

userland: $(UPROGS)

# Keep the objects of the chained pattern rules (no rebuild every time).
.SECONDARY:

$(BUILD)/u/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  UCC     $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

$(BUILD)/u/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  UAS     $<"
	@$(CC) $(UCFLAGS) -c $< -o $@

$(LIBC): $(LIBC_OBJS)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	@rm -f $@
	@$(UAR) rcs $@ $(LIBC_OBJS)

# One rule per program kind; the objects of a program are its directory's.
.SECONDEXPANSION:
$(UROOT)/bin/%: $$(addprefix $(BUILD)/u/,$$(addsuffix .o,$$(basename $$(wildcard usr.bin/$$*/*.c)))) $(CRT0) $(LIBC)
	@mkdir -p $(dir $@)
	@echo "  ULD     $@"
	@$(LD) $(ULDFLAGS) -o $@ $(CRT0) $(filter %.o,$(filter-out $(CRT0),$^)) $(LIBC)
	@if [ "$*" = test ]; then ln -f $@ '$(dir $@)['; fi

$(UROOT)/sbin/%: $$(addprefix $(BUILD)/u/,$$(addsuffix .o,$$(basename $$(wildcard sbin/$$*/*.c)))) $(CRT0) $(LIBC)
	@mkdir -p $(dir $@)
	@echo "  ULD     $@"
	@$(LD) $(ULDFLAGS) -o $@ $(CRT0) $(filter %.o,$(filter-out $(CRT0),$^)) $(LIBC)

$(UROOT)/usr/bench/%: $(BUILD)/u/bench/%.o $(CRT0) $(LIBC)
	@mkdir -p $(dir $@)
	@echo "  ULD     $@"
	@$(LD) $(ULDFLAGS) -o $@ $(CRT0) $< $(LIBC)

# Test data (the manifest, scripted sessions) is copied as it is.
$(UROOT)/usr/tests/MANIFEST: tests/user/MANIFEST
	@mkdir -p $(dir $@)
	@cp $< $@

$(UROOT)/usr/tests/%.in: tests/user/%.in
	@mkdir -p $(dir $@)
	@cp $< $@

$(UROOT)/usr/tests/%.expect: tests/user/%.expect
	@mkdir -p $(dir $@)
	@cp $< $@

$(UROOT)/usr/tests/%: $(BUILD)/u/tests/user/%.o $(CRT0) $(LIBC)
	@mkdir -p $(dir $@)
	@echo "  ULD     $@"
	@$(LD) $(ULDFLAGS) -o $@ $(CRT0) $< $(LIBC)

kernel: $(KERNEL)

# The boot initrd (docs/boot.md): root/ copied into a staging directory,
# group/other write bits dropped (a checkout's modes follow its umask),
# plus generated content: /tmp (1777), 1 MiB of deterministic
# pseudo-random bytes and a hard link, then archived by tools/mkcpio with
# a fixed mtime and the manifest /etc/initrd.sum that the kernel's tests
# check the unpacked root against.
MKCPIO		:= $(BUILD)/tools/mkcpio
INITRD		:= $(BUILD)/initrd.cpio
INITRD_STAGE	:= $(BUILD)/initrd.root
INITRD_MTIME	:= 1700000000
INITRD_RANDOM	:= 1048576
ROOT_DEPS	:= $(shell find root -type f -o -type d 2>/dev/null)

initrd: $(INITRD)

$(MKCPIO): tools/mkcpio.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) -O2 -g -Wall -Wextra -Werror -o $@ $<

$(INITRD): $(MKCPIO) $(ROOT_DEPS) $(UPROGS) Makefile
	@echo "  CPIO    $@"
	@rm -rf $(INITRD_STAGE)
	@mkdir -p $(INITRD_STAGE)
	@cp -R root/. $(INITRD_STAGE)/
	@if [ -d $(UROOT) ]; then cp -R $(UROOT)/. $(INITRD_STAGE)/; fi
	@chmod -R go-w $(INITRD_STAGE)
	@mkdir -m 1777 $(INITRD_STAGE)/tmp
	@mkdir -p $(INITRD_STAGE)/usr/share/data
	@$(MKCPIO) -r $(INITRD_RANDOM) -s 42 \
		-o $(INITRD_STAGE)/usr/share/data/random.bin
	@ln $(INITRD_STAGE)/etc/motd $(INITRD_STAGE)/etc/motd.link
	@$(MKCPIO) -t $(INITRD_MTIME) -o $@ $(INITRD_STAGE)

$(BUILD)/include/machine:
	@mkdir -p $(BUILD)/include
	ln -sfn $(CURDIR)/sys/platform/pc64/include $@

$(BUILD)/%.o: %.c | $(BUILD)/include/machine
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S | $(BUILD)/include/machine
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KASFLAGS) -c $< -o $@

# Two-pass link that embeds a symbol table for panic backtraces.  Pass 1
# links with an empty table; its text symbols become ksyms.S; pass 2
# links the real table.  The table sits after .data, so text addresses
# cannot move between the passes: the build checks that they did not.
$(BUILD)/kernel.pass1.elf: $(KOBJS) $(BUILD)/ksyms0.o sys/platform/pc64/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms0.o

$(BUILD)/ksyms0.S: tools/mksyms.sh
	@mkdir -p $(BUILD)
	@sh tools/mksyms.sh /dev/null > $@

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf tools/mksyms.sh
	@$(NM) -n --defined-only $< | sh tools/mksyms.sh - > $@

$(BUILD)/ksyms0.o $(BUILD)/ksyms.o: $(BUILD)/%.o: $(BUILD)/%.S
	@echo "  AS      $<"
	@$(CC) $(KASFLAGS) -c $< -o $@

$(KERNEL): $(KOBJS) $(BUILD)/ksyms.o sys/platform/pc64/kernel.ld
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms.o
	@$(NM) -n --defined-only $(BUILD)/kernel.pass1.elf | grep -i ' t ' > $(BUILD)/syms1.txt
	@$(NM) -n --defined-only $@ | grep -i ' t ' > $(BUILD)/syms2.txt
	@cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || \
		{ echo "text symbols moved between link passes"; rm -f $@; exit 1; }

-include tests/kern/kern.mk
-include tests/host/host.mk
-include bench/bench.mk

tests: $(TEST_PROGS)

deps:
	@sh tools/deps.sh

run: deps kernel initrd
	$(QEMU) $(QEMUFLAGS) -kernel $(KERNEL) -initrd $(INITRD) \
	    -append "$(CMDLINE)"; \
	st=$$?; [ $$st -eq 33 ] || [ $$st -eq 0 ] || echo "qemu exit status $$st"

debug: deps kernel initrd
	@echo "QEMU is halted with a gdb stub on localhost:1234.  Attach with:"
	@echo "  gdb $(KERNEL) -ex 'target remote localhost:1234'"
	@echo "(boot runs in 32-bit mode first: 'hbreak kmain' then 'continue')"
	$(QEMU) $(QEMUFLAGS) -kernel $(KERNEL) -initrd $(INITRD) \
	    -append "$(CMDLINE)" -s -S

test: deps
	@$(MAKE) --no-print-directory all
	@sh tools/runtests.sh "$(BUILD)" "$(ACCEL)"

bench: deps kernel initrd linux-bench
	@sh tools/bench.sh $(KERNEL) 2 $(INITRD)
	@sh tools/bench_compare.sh --no-build

clean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d) $(LIBC_OBJS:.o=.d) $(CRT0:.o=.d) $(UOBJS:.o=.d)
