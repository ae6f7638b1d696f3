from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import weasyprint
from django.utils import translation
from django.utils.translation import gettext

from kaynak.core.models import Province
from kaynak.impact.charts import Number, for_print, format_number
from kaynak.impact.map import (
    GEODATA,
    NO_DATA_CLASS,
    ZERO_CLASS,
    Bucket,
    css_class_for,
    legend_entries,
    map_table,
    province_shapes,
    quantile_buckets,
    turkey_map,
)


def parse(markup: str) -> ET.Element:
    """Our own SVG/HTML output as XML: proves it is well formed and lets the test look inside."""
    return ET.fromstring(markup)  # noqa: S314 — the text is the code's own output, not untrusted


def one(parent: ET.Element, path: str) -> ET.Element:
    element = parent.find(path)
    assert element is not None, path
    return element


SVG = "{http://www.w3.org/2000/svg}"
ALL_PLATES = set(range(1, 82))


def figure(plate: int, value: Number | None) -> str:
    return "—" if value is None else format_number(value)


def absolute_points(path: str) -> list[tuple[float, float]]:
    """The points of a path written with relative m/l/z commands, as the builder writes them."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for ring in re.findall(r"m([^z]*)z", path):
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", ring.replace("l", " "))]
        assert numbers
        assert len(numbers) % 2 == 0
        ring_start = None
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            ring_start = ring_start or (x, y)
            points.append((x, y))
        assert ring_start is not None
        x, y = ring_start
    return points


def test_the_geodata_has_every_plate_code_exactly_once():
    assert set(province_shapes().paths) == ALL_PLATES
    assert len(province_shapes().paths) == 81


@pytest.mark.django_db
def test_the_geodata_plate_codes_are_the_provinces_in_the_database():
    plates = set(Province.objects.values_list("plate_code", flat=True))
    assert plates == set(province_shapes().paths)


def test_every_path_is_non_empty_and_inside_the_view_box():
    shapes = province_shapes()
    assert (shapes.width, shapes.height) == (1000, 434)
    for plate, path in shapes.paths.items():
        points = absolute_points(path)
        assert len(points) >= 3, plate
        for x, y in points:
            assert 0 <= x <= shapes.width, (plate, x)
            assert 0 <= y <= shapes.height, (plate, y)


def test_istanbul_lies_north_west_of_van():
    def centre(plate: int) -> tuple[float, float]:
        points = absolute_points(province_shapes().paths[plate])
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)

    istanbul, van = centre(34), centre(65)
    assert istanbul[0] < van[0]
    assert istanbul[1] < van[1]


def test_the_shipped_data_file_is_small():
    assert GEODATA.stat().st_size < 150_000


def test_the_map_is_xml_with_one_link_per_province_when_urls_are_given():
    values = {plate: plate * 10 for plate in ALL_PLATES}
    svg = parse(
        turkey_map(
            values,
            url_for=lambda plate: f"/deliveries/?province={plate}&period=2026",
            label_for=figure,
            title="Organisations reached",
            legend_title="Organisations",
        )
    )
    links = svg.findall(f".//{SVG}a")
    assert len(links) == 81
    assert {link.get("href") for link in links} == {
        f"/deliveries/?province={plate}&period=2026" for plate in ALL_PLATES
    }
    assert svg.get("role") == "group"
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert one(svg, f"{SVG}title").get("id") == title_id
    assert one(svg, f"{SVG}desc").get("id") == desc_id


def test_the_map_without_urls_is_an_image_with_no_links():
    svg = parse(turkey_map({34: 5}, url_for=None, label_for=figure, title="T", legend_title="L"))
    assert svg.get("role") == "img"
    assert svg.findall(f".//{SVG}a") == []
    assert len(svg.findall(f".//{SVG}path")) == 81


def test_each_province_has_a_tooltip_with_its_name_and_figure_in_turkish():
    with translation.override("tr"):
        svg = parse(
            turkey_map(
                {34: 12345, 35: 2.5}, url_for=None, label_for=figure, title="T", legend_title="L"
            )
        )
    titles = {el.text for el in svg.iter(f"{SVG}title")}
    assert "İstanbul: 12.345" in titles
    assert "İzmir: 2,5" in titles
    assert "Iğdır: —" in titles
    assert len([t for t in titles if t and ": " in t]) == 81


def test_province_names_follow_the_language():
    with translation.override("en"):
        svg = turkey_map({34: 1234}, url_for=None, label_for=figure, title="T", legend_title="L")
    assert "Istanbul: 1,234" in svg


def test_hostile_labels_titles_and_urls_are_escaped():
    hostile = '"><script>alert(1)</script>'
    svg = turkey_map(
        {1: 1},
        url_for=lambda plate: f"/x/{hostile}",
        label_for=lambda plate, value: hostile,
        title=hostile,
        legend_title=hostile,
    )
    assert "<script>" not in svg
    root = parse(svg)
    assert root.findall(f".//{SVG}script") == []
    assert one(root, f".//{SVG}a").get("href") == f"/x/{hostile}"
    assert one(root, f"{SVG}title").text == hostile


def test_quantile_buckets_hold_equally_many_provinces():
    values: dict[int, Number | None] = {plate: plate for plate in range(1, 11)}
    assert quantile_buckets(values, 5) == [
        Bucket(1, 2, "map-shade-1"),
        Bucket(3, 4, "map-shade-3"),
        Bucket(5, 6, "map-shade-4"),
        Bucket(7, 8, "map-shade-5"),
        Bucket(9, 10, "map-shade-7"),
    ]


def test_values_get_the_class_of_their_bucket_and_zero_and_none_their_own():
    values: dict[int, Number | None] = {plate: plate for plate in range(1, 11)}
    values |= {11: 0, 12: None}
    scale = quantile_buckets(values, 5)
    assert css_class_for(2, scale) == "map-shade-1"
    assert css_class_for(3, scale) == "map-shade-3"
    assert css_class_for(10, scale) == "map-shade-7"
    assert css_class_for(0, scale) == ZERO_CLASS
    assert css_class_for(None, scale) == NO_DATA_CLASS


def test_ties_never_straddle_two_buckets():
    values: dict[int, Number | None] = {1: 1, 2: 1, 3: 1, 4: 1, 5: 100}
    assert quantile_buckets(values, 5) == [
        Bucket(1, 1, "map-shade-1"),
        Bucket(100, 100, "map-shade-7"),
    ]


def test_no_figures_means_no_buckets_and_every_province_is_no_data_or_zero():
    assert quantile_buckets({1: 0, 2: None}) == []
    svg = parse(turkey_map({1: 0}, url_for=None, label_for=figure, title="T", legend_title="L"))
    classes = [path.get("class", "") for path in svg.iter(f"{SVG}path")]
    assert sum(ZERO_CLASS in c for c in classes) == 1
    assert sum(NO_DATA_CLASS in c for c in classes) == 80


def test_the_map_paints_each_province_with_its_bucket_class():
    values: dict[int, Number | None] = {plate: plate for plate in range(1, 11)}
    svg = parse(turkey_map(values, url_for=None, label_for=figure, title="T", legend_title="L"))
    by_plate = {
        group.get("data-plate"): one(group, f"{SVG}path").get("class")
        for group in svg.iter(f"{SVG}g")
        if group.get("data-plate")
    }
    assert by_plate["01"] == "map-province map-shade-1"
    assert by_plate["10"] == "map-province map-shade-7"
    assert by_plate["34"] == f"map-province {NO_DATA_CLASS}"


def test_the_legend_shows_bucket_ranges_in_turkish_numbers():
    values: dict[int, Number | None] = {1: 1000, 2: 2500, 3: 0}
    with translation.override("tr"):
        entries = legend_entries(quantile_buckets(values, 2), values)
        no_data = gettext("No data")
    assert entries == [
        ("map-shade-1", "1.000"),
        ("map-shade-7", "2.500"),
        (ZERO_CLASS, "0"),
        (NO_DATA_CLASS, no_data),
    ]


def test_the_table_lists_all_provinces_in_turkish_alphabetical_order():
    with translation.override("tr"):
        rows = map_table({34: 7}, url_for=lambda plate: f"/p/{plate}", label_for=figure)
    names = [row.name for row in rows]
    assert len(rows) == 81
    assert names.index("Bursa") < names.index("Çanakkale") < names.index("Çorum")
    assert names.index("Çorum") < names.index("Denizli")
    assert names.index("Iğdır") < names.index("Isparta") < names.index("İstanbul")
    assert names.index("Sivas") < names.index("Şanlıurfa") < names.index("Şırnak")
    assert names.index("Şırnak") < names.index("Tekirdağ")
    istanbul = rows[names.index("İstanbul")]
    assert (istanbul.plate_code, istanbul.value, istanbul.label, istanbul.url) == (
        34,
        7,
        "7",
        "/p/34",
    )
    assert rows[names.index("Adana")].value is None


def test_the_map_for_print_paints_its_buckets_in_a_weasyprint_pdf():
    values: dict[int, Number | None] = {34: 100, 6: 1}
    markup = for_print(
        turkey_map(values, url_for=None, label_for=figure, title="T", legend_title="L")
    )
    pdf = weasyprint.HTML(string=f"<html><body>{markup}</body></html>").write_pdf(
        uncompressed_pdf=True
    )
    # İstanbul is in the darkest shade, #123d6e (18, 61, 110).
    assert b"0.070588 0.239216 0.431373 rg" in pdf
