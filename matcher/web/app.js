// The counsellor page: paste a CV (and optionally an advert), see a card per role.
// Plain JavaScript, no libraries, no network beyond this server's /api/match.
"use strict";

const TEXT = {
  de: {
    title: "Kompetenzabgleich", cvLabel: "Lebenslauf oder Kenntnisse (einfügen)",
    cvPlaceholder: "z. B. Kaltakquise, SAP, Verhandlungsgeschick, Englisch C1 – oder einen ganzen Lebenslauf",
    yearsLabel: "Berufserfahrung (Jahre, optional)", vacancySummary: "Mit einer Stellenanzeige vergleichen (optional)",
    vacancyLabel: "Stellenanzeige (Text einfügen)", go: "Auswerten", print: "Für das Gespräch drucken",
    footer: "Kompetenzen nach dem AMS-Berufsinformationssystem (BIS)", working: "Wird ausgewertet …",
    empty: "Bitte einen Lebenslauf oder eine Liste von Kenntnissen einfügen.",
    summary: (n, k, y) => `${k} von ${n} Angaben erkannt` + (y != null ? `, ${y} Jahre Berufserfahrung` : ""),
    bands: { ready: "bereit", close: "nahe dran", far: "noch weit" },
    core: "Kernanforderungen", further: "Weitere", gates: "Voraussetzungen", missing: "Es fehlt",
    coreTag: "Kern", furtherTag: "weitere", anchor: "Branchenübergreifendes zählt", courses: "Kurse", plan: "Lernplan", after: "danach",
    next: "Nächster Karriereschritt", noMissing: "Nichts Wesentliches.", noGates: "Keine.",
    gateNames: { shows: "zeigt", years: "Jahre Berufserfahrung", education: "Ausbildung", language: "Sprache" },
    status: { met: "erfüllt", unmet: "nicht erfüllt", unknown: "nicht angegeben" },
    preferred: "erwünscht", found: "angegeben",
    readTitle: "So wurde jede Zeile gelesen", notRead: "nicht erkannt", closest: "am ähnlichsten",
    handout: "Auswertung vom", vacancy: "Stelle",
    edu: { vocational: "Lehre/Berufsausbildung", matura: "Matura", bachelor: "Bachelor", master: "Master",
           doctorate: "Doktorat" },
  },
  en: {
    title: "Competency match", cvLabel: "CV or skills (paste)",
    cvPlaceholder: "e.g. cold calling, SAP, negotiation, English C1 – or a whole CV",
    yearsLabel: "Years of experience (optional)", vacancySummary: "Compare with a job advert (optional)",
    vacancyLabel: "Job advert (paste the text)", go: "Match", print: "Print for the meeting",
    footer: "Competencies of the AMS occupational information system (BIS)", working: "Matching …",
    empty: "Please paste a CV or a list of skills.",
    summary: (n, k, y) => `${k} of ${n} items recognised` + (y != null ? `, ${y} years of experience` : ""),
    bands: { ready: "ready", close: "close", far: "far" },
    core: "Core requirements", further: "Further", gates: "Conditions", missing: "Missing",
    coreTag: "core", furtherTag: "further", anchor: "cross-sector counts", courses: "Courses", plan: "Learning plan", after: "then",
    next: "Next career step", noMissing: "Nothing essential.", noGates: "None.",
    gateNames: { shows: "shows", years: "years of experience", education: "education", language: "language" },
    status: { met: "met", unmet: "not met", unknown: "not stated" },
    preferred: "preferred", found: "stated",
    readTitle: "How each line was read", notRead: "not recognised", closest: "closest",
    handout: "Assessment of", vacancy: "Vacancy",
    edu: { vocational: "apprenticeship", matura: "Matura", bachelor: "bachelor", master: "master",
           doctorate: "doctorate" },
  },
};

let lang = "de";
let last = null;

const $ = (sel) => document.querySelector(sel);
const t = () => TEXT[lang];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

function num(x, digits = 1) {
  return Number(x).toLocaleString(lang === "de" ? "de-AT" : "en-GB",
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function label(c) {
  return (lang === "en" && c.label_en) ? c.label_en : c.label_de;
}

function title(r) {
  return (lang === "en" && r.title_en) ? r.title_en : r.title_de;
}

function setLang(next) {
  lang = next;
  document.documentElement.lang = next;
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === next));
  for (const n of document.querySelectorAll("[data-i18n]")) n.textContent = t()[n.dataset.i18n];
  for (const n of document.querySelectorAll("[data-i18n-placeholder]")) n.placeholder = t()[n.dataset.i18nPlaceholder];
  if (last) render(last);
}

function gateText(g, r) {
  const mark = { met: "✓", unmet: "✗", unknown: "?" }[g.status];
  const name = g.name === "language" ? g.subject.charAt(0).toUpperCase() + g.subject.slice(1) : t().gateNames[g.name];
  const shown = g.name === "shows" && [...r.matched, ...r.missing].find((x) => x.competency.id === g.subject);
  const need = g.name === "education" ? (t().edu[g.required] || g.required) : (shown ? label(shown.competency) : g.required);
  const extra = g.mandatory ? "" : ` (${t().preferred})`;
  const found = g.found && g.name !== "shows" ? `; ${t().found}: ${g.name === "education" ? (t().edu[g.found] || g.found) : g.found}` : "";
  return el("li", { class: `gate ${g.status}` }, el("span", { class: "mark", "aria-hidden": "true", text: mark }),
    ` ${name} ${need}${extra}: ${t().status[g.status]}${found}`);
}

function card(r, rank, next) {
  const fit = r.fit.toFixed(1);
  const head = el("div", { class: "card-head" },
    el("h3", { text: `${rank}. ${title(r.role)}` }),
    el("p", { class: "fit" },
      el("span", { class: "fit-value", "data-fit": fit, text: `${num(r.fit)} %` }),
      " ", el("span", { class: `band ${r.band}`, text: t().bands[r.band] })));
  const bar = el("div", { class: "bar", role: "img", "aria-label": `${num(r.fit)} %` }, el("span", { style: `width:${r.fit}%` }));
  const parts = el("p", { class: "parts", text:
    `${t().core}: ${r.core_matched}/${r.core_count} (${num(r.core, 0)} %)` +
    (r.further != null ? ` · ${t().further}: ${num(r.further, 0)} %` : "") +
    (r.anchor != null && r.anchor < 1 ? ` · ${t().anchor}: ${num(100 * r.anchor, 0)} %` : "") });
  const gates = el("ul", { class: "gates" }, ...(r.gates.length ? r.gates.map((g) => gateText(g, r)) : [el("li", { text: t().noGates })]));
  const missing = el("ul", { class: "missing" });
  for (const m of r.missing.slice(0, 6)) {
    const courses = m.courses.slice(0, 2).map((c) => (lang === "en" ? c.title_en : c.title_de) || c.title_de);
    missing.append(el("li", {},
      el("span", { class: `tag ${m.tier}`, text: m.tier === "core" ? t().coreTag : t().furtherTag }), " ",
      label(m.competency),
      courses.length ? el("span", { class: "courses", text: ` – ${t().courses}: ${courses.join("; ")}` }) : null));
  }
  if (!r.missing.length) missing.append(el("li", { text: t().noMissing }));
  const plan = el("ol", { class: "plan" });
  for (const p of r.plan) {
    const name = (lang === "en" ? p.course.title_en : p.course.title_de) || p.course.title_de;
    plan.append(el("li", { text: `${name}: +${num(p.gain)} → ${num(p.fit_after)} %` }));
  }
  const body = el("div", { class: "card-body" },
    el("h4", { text: t().gates }), gates, el("h4", { text: t().missing }), missing,
    r.plan.length ? el("h4", { text: t().plan }) : null, r.plan.length ? plan : null);
  if (next && next.length) {
    body.append(el("h4", { text: t().next }),
      el("p", { text: next.map((s) => `${lang === "en" ? s.title_en : s.title_de} (${num(s.fit)} %)`).join("; ") }));
  }
  return el("article", { class: `card ${r.band}`, "data-role-id": r.role.id, tabindex: "0" }, head, bar, parts, body);
}

function reading(data) {
  const box = el("details", { class: "reading panel" }, el("summary", { text: t().readTitle }));
  const list = el("ul", {});
  for (const it of data.items) {
    if (["empty"].includes(it.method)) continue;
    const named = [it.competency, ...it.further.map((f) => f.competency)].filter(Boolean).map(label);
    let what;
    if (named.length) what = `${named.join(" + ")} (${it.method})`;
    else if (it.method === "education" || it.method === "experience" || it.method === "goal") what = it.method;
    else what = t().notRead + (it.hint ? ` – ${t().closest}: ${label(it.hint)}` : "");
    list.append(el("li", { class: named.length ? "read" : "unread" }, el("q", { text: it.input.trim() }), ` → ${what}`));
  }
  box.append(list);
  return box;
}

function render(data) {
  const out = $("#results");
  out.replaceChildren();
  // as the CLI counts: a degree or a total of years is a skill item only when it names a subject
  const skills = data.items.filter((i) => !["goal", "empty"].includes(i.method) &&
    (!["education", "experience"].includes(i.method) || i.further.length));
  const known = skills.filter((i) => i.competency || i.further.length).length;
  out.append(el("p", { class: "summary print-only-date", "data-date": new Date().toLocaleDateString(lang) },
    t().summary(skills.length, known, data.years)));
  const grid = el("div", { class: "cards" });
  data.results.forEach((r, i) => grid.append(card(r, i + 1, i === 0 ? data.next_steps : null)));
  out.append(grid, reading(data));
  out.querySelector(".print-only-date").dataset.label = t().handout;
  $("#print").disabled = false;
}

async function submit(ev) {
  ev.preventDefault();
  const error = $("#error");
  error.hidden = true;
  const skills = $("#cv").value;
  if (!skills.trim()) {
    error.textContent = t().empty;
    error.hidden = false;
    $("#cv").focus();
    return;
  }
  const body = { skills };
  const years = $("#years").value;
  if (years !== "") body.years = Number(years);
  const vacancy = $("#vacancy").value;
  if (vacancy.trim()) body.vacancy = vacancy;
  const results = $("#results");
  results.setAttribute("aria-busy", "true");
  $("#go").disabled = true;
  $("#go").textContent = t().working;
  try {
    const res = await fetch("/api/match", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
    const data = await res.json();
    if (!res.ok) throw new Error(data.error + (data.fix ? ` – ${data.fix}` : ""));
    last = data;
    render(data);
  } catch (e) {
    error.textContent = String(e.message || e);
    error.hidden = false;
  } finally {
    results.setAttribute("aria-busy", "false");
    $("#go").disabled = false;
    $("#go").textContent = t().go;
  }
}

$("#form").addEventListener("submit", submit);
$("#print").addEventListener("click", () => window.print());
for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => setLang(b.dataset.lang));
