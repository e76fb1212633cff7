#!/usr/bin/env python3
# Write a large RTP-only pcap for timing the stream analysis against the
# libpcap floor (bench/floor.c):  genrtp.py STREAMS PACKETS > FILE
# STREAMS G.711 streams (160-byte payload, 20 ms) run side by side, each
# PACKETS long, with 1% loss, some reordering and arrival noise.
# Deterministic.  ~214 bytes per packet: 500 x 10000 is about 1.1 GB.
import struct
import sys

nstreams, npk = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout.buffer
out.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
eth = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00'
payload = bytes(160)
x = 1
for i in range(npk):
    for s in range(nstreams):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        if x % 100 == 0:
            continue                       # 1% loss
        seq = (i + (1 if x % 997 == 1 else 0)) & 0xFFFF
        rtp = struct.pack('!BBHII', 0x80, 8, seq, (i * 160) & 0xFFFFFFFF,
                          0x10000 + s) + payload
        udp = struct.pack('!HHHH', 20000 + 2 * s, 30000, 8 + len(rtp), 0) + rtp
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64,
                         17, 0, bytes([10, 1, s >> 8, s & 255]),
                         bytes([10, 2, 0, 1]))
        t = 1000 * 1000000 + i * 20000 + s * 13 + (x >> 8) % 2000
        f = eth + ip + udp
        out.write(struct.pack('<IIII', t // 1000000, t % 1000000, len(f),
                              len(f)) + f)
