#!/usr/bin/env python3
"""User-space two-port bridge that impairs one UDP flow direction (no netem here).

Runs in a middle network namespace with two interfaces, --a and --b, and copies
every Ethernet frame from one to the other (AF_PACKET raw sockets, like
vlanbridge.py).  Frames going from A to B that are IPv4/UDP with the given
destination port (--port, the RTP port of the receiver) are impaired; everything
else (the other direction, SIP, ARP) is forwarded at once, untouched.

Impairment, all decided by one random.Random(--seed) drawn in a fixed order per
impaired packet, so the pattern (which packets are lost, delayed how much,
reordered, duplicated) depends only on the packet's position in the flow:
  delay      --delay ms base plus uniform(-jitter, +jitter) ms; packets stay in order
             (a packet is never released before the one ahead of it: a FIFO queue,
             as in a real router) unless picked for reordering
  loss       each packet not already in a burst is lost with probability --loss;
             with probability --burst it starts a burst instead: this packet and
             the next randint(--burst-min - 1, --burst-max - 1) ones are lost
  reorder    with probability --reorder a packet is held --reorder-ms longer, outside
             the FIFO, so the following packet(s) overtake it
  duplicate  with probability --dup a packet is sent twice, 1 ms apart
  rewrite    with --set-dport N, every impaired packet's UDP destination port is
             changed to N (UDP checksum updated), like a broken ALG/firewall
On exit it prints what it did (counts and the lost/reordered/duplicated packet
indices, 0 = first impaired packet) to stdout.

usage: impairbridge.py --a IF --b IF --port N [--seed 42] [--delay 20] [--jitter 15]
        [--loss 0.012] [--burst 0.005] [--burst-min 2] [--burst-max 5]
        [--reorder 0.01] [--reorder-ms 45] [--dup 0.008] [--set-dport N] [--timeout SEC]
Prints "ready" once both ports are open; exits after --timeout s or on SIGTERM/INT.
"""
import argparse
import heapq
import random
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def open_port(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, ETH_P_ALL))
    return s


def udp_dport(frame):
    """Destination port of an untagged IPv4/UDP frame (first fragment), else None."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 17:
        return None
    ihl = (frame[14] & 0x0F) * 4
    if struct.unpack_from("!H", frame, 20)[0] & 0x1FFF:
        return None
    off = 14 + ihl
    if len(frame) < off + 4:
        return None
    return struct.unpack_from("!H", frame, off + 2)[0]


def set_dport(frame, port):
    """Copy of an IPv4/UDP frame with the UDP destination port set to port."""
    off = 14 + (frame[14] & 0x0F) * 4
    old = struct.unpack_from("!H", frame, off + 2)[0]
    csum = struct.unpack_from("!H", frame, off + 6)[0]
    b = bytearray(frame)
    struct.pack_into("!H", b, off + 2, port)
    if csum:  # RFC 1624 incremental update: HC' = ~(~HC + ~m + m')
        x = (~csum & 0xFFFF) + (~old & 0xFFFF) + port
        x = (x & 0xFFFF) + (x >> 16)
        x = (x & 0xFFFF) + (x >> 16)
        x = ~x & 0xFFFF
        struct.pack_into("!H", b, off + 6, x or 0xFFFF)
    return bytes(b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--delay", type=float, default=20.0)
    ap.add_argument("--jitter", type=float, default=15.0)
    ap.add_argument("--loss", type=float, default=0.012)
    ap.add_argument("--burst", type=float, default=0.005)
    ap.add_argument("--burst-min", type=int, default=2)
    ap.add_argument("--burst-max", type=int, default=5)
    ap.add_argument("--reorder", type=float, default=0.01)
    ap.add_argument("--reorder-ms", type=float, default=45.0)
    ap.add_argument("--dup", type=float, default=0.008)
    ap.add_argument("--set-dport", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    pa, pb = open_port(args.a), open_port(args.b)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("ready", flush=True)

    queue = []          # (release time, tiebreak, frame)
    tiebreak = 0
    fifo_last = 0.0     # release time of the last in-order impaired packet
    idx = 0             # index of the next impaired packet
    burst_left = 0
    st = {"forwarded": 0, "impaired": 0, "lost": [], "reordered": [], "duplicated": []}
    deadline = time.monotonic() + args.timeout
    while not stop and time.monotonic() < deadline:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            pb.send(heapq.heappop(queue)[2])
        wait = 0.2 if not queue else max(0.0, min(0.2, queue[0][0] - now))
        try:
            ready, _, _ = select.select([pa, pb], [], [], wait)
        except InterruptedError:
            continue
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            if s is pb:
                pa.send(frame)
                st["forwarded"] += 1
                continue
            if udp_dport(frame) != args.port:
                pb.send(frame)
                st["forwarded"] += 1
                continue
            # impaired packet: always draw the same numbers in the same order
            i, idx = idx, idx + 1
            st["impaired"] += 1
            r_loss, r_burst = rng.random(), rng.random()
            blen = rng.randint(args.burst_min, args.burst_max)
            jit = rng.uniform(-args.jitter, args.jitter)
            r_reo, r_dup = rng.random(), rng.random()
            if burst_left > 0:
                burst_left -= 1
                st["lost"].append(i)
                continue
            if r_burst < args.burst:
                burst_left = blen - 1
                st["lost"].append(i)
                continue
            if r_loss < args.loss:
                st["lost"].append(i)
                continue
            if args.set_dport is not None:
                frame = set_dport(frame, args.set_dport)
            t = time.monotonic() + (args.delay + jit) / 1000.0
            if r_reo < args.reorder:
                t = max(t, fifo_last) + args.reorder_ms / 1000.0
                st["reordered"].append(i)
            else:
                t = max(t, fifo_last)
                fifo_last = t
            tiebreak += 1
            heapq.heappush(queue, (t, tiebreak, frame))
            if r_dup < args.dup:
                tiebreak += 1
                heapq.heappush(queue, (t + 0.001, tiebreak, frame))
                st["duplicated"].append(i)
    for _t, _n, frame in sorted(queue):
        pb.send(frame)
    print("forwarded untouched %d, impaired flow %d packets: lost %d %s, reordered %d %s, "
          "duplicated %d %s" % (st["forwarded"], st["impaired"], len(st["lost"]), st["lost"],
                                len(st["reordered"]), st["reordered"],
                                len(st["duplicated"]), st["duplicated"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
