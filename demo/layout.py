"""Where demo plots lie: one plot per cell of a grid, so that no two overlap.

Each plot is an irregular star-shaped polygon drawn inside its own cell, with a
margin between cells; a star-shaped ring whose corners go round by increasing
angle is simple and counter-clockwise. Coordinates keep exactly 6 decimals (the
sixth never zero), so that the EUDR truncation (rule E4) changes nothing.
"""

import math

# Metres per degree near the equator, close enough for laying out plots; areas
# are measured afterwards on the ellipsoid (plots.geometry.geodesic_area_ha).
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


def coordinate(value):
    """Round to 6 decimals, nudging by a micro-degree (~0.1 m) when the sixth would be 0."""
    micro = round(value * 1_000_000)
    if micro % 10 == 0:
        micro += 1
    # The nearest float to a 6-decimal number prints as that number.
    return micro / 1_000_000


class Grid:
    """Square cells around a centre, walked row by row in a serpentine.

    Consecutive cells are neighbours, so the plots of one family, and the
    families of one community, lie together. About `gap_share` of the cells
    stay empty (forest, pasture, a stream), as in a real valley.
    """

    def __init__(self, *, lon, lat, cell_m, count, rng, gap_share=0.12, margin_m=8.0):
        self.lon, self.lat, self.cell_m = lon, lat, cell_m
        self.half_m = cell_m / 2 - margin_m
        self.metres_per_degree_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat))
        total = max(count, math.ceil(count / (1 - gap_share)))
        columns = math.ceil(math.sqrt(total))
        rows = math.ceil(total / columns)
        path = []
        for row in range(rows):
            cols = range(columns) if row % 2 == 0 else range(columns - 1, -1, -1)
            path.extend((row, col) for col in cols)
        empty = set(rng.sample(range(len(path)), len(path) - count)) if rng else set(range(count, len(path)))
        self.cells = [
            ((col - (columns - 1) / 2) * cell_m, ((rows - 1) / 2 - row) * cell_m)
            for index, (row, col) in enumerate(path)
            if index not in empty
        ]

    def to_lon_lat(self, x_m, y_m):
        return [
            coordinate(self.lon + x_m / self.metres_per_degree_lon),
            coordinate(self.lat + y_m / METRES_PER_DEGREE_LAT),
        ]

    def point(self, index, rng):
        x, y = self.cells[index]
        jitter = self.half_m / 2
        return {"type": "Point", "coordinates": self.to_lon_lat(x + rng.uniform(-jitter, jitter), y)}

    def polygon(self, index, rng, *, area_m2, vertices):
        """A `vertices`-corner polygon of about `area_m2` inside cell `index` (smaller if it cannot fit)."""
        x0, y0 = self.cells[index]
        corners = star(rng, vertices=vertices, half_m=self.half_m, area_m2=area_m2)
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        # Slide the shape anywhere it still fits in its cell: the grid looks less like a grid.
        dx = rng.uniform(-self.half_m - min(xs), self.half_m - max(xs))
        dy = rng.uniform(-self.half_m - min(ys), self.half_m - max(ys))
        ring = [self.to_lon_lat(x0 + x + dx, y0 + y + dy) for x, y in corners]
        ring.append(list(ring[0]))
        return {"type": "Polygon", "coordinates": [ring]}


def _area(radii, angles):
    n = len(radii)
    return sum(
        radii[i] * radii[(i + 1) % n] * math.sin((angles[(i + 1) % n] - angles[i]) % (2 * math.pi)) / 2
        for i in range(n)
    )


def star(rng, *, vertices, half_m, area_m2):
    """Corners (x, y) in metres, counter-clockwise round (0, 0), inside the square ±half_m."""
    rotation = rng.uniform(0, 2 * math.pi)
    step = 2 * math.pi / vertices
    # Each angle stays within a third of a step of its place: the order never changes.
    angles = [rotation + step * (i + rng.uniform(-0.3, 0.3)) for i in range(vertices)]
    limits = [half_m / max(abs(math.cos(a)), abs(math.sin(a))) for a in angles]
    radii = [limit * rng.uniform(0.55, 1.0) for limit in limits]
    for _ in range(8):
        scale = math.sqrt(area_m2 / _area(radii, angles))
        if abs(scale - 1) < 0.001:
            break
        radii = [min(limit, radius * scale) for radius, limit in zip(radii, limits, strict=True)]
    return [(r * math.cos(a), r * math.sin(a)) for r, a in zip(radii, angles, strict=True)]
