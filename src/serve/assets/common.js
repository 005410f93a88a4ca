// What the search page and the document page share: language names, a hit's place in its
// file, the API's error in Norwegian, and the snippet with its matched words marked.
"use strict";

const Lete = (function () {
  const LANGUAGE_NAMES = { nb: "bokmål", nn: "nynorsk", da: "dansk" };

  function languageName(code) {
    return LANGUAGE_NAMES[code] || code || "";
  }

  // `fil.txt:12`, or `rapport.pdf s. 3` for a paged format (when the hit has a page).
  function place(source, line, page) {
    if (typeof page === "number") {
      return source + " s. " + page;
    }
    return source + ":" + line;
  }

  // The API answers an error with {"error": "..."} (in English, as the command line says
  // it); the page says in Norwegian what kind of error it is.
  function describeError(status, message) {
    const detail = message ? " (" + message + ")" : "";
    if (status === 400) return "Søket kan ikke tolkes" + detail + ".";
    if (status === 404) return "Fant ikke det du ba om" + detail + ".";
    if (status === 403) return "Dette vises ikke" + detail + ".";
    if (status === 503) return "Serveren er opptatt eller søket tok for lang tid. Prøv igjen om litt" + detail + ".";
    return "Noe gikk galt på serveren" + detail + ".";
  }

  const NO_CONTACT = "Fikk ikke kontakt med lete. Kjører «lete serve» fortsatt?";

  // Fetches JSON from the API: {ok, status, body}; a lost connection throws.
  async function getJson(url, signal) {
    const answer = await fetch(url, { signal: signal, headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await answer.json();
    } catch (_) {
      body = null;
    }
    return { ok: answer.ok, status: answer.status, body: body };
  }

  // Appends `text` to `parent` with the byte ranges `highlights` (UTF-8, as the API gives
  // them) wrapped in <mark>.
  function appendMarked(parent, text, highlights) {
    const bytes = new TextEncoder().encode(text);
    const decoder = new TextDecoder();
    const ranges = (highlights || []).slice().sort(function (a, b) { return a[0] - b[0]; });
    let at = 0;
    for (const range of ranges) {
      const start = range[0];
      const end = range[1];
      if (start < at || end > bytes.length || start >= end) continue;
      parent.append(decoder.decode(bytes.subarray(at, start)));
      const mark = document.createElement("mark");
      mark.textContent = decoder.decode(bytes.subarray(start, end));
      parent.append(mark);
      at = end;
    }
    parent.append(decoder.decode(bytes.subarray(at)));
  }

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  return {
    languageName: languageName,
    place: place,
    describeError: describeError,
    NO_CONTACT: NO_CONTACT,
    getJson: getJson,
    appendMarked: appendMarked,
    element: element,
  };
})();
