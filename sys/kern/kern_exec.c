/*
 * execve: load a static ELF64 executable from the VFS.
 *
 * The image is read through the file API (kern_open, kern_pread) into
 * a new address space, segment by segment (copied, not mapped: there
 * are no file-backed VM objects yet), then the stack is built: strings
 * at the top, then envp and argv pointer arrays and argc, %rsp 16-byte
 * aligned at argc.  Until the commit point the old image is untouched,
 * so a bad file (ENOEXEC), a missing one (ENOENT), a non-executable one
 * (EACCES) or a lack of memory (ENOMEM) returns to the caller.  After
 * it: close-on-exec descriptors closed, caught signals reset, the old
 * address space freed, registers set for the entry point.
 *
 * Checked in the ELF file (hostile input): magic, class, byte order,
 * machine, type ET_EXEC, header sizes, at most EXEC_MAXPHDR program
 * headers inside the file, PT_LOAD segments inside the user range in
 * ascending order without overlap or wrap, p_filesz <= p_memsz, file
 * ranges inside the file, an entry point inside an executable segment.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/globaldata.h>
#include <sys/thread.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/fcntl.h>
#include <sys/filedesc.h>
#include <sys/kern_syscall.h>
#include <sys/sysmsg.h>
#include <sys/sysmsg_kern.h>
#include <sys/cpu_user.h>
#include <sys/pmap_user.h>
#include <sys/vm_map.h>
#include <sys/dirent.h>
#include <machine/vmparam.h>

MALLOC_DEFINE(M_EXEC, "exec", "exec arguments and headers");

#define EXEC_MAXPHDR	16
#define ARG_MAX		(256 * 1024)	/* argv + envp strings */
#define ARG_MAXCOUNT	8192

struct elf64_ehdr {
	uint8_t		e_ident[16];
	uint16_t	e_type;
	uint16_t	e_machine;
	uint32_t	e_version;
	uint64_t	e_entry;
	uint64_t	e_phoff;
	uint64_t	e_shoff;
	uint32_t	e_flags;
	uint16_t	e_ehsize;
	uint16_t	e_phentsize;
	uint16_t	e_phnum;
	uint16_t	e_shentsize;
	uint16_t	e_shnum;
	uint16_t	e_shstrndx;
};

struct elf64_phdr {
	uint32_t	p_type;
	uint32_t	p_flags;
	uint64_t	p_offset;
	uint64_t	p_vaddr;
	uint64_t	p_paddr;
	uint64_t	p_filesz;
	uint64_t	p_memsz;
	uint64_t	p_align;
};

CTASSERT(sizeof(struct elf64_ehdr) == 64);
CTASSERT(sizeof(struct elf64_phdr) == 56);

#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4
#define ET_EXEC		2
#define EM_X86_64	62

/* The checks of the file header; ENOEXEC if any fails. */
static int
exec_check_ehdr(const struct elf64_ehdr *eh, off_t fsize)
{
	if (eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
	    eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F')
		return (ENOEXEC);
	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1 ||	/* 64, LSB */
	    eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64 ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > EXEC_MAXPHDR)
		return (ENOEXEC);
	if (eh->e_phoff > (uint64_t)fsize ||
	    (uint64_t)fsize - eh->e_phoff <
	    (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr))
		return (ENOEXEC);
	return (0);
}

static int
exec_prot(uint32_t pf)
{
	return (((pf & PF_R) ? VMP_READ : 0) | ((pf & PF_W) ? VMP_WRITE : 0) |
	    ((pf & PF_X) ? VMP_EXEC : 0));
}

/* Copy [off, off + len) of the file fd into vm at va. */
static int
exec_copy_file(struct vmspace *vm, int fd, off_t off, vm_offset_t va,
    size_t len, char *buf)
{
	while (len > 0) {
		size_t n = len < PAGE_SIZE ? len : PAGE_SIZE, got;
		int error;

		error = kern_pread(fd, buf, n, off, &got);
		if (error != 0)
			return (error);
		if (got != n)
			return (ENOEXEC);	/* the file shrank */
		error = vm_copyout_any(vm, va, buf, n);
		if (error != 0)
			return (error);
		off += n;
		va += n;
		len -= n;
	}
	return (0);
}

/* Load the segments of the open file fd into the empty vm. */
static int
exec_load_segments(struct vmspace *vm, int fd, uint64_t *entryp)
{
	struct elf64_ehdr eh;
	struct elf64_phdr *ph = NULL;
	struct stat st;
	vm_offset_t top = 0;
	bool entry_ok = false;
	size_t got;
	char *buf = NULL;
	int error;

	error = kern_fstat(fd, &st);
	if (error != 0)
		return (error);
	if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
		return (EACCES);
	error = kern_pread(fd, &eh, sizeof(eh), 0, &got);
	if (error != 0)
		return (error);
	if (got != sizeof(eh))
		return (ENOEXEC);
	error = exec_check_ehdr(&eh, st.st_size);
	if (error != 0)
		return (error);
	ph = kmalloc(eh.e_phnum * sizeof(*ph), M_EXEC, 0);
	buf = kmalloc(PAGE_SIZE, M_EXEC, 0);
	if (ph == NULL || buf == NULL) {
		error = ENOMEM;
		goto out;
	}
	error = kern_pread(fd, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff, &got);
	if (error == 0 && got != eh.e_phnum * sizeof(*ph))
		error = ENOEXEC;
	for (int i = 0; error == 0 && i < eh.e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		vm_offset_t s, e;

		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		if (p->p_filesz > p->p_memsz ||
		    p->p_vaddr < VM_MIN_USER ||
		    p->p_vaddr >= USTACK_TOP - USTACK_SIZE ||
		    p->p_memsz > USTACK_TOP - USTACK_SIZE - p->p_vaddr ||
		    p->p_offset > (uint64_t)st.st_size ||
		    p->p_filesz > (uint64_t)st.st_size - p->p_offset) {
			error = ENOEXEC;
			break;
		}
		s = rounddown2(p->p_vaddr, PAGE_SIZE);
		e = roundup2(p->p_vaddr + p->p_memsz, PAGE_SIZE);
		if (s < top) {		/* out of order or overlapping */
			error = ENOEXEC;
			break;
		}
		error = vm_map_anon(vm, &s, e - s, exec_prot(p->p_flags), 0,
		    true);
		if (error == 0)
			error = exec_copy_file(vm, fd, p->p_offset, p->p_vaddr,
			    p->p_filesz, buf);
		if (eh.e_entry >= p->p_vaddr &&
		    eh.e_entry < p->p_vaddr + p->p_memsz && (p->p_flags & PF_X))
			entry_ok = true;
		top = e;
	}
	if (error == 0 && !entry_ok)
		error = ENOEXEC;
	if (error == 0) {
		vm->vm_brk_base = vm->vm_brk = top;
		*entryp = eh.e_entry;
	}
out:
	if (ph != NULL)
		kfree(ph, M_EXEC);
	if (buf != NULL)
		kfree(buf, M_EXEC);
	return (error);
}

/*
 * The stack: its region, then the image [argc, argv..., NULL, envp...,
 * NULL, strings] copied to its top.  *spp = the user address of argc.
 */
static int
exec_build_stack(struct vmspace *vm, char *const *argv, size_t argc,
    char *const *envp, size_t envc, uint64_t *spp)
{
	size_t strbytes = 0, nptr = 1 + argc + 1 + envc + 1, total, ptrbytes;
	vm_offset_t base = USTACK_TOP - USTACK_SIZE, sp, strp;
	uint64_t *img;
	char *s;
	int error;

	for (size_t i = 0; i < argc; i++)
		strbytes += strlen(argv[i]) + 1;
	for (size_t i = 0; i < envc; i++)
		strbytes += strlen(envp[i]) + 1;
	ptrbytes = roundup2(nptr * 8, 16);
	total = ptrbytes + roundup2(strbytes, 16);
	if (total > 2 * ARG_MAX)
		return (E2BIG);
	error = vm_map_anon(vm, &base, USTACK_SIZE, VMP_READ | VMP_WRITE,
	    ME_STACK, true);
	if (error != 0)
		return (error);
	img = kmalloc(total, M_EXEC, M_ZERO);
	if (img == NULL)
		return (ENOMEM);
	sp = USTACK_TOP - total;
	strp = sp + ptrbytes;
	s = (char *)img + ptrbytes;
	img[0] = argc;
	for (size_t i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		img[1 + i] = strp + (s - ((char *)img + ptrbytes));
		memcpy(s, argv[i], n);
		s += n;
	}
	for (size_t i = 0; i < envc; i++) {
		size_t n = strlen(envp[i]) + 1;

		img[2 + argc + i] = strp + (s - ((char *)img + ptrbytes));
		memcpy(s, envp[i], n);
		s += n;
	}
	error = vm_copyout_any(vm, sp, img, total);
	kfree(img, M_EXEC);
	*spp = sp;
	return (error);
}

/* The file name part of path, for p_comm. */
static const char *
exec_basename(const char *path)
{
	const char *base = path;

	for (const char *s = path; *s != '\0'; s++)
		if (*s == '/' && s[1] != '\0')
			base = s + 1;
	return (base);
}

/*
 * Load path into vm: segments and stack.  The file is opened in the
 * caller's descriptor table and closed again.
 */
static int
exec_load(struct vmspace *vm, const char *path, char *const *argv,
    size_t argc, char *const *envp, size_t envc, uint64_t *entryp,
    uint64_t *spp)
{
	int fd, error;

	error = kern_open(path, O_RDONLY, 0, &fd);
	if (error != 0)
		return (error);
	error = exec_load_segments(vm, fd, entryp);
	(void)kern_close(fd);
	if (error == 0)
		error = exec_build_stack(vm, argv, argc, envp, envc, spp);
	return (error);
}

int
exec_load_into(struct thread *td, const char *path, char *const *argv,
    size_t argc, char *const *envp, size_t envc)
{
	struct proc *p = td->td_proc;
	uint64_t entry, sp;
	int error;

	error = exec_load(p->p_vmspace, path, argv, argc, envp, envc,
	    &entry, &sp);
	if (error != 0)
		return (error);
	strlcpy(p->p_comm, exec_basename(path), sizeof(p->p_comm));
	cpu_exec_regs(td, entry, sp);
	return (0);
}

int
kern_execve(struct thread *td, const char *path, char *const *argv,
    size_t argc, char *const *envp, size_t envc)
{
	struct proc *p = td->td_proc;
	struct vmspace *nvm, *ovm;
	uint64_t entry, sp;
	int error;

	nvm = vmspace_alloc();
	if (nvm == NULL)
		return (ENOMEM);
	error = exec_load(nvm, path, argv, argc, envp, envc, &entry, &sp);
	if (error != 0) {
		vmspace_free(nvm);
		return (error);
	}
	/* The other threads go (POSIX), now that the image is good. */
	error = proc_single_thread();
	if (error != 0) {
		vmspace_free(nvm);
		return (error);
	}
	/* Commit point: nothing below fails. */
	sysmsg_async_drain(p);
	fdcloseexec(p);
	lwkt_gettoken(&proc_token);
	ovm = p->p_vmspace;
	p->p_vmspace = nvm;
	lwkt_reltoken(&proc_token);
	td->td_pmap = nvm->vm_pmap;
	crit_enter();
	pmap_switch(mycpu, td);
	crit_exit();
	vmspace_free(ovm);
	spin_lock(&p->p_spin);
	for (int sig = 1; sig < NSIG; sig++)
		if (p->p_sigacts[sig].sa_handler != SIG_IGN_VAL)
			p->p_sigacts[sig].sa_handler = SIG_DFL_VAL;
	spin_unlock(&p->p_spin);
	p->p_sigrestorer = 0;
	strlcpy(p->p_comm, exec_basename(path), sizeof(p->p_comm));
	cpu_exec_regs(td, entry, sp);
	return (EJUSTRETURN);
}

/*
 * Copy a NULL-terminated user array of user strings into one kernel
 * allocation: *vecp (count entries, then the strings).  E2BIG past
 * ARG_MAX bytes (*used counts across calls) or ARG_MAXCOUNT strings; a
 * NULL array is empty.
 */
static int
exec_copyin_vec(uint64_t uvec, char ***vecp, size_t *countp, size_t *used)
{
	size_t n = 0, len;
	char **vec, *s;
	uint64_t up;
	int error;

	*vecp = NULL;
	*countp = 0;
	if (uvec == 0)
		return (0);
	for (;; n++) {
		if (n >= ARG_MAXCOUNT)
			return (E2BIG);
		error = copyin((void *)(uvec + n * 8), &up, 8);
		if (error != 0)
			return (error);
		if (up == 0)
			break;
	}
	vec = kmalloc((n + 1) * sizeof(char *) + ARG_MAX, M_EXEC, 0);
	if (vec == NULL)
		return (ENOMEM);
	s = (char *)(vec + n + 1);
	for (size_t i = 0; i < n; i++) {
		error = copyin((void *)(uvec + i * 8), &up, 8);
		if (error == 0 && up == 0)
			error = EFAULT;		/* the array changed */
		if (error == 0 && *used >= ARG_MAX)
			error = E2BIG;
		if (error == 0)
			error = copyinstr((void *)up, s, ARG_MAX - *used, &len);
		if (error == ENAMETOOLONG)
			error = E2BIG;
		if (error != 0) {
			kfree(vec, M_EXEC);
			return (error);
		}
		vec[i] = s;
		s += len;
		*used += len;
	}
	vec[n] = NULL;
	*vecp = vec;
	*countp = n;
	return (0);
}

int
sys_execve(struct sysmsg *m, int64_t *resp)
{
	char *path, **argv = NULL, **envp = NULL;
	size_t argc = 0, envc = 0, used = 0;
	int error;

	path = kmalloc(PATH_MAX, M_EXEC, 0);
	if (path == NULL)
		return (ENOMEM);
	error = copyinstr((void *)m->sm_arg[0], path, PATH_MAX, NULL);
	if (error == 0)
		error = exec_copyin_vec(m->sm_arg[1], &argv, &argc, &used);
	if (error == 0)
		error = exec_copyin_vec(m->sm_arg[2], &envp, &envc, &used);
	if (error == 0)
		error = kern_execve(curthread, path, argv, argc, envp, envc);
	if (argv != NULL)
		kfree(argv, M_EXEC);
	if (envp != NULL)
		kfree(envp, M_EXEC);
	kfree(path, M_EXEC);
	*resp = 0;
	return (error);
}
