# In-kernel tests: the host harness that turns each kernel test (and each
# userland test of tests/user/MANIFEST) into a kyua test case
# (tests/kern/ktest*.c) and its self-test (harness_test.sh).
# Included by the top-level Makefile, which defines BUILD, HOSTCC,
# HOST_CFLAGS and TEST_PROGS.  kyua finds the programs under
# $(BUILD)/tests/kern; tests/kern/Kyuafile lists them.

KTEST_DIR	:= $(BUILD)/tests/kern

TEST_PROGS	+= $(KTEST_DIR)/ktest $(KTEST_DIR)/harness_test

KTEST_SRCS	:= tests/kern/ktest.c tests/kern/ktest_meta.c \
	tests/kern/ktest_judge.c tests/kern/ktest_user.c

$(KTEST_DIR)/ktest: $(KTEST_SRCS) tests/kern/ktest.h tests/kern/kern.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(KTEST_SRCS)

$(KTEST_DIR)/harness_test: tests/kern/harness_test.sh tests/kern/kern.mk
	@mkdir -p $(dir $@)
	install -m 755 tests/kern/harness_test.sh $@
