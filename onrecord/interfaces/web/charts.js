// Small hand-written SVG charts: articles per day, a speaker's statements per week by
// outlet, and how a claim spread. Each is an <svg role="img"> with a text description,
// and every mark has a <title> tooltip.

import { el, svg } from "./dom.js";

// Okabe-Ito: colours that stay apart for the common colour-vision deficiencies.
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
  "#F0E442", "#000000"];

function frame(cls, width, height, label) {
  const chart = svg("svg", { class: cls, width, height, viewBox: `0 0 ${width} ${height}`,
    role: "img", "aria-label": label });
  chart.append(svg("title", {}, label));
  return chart;
}

// Bars of articles per day; labels on the first day of each month.
export function dayChart(days) {
  const width = Math.max(200, days.length * 8 + 30), height = 110;
  const total = days.reduce((n, d) => n + d.count, 0);
  const label = `Articles per day, ${days[0]?.day ?? ""} to ${days.at(-1)?.day ?? ""}: `
    + `${total} in all`;
  const chart = frame("chart days", width, height, label);
  const top = Math.max(1, ...days.map((d) => d.count));
  days.forEach((d, i) => {
    const h = Math.round((d.count / top) * 70), x = 20 + i * 8;
    const bar = svg("rect", { x, y: 80 - h, width: 6, height: h, fill: PALETTE[0] });
    bar.append(svg("title", {}, `${d.day}: ${d.count}`));
    chart.append(bar);
    if (d.day.endsWith("-01") || i === 0) {
      chart.append(svg("text", { x, y: 96 }, d.day.slice(5)));
    }
  });
  chart.append(svg("text", { x: 0, y: 14 }, String(top)));
  return chart;
}

// Stacked bars: statements per week (Monday), one colour per outlet, with a legend.
export function weekChart(weeks, undated) {
  const outlets = [...new Set(weeks.map((w) => w.outlet))];
  const byWeek = new Map();
  weeks.forEach((w) => byWeek.set(w.week, [...(byWeek.get(w.week) || []), w]));
  const columns = [...byWeek.keys()].sort();
  const width = Math.max(120, columns.length * 40 + 30), height = 120;
  const label = `Statements per week by outlet: ${weeks.reduce((n, w) => n + w.count, 0)} dated`
    + (undated ? `, ${undated} undated` : "");
  const chart = frame("timeline", width, height, label);
  const top = Math.max(1, ...columns.map((c) => byWeek.get(c).reduce((n, w) => n + w.count, 0)));
  columns.forEach((week, i) => {
    let y = 90;
    for (const w of byWeek.get(week)) {
      const h = Math.max(1, Math.round((w.count / top) * 75));
      y -= h;
      const bar = svg("rect", { x: 20 + i * 40, y, width: 26, height: h,
        fill: PALETTE[outlets.indexOf(w.outlet) % PALETTE.length] });
      bar.append(svg("title", {}, `week of ${w.week}, ${w.outlet || "unknown outlet"}: ${w.count}`));
      chart.append(bar);
    }
    chart.append(svg("text", { x: 18 + i * 40, y: 104 }, week.slice(5)));
  });
  const legend = el("ul", { class: "chart-legend" }, ...outlets.map((o, i) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = PALETTE[i % PALETTE.length];  // CSSOM: allowed by the CSP
    return el("li", {}, swatch, o || "unknown outlet");
  }));
  if (undated) legend.append(el("li", { text: `${undated} undated (not in the chart)` }));
  return el("figure", { class: "chart" }, chart, legend);
}

// How a claim spread: one row per independent source (the outlet it is credited to once
// copies are followed back), a dot per statement at its date, a line from each copy back
// to the article it copies.
export function spreadChart(statements) {
  const sources = [...new Set(statements.map((s) => s.independent_source || "?"))];
  const dated = statements.filter((s) => s.published).map((s) => Date.parse(s.published));
  const [first, last] = [Math.min(...dated), Math.max(...dated)];
  const span = Math.max(1, last - first);
  const width = 580, rowHeight = 34, height = sources.length * rowHeight + 40;
  const chart = frame("spread", width, height,
    `How the claim spread: ${statements.length} statements from ${sources.length} sources`);
  const place = new Map();
  statements.forEach((s, i) => {
    const x = s.published && dated.length ? 150 + ((Date.parse(s.published) - first) / span) * 340
      : 150;
    const y = 20 + sources.indexOf(s.independent_source || "?") * rowHeight + (i % 2) * 8;
    place.set(s.article, [x, y]);
  });
  sources.forEach((name, i) => chart.append(
    svg("text", { x: 0, y: 24 + i * rowHeight, class: "row-label" }, name.slice(0, 22))));
  statements.forEach((s) => {
    if (s.copy_of && place.has(s.copy_of)) {
      const [[x1, y1], [x2, y2]] = [place.get(s.copy_of), place.get(s.article)];
      chart.append(svg("line", { x1, y1, x2, y2, class: `copy ${s.copy_relation}` }));
    }
  });
  statements.forEach((s, i) => {
    const [x, y] = place.get(s.article);
    const dot = svg(s.copy_of ? "rect" : "circle", s.copy_of
      ? { x: x - 5, y: y - 5, width: 10, height: 10, fill: PALETTE[1] }
      : { cx: x, cy: y, r: 6, fill: PALETTE[0] });
    dot.append(svg("title", {}, `${s.published || "undated"} · ${s.outlet || "?"} · ${s.article}`
      + (s.copy_of ? ` (${s.copy_relation} copy of ${s.copy_of})` : " (original words)")));
    chart.append(dot);
    if (i === 0 || i === statements.length - 1) {
      chart.append(svg("text", { x: x - 20, y: height - 6 }, s.published || "undated"));
    }
  });
  const legend = el("ul", { class: "chart-legend" },
    el("li", {}, el("span", { class: "swatch dot" }), "an article with its own words"),
    el("li", {}, el("span", { class: "swatch square" }), "a copy (line: to what it copies)"));
  return el("figure", { class: "chart" }, chart, legend);
}
