#!/bin/sh
# RTP figures against tshark's (issue: packets and lost equal, max delta,
# mean and max jitter within 0.01 ms): every corpus capture with RTP
# (MANIFEST.tsv column rtp_streams) and every sample, through
# tests/tshark-rtp.py. Skipped without tshark or python3.
srcdir=${top_srcdir:-.}
SIPSCOPE=${SIPSCOPE:-$PWD/sipscope}
corpus=${SIPSCOPE_CORPUS:-$srcdir/../shared/corpus}
command -v tshark >/dev/null 2>&1 || { echo "tshark not installed: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not installed: skipped"; exit 77; }
set --
if [ -f "$corpus/MANIFEST.tsv" ]; then
	for f in $(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "rtp_streams") c = i; next }
		$c + 0 > 0 { print $1 }' "$corpus/MANIFEST.tsv"); do
		set -- "$@" "$corpus/captures/$f"
	done
else
	echo "no corpus at $corpus: samples only"
fi
for f in "$srcdir"/samples/*.pcap; do
	set -- "$@" "$f"
done
exec python3 "$srcdir/tests/tshark-rtp.py" "$SIPSCOPE" "$srcdir/tests/tshark-rtp-exceptions.txt" "$@"
