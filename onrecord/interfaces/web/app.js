// onrecord web UI: the router. Pages: the home dashboard (#/), search (#/search?q=…),
// an article (#/article/ID?a=N), a speaker (#/speaker/NAME) and a claim (#/claim/KEY).
// Each page is a module; dom.js says how untrusted text reaches the page (as text only).

import { showArticle } from "./article.js";
import { el, view } from "./dom.js";
import { showClaim, showSpeaker } from "./record.js";
import { searchHref, showHome, showSearch } from "./search.js";

const FORM_FIELDS = ["q", "since", "until", "outlet"];

// The search box shows the search being looked at, and is empty on every other page.
function fillForm(params) {
  const form = document.getElementById("search-form");
  for (const key of FORM_FIELDS) form.elements[key].value = params.get(key) || "";
}

async function route() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  fillForm(path.startsWith("/search") ? params : new URLSearchParams());
  try {
    if (path.startsWith("/article/")) {
      const ordinal = params.get("a");
      await showArticle(decodeURIComponent(path.slice(9)), ordinal === null ? null : Number(ordinal));
    } else if (path.startsWith("/claim/")) {
      await showClaim(decodeURIComponent(path.slice(7)));
    } else if (path.startsWith("/speaker/")) {
      await showSpeaker(decodeURIComponent(path.slice(9)));
    } else if (path.startsWith("/search")) {
      await showSearch(params);
    } else {
      await showHome();
    }
  } catch (error) {
    view().replaceChildren(el("p", { class: "error", text: `Error: ${error.message}` }));
  }
  document.body.dataset.ready = location.hash || "#/";
}

function start() {
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const params = new URLSearchParams([...data].filter(([, v]) => v));
    location.hash = searchHref(params);
  });
  window.addEventListener("hashchange", route);
  route();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
