# Host unit tests (included by the top-level Makefile).
#
# The kernel's machine-independent sources are compiled for Linux in the
# kernel's own header environment (-nostdinc, sys/ on the path), with
# tests/host/shim first so that <machine/...> resolves to the host shims,
# and with the sanitizers of HOST_CFLAGS.  The test programs themselves
# are ordinary libc + ATF-C code that sees the kernel only through
# tests/host/shim/host_api.h.  See tests/host/Kyuafile.

HT_DIR		:= $(BUILD)/tests/host
HT_KCFLAGS	:= $(HOST_CFLAGS) -ffreestanding -nostdinc \
	-isystem $(RESDIR)/include -I tests/host/shim -I sys -DKHOST -MMD -MP
HT_TCFLAGS	:= $(HOST_CFLAGS) -I tests/host -MMD -MP
HT_LIBS		:= -latf-c -lpthread

# Kernel-environment objects and test-side support shared by all programs.
HT_KSRCS	:= sys/vm/vm_page.c sys/vm/kern_malloc.c \
	tests/host/shim/host_shim.c sys/kern/subr_initrd.c \
	tests/host/shim/initrd_shim.c
HT_KOBJS	:= $(patsubst %.c,$(HT_DIR)/kobj/%.o,$(HT_KSRCS))
HT_TSRCS	:= tests/host/host_support.c tests/host/vm_page_test.c \
	tests/host/kmalloc_test.c tests/host/initrd_test.c
HT_TOBJS	:= $(patsubst tests/host/%.c,$(HT_DIR)/%.o,$(HT_TSRCS))

HT_PROGS	:= $(HT_DIR)/vm_page_test $(HT_DIR)/kmalloc_test \
	$(HT_DIR)/initrd_test
TEST_PROGS	+= $(HT_PROGS)

$(HT_KOBJS): $(HT_DIR)/kobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HT_KCFLAGS) -c $< -o $@

$(HT_TOBJS): $(HT_DIR)/%.o: tests/host/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HT_TCFLAGS) -c $< -o $@

$(HT_PROGS): $(HT_DIR)/%: $(HT_DIR)/%.o $(HT_DIR)/host_support.o $(HT_KOBJS)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ $(HT_LIBS)

-include $(HT_KOBJS:.o=.d) $(HT_TOBJS:.o=.d)

include tests/host/libc/libc.mk
include tests/host/utils/utils.mk
include tests/host/sh/sh.mk
include tests/host/bench/bench.mk
