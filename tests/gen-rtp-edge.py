#!/usr/bin/env python3
# Write tests/rtp-edge.pcap: RTP streams that each exercise one corner
# of the stream analysis (loss, reordering, duplicates, wraparounds,
# marker, comfort noise, payload-type change, jumps, unknown clock), to
# compare tests/rtpdump with `tshark -z rtp,streams -o
# rtp.heuristic_rtp:TRUE` (tests/tshark-rtp-dev.sh tests/rtp-edge.pcap).
# Deterministic: a fixed LCG makes the arrival noise.
#   tests/gen-rtp-edge.py > tests/rtp-edge.pcap
import struct
import sys

seed = 12345


def rnd():
    global seed
    seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
    return seed / 0x7FFFFFFF


def rtp(seq, ts, ssrc, pt=0, m=False, plen=160):
    return struct.pack('!BBHII', 0x80, (0x80 if m else 0) | pt,
                       seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + bytes(plen)


def udp_ip(sport, payload):
    udp = struct.pack('!HHHH', sport, 30000, 8 + len(payload), 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17,
                     0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    eth = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00'
    return eth + ip + udp


pkts = []  # (time_s, frame bytes)


def stream(port, ssrc, seqs, t0=1.0, seq0=1000, ts0=5000, pt=0, step=160,
           period=0.020, noise=0.003, extra=None):
    """seqs: list of (index, arrival_index_offset) pairs already ordered
    as sent on the wire; extra(i) may return (pt, marker, ts_add)."""
    for n, (i, late) in enumerate(seqs):
        p, m, add = pt, False, 0
        if extra:
            p, m, add = extra(i)
        t = t0 + (i + late) * period + noise * rnd()
        pkts.append((t, udp_ip(port, rtp(seq0 + i, ts0 + i * step + add,
                                         ssrc, p, m))))


N = 150
plain = [(i, 0) for i in range(N)]
# 1 steady with arrival noise
stream(20000, 0x11111111, plain)
# 2 loss: single, a burst of 3 and a burst of 10
stream(20002, 0x22222222,
       [(i, 0) for i in range(N) if i != 10 and not 20 <= i <= 22 and not 40 <= i <= 49])
# 3 reordering: pairs swapped, and the last packet late
r = [(i, 0) for i in range(N - 2)]
for a in (30, 60, 90):
    r[a], r[a + 1] = (a + 1, 0), (a, 1.5)
r += [(N - 1, 0), (N - 2, 1.5)]
stream(20004, 0x33333333, r)
# 4 duplicates: one right after, one 5 packets later
d = []
for i in range(N):
    d.append((i, 0))
    if i == 50:
        d.append((50, 0.1))
    if i == 105:
        d.append((100, 0.2))
stream(20006, 0x44444444, d)
# 5 sequence wraparound
stream(20008, 0x55555555, plain, seq0=65500)
# 6 timestamp wraparound
stream(20010, 0x66666666, plain, ts0=0xFFFFF000)
# 7 one timestamp going back (still after the first packet's)
stream(20012, 0x77777777, plain,
       extra=lambda i: (0, False, -800 if i == 70 else 0))
# 8 silence suppression: after packets 50 and 100 the timestamp and the
# arrival jump by 1 s (sequence numbers go on), with the marker bit set
stream(20014, 0x88888888, [(i, 50 * (i // 50)) for i in range(N)],
       extra=lambda i: (0, i in (0, 50, 100), 8000 * (i // 50)))
# 9 comfort noise (PT 13) for packets 60..69
stream(20016, 0x99999999, plain,
       extra=lambda i: (13 if 60 <= i < 70 else 0, False, 0))
# 10 payload type change 0 -> 8
stream(20018, 0xAAAAAAAA, plain, extra=lambda i: (8 if i >= 75 else 0, False, 0))
# 11 a forward sequence jump of 1000
stream(20020, 0xBBBBBBBB, [(i if i < 80 else i + 1000, 0) for i in range(N)])
# 12 dynamic PT 96, no clock known: deltas only
stream(20022, 0xCCCCCCCC, plain, pt=96)
# 13 L16 stereo at 44100 Hz (Wireshark divides by 44)
stream(20024, 0xDDDDDDDD, plain, pt=10, step=882)
# 14 a timestamp jump of more than 2^31 (out of time sequence)
stream(20026, 0xEEEEEEEE, plain,
       extra=lambda i: (0, False, 0x90000000 if i == 90 else 0))

pkts.sort(key=lambda x: x[0])
out = sys.stdout.buffer
out.write(struct.pack('<IHHiIII', 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
for t, f in pkts:
    sec = int(t)
    ns = int(round((t - sec) * 1e9))
    out.write(struct.pack('<IIII', sec, ns, len(f), len(f)) + f)
