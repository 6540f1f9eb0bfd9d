# The benchmark programs built for the Linux peer (issue 6,
# docs/BENCHMARKS.md): the same portable sources as bench/NAME.c, compiled
# with musl-gcc -static (Debian's musl-tools, installed by tools/musl.sh
# when missing) into BUILD/linux/.  Our own build of them is the top
# Makefile's rule bench/NAME.c -> BUILD/uroot/usr/bench/NAME.
#
#   make linux-bench	build BUILD/linux/lbench

LINUX_BENCH	:= $(BUILD)/linux/lbench
MUSLCC		:= musl-gcc
MUSL_CFLAGS	:= -static -O2 -std=gnu11 -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wno-sign-compare

.PHONY: linux-bench musl-deps
linux-bench: $(LINUX_BENCH)

musl-deps:
	@sh tools/musl.sh

# The musl check runs first but must not force a relink every time.
$(BUILD)/linux/%: bench/%.c | musl-deps
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	@$(MUSLCC) $(MUSL_CFLAGS) -o $@ $<
