// Millwright plant dashboard: plain ES modules and the DOM, no framework and no build step.
// Data: /api/dashboard/events (server-sent events: a snapshot, then canonical CloudEvents by type),
// /api/dashboard (health, ERP backlog, confirmations), /api/kpi/oee, /api/maturity.
import { setUpSpokenAlerts } from './speech.js';

const STATES = {
  RUNNING: { word: 'Running', shape: '▶' },
  IDLE: { word: 'Idle', shape: '❚❚' },
  DOWN: { word: 'Down', shape: '■' },
  SETUP: { word: 'Setup', shape: '⚙' },
};
const REFRESH_STATUS_MS = 10000;
const REFRESH_KPI_MS = 30000;

// figures the browser test reads: when the first snapshot was on screen, and each state change's
// event-to-screen latency (the hub's receivedtime of the event to the DOM update, same clock)
const probe = (window.millwrightDashboard = { snapshotShownAt: null, stateChanges: [], events: 0, resyncs: 0, panelsShown: null });

const machines = new Map(); // asset path -> machine record as the hub sends it
const alerts = new Map(); // alert id -> open alert
const $ = (id) => document.getElementById(id);
const speech = setUpSpokenAlerts($('speak-alerts'));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) continue;
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function label(path) {
  return path.split('/').pop().replace(/-/g, ' ');
}

function time(value) {
  if (!value) return '–';
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function epochMillis(value) {
  return typeof value === 'number' ? value * 1000 : Date.parse(value);
}

function machineId(path) {
  return 'machine-' + path.replace(/[^a-zA-Z0-9]+/g, '-');
}

// ---- the plant: lines and machines -------------------------------------------------------------

function renderPlant() {
  const lines = new Map();
  for (const machine of machines.values()) {
    if (!lines.has(machine.line)) lines.set(machine.line, []);
    lines.get(machine.line).push(machine);
  }
  const container = $('lines');
  container.replaceChildren();
  for (const [line, members] of [...lines.entries()].sort()) {
    const titleId = 'line-' + line.replace(/[^a-zA-Z0-9]+/g, '-');
    container.append(el('section', { class: 'line', 'aria-labelledby': titleId },
      el('h3', { id: titleId }, label(line), el('span', { class: 'muted' }, ' · ', line)),
      el('ul', { class: 'machines' }, members.sort((a, b) => a.path.localeCompare(b.path)).map((m) => el('li', {}, machineCard(m))))));
  }
  renderSummary();
}

function machineCard(machine) {
  const state = STATES[machine.state];
  const titleId = machineId(machine.path) + '-title';
  return el('article', {
    id: machineId(machine.path), class: 'machine state-' + (machine.state || 'unknown').toLowerCase(),
    'aria-labelledby': titleId, 'data-path': machine.path, 'data-state': machine.state || 'UNKNOWN',
  },
  el('h4', { id: titleId }, label(machine.path)),
  el('p', { class: 'state-line' }, el('span', { class: 'state' },
    el('span', { 'aria-hidden': 'true' }, state ? state.shape + ' ' : '? '), state ? state.word : 'No data yet'),
  machine.since ? el('span', { class: 'muted' }, ' since ', time(machine.since)) : null),
  el('dl', {},
    el('dt', {}, 'Order'), el('dd', {}, machine.orderId ? `${machine.orderId} / ${machine.operation || '–'}` : '–'),
    el('dt', {}, 'Good'), el('dd', { 'data-field': 'good' }, machine.goodCount),
    el('dt', {}, 'Scrap'), el('dd', { 'data-field': 'scrap' }, machine.scrapCount),
    el('dt', {}, 'Alerts'), el('dd', {}, machine.openAlerts || 0)));
}

function replaceMachine(machine) {
  const known = machines.has(machine.path);
  machines.set(machine.path, machine);
  const card = $(machineId(machine.path));
  if (!known || !card) {
    renderPlant();
    return $(machineId(machine.path));
  }
  const next = machineCard(machine);
  card.replaceWith(next);
  renderSummary();
  return next;
}

function renderSummary() {
  const counts = {};
  let good = 0;
  let scrap = 0;
  for (const m of machines.values()) {
    counts[m.state || 'UNKNOWN'] = (counts[m.state || 'UNKNOWN'] || 0) + 1;
    good += m.goodCount;
    scrap += m.scrapCount;
  }
  const states = Object.entries(counts).map(([s, n]) => `${n} ${(STATES[s]?.word || 'no data').toLowerCase()}`).join(', ');
  $('plant-summary').textContent = `${machines.size} machines: ${states}. Since the hub started: ${good} good, ${scrap} scrap.`;
}

// ---- alerts --------------------------------------------------------------------------------------

function renderAlerts() {
  const list = $('alerts');
  const open = [...alerts.values()].sort((a, b) => String(b.since).localeCompare(String(a.since)));
  $('alert-count').textContent = `(${open.length})`;
  list.replaceChildren(...(open.length === 0 ? [el('li', {}, 'No active alerts.')] : open.map((a) => el('li', {},
    el('span', { class: 'badge badge-' + (a.severity || 'warning').toLowerCase() }, a.severity || 'warning'), ' ',
    a.summary || a.id, el('br'), el('span', { class: 'muted' }, (a.asset || '') + ' · since ' + time(a.since))))));
}

// ---- the live stream -------------------------------------------------------------------------------

function applySnapshot(snapshot) {
  machines.clear();
  for (const machine of snapshot.machines) machines.set(machine.path, machine);
  alerts.clear();
  for (const alert of snapshot.alerts) alerts.set(alert.id, alert);
  renderPlant();
  renderAlerts();
  if (probe.snapshotShownAt === null) {
    probe.snapshotShownAt = performance.now();
    performance.mark('dashboard-snapshot-shown');
    refreshOee(); // the lines are known now
  }
}

function onMachineState(event) {
  const data = event.data;
  const before = machines.get(event.subject);
  const machine = { ...(before || { path: event.subject, line: event.subject.split('/').slice(0, -1).join('/'), goodCount: 0, scrapCount: 0, openAlerts: 0 }),
    state: data.state, since: event.time, orderId: data.orderId ?? before?.orderId, operation: data.operation ?? before?.operation };
  const card = replaceMachine(machine);
  const shownAt = Date.now();
  card.classList.add('changed');
  probe.stateChanges.push({ path: event.subject, state: data.state, previousState: data.previousState || null,
    receivedAt: epochMillis(event.receivedtime), shownAt, latencyMs: shownAt - epochMillis(event.receivedtime) });
  if (data.previousState) {
    announce(`${label(event.subject.split('/').slice(0, -1).join('/'))} ${label(event.subject)}: ${STATES[data.state]?.word || data.state}, was ${STATES[data.previousState]?.word || data.previousState}`);
  }
}

function onProductionCount(event) {
  const machine = machines.get(event.subject);
  if (!machine) return;
  const scrap = event.data.counter === 'SCRAP';
  const field = scrap ? 'scrapCount' : 'goodCount';
  const next = { ...machine, [field]: machine[field] + event.data.delta };
  machines.set(machine.path, next);
  // counts change many times a second: update the number in place, keep the card (and focus) as it is
  const cell = document.querySelector(`#${machineId(machine.path)} [data-field="${scrap ? 'scrap' : 'good'}"]`);
  if (cell) cell.textContent = next[field];
  renderSummary();
}

function onAlert(event, kind) {
  const data = event.data;
  const id = kind === 'maintenance' ? data.requestId : data.alertId;
  const cleared = data.status === 'CLEARED';
  if (cleared) {
    alerts.delete(id);
  } else {
    const summary = kind === 'maintenance' ? `Maintenance needed: ${data.reason || data.tag}` : data.summary;
    alerts.set(id, { id, kind, severity: kind === 'maintenance' ? 'warning' : data.severity, summary, asset: event.subject,
      since: data.since || data.anomalousSince || event.time });
    speech.speak(`${kind === 'maintenance' ? 'Maintenance' : data.severity + ' alert'}: ${summary}`);
  }
  renderAlerts();
  announce(cleared ? `Alert cleared: ${data.summary || id}` : `New alert: ${alerts.get(id).summary}`);
}

function announce(text) {
  $('announcer').textContent = text;
}

function setLive(state, text) {
  const status = $('live-status');
  status.dataset.live = state;
  status.textContent = text;
}

function connect() {
  const source = new EventSource('/api/dashboard/events');
  source.addEventListener('open', () => setLive('live', 'Live'));
  source.addEventListener('error', () => setLive('reconnecting', 'Connection lost, reconnecting…'));
  source.addEventListener('snapshot', (e) => applySnapshot(JSON.parse(e.data)));
  source.addEventListener('resync', () => {
    probe.resyncs++;
    source.close();
    connect();
  });
  const handlers = {
    'machine-state': onMachineState,
    'production-count': onProductionCount,
    'order-started': (ev) => {
      const m = machines.get(ev.subject);
      if (m) replaceMachine({ ...m, orderId: ev.data.orderId, operation: ev.data.operation });
    },
    alert: (ev) => onAlert(ev, 'alert'),
    'maintenance-request': (ev) => onAlert(ev, 'maintenance'),
  };
  for (const [type, handler] of Object.entries(handlers)) {
    source.addEventListener(type, (e) => {
      probe.events++;
      handler(JSON.parse(e.data));
    });
  }
}

// ---- panels refreshed by polling: health, ERP, OEE, maturity --------------------------------------

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function statusBadge(status) {
  return el('span', { class: 'badge badge-' + String(status).toLowerCase() }, status);
}

async function refreshStatus() {
  try {
    const hub = await getJson('/api/dashboard');
    $('connections').replaceChildren(...hub.connections.map((c) => el('li', {},
      statusBadge(c.connected ? 'UP' : 'DOWN'), ` OPC UA ${c.name}: ${c.connected ? 'connected' : 'no session'}, security ${c.securityPolicy || 'unknown'}`,
      c.lastValueTime ? el('span', { class: 'muted' }, ` · last value ${time(c.lastValueTime)}`) : null)));
    $('components').replaceChildren(...hub.components.map((c) => el('li', {}, statusBadge(c.status), ' ', c.name)));
    const erp = hub.erp;
    $('erp-backlog').textContent = erp.pending === null
      ? 'No ERP outbox in this hub.'
      : `Backlog: ${erp.pending} pending, ${erp.parked} parked` + (erp.oldestPendingAgeSeconds ? `, oldest ${Math.round(erp.oldestPendingAgeSeconds)} s` : '') + '.';
    $('confirmations').replaceChildren(...(erp.lastConfirmations.length === 0 ? [el('li', {}, 'No confirmation yet.')]
      : erp.lastConfirmations.map((c) => el('li', {},
        el('strong', {}, `Order ${c.orderId} / ${c.operation}`), `: ${c.yieldQuantity} good, ${c.scrapQuantity} scrap ${c.unit} · ${c.status}`,
        el('br'), el('span', { class: 'muted' }, c.erpDocument
          ? `SAP confirmation ${c.erpDocument.confirmationGroup} / ${c.erpDocument.confirmationCount}`
          : 'no SAP number yet'), el('span', { class: 'muted' }, ` · ${time(c.updatedAt)}`)))));
  } catch (error) {
    $('erp-backlog').textContent = `Could not load the hub's status: ${error.message}`;
  }
}

async function refreshOee() {
  const lines = [...new Set([...machines.values()].map((m) => m.line))].sort();
  const to = new Date();
  const from = new Date(to.getTime() - 3600 * 1000);
  const container = $('oee');
  const rows = [];
  for (const line of lines) {
    try {
      const oee = await getJson(`/api/kpi/oee?asset=${encodeURIComponent(line)}&from=${from.toISOString()}&to=${to.toISOString()}`);
      const pct = (v) => (v === null || v === undefined ? '–' : Math.round(v * 100) + ' %');
      rows.push(el('div', { class: 'oee-line' }, el('strong', {}, label(line)), ': OEE ', pct(oee.oee),
        el('br'), el('span', { class: 'muted' }, `availability ${pct(oee.availability)}, performance ${pct(oee.performance)}, quality ${pct(oee.quality)}`)));
    } catch (error) {
      rows.push(el('p', {}, `${label(line)}: OEE not available (${error.message}).`));
    }
  }
  container.replaceChildren(...(rows.length ? rows : [el('p', {}, 'No line yet.')]));
}

async function refreshMaturity() {
  try {
    const maturity = await getJson('/api/maturity');
    $('maturity').replaceChildren(...maturity.dimensions.map((d) => el('li', {},
      el('strong', {}, d.name), ': ', el('meter', { min: 0, max: maturity.maxScore, value: d.score, 'aria-label': `${d.name} score` }),
      ` ${d.score} of ${maturity.maxScore}`,
      el('br'), 'Next step: ', d.nextStep,
      el('details', {}, el('summary', {}, 'Evidence'), el('ul', {}, d.evidence.map((e) => el('li', {}, e)))))));
  } catch (error) {
    $('maturity').replaceChildren(el('li', {}, `Could not load the maturity scores: ${error.message}`));
  }
}

// ---- business outcomes (GET /api/outcomes) and the solution templates switched on (GET /api/solutions)
function kpiValue(kpi) {
  if (kpi.overall === null || kpi.overall === undefined) return 'no data';
  if (kpi.unit === 'ratio') return `${(kpi.overall * 100).toFixed(1)} %`;
  return `${Number.isInteger(kpi.overall) ? kpi.overall : kpi.overall.toFixed(1)} ${kpi.unit}`;
}

async function refreshOutcomes() {
  try {
    const report = await getJson('/api/outcomes');
    $('outcomes').replaceChildren(...report.outcomes.map((o) => el('li', {},
      el('strong', {}, o.outcome), ` (${o.flows.length} flows): `,
      o.kpis.map((k) => `${k.name} ${kpiValue(k)}`).join('; '))));
  } catch (error) {
    $('outcomes').replaceChildren(el('li', {}, `Could not load the outcomes: ${error.message}`));
  }
}

// The solution templates switched on name the panels they use; the others are hidden (all are shown
// when no template is on, or when the templates cannot be read). The lines and machines, and the hub's
// maturity (a principle of the hub, not of a template), always show.
async function showTemplatePanels() {
  try {
    const solutions = await getJson('/api/solutions');
    const used = new Set(['plant', 'maturity', ...solutions.active.flatMap((s) => s.panels)]);
    for (const section of document.querySelectorAll('section[data-panel]')) {
      section.hidden = solutions.active.length > 0 && !used.has(section.dataset.panel);
    }
    probe.panelsShown = [...document.querySelectorAll('section[data-panel]')].filter((s) => !s.hidden).map((s) => s.dataset.panel);
    $('solutions').textContent = solutions.active.length === 0
      ? 'No solution template switched on (millwright.solution).'
      : `Solution templates: ${solutions.active.map((s) => `${s.name} (panels: ${s.panels.join(', ')})`).join('; ')}`;
  } catch (error) {
    $('solutions').textContent = `Could not load the solution templates, so every panel is shown: ${error.message}`;
  }
}

showTemplatePanels();
connect();
refreshStatus();
refreshMaturity();
refreshOutcomes();
setInterval(refreshStatus, REFRESH_STATUS_MS);
setInterval(() => { refreshOee(); refreshMaturity(); refreshOutcomes(); }, REFRESH_KPI_MS);
