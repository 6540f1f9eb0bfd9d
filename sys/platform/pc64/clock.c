/*
 * Time: the TSC, calibrated once against the 8254 PIT, is the monotonic
 * clock on every CPU.
 *
 * nanouptime() = (tsc + this CPU's adjustment - tsc_base) * tsc_mult >>
 * 32, with a 128-bit product so it cannot overflow.  Each AP measures its
 * TSC against the BSP's when it starts (clock_ap_sync()); if the two
 * disagree by more than the measurement window, the AP stores a
 * correction, so readings taken one after the other on different CPUs
 * never go backwards.  rdtsc is preceded by lfence so it is not executed
 * ahead of earlier loads (a reading ordered after another CPU's store is
 * taken after it).
 *
 * tsc_freq, tsc_mult and tsc_base are written once by the BSP before the
 * APs start; md_tsc_adj is written once per CPU before it is active.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/globaldata.h>
#include <sys/md.h>
#include <machine/cpufunc.h>
#include <machine/md_var.h>

#define PIT_HZ		1193182
#define CAL_MS		20

uint64_t	tsc_freq;		/* [I] TSC ticks per second */
static uint64_t	tsc_mult;		/* [I] ns per tick, 32.32 fixed */
static uint64_t	tsc_base;		/* [I] TSC at calibration */

static inline uint64_t
tsc_read(void)
{
	return (rdtsc_ordered() + (uint64_t)mycpu->gd_md.md_tsc_adj);
}

uint64_t
nanouptime(void)
{
	uint64_t t = tsc_read() - tsc_base;

	return ((uint64_t)(((unsigned __int128)t * tsc_mult) >> 32));
}

void
delay_us(uint64_t us)
{
	uint64_t start = rdtsc_ordered();
	uint64_t need = us * (tsc_freq / 1000) / 1000;

	KKASSERT(tsc_freq != 0);
	while (rdtsc_ordered() - start < need)
		cpu_pause();
}

/* TSC ticks during CAL_MS of PIT channel 2 (one-shot, mode 0). */
static uint64_t
pit_measure(void)
{
	uint32_t count = PIT_HZ * CAL_MS / 1000;
	uint64_t t0, t1;
	long spins = 0;

	outb(0x61, inb(0x61) & ~0x03);		/* gate low, speaker off */
	outb(0x43, 0xb0);			/* ch 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	t0 = rdtsc_ordered();
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate high: count */
	while ((inb(0x61) & 0x20) == 0) {
		if (++spins > 100000000L)
			panic("clock: PIT channel 2 never reached zero");
	}
	t1 = rdtsc_ordered();
	return (t1 - t0);
}

/* Calibrate the TSC: the median of three PIT windows.  BSP, once. */
void
tsc_calibrate(void)
{
	uint64_t m[3], tmp;

	for (int i = 0; i < 3; i++)
		m[i] = pit_measure();
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2 - i; j++)
			if (m[j] > m[j + 1]) {
				tmp = m[j];
				m[j] = m[j + 1];
				m[j + 1] = tmp;
			}
	tsc_freq = m[1] * 1000 / CAL_MS;
	if (tsc_freq < 1000000)
		panic("clock: implausible TSC frequency %lu Hz", tsc_freq);
	tsc_mult = (uint64_t)(((unsigned __int128)1000000000 << 32) /
	    tsc_freq);
	tsc_base = rdtsc_ordered();
}

/*
 * TSC comparison between the BSP and a starting AP.  The BSP reads its
 * TSC (t0), releases the AP, which reads its own (ta) and publishes it;
 * the BSP reads again (t1).  With synchronized TSCs t0 <= ta <= t1.  The
 * round with the narrowest window gives the offset estimate.
 */
#define SYNC_ROUNDS	8
static volatile uint64_t sync_go;	/* round number the AP may run */
static volatile uint64_t sync_ta;	/* the AP's reading */
static volatile uint64_t sync_done;	/* round number the AP finished */

/* BSP side; returns the AP's offset in TSC ticks (AP - BSP). */
int64_t
clock_bsp_sync(void)
{
	uint64_t best = UINT64_MAX;
	int64_t offset = 0;

	for (uint64_t r = 1; r <= SYNC_ROUNDS; r++) {
		uint64_t t0, t1;

		t0 = rdtsc_ordered();
		__atomic_store_n(&sync_go, r, __ATOMIC_RELEASE);
		while (__atomic_load_n(&sync_done, __ATOMIC_ACQUIRE) != r)
			cpu_pause();
		t1 = rdtsc_ordered();
		if (t1 - t0 < best) {
			best = t1 - t0;
			offset = (int64_t)(sync_ta - (t0 + (t1 - t0) / 2));
		}
	}
	__atomic_store_n(&sync_go, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&sync_done, 0, __ATOMIC_RELEASE);
	/* Inside the window: indistinguishable from synchronized. */
	if ((uint64_t)(offset < 0 ? -offset : offset) <= best / 2)
		return (0);
	return (offset);
}

/* AP side, interrupts off. */
void
clock_ap_sync(void)
{
	for (uint64_t r = 1; r <= SYNC_ROUNDS; r++) {
		while (__atomic_load_n(&sync_go, __ATOMIC_ACQUIRE) != r)
			cpu_pause();
		sync_ta = rdtsc_ordered();
		__atomic_store_n(&sync_done, r, __ATOMIC_RELEASE);
	}
}
