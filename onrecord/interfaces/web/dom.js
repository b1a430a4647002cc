// What every page of the web UI shares: building elements, calling the API, links, the
// marks on uncertain speakers, and CSV / JSON Lines exports of a list.
// Article text and everything derived from it is untrusted: it only ever reaches the page
// through textContent and attributes set one by one, never as HTML.

// A resolved speaker scored below this (speaker_score, the calibrated probability that the
// speaker is right) is marked uncertain. The same number as onrecord.settings'
// LOW_SPEAKER_SCORE; tests/test_web_ui.py checks that they agree.
const LOW_SPEAKER_SCORE = 0.5;
export { LOW_SPEAKER_SCORE };

export const view = () => document.getElementById("view");

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

export async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v));
  const response = await fetch(`${path}?${query}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ? String(body.detail) : response.statusText);
  return body;
}

export function articleLink(id, ordinal) {
  const suffix = ordinal === undefined || ordinal === null ? "" : `?a=${ordinal}`;
  return `#/article/${encodeURIComponent(id)}${suffix}`;
}

export const speakerLink = (name) => `#/speaker/${encodeURIComponent(name)}`;
export const claimLink = (key) => `#/claim/${encodeURIComponent(key)}`;
export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// A statement or attribution whose resolved speaker may be wrong: the reader should check
// the text. Its tooltip says so, with the score.
export function uncertain(r) {
  return Boolean(r.speaker) && typeof r.speaker_score === "number"
    && r.speaker_score < LOW_SPEAKER_SCORE;
}

export function uncertainNote(r) {
  return `speaker uncertain (score ${r.speaker_score.toFixed(2)}): check the text`;
}

// A link to the speaker's page, dashed and with a tooltip when the speaker is uncertain.
export function speakerName(r) {
  const attrs = { href: speakerLink(r.speaker), text: r.speaker };
  if (uncertain(r)) Object.assign(attrs, { class: "uncertain", title: uncertainNote(r) });
  return el("a", attrs);
}

export function speakerCell(r) {
  return r.speaker ? speakerName(r)
    : el("span", { class: "muted", text: r.source || "(no source)" });
}

export function table(columns, rows, attrs = {}) {
  const head = el("tr", {}, ...columns.map((h) => el("th", { scope: "col", text: h })));
  return el("table", attrs, el("thead", {}, head), el("tbody", {}, ...rows));
}

// -- exports -------------------------------------------------------------------------

// A spreadsheet runs a cell starting with one of these as a formula: make it text.
const FORMULA = /^[=+\-@\t\r]/;

function csvCell(value) {
  if (value === null || value === undefined) return "";
  let text = Array.isArray(value) ? value.join("; ") : String(value);
  if (typeof value === "object" && !Array.isArray(value)) text = JSON.stringify(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(records, columns) {
  const lines = [columns.join(",")];
  for (const r of records) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

export const toJsonl = (records) => records.map((r) => JSON.stringify(r) + "\n").join("");

function download(name, text, type) {
  const link = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

// "Export: CSV · JSONL" for a list: every record in full as JSON Lines, the named
// columns as CSV. ``records`` is a function, read when the user asks.
export function exportLinks(name, records, columns) {
  const button = (label, make) => el("button", { type: "button", class: "link",
    "data-export": label.toLowerCase(), onclick: () => make(records()) }, label);
  return el("p", { class: "export" }, "Export this list: ",
    button("CSV", (rs) => download(`${name}.csv`, toCsv(rs, columns), "text/csv")), " · ",
    button("JSONL", (rs) => download(`${name}.jsonl`, toJsonl(rs), "application/x-ndjson")));
}
