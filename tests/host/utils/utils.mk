# Host tests of the small utilities of usr.bin (utils_test.sh).
#
# The usr.bin programs of UT_NAMES (all small ones but ps, which needs
# SYS_PSINFO) are also built for Linux against the host libc, with the
# sanitizers of HOST_CFLAGS, into $(UT_DIR)/bin, where the atf-sh program
# utils_test finds them (atf_get_srcdir/bin).  The sources are the same
# ones the userland build compiles against our libc; building them here
# keeps them portable C and checks their output without booting.
# Included by tests/host/host.mk; tests/host/utils/Kyuafile lists it.

UT_DIR		:= $(BUILD)/tests/host/utils
UT_NAMES	:= cat cp echo env false grep head kill ln ls mkdir mv pwd \
	rm rmdir sleep sort tail test true uname wc
UT_BINS		:= $(patsubst %,$(UT_DIR)/bin/%,$(UT_NAMES))

TEST_PROGS	+= $(UT_DIR)/utils_test $(UT_BINS)

# ut_prog NAME: the rule that builds $(UT_DIR)/bin/NAME.
define ut_prog
$(UT_DIR)/bin/$(1): $(wildcard usr.bin/$(1)/*.c) tests/host/utils/utils.mk
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOST_CFLAGS) -o $$@ $$(filter %.c,$$^)
endef
$(foreach n,$(UT_NAMES),$(eval $(call ut_prog,$(n))))

$(UT_DIR)/utils_test: tests/host/utils/utils_test.sh tests/host/utils/utils.mk
	@mkdir -p $(dir $@)
	install -m 755 tests/host/utils/utils_test.sh $@
