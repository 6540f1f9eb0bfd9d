# Host test of the shell (usr.bin/sh): included from tests/host/host.mk.
#
# The shell's sources are portable C, so they are built for Linux with
# the host libc and the sanitizers of HOST_CFLAGS into
# $(BUILD)/tests/host/sh/sh; sh_test.sh (an atf-sh program) is installed
# next to it and runs it on real scripts.  The test finds the shell as
# $(atf_get_srcdir)/sh, or through the kyua configuration variable
# host_sh (kyua -v test_suites.dfly.host_sh=/path/to/sh).

SH_HT_DIR	:= $(BUILD)/tests/host/sh
SH_HT_SRCS	:= $(wildcard usr.bin/sh/*.c)

TEST_PROGS	+= $(SH_HT_DIR)/sh $(SH_HT_DIR)/sh_test

$(SH_HT_DIR)/sh: $(SH_HT_SRCS) usr.bin/sh/sh.h tests/host/sh/sh.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(SH_HT_SRCS)

$(SH_HT_DIR)/sh_test: tests/host/sh/sh_test.sh tests/host/sh/sh.mk
	@mkdir -p $(dir $@)
	install -m 755 tests/host/sh/sh_test.sh $@
