/* replay.c: a plain main() that runs every saved input (files, or directories walked) through a fuzz target. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/*
 * This is how the fuzz targets are compiled and exercised in every build, also where clang and
 * libFuzzer are absent: ctest's fuzz_regressions runs each target over its seed corpus and the
 * crashes once found (tests/fuzz/regressions/<target>/). Inputs are capped like libFuzzer's
 * -max_len is not: a saved input is whatever the fuzzer wrote, so the cap is generous.
 */
#define REPLAY_MAX_INPUT	(64u * 1024 * 1024)

static size_t	ninputs;

static int
replay_file(const char *path)
{
	FILE		*fp;
	unsigned char	*data;
	long		 n;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) == -1 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) == -1 ||
	    (unsigned long)n > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: cannot size it (or over %u bytes)\n", path,
		    REPLAY_MAX_INPUT);
		fclose(fp);
		return -1;
	}
	/* One byte more so an empty file still gets a valid pointer, as libFuzzer gives. */
	if ((data = malloc((size_t)n + 1)) == NULL ||
	    fread(data, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "replay: %s: cannot read it\n", path);
		free(data);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (getenv("REPLAY_VERBOSE") != NULL)
		fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	ninputs++;
	return 0;
}

static int
replay_path(const char *path)
{
	struct stat	 st;
	struct dirent	**ents;
	char		*sub;
	int		 i, n, rc = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	/* Sorted, so a failing run names the same input first every time. */
	if ((n = scandir(path, &ents, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && strcmp(ents[i]->d_name, "README") != 0) {
			if ((sub = malloc(strlen(path) + strlen(ents[i]->d_name) + 2)) == NULL)
				rc = -1;
			else {
				sprintf(sub, "%s/%s", path, ents[i]->d_name);
				if (replay_path(sub) == -1)
					rc = -1;
				free(sub);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char *argv[])
{
	int	 i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]) == -1)
			rc = 1;
	printf("%s: %zu inputs replayed\n", argv[0], ninputs);
	return rc;
}
