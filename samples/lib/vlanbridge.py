#!/usr/bin/env python3
"""Tiny user-space two-port bridge that adds/removes 802.1Q / 802.1ad tags.

The build kernel has no 8021q module (no `ip link add ... type vlan`), so the VLAN
samples use this instead: it runs in a middle network namespace with two
interfaces, an untagged "access" port and a tagged "trunk" port.

  access -> trunk : insert the configured tag stack after the MAC addresses
  trunk  -> access: accept only frames carrying exactly that tag stack, strip it

Tags are given outermost first as TPID:VID, e.g. "8100:100" (802.1Q) or
"88a8:200,8100:100" (QinQ: 802.1ad service tag 200 over customer tag 100).
PCP/DEI are 0.  Frames this bridge itself sent (PACKET_OUTGOING) are ignored.
On receive the kernel may already have moved the outer tag into skb metadata;
it is read back from PACKET_AUXDATA, as libpcap does.

usage: vlanbridge.py --access IF --trunk IF --tags SPEC [--timeout SEC]
Prints "ready" on stdout once both ports are open; exits after --timeout seconds
or on SIGTERM/SIGINT.
"""
import argparse
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6
VLAN_TPIDS = (0x8100, 0x88A8, 0x9100)
AUX = struct.Struct("IIIHHHH")


def parse_tags(spec):
    tags = []
    for item in spec.split(","):
        tpid, vid = item.split(":")
        tags.append((int(tpid, 16), int(vid)))
    return tags


def open_port(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((ifname, ETH_P_ALL))
    return s


def recv_frame(s):
    """Return (frame with any kernel-stripped outer tag put back, pkttype)."""
    data, anc, _flags, addr = s.recvmsg(65535, socket.CMSG_SPACE(AUX.size))
    pkttype = addr[2]
    for level, ctype, cdata in anc:
        if level == SOL_PACKET and ctype == PACKET_AUXDATA and len(cdata) >= AUX.size:
            status, _l, _s, _m, _n, tci, tpid = AUX.unpack_from(cdata)
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data, pkttype


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--access", required=True)
    ap.add_argument("--trunk", required=True)
    ap.add_argument("--tags", required=True)
    ap.add_argument("--timeout", type=float, default=60.0)
    args = ap.parse_args()

    tags = parse_tags(args.tags)
    tag_bytes = b"".join(struct.pack("!HH", tpid, vid & 0x0FFF) for tpid, vid in tags)
    access, trunk = open_port(args.access), open_port(args.trunk)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("ready", flush=True)

    deadline = time.monotonic() + args.timeout
    fwd = {"up": 0, "down": 0, "dropped": 0}
    while not stop and time.monotonic() < deadline:
        try:
            ready, _, _ = select.select([access, trunk], [], [], 0.2)
        except InterruptedError:
            continue
        for s in ready:
            frame, pkttype = recv_frame(s)
            if pkttype == PACKET_OUTGOING or len(frame) < 14:
                continue
            if s is access:
                trunk.send(frame[:12] + tag_bytes + frame[12:])
                fwd["up"] += 1
                continue
            # trunk -> access: read the tag stack
            off, seen = 12, []
            while off + 4 <= len(frame):
                tpid = struct.unpack_from("!H", frame, off)[0]
                if tpid not in VLAN_TPIDS:
                    break
                tci = struct.unpack_from("!H", frame, off + 2)[0]
                seen.append((tpid, tci & 0x0FFF))
                off += 4
            if seen == tags:
                access.send(frame[:12] + frame[off:])
                fwd["down"] += 1
            else:
                fwd["dropped"] += 1
    print("forwarded access->trunk %(up)d, trunk->access %(down)d, dropped %(dropped)d"
          % fwd, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
