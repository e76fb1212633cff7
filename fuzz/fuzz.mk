# Build the libFuzzer targets: `make fuzz` from the build directory.
# The core is compiled again here with clang and coverage instrumentation;
# the result lands in ./fuzz-build/. Run, for example:
#   fuzz-build/fuzz_sip -max_total_time=600 fuzz-build/corpus-sip
#   fuzz-build/fuzz_packet -max_total_time=600 fuzz-build/corpus-packet
# Seeds come from the torture messages, the samples and the public corpus
# (when ../shared/corpus exists); crash inputs are kept in tests/regress/.
CLANG ?= clang
OUT = fuzz-build
CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-I$(SRCDIR)/src -I$(SRCDIR)/dissectors -I$(SRCDIR)/render -I$(CONFIG_H_DIR)
CORE = $(filter-out %/main.c %/cli.c,$(wildcard $(SRCDIR)/src/*.c)) \
	$(wildcard $(SRCDIR)/dissectors/*.c) $(wildcard $(SRCDIR)/render/*.c)
CORPUS_DIR ?= $(SRCDIR)/../shared/corpus

all: $(OUT)/fuzz_sip $(OUT)/fuzz_packet seeds

$(OUT)/fuzz_%: $(SRCDIR)/fuzz/fuzz_%.c $(CORE)
	@mkdir -p $(OUT)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ -o $@ $(PCAP_LIBS)

$(OUT)/pcap2seeds: $(SRCDIR)/fuzz/pcap2seeds.c
	@mkdir -p $(OUT)
	$(CLANG) -O1 $< -o $@ $(PCAP_LIBS)

seeds: $(OUT)/pcap2seeds
	@mkdir -p $(OUT)/corpus-sip $(OUT)/corpus-packet
	-cp $(SRCDIR)/tests/regress/sip-* $(OUT)/corpus-sip/ 2>/dev/null
	-cp $(SRCDIR)/tests/regress/packet-* $(OUT)/corpus-packet/ 2>/dev/null
	-cp $(CORPUS_DIR)/torture/rfc4475/*.dat $(CORPUS_DIR)/torture/rfc5118/*.dat $(OUT)/corpus-sip/ 2>/dev/null
	$(OUT)/pcap2seeds $(OUT)/corpus-packet $(SRCDIR)/samples/*.pcap* $(wildcard $(CORPUS_DIR)/captures/*)

.PHONY: all seeds
