// Quote fidelity on the article page and the home page: the mark on an altered or spliced
// quotation, its details (the renderings compared, the changed words as <del> / <ins>,
// the first on record) and the newest altered quotations. The quoted words are untrusted
// article text: they reach the page as text nodes only (dom.js).

import { articleLink, el, exportLinks, speakerLink } from "./dom.js";

export const MARKED = ["altered", "spliced"];

const MEANING = {
  verbatim: "the same words as the other renderings of this passage",
  trimmed: "a part of the passage, or an omission marked with an ellipsis",
  spliced: "parts from separate places joined with no mark",
  altered: "words changed inside the quotation marks",
  paraphrased: "too few of the words are the same as other renderings",
};

export const marked = (a) => Boolean(a.fidelity) && MARKED.includes(a.fidelity.relation);

// The visible, readable mark after an altered quotation: a symbol, the relation in words,
// and for screen readers what it means.
export function quoteMark(relation) {
  return el("span", { class: "quote-mark", "data-relation": relation,
    title: `${relation} quote: ${MEANING[relation]}; open the statement for the renderings` },
  el("span", { "aria-hidden": "true", text: "≠ " }), relation,
  el("span", { class: "visually-hidden", text: ` quote: ${MEANING[relation]}` }));
}

// A rendering key "ARTICLE_ID#ORDINAL" as a link to that statement.
function keyLink(key) {
  const cut = key.lastIndexOf("#");
  return articleLink(key.slice(0, cut), Number(key.slice(cut + 1)));
}

// ``text`` with each of ``words`` (in order) wrapped in ``tag``: <del> for the reference's
// words that were changed, <ins> for what this rendering has instead.
export function highlighted(text, words, tag) {
  const node = el("span", { class: "quoted" });
  let at = 0;
  for (const word of words.filter(Boolean)) {
    const found = text.indexOf(word, at);
    if (found < 0) continue;
    node.append(text.slice(at, found), el(tag, { text: word }));
    at = found + word.length;
  }
  node.append(text.slice(at));
  return node;
}

export function changeList(changes) {
  return el("ul", { class: "changes" }, ...changes.map(([before, after]) => el("li", {},
    before ? el("del", { text: before }) : el("span", { class: "muted", text: "(nothing)" }),
    el("span", { "aria-hidden": "true", text: " → " }),
    el("span", { class: "visually-hidden", text: " changed to " }),
    after ? el("ins", { text: after }) : el("span", { class: "muted", text: "(dropped)" }))));
}

function renderingItem(r, label, quoted) {
  return el("li", { class: "rendering", "data-quote": r.quote },
    el("p", { class: "rendering-head" }, el("strong", { text: label }),
      ` · ${r.outlet || "(no outlet)"} · ${r.published || "undated"} · `,
      el("a", { href: articleLink(r.article, r.ordinal), text: r.article })),
    el("blockquote", {}, quoted));
}

// The details panel's section for a quotation (a QuoteWithRenderings of
// /api/article-quotes), or a line saying there is nothing to compare.
export function fidelityDetails(q) {
  const section = el("section", { class: "fidelity", id: "fidelity" },
    el("h3", { text: "Quote fidelity" }));
  if (!q || !q.relation) {
    section.append(el("p", { class: "muted",
      text: "No other rendering of this passage by this speaker is on record." }));
    return section;
  }
  const changedFrom = q.changes.map(([before]) => before);
  const changedTo = q.changes.map(([, after]) => after);
  section.append(el("p", { id: "fidelity-relation" }, el("strong", { text: q.relation }),
    `: ${MEANING[q.relation]} (compared with ${q.compared} other rendering`
    + `${q.compared === 1 ? "" : "s"}).`));
  if (q.changes.length) section.append(el("p", { text: "Changed words:" }), changeList(q.changes));
  const items = [renderingItem(q, "this one", highlighted(q.words.join(" … "), changedTo, "ins"))];
  for (const r of q.renderings) {
    const label = r.quote === q.reference ? "reference" : r.relation || "unrelated";
    const words = r.words.join(" … ");
    items.push(renderingItem(r, label, r.quote === q.reference
      ? highlighted(words, changedFrom, "del") : el("span", { class: "quoted", text: words })));
  }
  section.append(el("p", { text: "Renderings compared (the reference: the one most agree with):" }),
    el("ol", { class: "renderings", id: "renderings" }, ...items));
  const first = q.first_on_record;
  if (first) {
    section.append(el("p", { id: "first-on-record" }, "First on record: ",
      el("a", { href: keyLink(first.key), id: "first-on-record-link",
        text: `${first.outlet || first.article}, ${first.published || "undated"}` }),
      ` (${first.article})`, first.key === q.quote ? " — this one."
        : first.matches ? " — this one has its words." : " — this one differs from it."));
  }
  return section;
}

// -- home ------------------------------------------------------------------------------

const QUOTE_COLUMNS = ["published", "outlet", "quote", "article", "speaker", "relation",
  "changes", "words", "reference", "reference_words", "first_on_record"];

export function alteredQuotes(quotes) {
  const section = el("section", { id: "altered-quotes" },
    el("h2", { text: "Newest altered quotes" }));
  if (!quotes.length) {
    section.append(el("p", { class: "muted", text: "No altered or spliced quotation on record." }));
    return section;
  }
  section.append(el("ol", { class: "altered" }, ...quotes.map((q) => el("li", {},
    q.speaker ? el("a", { href: speakerLink(q.speaker), text: q.speaker }) : "(unnamed)", ": ",
    el("q", {}, highlighted(q.words.join(" … "), q.changes.map(([, after]) => after), "ins")),
    " ", quoteMark(q.relation), " — ",
    el("a", { href: articleLink(q.article, q.ordinal), text: `${q.outlet || q.article}, `
      + `${q.published || "undated"}` }),
    q.changes.length ? changeList(q.changes) : ""))),
  exportLinks("onrecord-altered-quotes", () => quotes, QUOTE_COLUMNS));
  return section;
}
