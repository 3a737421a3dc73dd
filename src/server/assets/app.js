// The workbench page: catalogue search as you type, scoring one company, ranking an uploaded list
// and working through the ranked list (filters, pages, downloads, the routing report).
// Plain DOM code; untrusted text is only ever inserted as text nodes.
'use strict';

const $ = (id) => document.getElementById(id);

// ---- language ---------------------------------------------------------------------------------
const isEn = () => document.documentElement.lang === 'en';
const langListeners = [];
function setLang(lang) {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  $('lang').textContent = lang === 'en' ? '中文' : 'EN';
  try { localStorage.setItem('leadmatch.lang', lang); } catch (_) { /* private mode */ }
  for (const f of langListeners) f();
}
$('lang').addEventListener('click', () => setLang(document.documentElement.lang === 'en' ? 'zh' : 'en'));
try { if (localStorage.getItem('leadmatch.lang') === 'en') setLang('en'); } catch (_) { /* ignore */ }

/** A bilingual text: <span class="zh">…</span> <span class="en">…</span>. */
function bi(zh, en) {
  const f = document.createDocumentFragment();
  f.append(el('span', { class: 'zh' }, zh), ' ', el('span', { class: 'en' }, en));
  return f;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function status(id, node, isError) {
  const s = $(id);
  s.replaceChildren(node || '');
  s.classList.toggle('error', !!isError);
}

// ---- token ------------------------------------------------------------------------------------
let token = '';
try { token = sessionStorage.getItem('leadmatch.token') || ''; } catch (_) { /* ignore */ }
if (location.hash.startsWith('#token=')) {
  token = decodeURIComponent(location.hash.slice(7));
  history.replaceState(null, '', location.pathname);
}
$('token-save').addEventListener('click', () => {
  token = $('token').value.trim();
  try { sessionStorage.setItem('leadmatch.token', token); } catch (_) { /* ignore */ }
  $('token-bar').hidden = true;
});

async function api(path, init) {
  init = init || {};
  init.headers = Object.assign({}, init.headers || {});
  if (token) init.headers.Authorization = 'Bearer ' + token;
  const res = await fetch(path, init);
  if (res.status === 401) $('token-bar').hidden = false;
  return res;
}

/** The server's message (Chinese and English already), or one of ours for the status. */
async function errorText(res) {
  try {
    const j = await res.json();
    if (j && j.error) return j.error;
  } catch (_) { /* not JSON */ }
  if (res.status === 401) return '需要访问令牌 This workbench needs an access token: enter it above.';
  if (res.status === 413) return '文件太大 The file is too large: split it and upload the parts.';
  if (res.status === 503) return '服务器繁忙或超时 The workbench is busy or the work took too long: try again in a moment.';
  return `请求失败（${res.status}）Request failed (${res.status}): try again; if it keeps failing, restart the workbench.`;
}
const OFFLINE = () => bi('无法连接工作台：请确认启动工作台的窗口仍开着，然后重试',
  'Cannot reach the workbench: check that the window that started it is still open, then try again');

// ---- catalogue names in English; flags as words --------------------------------------------
const names = { sector: {}, industry: {} };
api('/api/catalog').then((r) => (r.ok ? r.json() : null)).then((c) => {
  if (!c) return;
  for (const s of c.sectors) names.sector[s.id] = s.name_en;
  for (const i of c.industries) names.industry[i.id] = i.name_en;
  for (const f of langListeners) f();
}).catch(() => { /* names stay Chinese */ });

/** Chinese text with its English form: both in Chinese mode (English muted), English only in English mode. */
function nameOf(kind, id, zh) {
  const en = names[kind][id];
  return en ? bi(zh, en) : document.createTextNode(zh);
}

/** The sector › industry of a match, in the page's language. */
function sectorIndustry(m, compact) {
  const en = names.sector[m.sector_id];
  const ien = names.industry[m.industry_id];
  const zh = `[${m.sector_no}] ${m.sector} › ${m.industry}`;
  if (!en || !ien) return document.createTextNode(zh);
  const english = `[${m.sector_no}] ${en} › ${ien}`;
  if (compact) return el('span', {}, el('span', { class: 'only-zh' }, zh), el('span', { class: 'only-en' }, english));
  return bi(zh, english);
}

const FLAGS = {
  credit_code_invalid: ['信用代码无效', 'invalid credit code'],
  scope_empty: ['经营范围为空', 'empty business scope'],
  truncated: ['内容过长已截断', 'text cut (too long)'],
  ragged: ['列数不齐', 'wrong number of cells'],
  invalid_bytes: ['含无法识别的字符', 'unreadable characters'],
};
function flagWords(code) {
  const w = FLAGS[code] || [code.replace(/_/g, ' '), code.replace(/_/g, ' ')];
  return el('span', { class: 'flag' }, el('span', { class: 'only-zh' }, w[0]), el('span', { class: 'only-en' }, w[1]));
}

// ---- search -----------------------------------------------------------------------------------
/** Renders a snippet whose matched words come wrapped in <b>…</b> (the rest HTML-escaped). */
function snippetNode(html) {
  const out = el('span', { class: 'snip' });
  const decode = document.createElement('textarea');
  html.split(/(<b>|<\/b>)/).reduce((bold, part) => {
    if (part === '<b>') return true;
    if (part === '</b>') return false;
    decode.innerHTML = part;
    const text = decode.value;
    out.append(bold ? el('b', {}, text) : text);
    return bold;
  }, false);
  return out;
}

let searchSeq = 0;
let searchTimer = null;
async function runSearch() {
  const q = $('q').value.trim();
  const seq = ++searchSeq;
  if (!q) { $('hits').replaceChildren(); status('search-status', ''); return; }
  status('search-status', bi('检索中…', 'Searching…'));
  try {
    const res = await api('/api/search?limit=10&q=' + encodeURIComponent(q));
    if (seq !== searchSeq) return;
    if (!res.ok) { status('search-status', await errorText(res), true); return; }
    const data = await res.json();
    if (seq !== searchSeq) return;
    const items = data.hits.map((h) => el('li', { class: 'hit' },
      el('div', { class: 'title' }, sectorIndustry(h, true)),
      snippetNode(h.snippet || ''),
      el('div', { class: 'meta' },
        bi('牵头单位', 'Lead unit'), '：' + h.lead_unit,
        h.carriers.length ? el('span', {}, ' · ', bi('载体', 'Carriers'), '：' + h.carriers.join('、')) : null)));
    $('hits').replaceChildren(...items);
    status('search-status', data.hits.length
      ? bi(`${data.hits.length} 条结果`, `${data.hits.length} result(s)`)
      : bi('没有找到，换个词试试', 'Nothing found; try another word'));
  } catch (e) {
    if (seq === searchSeq) status('search-status', OFFLINE(), true);
  }
}
$('q').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 200);
});

// ---- score ------------------------------------------------------------------------------------
const VERDICT = {
  target: ['重点目标', 'Target'],
  possible: ['可关注', 'Possible'],
  none: ['不匹配', 'No match'],
};

/** The scope with its evidence marked: at the server's `marks` (UTF-16 ranges, which also find
 *  simplified evidence in a traditional scope and English words with other endings), else by
 *  searching the words (longest first, no overlaps). */
function markedScope(scope, words, marks) {
  if (Array.isArray(marks)) {
    const out = el('div', { class: 'scope', id: 'scope-marked' });
    let at = 0;
    for (const [s, e] of marks) {
      if (s < at || e > scope.length) continue;
      out.append(scope.slice(at, s), el('mark', {}, scope.slice(s, e)));
      at = e;
    }
    out.append(scope.slice(at));
    return out;
  }
  const lower = scope.toLowerCase();
  const spans = [];
  const sorted = [...new Set(words)].filter((w) => w).sort((a, b) => b.length - a.length);
  for (const w of sorted) {
    const lw = w.toLowerCase();
    let i = lower.indexOf(lw);
    while (i >= 0) {
      const end = i + lw.length;
      if (!spans.some(([s, e]) => i < e && end > s)) spans.push([i, end]);
      i = lower.indexOf(lw, end);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const out = el('div', { class: 'scope', id: 'scope-marked' });
  let at = 0;
  for (const [s, e] of spans) {
    out.append(scope.slice(at, s), el('mark', {}, scope.slice(s, e)));
    at = e;
  }
  out.append(scope.slice(at));
  return out;
}

function renderScore(r, scope) {
  const [vz, ve] = VERDICT[r.verdict] || [r.verdict, r.verdict];
  const box = $('score-result');
  const head = el('p', {},
    el('span', { class: 'badge ' + r.verdict, id: 'verdict' }, bi(vz, ve)),
    '  ', bi('匹配度', 'fit'), ' ' + Number(r.fit).toFixed(2));
  const parts = [head];
  if (r.priority) {
    parts.push(el('p', {}, bi('优先级', 'Priority'), ` ${r.priority.tier} (${r.priority.score})`));
  }
  if (r.flags && r.flags.length) parts.push(el('p', { class: 'meta' }, bi('问题', 'Flags'), '：', ...r.flags.map(flagWords)));
  if (r.declared_industry) parts.push(el('p', { class: 'meta' }, bi('申报行业', 'Declared industry'), '：' + r.declared_industry));
  if (r.counter_evidence && r.counter_evidence.length) {
    parts.push(el('p', { class: 'meta' }, bi('反向证据', 'Counter-evidence'), '：' + r.counter_evidence.join('、')));
  }
  if (!r.matches.length) parts.push(el('p', {}, bi('未匹配到规划产业', 'No plan sector matched.')));
  r.matches.forEach((m, i) => {
    parts.push(el('div', { class: 'match' },
      el('h3', {}, `#${i + 1} `, sectorIndustry(m, true)),
      el('div', { class: 'meta' }, bi('得分', 'score'), ' ' + Number(m.score).toFixed(2), ' · ',
        bi('条款', 'clause'), ' 温政办〔2019〕50号 ' + m.clause),
      m.evidence.length ? el('div', { class: 'evidence' }, bi('依据', 'Evidence'), '：',
        ...m.evidence.map((w) => el('span', { class: 'ev' }, w))) : null,
      el('div', {}, bi('牵头单位', 'Lead unit'), '：' + m.lead_unit),
      m.responsible_units.length ? el('div', { class: 'meta' }, bi('责任单位', 'Responsible'), '：' + m.responsible_units.join('、')) : null,
      m.carriers.length ? el('div', { class: 'meta' }, bi('载体', 'Carriers'), '：' + m.carriers.join('、')) : null));
  });
  if (scope.trim()) {
    const words = r.matches.flatMap((m) => m.evidence).concat(r.counter_evidence || []);
    parts.push(el('h3', {}, bi('经营范围（依据已标出）', 'Scope (evidence highlighted)')), markedScope(scope, words, r.marks));
  }
  box.replaceChildren(...parts);
}

let lastScore = null;
langListeners.push(() => { if (lastScore) renderScore(...lastScore); });

$('score-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const profile = {};
  for (const k of ['name', 'scope', 'industry', 'registered_capital', 'revenue']) {
    const v = ev.target.elements[k].value.trim();
    if (v) profile[k] = v;
  }
  if (!profile.name && !profile.scope) {
    status('score-status', bi('请填写企业名称或经营范围', 'Give a company name or a business scope'), true);
    return;
  }
  $('score-btn').disabled = true;
  status('score-status', bi('评分中…', 'Scoring…'));
  try {
    const res = await api('/api/score', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(profile),
    });
    if (!res.ok) {
      $('score-result').replaceChildren();
      status('score-status', await errorText(res), true);
      return;
    }
    lastScore = [await res.json(), profile.scope || ''];
    renderScore(...lastScore);
    status('score-status', '');
  } catch (e) {
    $('score-result').replaceChildren();
    lastScore = null;
    status('score-status', OFFLINE(), true);
  } finally {
    $('score-btn').disabled = false;
  }
});

// ---- rank: upload, then the ranked list --------------------------------------------------------
function downloadName(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) { try { return decodeURIComponent(star[1]); } catch (_) { /* fall through */ } }
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

let limits = null;
api('/api/limits').then((r) => (r.ok ? r.json() : null)).then((l) => {
  if (!l) return;
  limits = l;
  $('limit-note').replaceChildren(bi(
    `文件最大 ${l.max_body_text}，最多 ${l.max_rows.toLocaleString()} 行。`,
    `Up to ${l.max_body_text} and ${l.max_rows.toLocaleString()} rows per file.`));
}).catch(() => { /* the server checks anyway */ });

function renderReport(s) {
  const row = (zh, en, v) => el('tr', {}, el('th', {}, bi(zh, en)), el('td', {}, v));
  const rows = [
    row('读入行数', 'Rows read', String(s.rows_in)),
    row('已排名', 'Ranked', String(s.rows_out)),
    row('重点目标', 'Target', String(s.target)),
    row('可关注', 'Possible', String(s.possible)),
    row('不匹配', 'No match', String(s.none)),
    row('拒收', 'Rejected', String(s.rejected)),
  ];
  const flags = Object.entries(s.flags || {});
  if (flags.length) {
    rows.push(row('问题标记', 'Flags', el('span', {}, ...flags.flatMap(([f, n]) => [flagWords(f), ` ${n}  `]))));
  }
  const reasons = Object.entries(s.reject_reasons || {});
  if (reasons.length) rows.push(row('拒收原因', 'Reject reasons', reasons.map(([f, n]) => `${f}: ${n}`).join('; ')));
  if (s.first_rejects && s.first_rejects.length) {
    rows.push(row('拒收行号', 'Rejected rows', s.first_rejects.map(([r]) => r).join(', ')));
  }
  rows.push(row('用时', 'Time', (s.elapsed_ms / 1000).toFixed(2) + ' s'));
  $('rank-report').replaceChildren(
    el('h3', {}, bi('筛选报告', 'Screening report')),
    el('table', { id: 'report-table' }, el('tbody', {}, ...rows)));
}

/** The ranked list on the server, and what the page shows of it. */
const list = { id: null, name: '', facets: null, offset: 0, total: 0, rows: [] };
const PAGE = 50;

function clearList() {
  list.id = null;
  list.rows = [];
  $('list').hidden = true;
  $('list-table').tBodies[0].replaceChildren();
  $('rank-report').replaceChildren();
  $('units').replaceChildren();
}

function option(value, zh, en) {
  const o = el('option', { value });
  o.textContent = isEn() ? en : zh;
  return o;
}

function fillFilters() {
  const f = list.facets;
  const keep = (id) => $(id).value;
  const refill = (id, opts) => { const v = keep(id); $(id).replaceChildren(...opts); $(id).value = v; if ($(id).value !== v) $(id).value = ''; };
  refill('flt-sector', [option('', '全部产业', 'All sectors'),
    ...f.sectors.map((s) => option(s.id, `[${s.no}] ${s.name}（${s.count}）`, `[${s.no}] ${s.name_en} (${s.count})`))]);
  const t = f.tiers || {};
  const upTo = (c) => ['A', 'B', 'C', 'D'].slice(0, 'ABCD'.indexOf(c) + 1).reduce((n, x) => n + (t[x] || 0), 0);
  refill('flt-tier', [option('', '全部等级', 'All tiers'),
    option('A', `A（${upTo('A')}）`, `A (${upTo('A')})`),
    option('B', `A–B（${upTo('B')}）`, `A–B (${upTo('B')})`),
    option('C', `A–C（${upTo('C')}）`, `A–C (${upTo('C')})`)]);
  const v = f.verdicts || {};
  refill('flt-verdict', [option('', '全部判定', 'All verdicts'),
    ...Object.keys(VERDICT).map((k) => option(k, `${VERDICT[k][0]}（${v[k] || 0}）`, `${VERDICT[k][1]} (${v[k] || 0})`))]);
  refill('flt-unit', [option('', '全部牵头单位', 'All lead units'),
    ...f.lead_units.map((u) => option(u.name, `${u.name}（${u.count}）`, `${u.name} (${u.count})`))]);
  $('units').replaceChildren(...f.lead_units.map((u) => el('li', {},
    el('span', { class: 'unit' }, `${u.name}`), el('span', { class: 'meta' }, ` ${u.count} `),
    (() => {
      const b = el('button', { type: 'button', class: 'secondary unit-dl', 'data-unit': u.name }, bi('下载', 'Download'));
      b.addEventListener('click', () => download({ lead_unit: u.name }, 'xlsx', b));
      return b;
    })())));
}

function filters() {
  const q = {};
  for (const [k, id] of [['sector', 'flt-sector'], ['tier', 'flt-tier'], ['verdict', 'flt-verdict'], ['lead_unit', 'flt-unit']]) {
    if ($(id).value) q[k] = $(id).value;
  }
  return q;
}

const query = (q) => Object.entries(q).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

function renderRows() {
  const body = $('list-table').tBodies[0];
  const hasOrigin = list.rows.some((r) => r.origin);
  for (const th of document.querySelectorAll('.col-origin')) th.hidden = !hasOrigin;
  body.replaceChildren(...list.rows.map((r, i) => {
    const m = r.matches[0];
    const [vz, ve] = VERDICT[r.verdict] || [r.verdict, r.verdict];
    const p = r.priority;
    const flags = (r.flags || []).map(flagWords);
    if (r.duplicate_of) {
      flags.push(el('span', { class: 'flag' }, el('span', { class: 'only-zh' }, `重复（第 ${r.duplicate_of} 行）`),
        el('span', { class: 'only-en' }, `duplicate of row ${r.duplicate_of}`)));
    }
    const cells = [
      el('td', { class: 'num' }, String(list.offset + i + 1)),
      el('td', { class: 'name' }, r.name || '', el('div', { class: 'meta' }, bi('行', 'row'), ' ' + r.row)),
      el('td', {}, el('span', { class: 'badge ' + r.verdict }, el('span', { class: 'only-zh' }, vz), el('span', { class: 'only-en' }, ve))),
      el('td', { class: 'num' }, Number(r.fit).toFixed(2)),
      el('td', { class: 'num', title: p ? p.reasons.join('\n') : '' }, p ? `${p.tier} ${p.score}` : ''),
      el('td', {}, m ? sectorIndustry(m, true) : ''),
      el('td', {}, m ? m.evidence.slice(0, 5).join('、') : ''),
      el('td', {}, m ? m.lead_unit : ''),
    ];
    if (hasOrigin) cells.push(el('td', {}, r.origin ? String(r.origin) : ''));
    cells.push(el('td', {}, ...flags));
    return el('tr', { 'data-row': String(r.row), 'data-unit': m ? m.lead_unit : '' }, ...cells);
  }));
  const from = list.total ? list.offset + 1 : 0;
  const to = list.offset + list.rows.length;
  $('list-count').replaceChildren(bi(`第 ${from}–${to} 条，共 ${list.total} 条（按优先级排序）`,
    `Rows ${from}–${to} of ${list.total} (best first)`));
  const pages = Math.max(1, Math.ceil(list.total / PAGE));
  $('pg-info').textContent = `${Math.floor(list.offset / PAGE) + 1} / ${pages}`;
  $('pg-prev').disabled = list.offset === 0;
  $('pg-next').disabled = to >= list.total;
}

let pageSeq = 0;
async function loadPage(offset) {
  if (!list.id) return;
  const seq = ++pageSeq;
  const q = Object.assign(filters(), { offset, limit: PAGE });
  try {
    const res = await api(`/api/lists/${list.id}/rows?${query(q)}`);
    if (seq !== pageSeq) return;
    if (!res.ok) { status('rank-status', await errorText(res), true); if (res.status === 404) clearList(); return; }
    const data = await res.json();
    if (seq !== pageSeq) return;
    list.offset = data.offset;
    list.total = data.total;
    list.rows = data.rows;
    renderRows();
  } catch (e) {
    if (seq === pageSeq) status('rank-status', OFFLINE(), true);
  }
}
for (const id of ['flt-sector', 'flt-tier', 'flt-verdict', 'flt-unit']) $(id).addEventListener('change', () => loadPage(0));
$('pg-prev').addEventListener('click', () => loadPage(Math.max(0, list.offset - PAGE)));
$('pg-next').addEventListener('click', () => loadPage(list.offset + PAGE));
langListeners.push(() => { if (list.id) { fillFilters(); renderRows(); } });

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: '' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function download(q, format, button) {
  if (!list.id) return;
  if (button) button.disabled = true;
  status('rank-status', bi('正在准备下载…', 'Preparing the download…'));
  try {
    const lang = isEn() ? 'en' : 'zh';
    const res = await api(`/api/lists/${list.id}/download?${query(Object.assign({ format, lang }, q))}`);
    if (!res.ok) { status('rank-status', await errorText(res), true); return; }
    const name = downloadName(res, `ranked.${format}`);
    saveBlob(await res.blob(), name);
    status('rank-status', bi(`已下载 ${name}`, `Downloaded ${name}`));
  } catch (e) {
    status('rank-status', OFFLINE(), true);
  } finally {
    if (button) button.disabled = false;
  }
}
$('dl-filtered').addEventListener('click', () => download(filters(), $('dl-format').value, $('dl-filtered')));

$('open-report').addEventListener('click', async () => {
  if (!list.id) return;
  const url = `/api/lists/${list.id}/report`;
  if (!token) { window.open(url, '_blank'); return; }
  try {
    const res = await api(url);
    if (!res.ok) { status('rank-status', await errorText(res), true); return; }
    const blobUrl = URL.createObjectURL(await res.blob());
    if (!window.open(blobUrl, '_blank')) saveBlob(await (await fetch(blobUrl)).blob(), `${list.name}-report.html`);
  } catch (e) {
    status('rank-status', OFFLINE(), true);
  }
});
$('dl-report').addEventListener('click', async () => {
  if (!list.id) return;
  try {
    const res = await api(`/api/lists/${list.id}/report?download=1`);
    if (!res.ok) { status('rank-status', await errorText(res), true); return; }
    saveBlob(await res.blob(), downloadName(res, 'report.html'));
  } catch (e) {
    status('rank-status', OFFLINE(), true);
  }
});

$('rank-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const file = $('f-file').files[0];
  clearList();
  if (!file) {
    status('rank-status', bi('请先选择文件', 'Choose a file first'), true);
    return;
  }
  if (limits && file.size > limits.max_body) {
    const mb = (file.size / 1048576).toFixed(1);
    status('rank-status', bi(`文件太大（${mb} MB），上限为 ${limits.max_body_text}：请把名单拆成几个较小的文件，分别上传。`,
      `The file is ${mb} MB; the limit is ${limits.max_body_text}: split the list into smaller files and upload them one by one.`), true);
    return;
  }
  const form = new FormData();
  form.append('file', file, file.name);
  const lang = isEn() ? 'en' : 'zh';
  $('rank-btn').disabled = true;
  status('rank-status', bi('排名中，请稍候…', 'Ranking, please wait…'));
  try {
    const res = await api('/api/lists?lang=' + lang, { method: 'POST', body: form });
    if (!res.ok) { status('rank-status', await errorText(res), true); return; }
    const data = await res.json();
    list.id = data.id;
    list.name = data.name;
    list.facets = data.facets;
    renderReport(data.summary);
    fillFilters();
    for (const id of ['flt-sector', 'flt-tier', 'flt-verdict', 'flt-unit']) $(id).value = '';
    $('list').hidden = false;
    await loadPage(0);
    status('rank-status', bi(`完成：${data.total} 家企业已排名，最优先的在前`, `Done: ${data.total} companies ranked, best first`));
  } catch (e) {
    clearList();
    status('rank-status', OFFLINE(), true);
  } finally {
    $('rank-btn').disabled = false;
  }
});
