#!/usr/bin/env python3
"""Compare `sipscope --report rtp -T json` with `tshark -q -z rtp,streams`.

For every capture given: each stream tshark lists (keyed by source,
destination and SSRC) must be in sipscope's report with the same packet
count and loss, and max delta, mean jitter and max jitter within 0.01 ms.
tshark runs twice: as it is (RTP found from SDP) and with its RTP
heuristic on. Differences listed in tests/tshark-rtp-exceptions.txt
(capture, stream key, reason) are printed as explained and do not fail.
Streams only sipscope lists (its heuristic finds RTP no SDP announced) are
counted, not failed. tshark's loss is expected - received counting
duplicates as received (negative with more duplicates than losses);
sipscope's never counts them, and reports tshark's figure as
wireshark_lost: a stream agrees when lost is equal, or when only the
duplicates make the difference.

Usage: tshark-rtp.py SIPSCOPE EXCEPTIONS CAPTURE...
Exit 0 all agree, 1 a difference, 77 tshark missing.
"""
import json
import os
import re
import shutil
import subprocess
import sys

TOL = 0.01


def tshark_streams(path, heur):
    cmd = ["tshark", "-q", "-z", "rtp,streams", "-r", path]
    if heur:
        cmd[1:1] = ["-o", "rtp.heuristic_rtp:TRUE"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) < 17 or not re.match(r"^\d+\.\d+$", f[0]):
            continue
        pct = next(i for i, x in enumerate(f) if re.match(r"^\(.*%\)$", x))
        key = "%s:%s>%s:%s/%s" % (f[2], f[3], f[4], f[5], f[6].upper().replace("0X", "0x"))
        nums = f[pct + 1:pct + 7]
        rows[key] = {
            "packets": int(f[pct - 2]), "lost": int(f[pct - 1]),
            "max_delta_ms": float(nums[2]), "mean_jitter_ms": float(nums[4]),
            "max_jitter_ms": float(nums[5]),
        }
    return rows


def host(addr):
    """"1.2.3.4:5" or "[::1]:5" -> ("1.2.3.4", "5")."""
    h, _, p = addr.rpartition(":")
    return h.strip("[]"), p


def ours(sipscope, path):
    out = subprocess.run([sipscope, "-q", "--report", "rtp", "-T", "json", "-r", path],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("sipscope exit %d: %s" % (out.returncode, out.stderr))
    rows = {}
    for line in out.stdout.splitlines():
        s = json.loads(line)
        sh, sp = host(s["src"])
        dh, dp = host(s["dst"])
        rows["%s:%s>%s:%s/%s" % (sh, sp, dh, dp, s["ssrc"])] = s
    return rows


def num(v):
    return 0.0 if v is None else float(v)


def compare(t, o):
    bad = []
    if t["packets"] != o["packets"]:
        bad.append("packets %d/%d" % (t["packets"], o["packets"]))
    # tshark's loss is expected - received with duplicates among the
    # received, so it is ours minus the duplicates (negative when there
    # are more duplicates than losses); ours never counts them.
    if t["lost"] != o["lost"] and (t["lost"] != o["wireshark_lost"] or not o["dups"]):
        bad.append("lost %d/%d (%d dups)" % (t["lost"], o["lost"], o["dups"]))
    for k in ("max_delta_ms", "mean_jitter_ms", "max_jitter_ms"):
        if abs(t[k] - num(o[k])) > TOL:
            bad.append("%s %.3f/%.3f" % (k, t[k], num(o[k])))
    return bad


def main():
    if not shutil.which("tshark"):
        print("tshark not installed: skipped")
        return 77
    sipscope, exc_file = sys.argv[1], sys.argv[2]
    why = {}
    with open(exc_file) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cap, key, reason = line.rstrip("\n").split("\t", 2)
            why[(cap, key)] = reason
    totals = {"captures": 0, "streams": 0, "equal": 0, "explained": 0, "differ": 0,
              "missing": 0, "ours_only": 0, "dup_lost": 0}
    for path in sys.argv[3:]:
        cap = os.path.basename(path)
        o = ours(sipscope, path)
        t = tshark_streams(path, False)
        t.update(tshark_streams(path, True))
        totals["captures"] += 1
        lines = []
        for key, tr in sorted(t.items()):
            totals["streams"] += 1
            if key not in o:
                bad = ["missing from sipscope"]
            else:
                bad = compare(tr, o[key])
                if tr["lost"] != o[key]["lost"] and not bad:
                    totals["dup_lost"] += 1
            if not bad:
                totals["equal"] += 1
            elif (cap, key) in why:
                totals["explained"] += 1
                lines.append("  explained %s: %s (%s)" % (key, "; ".join(bad), why[(cap, key)]))
            else:
                totals["missing" if key not in o else "differ"] += 1
                lines.append("  FAIL %s: %s" % (key, "; ".join(bad)))
        extra = [k for k in o if k not in t]
        totals["ours_only"] += len(extra)
        print("%-70s tshark %3d  sipscope %3d" % (cap, len(t), len(o)))
        for line in lines:
            print(line)
    print("rtp: %(captures)d captures, %(streams)d tshark streams: %(equal)d equal, "
          "%(explained)d explained, %(differ)d differ, %(missing)d missing; "
          "%(dup_lost)d where tshark's loss is ours minus duplicates; "
          "%(ours_only)d more found by sipscope's heuristic" % totals)
    return 1 if totals["differ"] or totals["missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
