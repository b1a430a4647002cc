// The speaker page (names, roles, statements per week by outlet, claims, co-quoted
// speakers) and the claim page (how it spread, every statement, JSON-LD).

import { spreadChart, weekChart } from "./charts.js";
import {
  api, articleLink, claimLink, el, exportLinks, plural, speakerCell, speakerLink, speakerName,
  table, view,
} from "./dom.js";

const STATEMENT_COLUMNS = ["claim", "speaker", "speaker_role", "speaker_score", "source", "cue",
  "content", "kind", "via", "independent_sources", "occurrences", "outlet", "published",
  "article", "url"];

function counted(items) {
  return items.length ? items.map((r) => `${r.name} (${r.count})`).join("; ") : "—";
}

export async function showSpeaker(name) {
  const [profile, data] = await Promise.all([
    api("/api/speaker-profile", { name }), api("/api/speaker", { name })]);
  const variants = [...new Set(profile.speakers.flatMap((s) => s.variants))];
  const top = profile.top_claims.length ? el("ol", { id: "speaker-claims" },
    ...profile.top_claims.map((c) => el("li", {}, el("q", { text: c.text }), " — ",
      el("a", { href: claimLink(c.claim), text: `${plural(c.independent_sources, "source")}`
        + ` · ${c.occurrences} seen` })))) : el("p", { class: "muted", text: "No claims." });
  const company = profile.co_quoted.length ? el("ul", { id: "co-quoted" },
    ...profile.co_quoted.map((c) => el("li", {}, el("a", { href: speakerLink(c.speaker),
      text: c.speaker }), ` — ${plural(c.articles, "article")} together`)))
    : el("p", { class: "muted", text: "Quoted with no other named speaker." });
  view().replaceChildren(
    el("h1", { text: name }),
    el("p", {}, el("strong", { text: "Name variants: " }), variants.join("; ") || "—"),
    el("p", {}, el("strong", { text: "Roles: " }), counted(profile.roles)),
    el("p", {}, el("strong", { text: "Organisations: " }), counted(profile.orgs)),
    el("h2", { text: "Statements per week, by outlet" }),
    weekChart(profile.weeks, profile.undated),
    el("div", { class: "columns" },
      el("section", {}, el("h2", { text: "Most carried claims" }), top),
      el("section", {}, el("h2", { text: "Quoted in the same articles" }), company)),
    el("h2", { text: "Every claim, in the order first made" }),
    claimsTable(data.claims),
    exportLinks(`onrecord-speaker-${name.replace(/\W+/g, "-").slice(0, 40)}`,
      () => data.claims, STATEMENT_COLUMNS));
}

function claimsTable(rows) {
  if (!rows.length) return el("p", { class: "muted", text: "No results." });
  return table(["speaker", "cue", "content", "sources", "outlet", "date"], rows.map((r) =>
    el("tr", { class: "result" },
      el("td", { "data-label": "speaker" }, speakerCell(r)),
      el("td", { "data-label": "cue", text: r.cue }),
      el("td", { "data-label": "content" }, el("a", { href: articleLink(r.article, r.ordinal),
        text: r.content })),
      el("td", { class: "sources", "data-label": "sources" }, el("a", { href: claimLink(r.claim),
        title: `${plural(r.occurrences, "statement")} in all`,
        text: `${plural(r.independent_sources, "source")} · ${r.occurrences} seen` })),
      el("td", { "data-label": "outlet", text: r.outlet || "" }),
      el("td", { "data-label": "date", text: r.published || "" }))), { class: "results" });
}

export async function showClaim(key) {
  const claim = await api(`/api/claims/${encodeURIComponent(key)}`);
  const rows = claim.statements.map((r) => el("tr", { class: "statement" },
    el("td", { "data-label": "date", text: r.published || "" }),
    el("td", { "data-label": "outlet", text: r.outlet || "" }),
    el("td", { "data-label": "article" }, el("a", { href: articleLink(r.article, r.ordinal),
      text: r.article })),
    el("td", { "data-label": "content", text: r.content }),
    el("td", { "data-label": "credited to", text: r.independent_source }),
    el("td", { "data-label": "copy of" }, r.copy_of ? el("a", { href: articleLink(r.copy_of),
      text: `${r.copy_relation} copy of ${r.copy_of}` }) : "")));
  view().replaceChildren(
    // The claim's speaker is its first statement's (and so is the score marked).
    el("h1", {}, claim.speaker ? speakerName(claim.statements[0]) : "(no speaker)"),
    el("blockquote", { text: claim.text }),
    el("p", { id: "claim-counts" }, el("strong", {
      text: `${plural(claim.independent_sources, "independent source")}` }),
    ` (${claim.sources.join(", ")}) in ${plural(claim.occurrences, "statement")}`),
    el("h2", { text: "How it spread" }), spreadChart(claim.statements),
    table(["date", "outlet", "article", "content", "credited to", "copy of"], rows,
      { class: "statements" }),
    exportLinks(`onrecord-claim-${claim.claim}`, () => claim.statements,
      [...STATEMENT_COLUMNS, "independent_source", "copy_relation", "copy_of"]),
    el("p", {}, el("a", { href: `/api/claims/${claim.claim}/jsonld`, id: "jsonld",
      download: `onrecord-claim-${claim.claim}.jsonld`,
      text: "schema.org Claim (JSON-LD), to start a fact-check" })));
}
