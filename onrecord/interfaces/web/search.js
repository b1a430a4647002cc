// The home dashboard (with the newest altered quotes, fidelity.js) and the search page: claims with a total, pages, a sort and facets.
// Everything the search shows is in the URL (#/search?q=…&speaker=…&page=2), so a search
// can be shared and the back button goes to the previous state.

import { dayChart } from "./charts.js";
import {
  api, articleLink, claimLink, el, exportLinks, plural, speakerCell, speakerLink, table, view,
} from "./dom.js";
import { alteredQuotes } from "./fidelity.js";

const FACETS = [["speaker", "Speaker"], ["outlet", "Outlet"], ["speaker_type", "Speaker type"],
  ["kind", "Kind"], ["anonymous", "Anonymous"]];
const FILTERS = ["q", "since", "until", "outlet", "speaker", "speaker_type", "kind", "anonymous",
  "sort", "page", "per_page"];
const SORTS = [["newest", "newest"], ["sources", "most sources"]];

export function searchHref(params, changes = {}) {
  const next = new URLSearchParams();
  for (const key of FILTERS) {
    const value = key in changes ? changes[key] : params.get(key);
    if (value) next.set(key, value);
  }
  return `#/search?${next}`;
}

// -- home ------------------------------------------------------------------------------

export async function showHome() {
  const data = await api("/api/dashboard");
  const counts = Object.entries(data.counts).map(([name, n]) =>
    el("div", { class: "count" }, el("dt", { text: name }), el("dd", { text: n.toLocaleString("en") })));
  const speakers = (rows) => rows.length
    ? el("ol", {}, ...rows.map((r) => el("li", {}, el("a", { href: speakerLink(r.speaker),
      text: r.speaker }), ` — ${plural(r.count, "statement")}`)))
    : el("p", { class: "muted", text: "No dated statements in this period." });
  const claims = data.top_claims.length
    ? el("ol", { id: "top-claims" }, ...data.top_claims.map((c) => el("li", {},
      el("a", { href: claimLink(c.claim), text: `${plural(c.independent_sources, "source")}` }),
      `: ${c.speaker || "(no speaker)"} — `, el("q", { text: c.text }))))
    : el("p", { class: "muted", text: "No claims stored yet." });
  const period = data.latest ? ` (to ${data.latest}, the newest date stored)` : "";
  view().replaceChildren(
    el("h1", { text: "The record at a glance" }),
    el("dl", { class: "counts", id: "counts" }, ...counts),
    el("div", { class: "columns" },
      el("section", {}, el("h2", { text: `Most quoted, last 7 days${period}` }),
        speakers(data.speakers_week)),
      el("section", {}, el("h2", { text: "Most quoted, last 30 days" }),
        speakers(data.speakers_month))),
    el("section", {}, el("h2", { text: "Claims with the most independent sources" }), claims),
    alteredQuotes(data.altered_quotes),
    el("section", {}, el("h2", { text: "Articles per day, last 60 days" }),
      data.articles_per_day.length ? dayChart(data.articles_per_day)
        : el("p", { class: "muted", text: "No dated articles." })));
}

// -- search ----------------------------------------------------------------------------

export async function showSearch(params) {
  if (!params.get("q")) {
    view().replaceChildren(el("p", { class: "muted",
      text: "Type words above to search what was said." }));
    return;
  }
  const query = Object.fromEntries([...params].filter(([k]) => FILTERS.includes(k)));
  const data = await api("/api/claims", query);
  const q = params.get("q");
  const rows = data.results;
  view().replaceChildren(
    el("h1", { text: `Results for “${q}”` }),
    el("div", { class: "search-layout" }, facetPanel(params, data.facets),
      el("section", { "aria-label": "results" },
        summary(params, data), activeFilters(params), resultsTable(rows),
        pager(params, data),
        exportLinks(`onrecord-search-${q.replace(/\W+/g, "-").slice(0, 40)}`,
          () => rows.map(flatResult), RESULT_COLUMNS))));
}

const RESULT_COLUMNS = ["claim", "speaker", "cue", "content", "independent_sources",
  "occurrences", "outlet", "published", "article", "outlets", "latest", "url"];

function flatResult(r) {
  return { ...r.original, outlets: r.outlets, latest: r.latest };
}

function summary(params, data) {
  const sort = params.get("sort") || "newest";
  const order = el("p", { class: "sort" }, "Sort: ", ...SORTS.flatMap(([value, label], i) => [
    i ? " · " : "",
    value === sort ? el("strong", { "aria-current": "true", text: label })
      : el("a", { href: searchHref(params, { sort: value, page: null }), text: label })]));
  return el("div", { class: "summary" },
    el("p", { id: "total" }, el("strong", { text: plural(data.total, "claim") }),
      ` · page ${data.page} of ${data.pages}`), order);
}

function activeFilters(params) {
  const active = FACETS.filter(([key]) => params.get(key));
  if (!active.length) return "";
  return el("p", { class: "active-filters" }, "Filtered by: ", ...active.flatMap(([key, label]) => [
    el("a", { class: "chip", href: searchHref(params, { [key]: null, page: null }),
      "aria-label": `remove filter ${label}: ${params.get(key)}`,
      text: `${label}: ${params.get(key)} ×` }), " "]));
}

function facetPanel(params, facets) {
  return el("nav", { class: "facets", "aria-label": "facets" }, ...FACETS.map(([key, label]) => {
    const values = facets[key];
    if (!values.length) return "";
    return el("section", { class: "facet", "data-facet": key }, el("h2", { text: label }),
      el("ul", {}, ...values.map((v) => {
        const value = key === "anonymous" ? (v.value === "yes" ? "true" : "false") : v.value;
        const on = params.get(key) === value;
        return el("li", {}, el("a", {
          href: searchHref(params, { [key]: on ? null : value, page: null }),
          "aria-current": on ? "true" : "false", text: v.value }),
        el("span", { class: "count", text: ` ${v.count}` }));
      })));
  }));
}

function resultsTable(rows) {
  if (!rows.length) return el("p", { class: "muted", text: "No results." });
  return table(["speaker", "cue", "content", "sources", "outlets (original first)", "date"],
    rows.map(({ original: r, outlets }) => el("tr", { class: "result" },
      el("td", { "data-label": "speaker" }, speakerCell(r)),
      el("td", { "data-label": "cue", text: r.cue }),
      el("td", { "data-label": "content" }, el("a", { href: articleLink(r.article, r.ordinal),
        text: r.content })),
      el("td", { class: "sources", "data-label": "sources" }, el("a", { href: claimLink(r.claim),
        title: `${plural(r.occurrences, "statement")} in all`,
        text: `${plural(r.independent_sources, "source")} · ${r.occurrences} seen` })),
      el("td", { class: "outlets", "data-label": "outlets" }, ...outlets.flatMap((o, i) =>
        [i ? ", " : "", i === 0 ? el("strong", { text: o }) : o])),
      el("td", { "data-label": "date", text: r.published || "" }))),
    { class: "results" });
}

function pager(params, data) {
  if (data.pages <= 1) return "";
  const link = (page, label, rel) => page < 1 || page > data.pages
    ? el("span", { class: "muted", text: label })
    : el("a", { href: searchHref(params, { page: String(page) }), rel, text: label });
  return el("nav", { class: "pager", "aria-label": "pages" },
    link(data.page - 1, "← previous", "prev"), ` page ${data.page} of ${data.pages} `,
    link(data.page + 1, "next →", "next"));
}
