# Build the libFuzzer targets: `make fuzzers` from the build directory.
# The core is compiled again here with clang and coverage instrumentation;
# the result lands in ./fuzz-build/. Run, for example:
#   fuzz-build/fuzz_sip -max_total_time=600 fuzz-build/corpus-sip
#   fuzz-build/fuzz_packet -max_total_time=600 fuzz-build/corpus-packet
#   fuzz-build/fuzz_tls -max_total_time=600 fuzz-build/corpus-tls
#   fuzz-build/fuzz_tcp -max_total_time=600 fuzz-build/corpus-tcp
#   fuzz-build/fuzz_ws -max_total_time=600 fuzz-build/corpus-ws
#   fuzz-build/fuzz_sdp -dict=$(SRCDIR)/fuzz/sdp.dict -max_total_time=600 fuzz-build/corpus-sdp
#   fuzz-build/fuzz_rtcp -max_total_time=600 fuzz-build/corpus-rtcp
# Seeds come from the torture messages, the samples and the public corpus
# (when ../shared/corpus exists), plus fuzz/seeds/ (hand-made frames for
# the encapsulations, fragments and TCP sequences no capture here has);
# crash inputs are kept in tests/regress/.
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

all: $(OUT)/fuzz_sip $(OUT)/fuzz_packet $(OUT)/fuzz_hep $(OUT)/fuzz_tls \
	$(OUT)/fuzz_tcp $(OUT)/fuzz_ws $(OUT)/fuzz_sdp $(OUT)/fuzz_media $(OUT)/fuzz_rtp \
	$(OUT)/fuzz_rtcp seeds

# The core goes into an archive, so a target links only the objects it
# reaches: a module the packet path never calls (the PCRE2 matcher, say)
# adds neither its libraries nor its build breakage to the fuzzers.
# Headers are prerequisites of every object (a changed struct must
# rebuild), which is coarse but never wrong.
CORE_OBJ = $(patsubst $(SRCDIR)/%.c,$(OUT)/obj/%.o,$(CORE))

$(OUT)/obj/%.o: $(SRCDIR)/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer-no-link $(PCAP_CFLAGS) -c $< -o $@

$(OUT)/libcore.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $(CORE_OBJ)

# The SIP parser target needs only the parser's objects, so it builds
# while another part of the core is half edited.
SIP_OBJ = $(OUT)/obj/dissectors/sip.o $(OUT)/obj/dissectors/sip_dgram.o \
	$(OUT)/obj/dissectors/sip_hdr.o \
	$(OUT)/obj/dissectors/sip_apply.o $(OUT)/obj/dissectors/bytes.o

$(OUT)/fuzz_sip: $(SRCDIR)/fuzz/fuzz_sip.c $(SRCDIR)/tests/sip_same.h $(SIP_OBJ)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $(filter-out %.h,$^) -o $@

$(OUT)/fuzz_packet: $(SRCDIR)/fuzz/fuzz_packet.c $(OUT)/libcore.a
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $< $(OUT)/libcore.a -o $@ \
		$(PCAP_LIBS) $(GNUTLS_LIBS) -lz

# The HEP target needs only the HEP dissector, and zlib for chunk 0x10.
HEP_OBJ = $(OUT)/obj/dissectors/hep.o $(OUT)/obj/dissectors/bytes.o

$(OUT)/fuzz_hep: $(SRCDIR)/fuzz/fuzz_hep.c $(HEP_OBJ)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ -o $@ -lz

# The TLS target: the record layer, handshake follower and key log
# (fuzz/fuzz_tls.c); seeds are fuzz/seeds/tls-* (corpus-tls).
GNUTLS_LIBS ?= -lgnutls
TLS_OBJ = $(OUT)/obj/dissectors/tls.o $(OUT)/obj/dissectors/tls_crypto.o \
	$(OUT)/obj/dissectors/tls_gt.o \
	$(OUT)/obj/src/keylog.o $(OUT)/obj/src/xalloc.o $(OUT)/obj/dissectors/bytes.o

$(OUT)/fuzz_tls: $(SRCDIR)/fuzz/fuzz_tls.c $(TLS_OBJ)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ -o $@ $(GNUTLS_LIBS)

# TCP reassembly and the stream consumers through the pipeline
# (fuzz/fuzz_tcp.c), and the WebSocket layer (fuzz/fuzz_ws.c); seeds are
# fuzz/seeds/tcp-* (corpus-tcp) and fuzz/seeds/ws-* (corpus-ws).
$(OUT)/fuzz_tcp: $(SRCDIR)/fuzz/fuzz_tcp.c $(OUT)/libcore.a
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $< $(OUT)/libcore.a -o $@ \
		$(PCAP_LIBS) $(GNUTLS_LIBS) -lz

$(OUT)/fuzz_ws: $(SRCDIR)/fuzz/fuzz_ws.c $(OUT)/libcore.a
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $< $(OUT)/libcore.a -o $@ \
		$(PCAP_LIBS) $(GNUTLS_LIBS) -lz

# The SDP target: the SDP parser, the multipart search and the address
# helpers only (fuzz/fuzz_sdp.c); seeds are fuzz/seeds/sdp-* (corpus-sdp).
SDP_OBJ = $(OUT)/obj/dissectors/sdp.o $(OUT)/obj/dissectors/sdp_util.o \
	$(OUT)/obj/dissectors/sdp_multipart.o \
	$(OUT)/obj/dissectors/ipaddr.o $(OUT)/obj/dissectors/bytes.o

$(OUT)/fuzz_sdp: $(SRCDIR)/fuzz/fuzz_sdp.c $(SDP_OBJ)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ -o $@

# The media layer as the program drives it: SIP + SDP into the correlator
# and media context, RTP/RTCP into the streams, then the diagnosis and the
# renderers (fuzz/fuzz_media.c); seeds are the framed packet seeds
# (corpus-packet): runs of capture frames where SDP meets its RTP.
$(OUT)/fuzz_media: $(SRCDIR)/fuzz/fuzz_media.c $(OUT)/libcore.a
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $< $(OUT)/libcore.a -o $@ \
		$(PCAP_LIBS) $(GNUTLS_LIBS) -lz

# RTP parser, analysis and stream table (fuzz/fuzz_rtp.c); seeds are
# fuzz/seeds/rtp-* and the crash inputs tests/regress/rtp-* (corpus-rtp).
RTP_OBJ = $(OUT)/obj/dissectors/rtp.o $(OUT)/obj/src/rtpstats.o \
	$(OUT)/obj/src/streams.o $(OUT)/obj/src/xalloc.o \
	$(OUT)/obj/dissectors/bytes.o

$(OUT)/fuzz_rtp: $(SRCDIR)/fuzz/fuzz_rtp.c $(RTP_OBJ)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ -o $@ -lm

# The RTCP dissector and the per-SSRC summary table (fuzz/fuzz_rtcp.c);
# seeds are fuzz/seeds/rtcp-* (every RTCP datagram of the corpus, written
# by tests/rtcpdump -s) and crash inputs tests/regress/rtcp-*.
RTCP_OBJ = $(OUT)/obj/dissectors/rtcp.o $(OUT)/obj/src/rtcpstats.o \
	$(OUT)/obj/src/xalloc.o $(OUT)/obj/dissectors/bytes.o

$(OUT)/fuzz_rtcp: $(SRCDIR)/fuzz/fuzz_rtcp.c $(RTCP_OBJ)
	$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ -o $@

$(OUT)/pcap2seeds: $(SRCDIR)/fuzz/pcap2seeds.c
	@mkdir -p $(OUT)
	$(CLANG) -O1 $< -o $@ $(PCAP_LIBS)

# Missing seed sources (no corpus, no regress inputs yet) are not errors.
seeds: $(OUT)/pcap2seeds
	@mkdir -p $(OUT)/corpus-sip $(OUT)/corpus-packet $(OUT)/corpus-tls \
		$(OUT)/corpus-tcp $(OUT)/corpus-ws $(OUT)/corpus-hep \
		$(OUT)/corpus-sdp $(OUT)/corpus-rtp $(OUT)/corpus-rtcp
	@for f in $(SRCDIR)/tests/regress/sdp-* $(SRCDIR)/fuzz/seeds/sdp-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-sdp/; fi; done
	@for f in $(SRCDIR)/tests/regress/rtp-* $(SRCDIR)/fuzz/seeds/rtp-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-rtp/; fi; done
	@for f in $(SRCDIR)/tests/regress/rtcp-* $(SRCDIR)/fuzz/seeds/rtcp-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-rtcp/; fi; done
	@for f in $(SRCDIR)/tests/regress/hep-* $(SRCDIR)/fuzz/seeds/hep-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-hep/; fi; done
	@for f in $(SRCDIR)/tests/regress/tcp-* $(SRCDIR)/fuzz/seeds/tcp-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-tcp/; fi; done
	@for f in $(SRCDIR)/tests/regress/ws-* $(SRCDIR)/fuzz/seeds/ws-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-ws/; fi; done
	@for f in $(SRCDIR)/tests/regress/tls-* $(SRCDIR)/fuzz/seeds/tls-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-tls/; fi; done
	@for f in $(SRCDIR)/tests/regress/sip-* \
		$(CORPUS_DIR)/torture/rfc4475/*.dat \
		$(CORPUS_DIR)/torture/rfc5118/*.dat; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-sip/; fi; done
	@for f in $(SRCDIR)/tests/regress/packet-* \
		$(SRCDIR)/fuzz/seeds/packet-*; do \
		if test -f "$$f"; then cp "$$f" $(OUT)/corpus-packet/; fi; done
	$(OUT)/pcap2seeds -s $(OUT)/corpus-sip $(OUT)/corpus-packet \
		$(wildcard $(SRCDIR)/samples/*.pcap*) \
		$(wildcard $(CORPUS_DIR)/captures/*)

.PHONY: all seeds
