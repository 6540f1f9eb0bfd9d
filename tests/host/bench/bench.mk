# Host test of the Linux comparison harness (tools/bench_compare.sh,
# issue 6): included from tests/host/host.mk.
#
# bench_test.sh (an atf-sh program) is installed into
# $(BUILD)/tests/host/bench; it runs the harness from the source tree,
# found as the kyua configuration variable srcdir_top or, by default,
# four levels above the installed test (BUILD/tests/host/bench).

BENCH_HT_DIR	:= $(BUILD)/tests/host/bench

TEST_PROGS	+= $(BENCH_HT_DIR)/bench_test

$(BENCH_HT_DIR)/bench_test: tests/host/bench/bench_test.sh \
    tests/host/bench/bench.mk
	@mkdir -p $(dir $@)
	install -m 755 tests/host/bench/bench_test.sh $@
