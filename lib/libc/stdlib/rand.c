/*
 * Pseudo-random numbers: rand/srand and random/srandom share one state,
 * a 64-bit linear congruential generator (Knuth's MMIX constants) whose
 * top 31 bits are returned, so values lie in 0..RAND_MAX (2^31 - 1).
 * The default seed is 1.  rand_r keeps its state in the caller's
 * unsigned int (32-bit LCG; weaker, as POSIX allows).  Not for
 * cryptography.
 */
#include <stdint.h>
#include <stdlib.h>

static uint64_t rand_state = 1;

static int
rand_step(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((int)(*s >> 33));
}

int
rand(void)
{
	return (rand_step(&rand_state));
}

void
srand(unsigned int seed)
{
	rand_state = seed;
}

long
random(void)
{
	return (rand_step(&rand_state));
}

void
srandom(unsigned int seed)
{
	rand_state = seed;
}

int
rand_r(unsigned int *seed)
{
	*seed = *seed * 1103515245U + 12345U;
	return ((int)((*seed >> 1) & RAND_MAX));
}
