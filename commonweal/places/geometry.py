"""Just enough plane geometry for GeoJSON polygons: which neighbourhood contains a point.

Boundaries are small (an LSOA is a few hundred metres across), so longitude/latitude can be
treated as plane coordinates for containment.
"""

import math
from collections.abc import Iterable, Sequence
from typing import Any

Ring = Sequence[Sequence[float]]


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    # Ray casting: count crossings of a ray going east from the point.
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """True if a GeoJSON Polygon or MultiPolygon contains the point (holes excluded)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for rings in polygons:
        if rings and _in_ring(lon, lat, rings[0]) and not any(_in_ring(lon, lat, hole) for hole in rings[1:]):
            return True
    return False


def bounding_box(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs = [p[0] for rings in polygons for p in rings[0]]
    ys = [p[1] for rings in polygons for p in rings[0]]
    return min(xs), min(ys), max(xs), max(ys)


def containing(shapes: Iterable[tuple[Any, dict[str, Any]]], lon: float, lat: float) -> Any | None:
    """The key of the first shape containing the point, or None."""
    for key, geometry in shapes:
        x0, y0, x1, y1 = bounding_box(geometry)
        if x0 <= lon <= x1 and y0 <= lat <= y1 and polygon_contains(geometry, lon, lat):
            return key
    return None


def _km_to_segment(x: float, y: float, a: Sequence[float], b: Sequence[float], scale: float) -> float:
    ax, ay, bx, by = a[0] * scale, a[1], b[0] * scale, b[1]
    px = x * scale
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return 111.32 * math.hypot(px - (ax + t * dx), y - (ay + t * dy))


def distance_km(geometry: dict[str, Any], lon: float, lat: float) -> float:
    """Distance from a point to a polygon's outer boundary, in km (0 inside)."""
    if polygon_contains(geometry, lon, lat):
        return 0.0
    scale = math.cos(math.radians(lat))
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return min(
        _km_to_segment(lon, lat, ring[i], ring[i + 1], scale)
        for rings in polygons
        for ring in rings[:1]
        for i in range(len(ring) - 1)
    )


def nearest_within(
    shapes: Iterable[tuple[Any, dict[str, Any]]], lon: float, lat: float, *, max_km: float
) -> Any | None:
    """The key of the shape containing the point or, failing that, the nearest within max_km."""
    shapes = list(shapes)
    found = containing(shapes, lon, lat)
    if found is not None:
        return found
    margin = max_km / 60  # degrees, generous in longitude at English latitudes
    best: tuple[float, Any] | None = None
    for key, geometry in shapes:
        x0, y0, x1, y1 = bounding_box(geometry)
        if x0 - margin <= lon <= x1 + margin and y0 - margin <= lat <= y1 + margin:
            d = distance_km(geometry, lon, lat)
            if d <= max_km and (best is None or d < best[0]):
                best = (d, key)
    return best[1] if best else None
