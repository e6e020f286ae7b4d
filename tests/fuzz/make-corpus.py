#! /usr/bin/env python3
# Copyright (c) 2026 The ovs-mobility authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""Writes the seed corpus of tests/fuzz/fuzz-pipeline into a directory.

Each seed is one selector byte (see fuzz-pipeline.c) followed by an
underlay frame: VXLAN and Geneve, IPv4 and IPv6, tagged and untagged,
carrying data or an announcement.  Only the standard library is used."""

import os
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6(last):
    return bytes([0xfd] + [0] * 14 + [last])


VM = mac("52:54:00:12:34:56")
PEER = mac("52:54:00:aa:bb:cc")
BCAST = b"\xff" * 6


def eth(dst, src, etype, payload, vlan=None):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan is not None else b""
    return dst + src + tag + struct.pack("!H", etype) + payload


def rarp(m):
    body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 3) + m + b"\0" * 4 \
        + m + b"\0" * 4
    return eth(BCAST, m, 0x8035, body + b"\0" * 18)


def garp(m, ip):
    body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + m + ip \
        + b"\0" * 6 + ip
    return eth(BCAST, m, 0x0806, body + b"\0" * 18)


def udp_ipv4(payload):
    udp = struct.pack("!HHHH", 40000, 5000, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(udp), 1, 0x4000, 64,
                      17, 0) + ip4("192.168.1.1") + ip4("192.168.1.2")
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return eth(VM, PEER, 0x0800, hdr + udp)


def vxlan(inner, flags=0x08000000, vni=100):
    return struct.pack("!II", flags, vni << 8) + inner


def geneve(inner, opts=b"", vni=100):
    return struct.pack("!BBHI", len(opts) // 4, 0, 0x6558, vni << 8) \
        + opts + inner


def outer4(tnl, dport, src="10.0.0.3", dst="10.0.0.1", ttl=64, vlan=None,
           udp_csum=False):
    udp_len = 8 + len(tnl)
    udp = struct.pack("!HHHH", 49152 + 1234, dport, udp_len, 0) + tnl
    if udp_csum:
        pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, udp_len)
        c = csum(pseudo + udp) or 0xffff
        udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    hdr = struct.pack("!BBHHHBBH", 0x45, 0, 20 + udp_len, 7, 0x4000, ttl,
                      17, 0) + ip4(src) + ip4(dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return eth(mac("02:00:00:00:00:01"), mac("02:00:00:00:00:03"), 0x0800,
               hdr + udp, vlan)


def outer6(tnl, dport, src=3, dst=1, hlim=64):
    udp_len = 8 + len(tnl)
    udp = struct.pack("!HHHH", 50000, dport, udp_len, 0) + tnl
    pseudo = ip6(src) + ip6(dst) + struct.pack("!II", udp_len, 17)
    c = csum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    hdr = struct.pack("!IHBB", 0x60000000, udp_len, 17, hlim) + ip6(src) \
        + ip6(dst)
    return eth(mac("02:00:00:00:00:01"), mac("02:00:00:00:00:03"), 0x86dd,
               hdr + udp)


OVN_OPT = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\x00\x01\x00\x02"
MARK_OPT = struct.pack("!HBB", 0xfff7, 0x5d, 0)


def seeds():
    data = udp_ipv4(b"x" * 36)
    yield "vxlan4-data", 0, outer4(vxlan(data), 4789)
    yield "vxlan4-data-local", 1, outer4(vxlan(data), 4789)
    yield "vxlan4-data-udpcsum", 0, outer4(vxlan(data), 4789, udp_csum=True)
    yield "vxlan4-vlan", 0, outer4(vxlan(data), 4789, vlan=10)
    yield "vxlan4-marked", 2, outer4(vxlan(data, 0x48000000), 4789)
    yield "vxlan4-ttl1", 0, outer4(vxlan(data), 4789, ttl=1)
    yield "vxlan4-rarp", 0, outer4(vxlan(rarp(VM)), 4789, src="10.0.0.2")
    yield "vxlan4-garp", 0, outer4(vxlan(garp(VM, ip4("192.168.1.2"))),
                                   4789, src="10.0.0.2")
    yield "geneve4-ovn", 0, outer4(geneve(data, OVN_OPT), 6081)
    yield "geneve4-marked", 0, outer4(geneve(data, MARK_OPT + OVN_OPT),
                                      6081)
    yield "geneve4-rarp", 0, outer4(geneve(rarp(VM)), 6081, src="10.0.0.2")
    yield "vxlan6-data", 0, outer6(vxlan(data), 4789)
    yield "geneve6-ovn", 5, outer6(geneve(data, OVN_OPT), 6081)
    yield "geneve6-rarp", 0, outer6(geneve(rarp(VM)), 6081, src=2)
    yield "rarp-bare", 0, rarp(VM)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "corpus"
    os.makedirs(out, exist_ok=True)
    for name, sel, frame in seeds():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([sel]) + frame)


if __name__ == "__main__":
    main()
