#!/usr/bin/env python3
"""Turn off TX checksum offload on network interfaces (like `ethtool -K IF tx off`).

Used by the sample scripts (no ethtool on the build machine) so that the UDP/TCP
checksums in the captures are the real, complete ones instead of the partial
pseudo-header sums that veth offload leaves in captured outgoing frames.

usage: txcsum_off.py IFACE...   (run inside the interface's network namespace)
"""
import ctypes
import fcntl
import socket
import struct
import sys

SIOCETHTOOL = 0x8946
ETHTOOL_STXCSUM = 0x00000017  # set TX hw csum enable (legacy ethtool_value command)


def txcsum_off(ifname: str) -> None:
    val = ctypes.create_string_buffer(struct.pack("II", ETHTOOL_STXCSUM, 0))
    ifr = struct.pack("16sP", ifname.encode(), ctypes.addressof(val))
    ifr += b"\0" * (40 - len(ifr))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s.fileno(), SIOCETHTOOL, ifr)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        txcsum_off(name)
