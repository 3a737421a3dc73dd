// The workbench page: catalogue search as you type, scoring one company, ranking an uploaded list.
// Plain DOM code; untrusted text is only ever inserted as text nodes.
'use strict';

const $ = (id) => document.getElementById(id);

// ---- language ---------------------------------------------------------------------------------
function setLang(lang) {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  $('lang').textContent = lang === 'en' ? '中文' : 'EN';
  try { localStorage.setItem('leadmatch.lang', lang); } catch (_) { /* private mode */ }
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

async function errorText(res) {
  try {
    const j = await res.json();
    if (j && j.error) return j.error;
  } catch (_) { /* not JSON */ }
  return 'HTTP ' + res.status;
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
      el('div', { class: 'title' }, `[${h.sector_no}] ${h.sector} › ${h.industry}`),
      snippetNode(h.snippet || ''),
      el('div', { class: 'meta' },
        bi('牵头单位', 'Lead unit'), '：' + h.lead_unit,
        h.carriers.length ? el('span', {}, ' · ', bi('载体', 'Carriers'), '：' + h.carriers.join('、')) : null)));
    $('hits').replaceChildren(...items);
    status('search-status', data.hits.length
      ? bi(`${data.hits.length} 条结果`, `${data.hits.length} result(s)`)
      : bi('没有找到，换个词试试', 'Nothing found; try another word'));
  } catch (e) {
    if (seq === searchSeq) status('search-status', bi('无法连接服务器', 'Cannot reach the server'), true);
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

/** The scope with every evidence word wrapped in <mark> (longest first, no overlaps). */
function markedScope(scope, words) {
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
  if (r.declared_industry) parts.push(el('p', { class: 'meta' }, bi('申报行业', 'Declared industry'), '：' + r.declared_industry));
  if (r.counter_evidence && r.counter_evidence.length) {
    parts.push(el('p', { class: 'meta' }, bi('反向证据', 'Counter-evidence'), '：' + r.counter_evidence.join('、')));
  }
  if (!r.matches.length) parts.push(el('p', {}, bi('未匹配到规划产业', 'No plan sector matched.')));
  r.matches.forEach((m, i) => {
    parts.push(el('div', { class: 'match' },
      el('h3', {}, `#${i + 1} [${m.sector_no}] ${m.sector} › ${m.industry}`),
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
    parts.push(el('h3', {}, bi('经营范围（依据已标出）', 'Scope (evidence highlighted)')), markedScope(scope, words));
  }
  box.replaceChildren(...parts);
}

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
    if (!res.ok) { status('score-status', await errorText(res), true); return; }
    renderScore(await res.json(), profile.scope || '');
    status('score-status', '');
  } catch (e) {
    status('score-status', bi('无法连接服务器', 'Cannot reach the server'), true);
  } finally {
    $('score-btn').disabled = false;
  }
});

// ---- rank -------------------------------------------------------------------------------------
function downloadName(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) { try { return decodeURIComponent(star[1]); } catch (_) { /* fall through */ } }
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

function renderReport(s, link) {
  const row = (zh, en, v) => el('tr', {}, el('th', {}, bi(zh, en)), el('td', {}, String(v)));
  const rows = [
    row('读入行数', 'Rows read', s.rows_in),
    row('已排名', 'Ranked', s.rows_out),
    row('重点目标', 'Target', s.target),
    row('可关注', 'Possible', s.possible),
    row('不匹配', 'No match', s.none),
    row('拒收', 'Rejected', s.rejected),
  ];
  const flags = Object.entries(s.flags || {});
  if (flags.length) rows.push(row('问题标记', 'Flags', flags.map(([f, n]) => `${f} ${n}`).join(', ')));
  const reasons = Object.entries(s.reject_reasons || {});
  if (reasons.length) rows.push(row('拒收原因', 'Reject reasons', reasons.map(([f, n]) => `${f}: ${n}`).join('; ')));
  if (s.first_rejects && s.first_rejects.length) {
    rows.push(row('拒收行号', 'Rejected rows', s.first_rejects.map(([r]) => r).join(', ')));
  }
  rows.push(row('用时', 'Time', (s.elapsed_ms / 1000).toFixed(2) + ' s'));
  $('rank-report').replaceChildren(
    el('h3', {}, bi('筛选报告', 'Screening report')),
    el('table', { id: 'report-table' }, el('tbody', {}, ...rows)),
    link);
}

$('rank-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const file = $('f-file').files[0];
  if (!file) {
    status('rank-status', bi('请先选择文件', 'Choose a file first'), true);
    return;
  }
  const form = new FormData();
  form.append('file', file, file.name);
  const fmt = $('f-format').value;
  const lang = document.documentElement.lang === 'en' ? 'en' : 'zh';
  $('rank-btn').disabled = true;
  status('rank-status', bi('排名中，请稍候…', 'Ranking, please wait…'));
  try {
    const res = await api('/api/rank?lang=' + lang + (fmt ? '&format=' + fmt : ''), { method: 'POST', body: form });
    if (!res.ok) { status('rank-status', await errorText(res), true); return; }
    const blob = await res.blob();
    const name = downloadName(res, 'ranked.csv');
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: name, id: 'download' }, bi('再次下载', 'Download again'), ' ' + name);
    let summary = null;
    try { summary = JSON.parse(res.headers.get('X-Leadmatch-Summary') || 'null'); } catch (_) { /* none */ }
    if (summary) renderReport(summary, link); else $('rank-report').replaceChildren(link);
    link.click();
    status('rank-status', bi('完成，已开始下载', 'Done; the download has started'));
  } catch (e) {
    status('rank-status', bi('无法连接服务器', 'Cannot reach the server'), true);
  } finally {
    $('rank-btn').disabled = false;
  }
});
