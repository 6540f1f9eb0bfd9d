/*
 * The console monitor: a line-oriented command loop on the kernel console,
 * run by the boot CPU when no tests were requested.  It is the kernel's
 * only interactive interface until userland exists.
 *
 * Runs in thread0 with interrupts enabled; between keystrokes it sleeps
 * (10 ms polls of the UART's receive ring), so other threads run.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/cons.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <vm/vm_page.h>

extern const struct ktest __start_ktest_set[], __stop_ktest_set[];

static int monitor_chan;

struct moncmd {
	const char	*name;
	const char	*help;
	void		(*fn)(void);
};

static void cmd_help(void);

static void
cmd_cpus(void)
{
	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct globaldata *gd = globaldata_find(cpu);

		kprintf("cpu%d: apic id %u, %lu timer ticks%s\n", cpu,
		    gd->gd_apicid, gd->gd_ticks,
		    (smp_active_mask & CPUMASK(cpu)) ? "" : " (not active)");
	}
}

static void
cmd_mem(void)
{
	kprintf("pages: %zu free of %zu (%zu KiB free)\n",
	    vm_phys_free_count(), vm_phys_total_count(),
	    vm_phys_free_count() * (PAGE_SIZE / 1024));
}

static void
cmd_uptime(void)
{
	uint64_t ns = nanouptime();

	kprintf("up %lu.%09lu s\n", ns / 1000000000UL, ns % 1000000000UL);
}

static void
cmd_tests(void)
{
	for (const struct ktest *kt = __start_ktest_set;
	    kt < __stop_ktest_set; kt++)
		kprintf("%-24s cpus %-8s %s%s\n", kt->kt_name, kt->kt_cpus,
		    kt->kt_desc, kt->kt_xfail ? " (expected to fail)" : "");
}

static void
cmd_lwkt(void)
{
	lwkt_print_stats();
}

static void
cmd_panic(void)
{
	panic("requested from the console");
}

static void
cmd_halt(void)
{
	kprintf("halting\n");
	md_exit(EXIT_PASS);
}

static const struct moncmd cmds[] = {
	{ "help", "list commands", cmd_help },
	{ "cpus", "CPUs with APIC ids and timer ticks", cmd_cpus },
	{ "mem", "physical memory", cmd_mem },
	{ "uptime", "time since boot", cmd_uptime },
	{ "lwkt", "per-CPU LWKT counters (switches, IPIs, tokens, msgs)",
	    cmd_lwkt },
	{ "tests", "in-kernel tests (boot with ktest=GLOB to run)", cmd_tests },
	{ "panic", "panic deliberately", cmd_panic },
	{ "halt", "power off", cmd_halt },
};

static void
cmd_help(void)
{
	for (size_t i = 0; i < nitems(cmds); i++)
		kprintf("  %-8s %s\n", cmds[i].name, cmds[i].help);
}

static void
monitor_exec(char *line)
{
	while (*line == ' ')
		line++;
	for (char *e = line + strlen(line); e > line && e[-1] == ' '; )
		*--e = '\0';
	if (*line == '\0')
		return;
	for (size_t i = 0; i < nitems(cmds); i++) {
		if (strcmp(line, cmds[i].name) == 0) {
			cmds[i].fn();
			return;
		}
	}
	kprintf("%s: unknown command (try help)\n", line);
}

void
monitor_run(void)
{
	char line[128];
	size_t len = 0;

	kprintf("kernel console ready; type help\n> ");
	for (;;) {
		int c = cons_getc();

		if (c < 0) {
			/* Poll the input ring every 10 ms; other threads run. */
			tsleep(&monitor_chan, 0, "cons", 10000000UL);
			continue;
		}
		if (c == '\r' || c == '\n') {
			kprintf("\n");
			line[len] = '\0';
			monitor_exec(line);
			len = 0;
			kprintf("> ");
		} else if (c == 0x7f || c == '\b') {
			if (len > 0) {
				len--;
				kprintf("\b \b");
			}
		} else if (c >= ' ' && c < 0x7f && len < sizeof(line) - 1) {
			line[len++] = (char)c;
			kprintf("%c", c);
		}
	}
}
