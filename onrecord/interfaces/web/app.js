// onrecord web UI: search, speaker pages, article pages with highlighted spans.
// Article text and everything derived from it is untrusted: it only ever reaches the page
// through textContent and attributes set one by one, never as HTML.
"use strict";

// A resolved speaker scored below this (speaker_score, the calibrated probability that the
// speaker is right) is marked uncertain. The same number as onrecord.settings'
// LOW_SPEAKER_SCORE; tests/test_web_ui.py checks that they agree.
const LOW_SPEAKER_SCORE = 0.5;

const view = () => document.getElementById("view");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  const response = await fetch(`${path}?${query}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ? String(body.detail) : response.statusText);
  return body;
}

function articleLink(id, ordinal) {
  const suffix = ordinal === undefined ? "" : `?a=${ordinal}`;
  return `#/article/${encodeURIComponent(id)}${suffix}`;
}

function speakerLink(name) {
  return `#/speaker/${encodeURIComponent(name)}`;
}

function claimLink(key) {
  return `#/claim/${encodeURIComponent(key)}`;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// A statement or attribution whose resolved speaker may be wrong: the reader should check
// the text. Its tooltip says so, with the score.
function uncertain(r) {
  return Boolean(r.speaker) && typeof r.speaker_score === "number"
    && r.speaker_score < LOW_SPEAKER_SCORE;
}

function uncertainNote(r) {
  return `speaker uncertain (score ${r.speaker_score.toFixed(2)}): check the text`;
}

// A link to the speaker's page, dashed and with a tooltip when the speaker is uncertain.
function speakerName(r) {
  const attrs = { href: speakerLink(r.speaker), text: r.speaker };
  if (uncertain(r)) Object.assign(attrs, { class: "uncertain", title: uncertainNote(r) });
  return el("a", attrs);
}

function speakerCell(r) {
  return r.speaker ? speakerName(r)
                   : el("span", { class: "muted", text: r.source || "(no source)" });
}

// One row per claim: the statement shown, and how many independent outlets carry it
// (copies and reprints followed back to their origin) out of how many statements.
function resultsTable(rows) {
  if (!rows.length) return el("p", { class: "muted", text: "No results." });
  const head = el("tr", {}, ...["speaker", "cue", "content", "sources", "outlet", "date"].map(
    (h) => el("th", { text: h })));
  const body = rows.map((r) => el("tr", { class: "result" },
    el("td", {}, speakerCell(r)),
    el("td", { text: r.cue }),
    el("td", {}, el("a", { href: articleLink(r.article, r.ordinal), text: r.content })),
    el("td", { class: "sources" }, el("a", { href: claimLink(r.claim),
      title: `${plural(r.occurrences, "statement")} in all`,
      text: `${plural(r.independent_sources, "source")} · ${r.occurrences} seen` })),
    el("td", { text: r.outlet || "" }),
    el("td", { text: r.published || "" })));
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

async function showClaim(key) {
  const claim = await api(`/api/claims/${encodeURIComponent(key)}`);
  const head = el("tr", {}, ...["date", "outlet", "article", "content", "credited to", "copy of"]
    .map((h) => el("th", { text: h })));
  const body = claim.statements.map((r) => el("tr", { class: "statement" },
    el("td", { text: r.published || "" }),
    el("td", { text: r.outlet || "" }),
    el("td", {}, el("a", { href: articleLink(r.article, r.ordinal), text: r.article })),
    el("td", { text: r.content }),
    el("td", { text: r.independent_source }),
    el("td", {}, r.copy_of ? el("a", { href: articleLink(r.copy_of),
      text: `${r.copy_relation} copy of ${r.copy_of}` }) : "")));
  view().replaceChildren(
    // The claim's speaker is its first statement's (and so is the score marked).
    el("h1", {}, claim.speaker ? speakerName(claim.statements[0]) : "(no speaker)"),
    el("blockquote", { text: claim.text }),
    el("p", { id: "claim-counts" }, el("strong", {
      text: `${plural(claim.independent_sources, "independent source")}` }),
      ` (${claim.sources.join(", ")}) in ${plural(claim.occurrences, "statement")}`),
    el("table", {}, el("thead", {}, head), el("tbody", {}, ...body)));
}

async function showSearch(params) {
  const form = document.getElementById("search-form");
  for (const key of ["q", "since", "until", "outlet"]) form.elements[key].value = params.get(key) || "";
  const q = params.get("q");
  if (!q) {
    view().replaceChildren(el("p", { class: "muted",
      text: "Search what was said, or open a speaker or an article from the results." }));
    return;
  }
  const rows = await api("/api/search", Object.fromEntries(params));
  view().replaceChildren(el("h1", { text: `Results for “${q}”` }), resultsTable(rows));
}

function timeline(points) {
  const width = 24 * Math.max(points.length, 1) + 20, height = 90;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "timeline");
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  const top = Math.max(1, ...points.map((p) => p.count));
  points.forEach((p, i) => {
    const bar = document.createElementNS(ns, "rect");
    const h = Math.round((p.count / top) * 60);
    bar.setAttribute("x", 10 + i * 24);
    bar.setAttribute("y", 70 - h);
    bar.setAttribute("width", 18);
    bar.setAttribute("height", h);
    const title = document.createElementNS(ns, "title");
    title.textContent = `${p.month}: ${p.count}`;
    bar.append(title);
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", 10 + i * 24);
    label.setAttribute("y", 84);
    label.textContent = p.month.slice(2);
    svg.append(bar, label);
  });
  return svg;
}

async function showSpeaker(name) {
  const data = await api("/api/speaker", { name });
  const variants = [...new Set(data.speakers.flatMap((s) => s.variants))];
  const roles = [...new Set(data.claims.map((r) => r.speaker_role).filter(Boolean))];
  view().replaceChildren(
    el("h1", { text: name }),
    el("p", {}, el("strong", { text: "Name variants: " }), variants.join("; ") || "—"),
    el("p", {}, el("strong", { text: "Roles: " }), roles.join("; ") || "—"),
    el("h2", { text: "Claims over time" }), timeline(data.timeline),
    resultsTable(data.claims));
}

function segments(article) {
  // Character ranges with what covers them: boilerplate, or an attribution's span.
  const marks = [];
  article.boilerplate.forEach(([s, e]) => marks.push({ s, e, kind: "boilerplate" }));
  article.attributions.forEach((a, i) => {
    for (const kind of ["source", "cue", "content"]) {
      a[kind].forEach(([s, e]) => marks.push({ s, e, kind, attribution: i }));
    }
  });
  const cuts = new Set([0, article.text.length]);
  marks.forEach((m) => { cuts.add(m.s); cuts.add(m.e); });
  const points = [...cuts].sort((x, y) => x - y);
  const parts = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const covering = marks.filter((m) => m.s <= s && e <= m.e);
    const span = covering.find((m) => m.kind !== "boilerplate");
    parts.push({ s, e, kind: span ? span.kind : (covering.length ? "boilerplate" : null),
                 attribution: span ? span.attribution : undefined });
  }
  return parts;
}

function details(a, text) {
  const words = (spans) => spans.map(([s, e]) => text.slice(s, e)).join(" … ");
  const score = typeof a.speaker_score === "number"
    ? a.speaker_score.toFixed(2) + (uncertain(a) ? " (uncertain: check the text)" : "") : "—";
  const rows = [
    ["speaker", a.speaker || `(${a.anonymity || a.speaker_type})`,
     uncertain(a) ? { class: "uncertain", title: uncertainNote(a) } : {}],
    ["speaker score", score],
    ["type", a.speaker_type], ["role", a.speaker_role || "—"], ["organisation", a.speaker_org || "—"],
    ["source", words(a.source) || "—"], ["cue", words(a.cue)], ["kind", a.kind],
    ["via", a.via.join(" → ") || "—"],
    ["confidence", a.confidence.map((c) => c.low === null ? `${c.term} (hedged)`
      : `${c.term}: ${Math.round(c.low * 100)}–${Math.round(c.high * 100)}% ${c.yardstick}`)
      .join("; ") || "—"],
  ];
  return el("dl", {}, ...rows.flatMap(([k, v, attrs = {}]) =>
    [el("dt", { text: k }), el("dd", { ...attrs, text: v })]));
}

async function showArticle(id, selected) {
  const article = await api(`/api/articles/${encodeURIComponent(id)}`);
  const panel = el("aside", { class: "panel", id: "details" },
    el("p", { class: "muted", text: "Click a highlighted span to see its attribution." }));
  const body = el("div", { class: "article-text", id: "article-text" });
  const select = (i) => {
    body.querySelectorAll(".selected").forEach((n) => n.classList.remove("selected"));
    body.querySelectorAll(`[data-attribution="${i}"]`).forEach((n) => n.classList.add("selected"));
    panel.replaceChildren(el("h2", { text: `Attribution ${i + 1}` }),
      details(article.attributions[i], article.text));
  };
  for (const part of segments(article)) {
    const words = article.text.slice(part.s, part.e);
    if (!part.kind) { body.append(document.createTextNode(words)); continue; }
    const span = el("span", { class: part.kind, text: words });
    if (part.attribution !== undefined) {
      span.dataset.attribution = part.attribution;
      span.addEventListener("click", () => select(part.attribution));
      const a = article.attributions[part.attribution];
      if (part.kind === "source" && uncertain(a)) {
        span.classList.add("uncertain");
        span.title = uncertainNote(a);
      }
    }
    body.append(span);
  }
  const meta = [article.outlet, article.published, article.url].filter(Boolean).join(" · ");
  const legend = el("p", { class: "legend" }, el("span", { class: "source", text: "source" }),
    el("span", { class: "cue", text: "cue" }), el("span", { class: "content", text: "content" }),
    el("span", { class: "boilerplate", text: "boilerplate" }));
  if (article.attributions.some(uncertain)) {
    legend.append(el("span", { class: "source uncertain", text: "uncertain speaker",
      title: `speaker score below ${LOW_SPEAKER_SCORE}: check the text` }));
  }
  const wrapper = el("div", { class: "article-text legend-wrap" }, legend);
  view().replaceChildren(el("h1", { text: article.id }), el("p", { class: "muted", text: meta }),
    wrapper, el("div", { class: "layout" }, body, panel));
  if (selected !== null && article.attributions[selected]) select(selected);
  view().append(await copiesPanel(id));
}

async function copiesPanel(id) {
  const found = await api(`/api/copies/${encodeURIComponent(id)}`);
  const panel = el("section", { class: "copies", id: "copies" }, el("h2", { text: "Copies" }));
  if (!found.copy_of) {
    panel.append(el("p", { class: "muted", text: "Copies no earlier stored article." }));
    return panel;
  }
  panel.append(el("p", {},
    `${/^[aeiou]/.test(found.relation) ? "An" : "A"} ${found.relation} copy `
    + `(similarity ${found.similarity.toFixed(2)}, spin score `
    + `${found.spin_score.toFixed(2)}) of `,
    el("a", { href: articleLink(found.copy_of), text: found.copy_of }),
    found.origin_outlet ? ` (${found.origin_outlet})` : ""));
  const swaps = found.alignment.substitutions;
  if (swaps.length) {
    panel.append(el("table", { class: "swaps" },
      el("thead", {}, el("tr", {}, el("th", { text: "original" }), el("th", { text: "this copy" }))),
      el("tbody", {}, ...swaps.map(([before, after]) =>
        el("tr", {}, el("td", { text: before }), el("td", { text: after }))))));
  }
  for (const [label, passages] of [["Inserted", found.alignment.inserted],
                                   ["Dropped", found.alignment.dropped]]) {
    if (passages.length) {
      panel.append(el("h3", { text: label }),
        el("ul", {}, ...passages.map((p) => el("li", { text: p }))));
    }
  }
  return panel;
}

async function route() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  try {
    if (path.startsWith("/article/")) {
      const ordinal = params.get("a");
      await showArticle(decodeURIComponent(path.slice(9)), ordinal === null ? null : Number(ordinal));
    } else if (path.startsWith("/claim/")) {
      await showClaim(decodeURIComponent(path.slice(7)));
    } else if (path.startsWith("/speaker/")) {
      await showSpeaker(decodeURIComponent(path.slice(9)));
    } else {
      await showSearch(params);
    }
  } catch (error) {
    view().replaceChildren(el("p", { class: "error", text: `Error: ${error.message}` }));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const params = new URLSearchParams([...data].filter(([, v]) => v));
    location.hash = `#/search?${params}`;
  });
  window.addEventListener("hashchange", route);
  route();
});
