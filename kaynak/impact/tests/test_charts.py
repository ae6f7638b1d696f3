from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import weasyprint
from django.utils import translation
from django.utils.translation import gettext

from kaynak.impact.charts import (
    Bar,
    Progress,
    TableRow,
    TrendPoint,
    bar_chart,
    bar_rows,
    for_print,
    format_number,
    format_percent,
    nice_ticks,
    progress_bar,
    table_view,
    trend_chart,
    trend_rows,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Our own SVG/HTML output as XML: proves it is well formed and lets the test look inside."""
    return ET.fromstring(markup)  # noqa: S314 — the text is the code's own output, not untrusted


def one(parent: ET.Element, path: str) -> ET.Element:
    element = parent.find(path)
    assert element is not None, path
    return element


def svg_of(figure: ET.Element) -> ET.Element:
    return one(figure, f"{SVG}svg")


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (87, [0, 20, 40, 60, 80, 100]),
        (100, [0, 20, 40, 60, 80, 100]),
        (1234, [0, 250, 500, 750, 1000, 1250]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (0.37, [0, 0.1, 0.2, 0.3, 0.4]),
        (0, [0, 1]),
        (1_000_000, [0, 200_000, 400_000, 600_000, 800_000, 1_000_000]),
        # Counts get whole steps; a measure may have fractions.
        (2, [0, 1, 2]),
        (12, [0, 5, 10, 15]),
        (2.0, [0, 0.5, 1, 1.5, 2]),
    ],
)
def test_axis_ticks_are_nice_round_numbers_covering_the_largest_value(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_numbers_are_written_the_turkish_way_in_turkish_and_the_english_way_in_english():
    with translation.override("tr"):
        assert format_number(1234567) == "1.234.567"
        assert format_number(1234.5) == "1.234,5"
        assert format_number(Decimal("12.25"), decimals=2) == "12,25"
    with translation.override("en"):
        assert format_number(1234.5) == "1,234.5"
        assert format_percent(49.6) == "50%"


def test_bar_lengths_are_proportional_to_the_values():
    figure = parse(
        bar_chart(
            [Bar("Ankara", 50), Bar("İstanbul", 200), Bar("İzmir", 100), Bar("Van", 0)],
            title="Organisations by province",
            caption="Distinct organisations, 2026",
        )
    )
    widths = [rect.get("width") for rect in svg_of(figure).iter(f"{SVG}rect")]
    # The largest bar fills the 360-unit bar area.
    assert widths == ["90", "360", "180", "0"]


def test_bar_titles_carry_the_turkish_formatted_figure():
    with translation.override("tr"):
        figure = parse(bar_chart([Bar("Eğitim", 12345.5)], title="T", caption="C"))
    titles = [el.text for el in svg_of(figure).iter(f"{SVG}title")]
    assert "Eğitim: 12.345,5" in titles


def test_bars_with_a_url_are_links_and_others_are_not():
    figure = parse(
        bar_chart(
            [Bar("A", 1, url="/ledger/names/?theme=a&kind=b"), Bar("B", 2)],
            title="T",
            caption="C",
        )
    )
    links = svg_of(figure).findall(f"{SVG}a")
    assert [link.get("href") for link in links] == ["/ledger/names/?theme=a&kind=b"]


def test_a_chart_is_an_image_named_by_its_title_and_captioned():
    figure = parse(bar_chart([Bar("A", 1)], title="Reach", caption="By theme"))
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    assert one(svg, f"{SVG}title").get("id") == title_id
    assert one(svg, f"{SVG}title").text == "Reach"
    assert one(svg, f"{SVG}desc").get("id") == desc_id
    assert one(figure, "figcaption").text == "By theme"


def test_hostile_labels_and_urls_are_escaped():
    hostile = '"><script>alert(1)</script>'
    html = bar_chart([Bar(hostile, 1, url=hostile)], title=hostile, caption=hostile)
    assert "<script>" not in html
    figure = parse(html)
    assert list(figure.iter("script")) == []
    assert list(figure.iter(f"{SVG}script")) == []
    assert one(svg_of(figure), f"{SVG}a").get("href") == hostile


def test_an_empty_bar_chart_says_no_data():
    figure = parse(bar_chart([], title="T", caption="C"))
    texts = [el.text for el in svg_of(figure).iter(f"{SVG}text")]
    assert texts == [gettext("No data")]


def test_the_table_view_has_the_same_figures_as_the_bars():
    bars = [Bar("Çocuk", 1500, url="/n/?t=1"), Bar("Gençlik", 20)]
    with translation.override("tr"):
        assert bar_rows(bars) == [
            TableRow(cells=("Çocuk", "1.500"), url="/n/?t=1"),
            TableRow(cells=("Gençlik", "20"), url=None),
        ]
        figure = parse(bar_chart(bars, title="By theme", caption="C"))
    table = one(figure, "details/table")
    assert one(table, "caption").text == "By theme"
    body = [[cell.text or one(cell, "a").text for cell in row] for row in table.iter("tr")][1:]
    assert body == [["Çocuk", "1.500"], ["Gençlik", "20"]]
    assert one(table, ".//a").get("href") == "/n/?t=1"


def test_column_heights_follow_the_nice_axis():
    points = [TrendPoint("2026 Q1", 40), TrendPoint("2026 Q2", None), TrendPoint("2026 Q3", 87)]
    figure = parse(trend_chart(points, title="T", caption="C", kind="column"))
    svg = svg_of(figure)
    heights = [rect.get("height") for rect in svg.iter(f"{SVG}rect")]
    # Axis 0–100 over a 204-unit plot: 40 → 81.6, 87 → 177.48; the empty quarter has no column.
    assert heights == ["81.6", "177.5"]
    ticks = [el.text for el in one(svg, f"{SVG}g").iter(f"{SVG}text")]
    assert ticks[:6] == ["0", "20", "40", "60", "80", "100"]
    assert ticks[6:] == ["2026 Q1", "2026 Q2", "2026 Q3"]


def test_a_period_without_data_is_said_so_and_breaks_the_line():
    points = [
        TrendPoint("Oca", 1),
        TrendPoint("Şub", 2),
        TrendPoint("Mar", None),
        TrendPoint("Nis", 3),
        TrendPoint("May", 4),
    ]
    with translation.override("tr"):
        figure = parse(trend_chart(points, title="T", caption="C", kind="line"))
        no_data = gettext("No data")
        rows = trend_rows(points)
    svg = svg_of(figure)
    assert len(svg.findall(f"{SVG}polyline")) == 2
    assert len(svg.findall(f".//{SVG}circle")) == 4
    titles = [el.text for el in svg.iter(f"{SVG}title")]
    assert f"Mar: {no_data}" in titles
    assert rows[2] == TableRow(cells=("Mar", no_data))


def test_trend_titles_use_turkish_numbers():
    with translation.override("tr"):
        figure = parse(trend_chart([TrendPoint("2026", 2500.5)], title="T", caption="C"))
    assert "2026: 2.500,5" in [el.text for el in svg_of(figure).iter(f"{SVG}title")]


def test_progress_fills_the_share_of_the_target():
    with translation.override("en"):
        figure = parse(progress_bar(value=600, target=1200, title="Trained"))
    svg = svg_of(figure)
    fill = one(svg, f"{SVG}rect[@class='progress-fill']")
    assert fill.get("width") == "200"
    assert "below" in svg.get("class", "")
    assert one(figure, "figcaption").text == "600 of 1,200 (50%)"


def test_progress_past_the_target_is_full_and_marked_over_target():
    figure = parse(progress_bar(value=1500, target=1200, title="Trained"))
    svg = svg_of(figure)
    assert one(svg, f"{SVG}rect[@class='progress-fill']").get("width") == "400"
    assert "over-target" in svg.get("class", "")
    assert Progress(1500, 1200).percent == 125
    assert Progress(1200, 1200).state == "reached"


def test_progress_without_a_target_says_so():
    with translation.override("en"):
        figure = parse(progress_bar(value=42, target=None, title="Trained"))
    assert "no-target" in svg_of(figure).get("class", "")
    assert one(figure, "figcaption").text == "42 (no target)"
    assert Progress(42, 0).percent is None


def test_the_same_chart_gets_the_same_ids_and_different_charts_different_ids():
    first = bar_chart([Bar("A", 1)], title="T", caption="C")
    assert first == bar_chart([Bar("A", 1)], title="T", caption="C")
    other = bar_chart([Bar("A", 2)], title="T", caption="C")
    first_id = svg_of(parse(first)).get("aria-labelledby")
    assert first_id != svg_of(parse(other)).get("aria-labelledby")


def test_table_view_escapes_its_cells():
    html = table_view(caption="<c>", headers=["<h>"], rows=[TableRow(cells=("<x>",), url='"u')])
    assert "<x>" not in html
    assert "&lt;x&gt;" in html
    assert one(parse(html), ".//a").get("href") == '"u'


def test_charts_for_print_carry_their_colours_into_a_weasyprint_pdf():
    chart = bar_chart([Bar("A", 1)], title="T", caption="C", table=False)
    assert "var(" not in for_print(chart)
    parse(for_print(chart))
    pdf = weasyprint.HTML(string=f"<html><body>{for_print(chart)}</body></html>").write_pdf(
        uncompressed_pdf=True
    )
    # .chart-bar is filled with the brand blue #1d4e89 (29, 78, 137), not the default black.
    assert b"0.113725 0.305882 0.537255 rg" in pdf
