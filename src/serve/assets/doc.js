// The document page: the document's text as lete reads it (read-only), its outline beside
// it, and the passage the address points at (#L<line>) marked and scrolled into view.
"use strict";

(function () {
  const params = new URLSearchParams(location.search);
  const source = params.get("source") || "";
  const query = params.get("q") || "";
  const status = document.getElementById("doc-status");
  const errorBox = document.getElementById("doc-error");
  const article = document.getElementById("document");
  const outline = document.getElementById("outline");
  const outlineList = document.getElementById("outline-list");
  const back = document.getElementById("back");
  const wide = window.matchMedia("(min-width: 60em)");

  if (query) back.href = "/?" + new URLSearchParams({ q: query });

  async function load() {
    if (!source) {
      showError("Adressen sier ikke hvilket dokument som skal vises (source=…).");
      return;
    }
    let answer;
    try {
      answer = await Lete.getJson("/api/outline?" + new URLSearchParams({ source: source }));
    } catch (_) {
      showError(Lete.NO_CONTACT);
      return;
    }
    if (!answer.ok || !answer.body) {
      showError(Lete.describeError(answer.status, answer.body && answer.body.error));
      return;
    }
    show(answer.body);
    markTarget();
  }

  function showError(message) {
    status.textContent = "";
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function show(doc) {
    document.title = doc.title + " – lete";
    const header = Lete.element("header", "doc-header");
    const title = Lete.element("h1", null, doc.title);
    title.id = "doc-title";
    header.append(title);
    const passages = doc.sections.reduce(function (n, s) { return n + s.passages.length; }, 0);
    const meta = Lete.element("p", "meta");
    meta.append(Lete.element("span", "where", doc.source));
    meta.append(" · " + Lete.languageName(doc.lang) + " · " + passages + " avsnitt");
    header.append(meta);
    article.append(header);
    const usedIds = new Set();
    let page = null;
    function anchor(element, passage) {
      element.dataset.line = String(passage.line);
      const id = "L" + passage.line;
      if (!usedIds.has(id)) {
        element.id = id;
        usedIds.add(id);
      }
    }
    doc.sections.forEach(function (section, i) {
      const block = Lete.element("section", "doc-section");
      block.id = "s" + i;
      // The heading shown for the section: its own, or for the part before the first
      // heading the document's title, shown in the header.
      let shownHeading = header;
      let headingText = doc.title;
      if (section.level > 0) {
        const level = Math.min(section.level + 1, 6);
        shownHeading = Lete.element("h" + level, null, section.heading);
        headingText = section.heading;
        block.append(shownHeading);
      }
      section.passages.forEach(function (passage, k) {
        if (typeof passage.page === "number" && passage.page !== page) {
          page = passage.page;
          block.append(Lete.element("p", "page-marker", "Side " + page));
        }
        // A section's first passage starts with its heading (so that a search finds it
        // there); the heading is shown already, so its line is not shown twice. A passage
        // that is only the heading (a heading with sub-headings and no text of its own) is
        // the heading itself: it carries the passage's anchor (break trial of issues 15 to
        // 20, where it was shown again below the heading).
        const shown = k === 0 ? withoutHeading(passage.text, headingText) : passage.text;
        if (shown === "") {
          anchor(shownHeading, passage);
          return;
        }
        const paragraph = Lete.element("p", "passage", shown);
        anchor(paragraph, passage);
        block.append(paragraph);
      });
      article.append(block);
      outlineList.append(outlineItem(section, i, doc.title));
    });
    status.textContent = "";
    article.hidden = false;
    outline.open = wide.matches;
  }

  function withoutHeading(text, heading) {
    if (text.trim() === heading.trim()) return "";
    return text.startsWith(heading + "\n") ? text.slice(heading.length + 1) : text;
  }

  function outlineItem(section, i, title) {
    const item = Lete.element("li", "level-" + Math.min(section.level, 6));
    const link = Lete.element("a", null, section.level === 0 ? title : section.heading);
    link.href = "#s" + i;
    item.append(link);
    return item;
  }

  // The passage of #L<line>: the one starting on that line, else the one the line falls in.
  function targetPassage() {
    const match = /^#L(\d+)$/.exec(location.hash);
    if (!match) return null;
    const exact = document.getElementById("L" + match[1]);
    if (exact) return exact;
    const line = Number(match[1]);
    let best = null;
    for (const passage of article.querySelectorAll("[data-line]")) {
      if (Number(passage.dataset.line) <= line) best = passage;
    }
    return best;
  }

  // An outline link (#s<n>) only scrolls: the marked passage stays marked.
  function markTarget() {
    const passage = targetPassage();
    if (!passage) return;
    for (const old of article.querySelectorAll(".marked")) {
      old.classList.remove("marked");
      const badge = old.querySelector(".badge");
      if (badge) badge.remove();
    }
    for (const current of outlineList.querySelectorAll("[aria-current]")) {
      current.removeAttribute("aria-current");
    }
    passage.classList.add("marked");
    passage.prepend(Lete.element("strong", "badge", "Treffet"));
    passage.tabIndex = -1;
    const section = passage.closest("section");
    if (section) {
      const entry = outlineList.querySelector('a[href="#' + section.id + '"]');
      if (entry) entry.setAttribute("aria-current", "location");
    }
    passage.scrollIntoView({ block: "center" });
    passage.focus({ preventScroll: true });
  }

  window.addEventListener("hashchange", markTarget);
  wide.addEventListener("change", function () { outline.open = wide.matches; });
  load();
})();
