#!/usr/bin/env python3
"""Writes the device-side bytes of a umockdev script to stdout (fuzz seeds)."""
import sys

def unescape(data: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x5E and i + 1 < len(data):
            e = data[i + 1]
            out.append(0x5E if e == 0x60 else (e - 64) & 0xFF)
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)

with open(sys.argv[1], "rb") as f:
    for line in f.read().split(b"\n"):
        if line.startswith(b"r "):
            parts = line.split(b" ", 2)
            sys.stdout.buffer.write(unescape(parts[2] if len(parts) > 2 else b""))
