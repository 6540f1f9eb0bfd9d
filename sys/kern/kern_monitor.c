/*
 * The console monitor: a line-oriented command loop on the kernel console,
 * run by the boot CPU when no tests were requested.  It is the kernel's
 * only interactive interface until userland exists.
 *
 * Runs in thread0 with interrupts enabled; between keystrokes it sleeps
 * in cons_getc_wait(), so other threads run.  ls, cat and mounts go
 * through the in-kernel file API (kern_*) as proc0.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/cons.h>
#include <sys/kernel.h>
#include <sys/ktest.h>
#include <sys/md.h>
#include <vm/vm_page.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/stat.h>
#include <sys/dirent.h>
#include <sys/malloc.h>
#include <sys/mount.h>
#include <sys/kern_syscall.h>

extern const struct ktest __start_ktest_set[], __stop_ktest_set[];


/* ls [PATH]: one line per entry with type, mode, size and name. */
static void
cmd_ls(const char *arg)
{
	char path[PATH_MAX], *buf;
	struct dirent *dp;
	struct stat st;
	size_t done, off;
	int fd, error;

	if (*arg == '\0')
		arg = ".";
	error = kern_open(arg, O_RDONLY | O_DIRECTORY, 0, &fd);
	if (error != 0) {
		kprintf("ls: %s: error %d\n", arg, error);
		return;
	}
	buf = kmalloc(4096, M_TEMP, 0);
	while (buf != NULL && kern_readdir(fd, buf, 4096, &done) == 0 &&
	    done > 0) {
		for (off = 0; off < done; off += dp->d_reclen) {
			dp = (struct dirent *)(buf + off);
			ksnprintf(path, sizeof(path), "%s/%s", arg, dp->d_name);
			if (kern_lstat(path, &st) != 0)
				memset(&st, 0, sizeof(st));
			kprintf("  %c%04o %10lld  %s\n",
			    S_ISDIR(st.st_mode) ? 'd' : S_ISLNK(st.st_mode) ?
			    'l' : S_ISCHR(st.st_mode) ? 'c' : '-',
			    st.st_mode & ALLPERMS, (long long)st.st_size,
			    dp->d_name);
		}
	}
	kfree(buf, M_TEMP);
	kern_close(fd);
}

/* cat PATH: the file's bytes, as they are, up to 64 KiB. */
static void
cmd_cat(const char *arg)
{
	char buf[256];
	size_t done, total = 0;
	int fd, error;

	error = kern_open(arg, O_RDONLY, 0, &fd);
	if (error != 0) {
		kprintf("cat: %s: error %d\n", arg, error);
		return;
	}
	while (total < 65536 && kern_read(fd, buf, sizeof(buf) - 1,
	    &done) == 0 && done > 0) {
		buf[done] = '\0';
		kprintf("%s", buf);
		total += done;
	}
	kern_close(fd);
}

static void
cmd_mounts(const char *arg __unused)
{
	vfs_print_mounts();
}

struct moncmd {
	const char	*name;
	const char	*help;
	void		(*fn)(const char *arg);
};

static void cmd_help(const char *arg);

static void
cmd_cpus(const char *arg __unused)
{
	for (int cpu = 0; cpu < ncpus; cpu++) {
		struct globaldata *gd = globaldata_find(cpu);

		kprintf("cpu%d: apic id %u, %lu timer ticks%s\n", cpu,
		    gd->gd_apicid, gd->gd_ticks,
		    (smp_active_mask & CPUMASK(cpu)) ? "" : " (not active)");
	}
}

static void
cmd_mem(const char *arg __unused)
{
	kprintf("pages: %zu free of %zu (%zu KiB free)\n",
	    vm_phys_free_count(), vm_phys_total_count(),
	    vm_phys_free_count() * (PAGE_SIZE / 1024));
}

static void
cmd_uptime(const char *arg __unused)
{
	uint64_t ns = nanouptime();

	kprintf("up %lu.%09lu s\n", ns / 1000000000UL, ns % 1000000000UL);
}

static void
cmd_tests(const char *arg __unused)
{
	for (const struct ktest *kt = __start_ktest_set;
	    kt < __stop_ktest_set; kt++)
		kprintf("%-24s cpus %-8s %s%s\n", kt->kt_name, kt->kt_cpus,
		    kt->kt_desc, kt->kt_xfail ? " (expected to fail)" : "");
}

static void
cmd_lwkt(const char *arg __unused)
{
	lwkt_print_stats();
}

static void
cmd_panic(const char *arg __unused)
{
	panic("requested from the console");
}

static void
cmd_halt(const char *arg __unused)
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
	{ "ls", "ls [PATH]: list a directory", cmd_ls },
	{ "cat", "cat PATH: print a file", cmd_cat },
	{ "mounts", "mounted filesystems and how their VOPs ran", cmd_mounts },
	{ "halt", "power off", cmd_halt },
};

static void
cmd_help(const char *arg __unused)
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
	char *arg = line;

	while (*arg != '\0' && *arg != ' ')
		arg++;
	if (*arg == ' ')
		*arg++ = '\0';
	while (*arg == ' ')
		arg++;
	for (size_t i = 0; i < nitems(cmds); i++) {
		if (strcmp(line, cmds[i].name) == 0) {
			cmds[i].fn(arg);
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
		int c = cons_getc_wait();

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
