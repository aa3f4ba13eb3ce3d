"""reports.charts.chart() and its template: the dict the script draws, and the table with the numbers."""

import datetime as dt
import json

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from groundswell.reports.charts import chart


def countries_chart():
    return chart(
        key="per-country",
        title=gettext_lazy("Actions"),
        kind="bars",
        labels=["Kenya", "Germany"],
        series=[{"label": "Actions", "values": [7, 3]}, {"label": "People", "values": [120, None]}],
        x_label="Country",
        y_label="Actions",
    )


def test_chart_is_json_serialisable_with_ids_from_its_key():
    spec = countries_chart()

    assert json.loads(json.dumps(spec)) == spec
    assert spec["id"] == "chart-per-country" and spec["data_id"] == "chart-data-per-country"
    assert spec["title"] == "Actions" and spec["kind"] == "bars" and spec["empty"] is False
    assert spec["rows"] == [
        {"label": "Kenya", "text": "Kenya", "values": [7, 120]},
        {"label": "Germany", "text": "Germany", "values": [3, None]},
    ]


def test_line_chart_labels_are_iso_dates():
    spec = chart(
        key="per-day",
        title="Per day",
        kind="lines",
        labels=[dt.date(2026, 10, 12), "2026-10-13"],
        series=[{"label": "Actions", "values": [1, 0]}],
    )

    assert spec["labels"] == ["2026-10-12", "2026-10-13"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"key": "Bad Key!"}, "chart key"),
        ({"kind": "pie"}, "kind"),
        ({"series": []}, "at least one series"),
        ({"series": [{"label": "A", "values": [1]}]}, "1 values for 2 labels"),
        ({"series": [{"label": "A", "values": [1, "2"]}]}, "numbers or None"),
        ({"kind": "lines"}, "ISO dates"),
    ],
)
def test_chart_refuses_inconsistent_input(arguments, message):
    base = {
        "key": "k",
        "title": "T",
        "kind": "bars",
        "labels": ["Kenya", "Germany"],
        "series": [{"label": "A", "values": [1, 2]}],
    }
    with pytest.raises(ValueError, match=message):
        chart(**{**base, **arguments})


def test_chart_template_holds_the_numbers_in_a_table_and_the_data_for_the_script():
    html = render_to_string("reports/_chart.html", {"chart": countries_chart()})

    assert 'id="chart-per-country"' in html and 'data-chart="chart-data-per-country"' in html
    assert '<script id="chart-data-per-country" type="application/json">' in html
    table = html[html.index("<table") : html.index("</table>")]
    assert '<th scope="col">People</th>' in table
    assert '<th scope="row">Kenya</th>' in table and "<td>7</td><td>120</td>" in table
    assert '<th scope="row">Germany</th>' in table and "<td>3</td>" in table and "–" in table
    assert "<details" in html and "Show the numbers" in html
    assert "style=" not in html  # the Content-Security-Policy forbids inline styles


def test_chart_template_shows_dates_in_the_language_of_the_page():
    with translation.override("fr"):
        spec = chart(
            key="per-day",
            title="T",
            kind="lines",
            labels=["2026-10-12"],
            series=[{"label": "A", "values": [4]}],
        )
        html = render_to_string("reports/_chart.html", {"chart": spec})

    assert '<time datetime="2026-10-12">12 octobre 2026</time>' in html


def test_empty_chart_says_so_and_carries_no_script():
    spec = chart(key="none", title="T", kind="bars", labels=[], series=[{"label": "A", "values": []}])
    html = render_to_string("reports/_chart.html", {"chart": spec})

    assert spec["empty"] is True
    assert "<table" not in html and "<script" not in html and "Nothing to show yet." in html
