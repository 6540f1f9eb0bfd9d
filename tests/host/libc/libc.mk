# Host tests of the machine-independent libc (lib/libc/{string,ctype,
# stdlib,stdio}): included from tests/host/host.mk.
#
# Those sources are compiled as for our userland (-ffreestanding
# -nostdinc, our headers first), but for Linux, and linked -nostdlib
# -static with linux_sys.c, a stand-in for lib/libc/sys/ made of raw
# Linux system calls, into $(LT_DIR)/libc_host.  No host libc and no
# sanitizers are involved: the code under test provides memcpy, malloc
# and everything else the program uses.  libc_test.sh (an atf-sh
# program, listed by tests/host/libc/Kyuafile) is installed next to it
# and runs one libc_host case per test case.

LT_DIR		:= $(BUILD)/tests/host/libc
LT_CFLAGS	:= -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wno-sign-compare -ffreestanding -nostdinc \
	-isystem lib/libc/include -isystem $(RESDIR)/include \
	-fno-stack-protector -fno-pie -fno-omit-frame-pointer -MMD -MP
LT_SRCS		:= $(wildcard lib/libc/string/*.c lib/libc/ctype/*.c \
	lib/libc/stdlib/*.c lib/libc/stdio/*.c) \
	tests/host/libc/linux_sys.c tests/host/libc/libc_host.c
LT_OBJS		:= $(patsubst %.c,$(LT_DIR)/obj/%.o,$(LT_SRCS))

TEST_PROGS	+= $(LT_DIR)/libc_host $(LT_DIR)/libc_test

$(LT_OBJS): $(LT_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(LT_CFLAGS) -c $< -o $@

$(LT_DIR)/libc_host: $(LT_OBJS)
	$(HOSTCC) -nostdlib -static -o $@ $(LT_OBJS)

$(LT_DIR)/libc_test: tests/host/libc/libc_test.sh tests/host/libc/libc.mk
	@mkdir -p $(dir $@)
	install -m 755 tests/host/libc/libc_test.sh $@

-include $(LT_OBJS:.o=.d)
