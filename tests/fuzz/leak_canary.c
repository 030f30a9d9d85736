/* leak_canary.c: leaks on purpose; in sanitizer builds ctest expects LeakSanitizer to fail it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The sanitizer gate is only worth something if a leak fails the run. ctest's lsan_canary runs
 * this program the way the integration tests run newswatch (a python subprocess under ctest's
 * environment), so it fails if ASAN_OPTIONS turned leak detection off or does not reach the
 * children.
 */
int
main(void)
{
	char	*p = malloc(4242);

	if (p == NULL)
		return 2;
	memset(p, 'x', 4242);
	printf("leaked %c\n", p[0]);
	p = NULL;
	return 0;
}
