"""The description of one chart, shared by the dashboard's statistics and the public campaign report.

``chart()`` returns a plain, JSON-serialisable dict. The template ``reports/_chart.html`` renders it as a
figure with an accessible table of the numbers (the fallback without JavaScript, for screen readers and
for print) and hands the same dict to ``frontend/src/js/charts.js`` through ``json_script``; the script
draws it with uPlot.
"""

import datetime as dt
import re

from django.utils.formats import date_format

KINDS = ("bars", "lines")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _number(value):
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise ValueError(f"chart values must be numbers or None, not {value!r}")


def _label(value, kind: str) -> str:
    if kind == "lines":
        if isinstance(value, dt.datetime):
            raise ValueError("the labels of a line chart are dates, not datetimes")
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(f"the labels of a line chart are ISO dates, not {value!r}") from None
    return str(value)


def chart(*, key, title, kind, labels, series, x_label="", y_label="") -> dict:
    """Everything the template and the script need to show one chart.

    ``kind`` is "bars" (categories: countries, types, queues) or "lines" (one point per day; ``labels``
    are ISO dates or ``date`` objects). ``series`` is a list of ``{"label": str, "values": [...]}`` with
    one number (or None for "no value") per label. Lazy translations are turned into plain strings, so
    build the chart while the language of the request is active.

    The result carries ``id`` (the figure's element id) and ``data_id`` (the id of its JSON script) made
    from ``key``: a key must be unique on its page.
    """
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"a chart key is lowercase letters, digits, '-' and '_': {key!r}")
    if kind not in KINDS:
        raise ValueError(f"a chart's kind is one of {', '.join(KINDS)}, not {kind!r}")
    labels = [_label(label, kind) for label in labels]
    if not series:
        raise ValueError("a chart needs at least one series")
    clean_series = []
    for one in series:
        values = [_number(value) for value in one["values"]]
        if len(values) != len(labels):
            raise ValueError(
                f"series {one['label']!s} has {len(values)} values for {len(labels)} labels in chart {key}"
            )
        clean_series.append({"label": str(one["label"]), "values": values})
    rows = [
        {
            "label": label,
            # What the table shows: a date in the language of the page, or the category's name.
            "text": date_format(dt.date.fromisoformat(label)) if kind == "lines" else label,
            "values": [one["values"][index] for one in clean_series],
        }
        for index, label in enumerate(labels)
    ]
    return {
        "key": key,
        "id": f"chart-{key}",
        "data_id": f"chart-data-{key}",
        "title": str(title),
        "kind": kind,
        "labels": labels,
        "series": clean_series,
        "x_label": str(x_label),
        "y_label": str(y_label),
        # The same numbers by row, for the table under the chart.
        "rows": rows,
        "empty": not labels,
    }
