/* fuzz_text.c: libFuzzer target for HTML to text, plain-text cleaning and the entity table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "text.h"

/* The output cap must hold whatever the input: checked for a large cap and a small one. */
static void
convert(char *(*fn)(const char *, size_t, size_t), const char *s, size_t len, size_t max)
{
	char	*out;

	out = fn(s, len, max);
	if (out == NULL || strlen(out) > max)
		abort();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data;
	char		 ent[8];
	size_t		 small = 1 + size % 61;

	convert(text_from_html, s, size, 1u << 20);
	convert(text_from_html, s, size, small);
	convert(text_from_plain, s, size, 1u << 20);
	convert(text_from_plain, s, size, small);
	if (size < 40 && text_entity_lookup(s, size, ent) > 0 && strlen(ent) == 0)
		abort();
	return 0;
}
