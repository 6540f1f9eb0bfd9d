/*
 * pipes - pipe semantics between processes.
 *
 * (1) round trip: parent -> child -> parent through two pipes, the
 *     child transforms the data, many messages;
 * (2) EOF: read returns 0 once every write end is closed;
 * (3) no reader: write fails with EPIPE (SIGPIPE ignored), and with
 *     SIGPIPE at its default a writer dies of SIGPIPE;
 * (4) 1 MiB transferred in odd-sized chunks with a content check;
 * (5) O_NONBLOCK set with fcntl: read of an empty pipe and write to a
 *     full pipe fail with EAGAIN.
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include "utest.h"

#define BIG	(1024 * 1024)

static unsigned char
pattern(long i)
{
	return ((unsigned char)((i * 7 + (i >> 9)) & 0xff));
}

/* Read exactly n bytes unless EOF comes first; returns bytes read. */
static long
readn(int fd, void *buf, long n)
{
	long got, r;

	for (got = 0; got < n; got += r) {
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			break;
	}
	return (got);
}

static void
round_trip(void)
{
	int down[2], up[2], pid, i, k;
	char buf[64], want[64];

	CHECK_OK(pipe(down));
	CHECK_OK(pipe(up));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(down[1]);
		close(up[0]);
		/* Echo every 32-byte block back with each byte + 1. */
		while (readn(down[0], buf, 32) == 32) {
			for (k = 0; k < 32; k++)
				buf[k]++;
			if (write(up[1], buf, 32) != 32)
				_exit(2);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	for (i = 0; i < 200; i++) {
		for (k = 0; k < 32; k++) {
			buf[k] = (char)(i + k);
			want[k] = (char)(i + k + 1);
		}
		CHECK_EQ(write(down[1], buf, 32), 32);
		CHECK_EQ(readn(up[0], buf, 32), 32);
		CHECK(memcmp(buf, want, 32) == 0);
	}
	close(down[1]);
	/* The child sees EOF, exits; then we see EOF too. */
	CHECK_EQ(read(up[0], buf, sizeof(buf)), 0);
	CHECK_EXIT(pid, 0);
	close(up[0]);
	UT_LOG("round trip ok");
}

static void
eof(void)
{
	int p[2];
	char c;

	CHECK_OK(pipe(p));
	CHECK_EQ(write(p[1], "xy", 2), 2);
	close(p[1]);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'x');
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'y');
	CHECK_EQ(read(p[0], &c, 1), 0);
	CHECK_EQ(read(p[0], &c, 1), 0);
	close(p[0]);
	UT_LOG("EOF ok");
}

static void
no_reader(void)
{
	int p[2], pid;

	CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
	CHECK_OK(pipe(p));
	close(p[0]);
	CHECK_ERR(write(p[1], "z", 1), EPIPE);
	close(p[1]);
	CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);

	CHECK_OK(pipe(p));
	close(p[0]);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		(void)write(p[1], "z", 1);
		_exit(3);
	}
	close(p[1]);
	CHECK_SIGNALED(pid, SIGPIPE);
	UT_LOG("EPIPE/SIGPIPE ok");
}

static void
large(void)
{
	unsigned char *buf;
	int p[2], pid;
	long i, off, n, chunk;

	CHECK_OK(pipe(p));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		buf = malloc(BIG);
		if (buf == NULL)
			_exit(2);
		for (i = 0; i < BIG; i++)
			buf[i] = pattern(i);
		for (off = 0, chunk = 1; off < BIG; off += n, chunk += 4093) {
			n = chunk % 70000 + 1;
			if (n > BIG - off)
				n = BIG - off;
			if (write(p[1], buf + off, n) != n)
				_exit(3);
		}
		_exit(0);
	}
	close(p[1]);
	buf = malloc(BIG + 1);
	CHECK(buf != NULL);
	off = 0;
	while (off <= BIG) {
		n = read(p[0], buf + off, 1 + (off % 50000));
		CHECK(n >= 0);
		if (n == 0)
			break;
		off += n;
	}
	CHECK_EQ(off, BIG);
	for (i = 0; i < BIG; i++)
		if (buf[i] != pattern(i))
			UT_FAIL("byte %ld: %#x, want %#x", i, buf[i],
			    pattern(i));
	free(buf);
	close(p[0]);
	CHECK_EXIT(pid, 0);
	UT_LOG("1 MiB transferred intact");
}

static void
nonblock(void)
{
	char buf[4096], c;
	int p[2], fl;
	long n, total;

	CHECK_OK(pipe(p));
	fl = fcntl(p[0], F_GETFL);
	CHECK(fl != -1);
	CHECK((fl & O_NONBLOCK) == 0);
	CHECK_OK(fcntl(p[0], F_SETFL, fl | O_NONBLOCK));
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);
	CHECK_EQ(write(p[1], "q", 1), 1);
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'q');
	CHECK_ERR(read(p[0], &c, 1), EAGAIN);

	CHECK_OK(fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK));
	memset(buf, 'f', sizeof(buf));
	total = 0;
	for (;;) {
		n = write(p[1], buf, sizeof(buf));
		if (n < 0)
			break;
		total += n;
		CHECK(total < 64L * 1024 * 1024);
	}
	CHECK_EQ(errno, EAGAIN);
	UT_LOG("pipe filled with %ld bytes, then EAGAIN", total);
	CHECK(total > 0);
	CHECK_EQ(read(p[0], buf, 100), 100);
	close(p[0]);
	close(p[1]);
	UT_LOG("O_NONBLOCK ok");
}

/* A pipe has no position: lseek, pread and pwrite are ESPIPE. */
static void
no_position(void)
{
	int p[2];
	char c = 'z';

	CHECK_OK(pipe(p));
	CHECK_ERR(lseek(p[0], 0, SEEK_END), ESPIPE);
	CHECK_ERR(lseek(p[1], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(pwrite(p[1], &c, 1, 0), ESPIPE);
	CHECK_EQ(write(p[1], &c, 1), 1);
	CHECK_ERR(pread(p[0], &c, 1, 0), ESPIPE);
	c = 0;
	CHECK_EQ(read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'z');
	close(p[0]);
	close(p[1]);
	UT_LOG("no position: ESPIPE");
}

int
main(void)
{
	UT_INIT();
	no_position();
	round_trip();
	eof();
	no_reader();
	large();
	nonblock();
	return (0);
}
