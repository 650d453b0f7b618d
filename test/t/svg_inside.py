#!/usr/bin/env python3
"""svg_inside.py — does everything an SVG draws stay inside its canvas?

For each SVG file given, the canvas is its viewBox.  The file is rendered
with rsvg-convert (librsvg, Debian librsvg2-bin) twice: as it is, and with
the viewBox grown by a margin on every side and a transparent background
there.  Anything drawn into the margin — text running past an edge, a
legend cut off, a rotated label below the bottom — leaves pixels that are
not transparent.  Prints one line per file: "ok <file>" or
"outside <file>: <n> pixels beyond the <edges>", and exits 1 if any file
draws outside.  Plain Python 3: the PNG is decoded here (8-bit RGBA, the
only form rsvg-convert writes).
"""
import re
import struct
import subprocess
import sys
import tempfile
import zlib

MARGIN = 120


def read_png_rgba(path):
    """Width, height and rows of RGBA bytes of an 8-bit RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour != 6 or interlace != 0:
                raise ValueError(f"{path}: not 8-bit RGBA without interlace")
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(idat)
    stride = width * 4
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b = prev[i]
            c = prev[i - 4] if i >= 4 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, rows


def grown(svg, margin):
    """The SVG with its viewBox, width and height grown by margin on every side."""
    m = re.search(r'<svg\b[^>]*>', svg)
    tag = m.group(0)
    vb = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"', tag)
    x, y, w, h = (float(v) for v in vb.groups())
    new = re.sub(r'viewBox="[^"]*"', f'viewBox="{x - margin} {y - margin} {w + 2 * margin} {h + 2 * margin}"', tag)
    new = re.sub(r'\bwidth="[^"]*"', f'width="{w + 2 * margin}"', new, count=1)
    new = re.sub(r'\bheight="[^"]*"', f'height="{h + 2 * margin}"', new, count=1)
    return svg.replace(tag, new, 1), (w, h)


def check(path):
    svg = open(path, encoding="utf-8").read()
    big, (w, h) = grown(svg, MARGIN)
    with tempfile.TemporaryDirectory() as tmp:
        src, png = f"{tmp}/big.svg", f"{tmp}/big.png"
        open(src, "w", encoding="utf-8").write(big)
        subprocess.run(["rsvg-convert", "--background-color=none", "-o", png, src], check=True)
        width, height, rows = read_png_rgba(png)
    sx, sy = width / (w + 2 * MARGIN), height / (h + 2 * MARGIN)
    x0, y0 = int(MARGIN * sx), int(MARGIN * sy)
    x1, y1 = int((MARGIN + w) * sx), int((MARGIN + h) * sy)
    edges = {}
    for y in range(height):
        row = rows[y]
        for x in range(width):
            if row[4 * x + 3] > 24 and not (x0 <= x < x1 and y0 <= y < y1):
                edge = "top" if y < y0 else "bottom" if y >= y1 else "left" if x < x0 else "right"
                edges[edge] = edges.get(edge, 0) + 1
    return edges


def main(paths):
    bad = 0
    for path in paths:
        edges = check(path)
        if edges:
            bad += 1
            print(f"outside {path}: " + ", ".join(f"{n} pixels beyond the {e}" for e, n in sorted(edges.items())))
        else:
            print(f"ok {path}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
