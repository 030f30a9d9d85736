/* fuzz_date.c: libFuzzer target for the feed date parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;
	time_t	 t = 12345;

	/* date_parse reads a C string: hand it exactly the input, NUL-terminated. */
	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (date_parse(s, &t) == -1 && t != 12345)
		abort();	/* the contract: *out untouched on failure */
	free(s);
	return 0;
}
