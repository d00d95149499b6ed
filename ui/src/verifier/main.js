// The verifier page: the auditor drops an archive (and may type the key
// ceremony sheet's fingerprint); the steps of docs/verification.md run in
// this browser and the report shows each one: passed, failed (with what
// differed), or not checked — never passed for a step that did not run.
import { verifyArchive, STEPS } from './steps.js';
import { TITLES, PAGE, problem } from './text.js';
import { engine } from './crypto.js';

let lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh';
/** @type {{ report: any, file: string, at: Date } | null} */
let last = null;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

/** A step's state: `passed`, `failed` or `not-checked`. */
function state(s) {
  if (!s.ran) return 'not-checked';
  return s.problems.length ? 'failed' : 'passed';
}

function verdict(report) {
  const states = STEPS.map((id) => state(report.steps[id]));
  if (states.includes('failed')) return 'failed';
  return states.includes('not-checked') ? 'incomplete' : 'passed';
}

function renderPage() {
  const t = PAGE[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t.title;
  $('title').textContent = t.title;
  $('intro').textContent = t.intro;
  $('drop-label').textContent = t.drop;
  $('key-label').textContent = t.key;
  /** @type {HTMLInputElement} */ ($('key')).placeholder = t.keyHint;
  $('lang').textContent = t.lang;
  $('print').textContent = t.print;
  if (last) renderReport();
}

function renderReport() {
  const t = PAGE[lang];
  const { report, file, at } = /** @type {NonNullable<typeof last>} */ (last);
  const v = verdict(report);
  const out = $('report');
  out.replaceChildren();
  out.dataset.verdict = v;
  const words = { passed: t.authentic, failed: t.notAuthentic, incomplete: t.incomplete };
  // A step that ran in part says so even when all of it that ran passed.
  const partly = STEPS.filter((id) => report.steps[id].ran && report.steps[id].skipped.length);
  const note = v === 'passed' && partly.length ? ` ${t.partlyNote(partly.join(', '))}` : '';
  out.append(el('p', { class: `verdict ${v}`, id: 'verdict' }, words[v] + note));
  const facts = el('dl', { class: 'facts' });
  for (const [k, val] of [
    [t.file, file],
    [t.meeting, report.meeting || '—'],
    [t.fingerprint, report.fingerprint || '—'],
    [t.time, at.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')],
    [t.engine, engine.ed25519 || '—'],
  ]) {
    facts.append(el('dt', {}, k), el('dd', {}, val));
  }
  out.append(facts);
  const list = el('ol', { class: 'steps' });
  for (const id of STEPS) {
    const s = report.steps[id];
    const st = state(s);
    const word = { passed: t.passed, failed: t.failed, 'not-checked': t.notChecked }[st];
    const li = el('li', { class: `step ${st}`, 'data-step': id, 'data-state': st });
    const mark = { passed: '✓', failed: '✗', 'not-checked': '–' }[st];
    const count = s.ran ? ` (${s.count} ${t.checked})` : '';
    li.append(el('div', { class: 'head' }, `${mark} ${id} ${TITLES[lang][id]} — ${word}${count}`));
    const problems = el('ul', { class: 'problems' });
    for (const p of s.problems) problems.append(el('li', {}, problem(lang, p)));
    for (const p of s.ran ? s.skipped : []) problems.append(el('li', { class: 'skipped' }, t.partly + problem(lang, p)));
    if (problems.childElementCount) li.append(problems);
    list.append(li);
  }
  out.append(list);
  $('print').hidden = false;
}

async function run(file) {
  const t = PAGE[lang];
  $('report').replaceChildren(el('p', { class: 'running' }, t.running));
  $('report').dataset.verdict = 'running';
  const bytes = new Uint8Array(await file.arrayBuffer());
  const key = /** @type {HTMLInputElement} */ ($('key')).value.trim();
  let report;
  try {
    report = await verifyArchive(bytes, key);
  } catch (e) {
    // A bug or a malformed archive the steps did not foresee: say so, pass nothing.
    report = { steps: Object.fromEntries(STEPS.map((id) => [id, { id, ran: false, count: 0, problems: [], skipped: [] }])), meeting: '', fingerprint: '' };
    report.steps.V1 = { id: 'V1', ran: true, count: 0, problems: [['unreadable', String(e?.message ?? e)]], skipped: [] };
  }
  last = { report, file: file.name, at: new Date() };
  renderReport();
}

function wire() {
  const input = /** @type {HTMLInputElement} */ ($('file'));
  const drop = $('drop');
  drop.addEventListener('click', () => input.click());
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) run(f);
  });
  input.addEventListener('change', () => {
    if (input.files?.[0]) run(input.files[0]);
  });
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    renderPage();
  });
  $('print').addEventListener('click', () => window.print());
  renderPage();
}

wire();
