/*
 * fuzz_bytes.h — what the fuzz targets share: reading the input a byte at a
 * time, and stopping the run with a report when a property fails.
 */
#ifndef SDBC_FUZZ_BYTES_H
#define SDBC_FUZZ_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* A failed property aborts: libFuzzer reports it with the input that did it. */
#define REQUIRE(cond) do { if (!(cond)) abort(); } while (0)

/* Next byte of the input, 0 once it is used up. */
static inline uint8_t
fuzz_next_byte(const uint8_t *data, size_t size, size_t *pos)
{
	return *pos < size ? data[(*pos)++] : 0;
}

#endif							/* SDBC_FUZZ_BYTES_H */
