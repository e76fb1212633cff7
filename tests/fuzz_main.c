/*
 * fuzz_main.c - run a libFuzzer target's entry point over files, without
 * libFuzzer, so every crash input the fuzzers ever found stays a plain
 * regression test under gcc + ASan/UBSan in `make check`.
 *   regress_X FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "guard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int ran = 0;
	for (int i = 1; i < argc; i++) {
		size_t len;
		void *buf = guard_slurp(argv[i], &len);
		if (!buf) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 1;
		}
		struct guard g;
		const void *p = guard_copy(&g, buf, len);
		LLVMFuzzerTestOneInput(p, len);
		guard_release(&g);
		free(buf);
		ran++;
	}
	printf("%s: %d inputs, no crash\n", argv[0], ran);
	return 0;
}
