# Build the libFuzzer targets: `make fuzzers` from the build directory.
# The core is compiled again here with clang and coverage instrumentation;
# the result lands in ./fuzz-build/. Run, for example:
#   fuzz-build/fuzz_sip -max_total_time=600 fuzz-build/corpus-sip
#   fuzz-build/fuzz_packet -max_total_time=600 fuzz-build/corpus-packet
# Seeds come from the torture messages, the samples and the public corpus
# (when ../shared/corpus exists); crash inputs are kept in tests/regress/.
# fuzz/sip.dict is a dictionary for both targets:
#   fuzz-build/fuzz_sip -dict=$(SRCDIR)/fuzz/sip.dict fuzz-build/corpus-sip
CLANG ?= clang
OUT = fuzz-build
CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-I$(SRCDIR)/src -I$(SRCDIR)/dissectors -I$(SRCDIR)/render -I$(CONFIG_H_DIR)
CORE = $(filter-out %/main.c %/cli.c,$(wildcard $(SRCDIR)/src/*.c)) \
	$(wildcard $(SRCDIR)/dissectors/*.c) $(wildcard $(SRCDIR)/render/*.c)
HDRS = $(wildcard $(SRCDIR)/src/*.h $(SRCDIR)/dissectors/*.h \
	$(SRCDIR)/render/*.h) $(CONFIG_H_DIR)/config.h
CORPUS_DIR ?= $(SRCDIR)/../shared/corpus

all: $(OUT)/fuzz_sip $(OUT)/fuzz_packet seeds

# The SIP parser target links only the parser, so it builds (and its
# coverage counts) without the rest of the core.
SIP_CORE = $(SRCDIR)/dissectors/sip.c $(SRCDIR)/dissectors/sip_hdr.c \
	$(SRCDIR)/dissectors/bytes.c

# Headers are prerequisites (a changed struct must rebuild the targets)
# but only the .c files are compiled.
$(OUT)/fuzz_sip: $(SRCDIR)/fuzz/fuzz_sip.c $(SIP_CORE) $(HDRS)
	@mkdir -p $(OUT)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $(filter %.c,$^) -o $@

$(OUT)/fuzz_packet: $(SRCDIR)/fuzz/fuzz_packet.c $(CORE) $(HDRS)
	@mkdir -p $(OUT)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $(filter %.c,$^) -o $@ $(PCAP_LIBS)

$(OUT)/pcap2seeds: $(SRCDIR)/fuzz/pcap2seeds.c
	@mkdir -p $(OUT)
	$(CLANG) -O1 $< -o $@ $(PCAP_LIBS)

# Missing seed sources (no corpus, no regress inputs yet) are not errors.
seeds: $(OUT)/pcap2seeds
	@mkdir -p $(OUT)/corpus-sip $(OUT)/corpus-packet
	@for f in $(SRCDIR)/tests/regress/sip-* \
		$(CORPUS_DIR)/torture/rfc4475/*.dat \
		$(CORPUS_DIR)/torture/rfc5118/*.dat; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-sip/; fi; done
	@for f in $(SRCDIR)/tests/regress/packet-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-packet/; fi; done
	$(OUT)/pcap2seeds -s $(OUT)/corpus-sip $(OUT)/corpus-packet \
		$(wildcard $(SRCDIR)/samples/*.pcap*) \
		$(wildcard $(CORPUS_DIR)/captures/*)

.PHONY: all seeds
