/* fuzz_alert.c: libFuzzer target for reading alert log lines back (alert_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "fuzz.h"

/* The line alert_format writes for a, in format f; NULL if it does not fit in a record. */
static char *
format(const struct alert *a, enum alert_format f)
{
	struct buf	b;

	buf_init(&b, 0);
	if (alert_format(a, f, &b) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct alert		 a, b;
	enum alert_format	 g;
	char			*once, *twice;

	/* Any bytes: alert_parse must not crash, and on failure leave nothing to free. */
	if (alert_parse((const char *)data, size, &a, NULL) == -1) {
		if (a.rule != NULL || a.title != NULL || a.nmatches != 0)
			abort();
		return 0;
	}
	/*
	 * A line that parses formats to a JSON Lines record that parses back to the same alert:
	 * the same fields, so the same record once more. The first record may differ from the
	 * input (fields clipped, bytes that are not UTF-8 replaced), never the second. The text
	 * form is ambiguous by design (alert.h says where), so a text line made from any alert
	 * only has to read back as a record.
	 */
	if ((once = format(&a, ALERT_FORMAT_JSONL)) == NULL) {
		alert_free(&a);
		return 0;
	}
	if (alert_parse(once, strlen(once), &b, &g) == -1 || g != ALERT_FORMAT_JSONL)
		abort();
	if ((twice = format(&b, ALERT_FORMAT_JSONL)) == NULL || strcmp(once, twice) != 0)
		abort();
	free(twice);
	free(once);
	alert_free(&b);
	if ((once = format(&a, ALERT_FORMAT_TEXT)) != NULL) {
		if (alert_parse(once, strlen(once), &b, &g) == -1 || g != ALERT_FORMAT_TEXT)
			abort();
		alert_free(&b);
		free(once);
	}
	alert_free(&a);
	return 0;
}
