/* fuzz.h: the one entry point every fuzz target defines (libFuzzer's, also driven by replay.c). */
#ifndef NW_FUZZ_H
#define NW_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input through the target. Always returns 0; a bug shows as a crash or a sanitizer report. */
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
