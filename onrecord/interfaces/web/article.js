// The article page: the text with sources, cues and contents highlighted (estimative
// terms marked inside them), a details panel for the selected attribution, and the copy
// links in both directions; an altered or spliced quotation is marked, and its details
// compare it with the other renderings of the passage (fidelity.js). Keyboard: Tab to an
// attribution, Enter to open it, n / p for the next and previous one.

import {
  LOW_SPEAKER_SCORE, api, articleLink, claimLink, el, exportLinks, plural, speakerLink,
  uncertain, uncertainNote, view,
} from "./dom.js";
import { fidelityDetails, marked, quoteMark } from "./fidelity.js";

function segments(article) {
  // Character ranges with what covers them: boilerplate, an attribution's span, and an
  // estimative term inside one.
  const marks = [];
  article.boilerplate.forEach(([s, e]) => marks.push({ s, e, kind: "boilerplate" }));
  article.attributions.forEach((a, i) => {
    for (const kind of ["source", "cue", "content"]) {
      a[kind].forEach(([s, e]) => marks.push({ s, e, kind, attribution: i }));
    }
    a.confidence.forEach((c) => marks.push({ s: c.span[0], e: c.span[1], kind: "term", term: c }));
  });
  const cuts = new Set([0, article.text.length]);
  marks.forEach((m) => { cuts.add(m.s); cuts.add(m.e); });
  const points = [...cuts].sort((x, y) => x - y);
  const parts = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [s, e] = [points[i], points[i + 1]];
    const covering = marks.filter((m) => m.s <= s && e <= m.e);
    const span = covering.find((m) => ["source", "cue", "content"].includes(m.kind));
    const term = covering.find((m) => m.kind === "term");
    parts.push({ s, e, kind: span ? span.kind : (covering.some((m) => m.kind === "boilerplate")
      ? "boilerplate" : null), attribution: span ? span.attribution : undefined,
    term: term ? term.term : null });
  }
  return parts;
}

export function termNote(c) {
  if (c.low === null) return `${c.term}: ${c.negated ? "negated" : "hedged"}, no number`;
  return `${c.term}: ${Math.round(c.low * 100)}–${Math.round(c.high * 100)}% (${c.yardstick})`;
}

const words = (text, spans) => spans.map(([s, e]) => text.slice(s, e)).join(" … ");

export function citation(a, article) {
  const who = a.speaker || (a.anonymous ? `(anonymous: ${a.anonymity || "unnamed"})` : "(unnamed)");
  const quote = words(article.text, a.content).replace(/^["“]|["”]$/g, "");
  return [who, `“${quote}”`, article.outlet || "", article.published || "undated",
    article.url || `onrecord article ${article.id}`].filter(Boolean).join(", ");
}

function details(a, article, claim, quote) {
  const score = typeof a.speaker_score === "number"
    ? a.speaker_score.toFixed(2) + (uncertain(a) ? " (uncertain: check the text)" : "") : "—";
  const speaker = a.speaker ? el("a", { href: speakerLink(a.speaker), text: a.speaker })
    : `(${a.anonymity || a.speaker_type})`;
  const claimCell = claim && claim.claim ? el("a", { href: claimLink(claim.claim), id: "claim-link",
    text: `claim ${claim.claim}: ${plural(claim.independent_sources, "source")} · `
      + `${claim.occurrences} seen` }) : "—";
  const rows = [
    ["speaker", speaker, uncertain(a) ? { class: "uncertain", title: uncertainNote(a) } : {}],
    ["speaker score", score], ["score", a.score.toFixed(2)],
    ["type", a.speaker_type], ["role", a.speaker_role || "—"], ["organisation", a.speaker_org || "—"],
    ["source", words(article.text, a.source) || "—"], ["cue", words(article.text, a.cue)],
    ["kind", a.kind], ["via", a.via.join(" → ") || "—"],
    ["confidence", a.confidence.map(termNote).join("; ") || "—"], ["claim", claimCell],
  ];
  const text = citation(a, article);
  const copied = el("span", { class: "muted", role: "status" });
  const copy = el("button", { type: "button", id: "copy-citation", onclick: async () => {
    try {
      await navigator.clipboard.writeText(text);
      copied.textContent = " copied";
    } catch {
      copied.textContent = " select the text above to copy it";
    }
  } }, "Copy this as a citation");
  return el("div", {}, el("dl", {}, ...rows.flatMap(([k, v, attrs = {}]) =>
    [el("dt", { text: k }), el("dd", attrs, v)])),
  el("p", { class: "citation", id: "citation", text }), copy, copied,
  quote || a.fidelity ? fidelityDetails(quote) : "");
}

function legend(article) {
  const node = el("p", { class: "legend", id: "legend" }, "Key: ",
    el("span", { class: "source", text: "source" }), el("span", { class: "cue", text: "cue" }),
    el("span", { class: "content", text: "content" }),
    el("span", { class: "term", text: "estimative term" }),
    el("span", { class: "boilerplate", text: "boilerplate" }));
  const tampered = article.attributions.filter(marked).map((a) => a.fidelity.relation);
  if (tampered.length) {
    node.append(el("span", { class: "legend-mark" }, quoteMark(tampered[0]),
      " quote whose words differ from another rendering"));
  }
  if (article.attributions.some(uncertain)) {
    node.append(el("span", { class: "source uncertain", text: "uncertain speaker",
      title: `speaker score below ${LOW_SPEAKER_SCORE}: check the text` }));
  }
  node.append(el("span", { class: "muted", text: " Tab to a statement, Enter to open; n / p: next / previous." }));
  return node;
}

export async function showArticle(id, selected) {
  const [article, claims, quotes] = await Promise.all([
    api(`/api/articles/${encodeURIComponent(id)}`),
    api(`/api/article-claims/${encodeURIComponent(id)}`),
    api(`/api/article-quotes/${encodeURIComponent(id)}`)]);
  const claimOf = new Map(claims.statements.map((s) => [s.ordinal, s]));
  const quoteOf = new Map(quotes.quotes.map((q) => [q.ordinal, q]));
  // Where each marked quotation's content ends: its mark goes there.
  const markAt = new Map(article.attributions.map((a, i) => [i, a]).filter(([, a]) => marked(a))
    .map(([i, a]) => [i, Math.max(...a.content.map(([, e]) => e))]));
  const panel = el("aside", { class: "panel", id: "details", "aria-label": "attribution details" },
    el("p", { class: "muted", text: "Click a highlighted span to see its attribution." }));
  const body = el("div", { class: "article-text", id: "article-text" });
  let current = null;
  const select = (i) => {
    current = i;
    body.querySelectorAll(".selected").forEach((n) => n.classList.remove("selected"));
    body.querySelectorAll(`[data-attribution="${i}"]`).forEach((n) => n.classList.add("selected"));
    panel.replaceChildren(el("h2", { text: `Attribution ${i + 1} of ${article.attributions.length}` }),
      details(article.attributions[i], article, claimOf.get(i), quoteOf.get(i)));
  };
  const focusable = new Set();
  for (const part of segments(article)) {
    const text = article.text.slice(part.s, part.e);
    if (!part.kind && !part.term) { body.append(document.createTextNode(text)); continue; }
    const span = el("span", { class: [part.kind, part.term ? "term" : ""].filter(Boolean).join(" "),
      text });
    if (part.term) span.title = termNote(part.term);
    if (part.attribution !== undefined) {
      const i = part.attribution, a = article.attributions[i];
      span.dataset.attribution = i;
      span.addEventListener("click", () => select(i));
      if (!focusable.has(i)) {  // one tab stop per attribution, on its first span
        focusable.add(i);
        Object.assign(span, { tabIndex: 0 });
        span.setAttribute("role", "button");
        span.setAttribute("aria-label", `attribution ${i + 1}: ${a.speaker || a.speaker_type}`
          + ` ${words(article.text, a.cue)}${marked(a) ? `, ${a.fidelity.relation} quote` : ""}`);
        span.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); select(i); }
        });
      }
      if (part.kind === "source" && uncertain(a)) {
        span.classList.add("uncertain");
        span.title = uncertainNote(a);
      }
      if (part.kind === "content" && markAt.has(i)) span.classList.add("tampered");
    }
    body.append(span);
    for (const [i, end] of markAt) {
      if (end !== part.e) continue;
      const mark = quoteMark(article.attributions[i].fidelity.relation);
      mark.addEventListener("click", () => select(i));
      body.append(mark);
    }
  }
  body.addEventListener("keydown", (event) => {
    if (event.key !== "n" && event.key !== "p") return;
    const count = article.attributions.length;
    if (!count) return;
    const next = current === null ? 0 : (current + (event.key === "n" ? 1 : count - 1)) % count;
    select(next);
    body.querySelector(`[data-attribution="${next}"][tabindex]`)?.focus();
  });
  const meta = [article.outlet, article.published, article.url].filter(Boolean).join(" · ");
  view().replaceChildren(el("h1", { text: article.id }), el("p", { class: "muted", text: meta }),
    legend(article), el("div", { class: "layout" }, body, panel),
    exportLinks(`onrecord-article-${article.id.replace(/\W+/g, "-").slice(0, 40)}`,
      () => article.attributions.map((a, i) => attributionRecord(a, i, article, claimOf)),
      ["article", "ordinal", "speaker", "speaker_type", "speaker_score", "source", "cue",
        "content", "kind", "via", "score", "claim"]));
  if (selected !== null && article.attributions[selected]) select(selected);
  view().append(await copiesPanel(id));
}

function attributionRecord(a, i, article, claimOf) {
  return { article: article.id, ordinal: i, ...a, source: words(article.text, a.source),
    cue: words(article.text, a.cue), content: words(article.text, a.content),
    claim: claimOf.get(i)?.claim ?? null };
}

// -- copies ----------------------------------------------------------------------------

const SIMILARITY = "similarity: the share of the shorter text's words aligned with the other"
  + " text, swapped words included";
const SPIN = "spin score: how much of the aligned text is single-word swaps";

function relationLine(link, other, direction) {
  const swaps = link.alignment.substitutions.length;
  return el("li", {}, `${direction} `, el("a", { href: articleLink(other), text: other }),
    link.origin_outlet && direction === "copies" ? ` (${link.origin_outlet})` : "",
    `: ${link.relation} copy — ${Math.round(link.similarity * 100)}% of words aligned`
    + `, ${plural(swaps, "word")} swapped (spin score ${link.spin_score.toFixed(2)})`);
}

async function copiesPanel(id) {
  const links = await api(`/api/copy-links/${encodeURIComponent(id)}`);
  const panel = el("section", { class: "copies", id: "copies" }, el("h2", { text: "Copies" }));
  const found = links.copy_of;
  panel.append(el("ul", { id: "copy-links" },
    found ? relationLine(found, found.copy_of, "copies")
      : el("li", { class: "muted", text: "Copies no earlier stored article." }),
    ...(links.copied_by.length ? links.copied_by.map((c) => relationLine(c, c.article, "copied by"))
      : [el("li", { class: "muted", text: "No later stored article copies it." })])));
  panel.append(el("p", { class: "muted", text: `${SIMILARITY}; ${SPIN}.` }));
  if (found) {
    const swaps = found.alignment.substitutions;
    panel.append(el("p", {},
      `${/^[aeiou]/.test(found.relation) ? "An" : "A"} ${found.relation} copy `
      + `(similarity ${found.similarity.toFixed(2)}, spin score `
      + `${found.spin_score.toFixed(2)}) of `,
      el("a", { href: articleLink(found.copy_of), text: found.copy_of }),
      found.origin_outlet ? ` (${found.origin_outlet})` : ""));
    if (swaps.length) {
      panel.append(el("table", { class: "swaps" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "original" }),
          el("th", { scope: "col", text: "this copy" }))),
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
  }
  return panel;
}
