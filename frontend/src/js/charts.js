// Groundswell charts: draws every <figure data-chart="..."> of the page with uPlot (global `uPlot`).
//
// Each figure holds its numbers twice: a JSON script (reports/charts.py → reports/_chart.html) that this
// file draws, and a <table> that stays the accessible version. Without JavaScript, or when uPlot is
// missing, the table is all there is; once drawn, the table folds into <details> "Show the numbers" and
// unfolds again for printing.
//
// "lines": one point per day (labels are ISO dates, read as UTC days so no time zone shifts them).
// "bars": categories drawn as horizontal bars (long country names stay readable), several series grouped.
// Right-to-left pages mirror: time runs from right to left and bars grow leftwards.
(function () {
  "use strict";

  if (typeof window.uPlot === "undefined") return;
  const uPlot = window.uPlot;

  const DAY = 86400;
  // About 170 mm at 96 dpi: the width of an A4 page's text column.
  const PRINT_WIDTH = 640;
  const LINE_HEIGHT = 260;
  const BAR_ROW = 30;
  const FALLBACK_COLORS = ["#0b6e4f", "#c0552b", "#1f5fd6", "#8a4b00", "#6b3fa0"];
  // Counts are whole numbers: no tick at 0.5 people.
  const COUNT_INCRS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 2500, 5e3, 1e4, 2e4, 5e4, 1e5,
    2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8];
  const DAY_INCRS = [1, 2, 7, 14, 28, 56, 91, 182, 364].map((days) => days * DAY);

  const root = document.documentElement;
  const lang = root.lang || "en";
  const rtl = (root.getAttribute("dir") || getComputedStyle(root).direction) === "rtl";
  const numbers = new Intl.NumberFormat(lang);
  const shortDay = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" });
  const longDay = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" });

  const formatNumber = (value) => (value == null ? "–" : numbers.format(value));
  const dayToSeconds = (iso) => Date.parse(`${iso}T00:00:00Z`) / 1000;

  function colorsOf(figure) {
    const style = getComputedStyle(figure);
    return FALLBACK_COLORS.map((fallback, index) => style.getPropertyValue(`--chart-color-${index + 1}`).trim() || fallback);
  }

  function inkOf(figure) {
    const style = getComputedStyle(figure);
    return {
      ink: style.getPropertyValue("--chart-ink").trim() || "#1d2433",
      grid: style.getPropertyValue("--chart-grid").trim() || "#d9dde5",
      font: `12px ${style.fontFamily}`,
    };
  }

  function maxOf(spec) {
    let max = 0;
    for (const one of spec.series) for (const value of one.values) if (value != null && value > max) max = value;
    return max;
  }

  // The count axis: starts at zero, a little room above the largest value, at least 0..1.
  function countRange(spec) {
    return () => [0, Math.max(1, maxOf(spec)) * 1.08];
  }

  function textWidth(texts, font) {
    const context = document.createElement("canvas").getContext("2d");
    context.font = font;
    return texts.reduce((widest, text) => Math.max(widest, context.measureText(String(text)).width), 0);
  }

  function lineOptions(spec, colors, look) {
    const xs = spec.labels.map(dayToSeconds);
    return {
      data: [xs, ...spec.series.map((one) => one.values)],
      options: {
        // Days are UTC days here: the server already chose each action's local date.
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC"),
        scales: {
          x: {
            time: true,
            dir: rtl ? -1 : 1,
            // One day alone: uPlot would stretch a lone point over years; show a day either side.
            auto: xs.length > 1,
            range: xs.length > 1 ? (u, min, max) => [min, max] : [xs[0] - DAY, xs[0] + DAY],
          },
          y: { range: countRange(spec) },
        },
        axes: [
          {
            stroke: look.ink,
            font: look.font,
            grid: { stroke: look.grid, width: 1 },
            ticks: { stroke: look.grid },
            incrs: DAY_INCRS,
            values: (u, splits) => splits.map((seconds) => shortDay.format(new Date(seconds * 1000))),
            label: spec.x_label || undefined,
            labelFont: look.font,
          },
          {
            side: rtl ? 1 : 3,
            stroke: look.ink,
            font: look.font,
            grid: { stroke: look.grid, width: 1 },
            ticks: { stroke: look.grid },
            incrs: COUNT_INCRS,
            values: (u, splits) => splits.map(formatNumber),
            size: (u, values) => 18 + textWidth(values || [], look.font),
            label: spec.y_label || undefined,
            labelFont: look.font,
          },
        ],
        series: [
          { label: spec.x_label || "", value: (u, seconds) => (seconds == null ? "–" : longDay.format(new Date(seconds * 1000))) },
          ...spec.series.map((one, index) => ({
            label: one.label,
            stroke: colors[index % colors.length],
            width: 2,
            points: { show: xs.length <= 62, size: 6 },
            value: (u, value) => formatNumber(value),
            spanGaps: false,
          })),
        ],
      },
      height: LINE_HEIGHT,
    };
  }

  // How each series of a bar chart sits in its category's row: two side by side (one on each side of
  // the row's middle); more are drawn nested, each narrower than the one before.
  function barPaths(count, seriesIndex) {
    if (count === 2) return uPlot.paths.bars({ size: [0.4, 18], align: seriesIndex === 0 ? -1 : 1 });
    return uPlot.paths.bars({ size: [0.75 * (1 - seriesIndex / (count + 1)), 28], align: 0 });
  }

  function barOptions(spec, colors, look) {
    const count = spec.series.length;
    const xs = spec.labels.map((label, index) => index);
    const labelWidth = Math.min(220, 16 + textWidth(spec.labels, look.font));
    return {
      data: [xs, ...spec.series.map((one) => one.values)],
      options: {
        scales: {
          // Categories run down the page (orientation 1, first on top), values across it.
          x: { time: false, ori: 1, dir: -1, range: () => [-0.5, spec.labels.length - 0.5] },
          y: { ori: 0, dir: rtl ? -1 : 1, range: countRange(spec) },
        },
        axes: [
          {
            side: rtl ? 1 : 3,
            stroke: look.ink,
            font: look.font,
            grid: { show: false },
            ticks: { show: false },
            splits: () => xs,
            values: (u, splits) => splits.map((index) => spec.labels[index] ?? ""),
            size: labelWidth,
            gap: 6,
          },
          {
            side: 2,
            stroke: look.ink,
            font: look.font,
            grid: { stroke: look.grid, width: 1 },
            ticks: { stroke: look.grid },
            incrs: COUNT_INCRS,
            values: (u, splits) => splits.map(formatNumber),
            label: spec.y_label || undefined,
            labelFont: look.font,
          },
        ],
        series: [
          { label: spec.x_label || "", value: (u, index) => (index == null ? "–" : spec.labels[index] ?? "") },
          ...spec.series.map((one, seriesIndex) => ({
            label: one.label,
            fill: colors[seriesIndex % colors.length],
            stroke: colors[seriesIndex % colors.length],
            width: 0,
            points: { show: false },
            value: (u, value) => formatNumber(value),
            paths: barPaths(count, seriesIndex),
          })),
        ],
      },
      height: 50 + Math.max(3, spec.labels.length) * (count > 1 ? 40 : BAR_ROW),
    };
  }

  function draw(figure) {
    const plot = figure.querySelector(".chart__plot");
    const script = document.getElementById(figure.dataset.chart);
    if (!plot || !script) return;
    let spec;
    try {
      spec = JSON.parse(script.textContent);
    } catch (error) {
      return; // the table is still there
    }
    if (spec.empty) return;
    const colors = colorsOf(figure);
    const look = inkOf(figure);
    const built = spec.kind === "lines" ? lineOptions(spec, colors, look) : barOptions(spec, colors, look);
    const width = () => Math.max(240, Math.floor(plot.clientWidth));
    const chart = new uPlot(
      {
        ...built.options,
        width: width(),
        height: built.height,
        legend: { live: true },
        cursor: { points: { size: 8 }, drag: { x: false, y: false } },
      },
      built.data,
      plot,
    );
    figure.classList.add("chart--drawn");
    const numbersBox = figure.querySelector(".chart__numbers");
    if (numbersBox) numbersBox.open = false;

    let printing = false;
    const observer = new ResizeObserver(() => {
      if (!printing) chart.setSize({ width: width(), height: built.height });
    });
    observer.observe(plot);
    return {
      beforePrint() {
        printing = true;
        chart.setSize({ width: PRINT_WIDTH, height: built.height });
        if (numbersBox) {
          numbersBox.dataset.wasOpen = numbersBox.open ? "1" : "";
          numbersBox.open = true;
        }
      },
      afterPrint() {
        printing = false;
        chart.setSize({ width: width(), height: built.height });
        if (numbersBox) numbersBox.open = numbersBox.dataset.wasOpen === "1";
      },
    };
  }

  function start() {
    const drawn = Array.from(document.querySelectorAll("figure[data-chart]"))
      .map(draw)
      .filter(Boolean);
    window.addEventListener("beforeprint", () => drawn.forEach((one) => one.beforePrint()));
    window.addEventListener("afterprint", () => drawn.forEach((one) => one.afterPrint()));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
