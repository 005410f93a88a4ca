// The search page: searches as the user types (debounced), keeps the query in the address
// so a search can be shared, lists hits (title › headings, the snippet with matched words
// marked, file and line, language) and moves between them with the arrow keys.
"use strict";

(function () {
  const DEBOUNCE_MS = 200;
  const LIMIT = 20;
  const form = document.getElementById("search");
  const input = document.getElementById("q");
  const language = document.getElementById("lang");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const list = document.getElementById("treff");
  let timer = null;
  let running = null;
  let latest = 0;

  function readAddress() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    language.value = params.get("lang") || "";
  }

  function writeAddress(query, lang) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (lang) params.set("lang", lang);
    const search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  }

  async function search() {
    clearTimeout(timer);
    const query = input.value.trim();
    const lang = language.value;
    writeAddress(query, lang);
    if (running) running.abort();
    if (!query) {
      showNothing();
      return;
    }
    const ticket = ++latest;
    running = new AbortController();
    const params = new URLSearchParams({ q: query, limit: String(LIMIT) });
    if (lang) params.set("lang", lang);
    list.setAttribute("aria-busy", "true");
    let answer;
    try {
      answer = await Lete.getJson("/api/search?" + params, running.signal);
    } catch (err) {
      if (err.name === "AbortError" || ticket !== latest) return;
      showError(Lete.NO_CONTACT);
      return;
    } finally {
      if (ticket === latest) list.removeAttribute("aria-busy");
    }
    if (ticket !== latest) return;
    if (!answer.ok || !answer.body) {
      showError(Lete.describeError(answer.status, answer.body && answer.body.error));
      return;
    }
    showHits(query, lang, answer.body);
  }

  function showNothing() {
    latest++;
    errorBox.hidden = true;
    status.textContent = "";
    list.replaceChildren();
  }

  function showError(message) {
    list.replaceChildren();
    status.textContent = "";
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function showHits(query, lang, body) {
    errorBox.hidden = true;
    list.replaceChildren();
    if (body.hits.length === 0) {
      const hint = lang
        ? " Prøv andre ord, færre ord eller alle språk."
        : " Prøv andre ord eller færre ord.";
      status.textContent = "Ingen treff for «" + query + "»." + hint;
      status.classList.add("none");
      return;
    }
    status.classList.remove("none");
    status.textContent = body.total > body.hits.length
      ? "Viser de " + body.hits.length + " beste av " + body.total + " treff"
      : body.total + " treff";
    for (const hit of body.hits) list.append(hitItem(hit, query));
  }

  function hitItem(hit, query) {
    const item = Lete.element("li", "hit");
    item.setAttribute("lang", hit.lang);
    const link = Lete.element("a", "hit-link");
    link.href = "/doc?" + new URLSearchParams({ source: hit.source, q: query }) + "#L" + hit.line;
    link.append(Lete.element("span", "hit-title", hit.title));
    const path = (hit.heading_path || []).filter(function (heading, i) {
      return !(i === 0 && heading === hit.title);
    });
    if (path.length > 0) {
      link.append(Lete.element("span", "hit-path", " › " + path.join(" › ")));
    }
    const heading = Lete.element("h2", "hit-heading");
    heading.append(link);
    item.append(heading);
    const snippet = Lete.element("p", "snippet");
    Lete.appendMarked(snippet, hit.snippet, hit.highlights);
    item.append(snippet);
    const meta = Lete.element("p", "meta");
    meta.setAttribute("lang", "nb");
    meta.append(Lete.element("span", "where", Lete.place(hit.source, hit.line, hit.page)));
    meta.append(" · ");
    meta.append(Lete.element("span", "language", Lete.languageName(hit.lang)));
    item.append(meta);
    return item;
  }

  function hitLinks() {
    return Array.from(list.querySelectorAll("a.hit-link"));
  }

  // Arrow keys move between the search box and the hits; Esc goes back to the search box;
  // "/" elsewhere on the page goes to it.
  function onKey(event) {
    const links = hitLinks();
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
      const next = links[at + 1];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    } else if (event.key === "Escape" && at >= 0) {
      event.preventDefault();
      input.focus();
    } else if (event.key === "/" && document.activeElement !== input
               && document.activeElement !== language) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", schedule);
  language.addEventListener("change", search);
  document.addEventListener("keydown", onKey);
  window.addEventListener("popstate", function () {
    readAddress();
    search();
  });
  readAddress();
  if (input.value) search();
})();
