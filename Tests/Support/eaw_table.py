#!/usr/bin/python3
"""Writes Sources/KyozonComposer/EastAsianWidth+Table.swift from Python's unicodedata:
the code points whose East Asian Width is W, F or A.
usage: /usr/bin/python3 Tests/Support/eaw_table.py > Sources/KyozonComposer/EastAsianWidth+Table.swift"""
import unicodedata

ranges, start = [], None
for cp in range(0x110000):
    wide = unicodedata.east_asian_width(chr(cp)) in ("W", "F", "A") and unicodedata.category(chr(cp)) not in ("Cn", "Co", "Cs")
    if wide and start is None:
        start = cp
    if not wide and start is not None:
        ranges.append((start, cp - 1))
        start = None
if start is not None:
    ranges.append((start, 0x10FFFF))
print("// Generated from Python 3.11's unicodedata (Unicode %s): the code points whose East Asian" % unicodedata.unidata_version)
print("// Width is W, F or A (assigned characters only). Regenerate with Tests/Support/eaw_table.py.")
print("extension EastAsianWidth {")
print("    /// Sorted, non-overlapping closed ranges of wide (W, F) and ambiguous (A) code points.")
print("    static let wideRanges: [ClosedRange<UInt32>] = [")
line = "       "
for a, b in ranges:
    item = " 0x%X...0x%X," % (a, b)
    if len(line) + len(item) > 118:
        print(line)
        line = "       "
    line += item
print(line)
print("    ]")
print("}")
