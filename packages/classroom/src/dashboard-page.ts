/** The trainer's page: the join code and command, and the live grid. Names only ever reach the page as text. */

export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class view</title>
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <div><span class="label">Join code</span> <strong id="code">…</strong></div>
  <div class="join"><span class="label">In your terminal</span> <code id="join-command">…</code></div>
  <div id="connection" class="connection">connecting…</div>
</header>
<main>
  <p id="summary"></p>
  <table id="grid" aria-label="Attendees and their results">
    <thead></thead>
    <tbody></tbody>
    <tfoot></tfoot>
  </table>
</main>
</body>
</html>
`;

export const DASHBOARD_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d2433; background: #f6f7fb; }
body { margin: 0; }
header { display: flex; gap: 2rem; align-items: baseline; flex-wrap: wrap; padding: 1rem 1.5rem; background: #1d63ed; color: #fff; }
header strong { font-size: 2.2rem; letter-spacing: .2em; font-family: ui-monospace, monospace; }
header code { font-size: 1rem; background: rgba(255,255,255,.15); padding: .2rem .5rem; border-radius: 4px; }
.label { text-transform: uppercase; font-size: .75rem; opacity: .8; margin-right: .4rem; }
.connection { margin-left: auto; font-size: .85rem; }
main { padding: 1rem 1.5rem; overflow-x: auto; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid #d5d9e3; padding: .25rem .4rem; text-align: center; }
thead th { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; max-height: 12rem; font-weight: 500; }
thead th.name, tbody th { writing-mode: horizontal-tb; transform: none; text-align: left; }
th.criterion { background: #eef2ff; }
td.pass { background: #d8f5dd; color: #17632a; }
td.fail { background: #fde0e0; color: #9b1c1c; }
tr.help th { background: #ffe8a3; }
tr.left { opacity: .45; }
.flag { margin-left: .4rem; background: #c2410c; color: #fff; border-radius: 3px; padding: 0 .3rem; font-size: .75rem; }
tfoot td { font-weight: 600; }
`;

export const DASHBOARD_JS = `"use strict";
const $ = (selector) => document.querySelector(selector);
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
let grid;
function renderRow(attendee) {
  const row = el("tr", undefined, (attendee.needsHelp ? "help " : "") + (attendee.left ? "left" : ""));
  row.dataset.attendee = attendee.id;
  const name = el("th", attendee.name);
  if (attendee.needsHelp) name.append(el("span", "needs help", "flag"));
  row.append(name);
  for (const column of grid.columns) {
    const cell = attendee.cells[column.key];
    const td = cell ? el("td", cell.ok ? "✓" : "✗", cell.ok ? "pass" : "fail") : el("td", "");
    td.dataset.key = column.key;
    if (cell) td.title = cell.runs + " run(s), last " + (cell.durationMs / 1000).toFixed(1) + " s";
    row.append(td);
  }
  return row;
}
function renderSummary() {
  const present = grid.attendees.filter((a) => !a.left);
  const helping = present.filter((a) => a.needsHelp).length;
  $("#summary").textContent = present.length + " attendee(s)" + (helping ? ", " + helping + (helping === 1 ? " needs help" : " need help") : "");
  const foot = el("tr");
  foot.append(el("th", "passed"));
  for (const column of grid.columns) {
    const td = el("td", grid.passCounts[column.key] + "/" + present.length);
    td.dataset.key = column.key;
    foot.append(td);
  }
  $("#grid tfoot").replaceChildren(foot);
  document.body.dataset.updated = String(Date.now());
}
function render(full) {
  grid = full;
  $("#code").textContent = grid.code;
  const url = (grid.joinUrls[0] || location.origin) + "/join/" + grid.code;
  $("#join-command").textContent = "pnpm classroom join " + url + " --name YOUR-NAME";
  const head = el("tr");
  head.append(el("th", "Attendee", "name"));
  for (const column of grid.columns) {
    const th = el("th", column.id, column.kind);
    th.title = column.title;
    th.dataset.key = column.key;
    head.append(th);
  }
  $("#grid thead").replaceChildren(head);
  $("#grid tbody").replaceChildren(...grid.attendees.map(renderRow));
  renderSummary();
}
/** After the first grid only changes arrive: the rows that changed, with the cells that did. */
function update(change) {
  if (!grid) return;
  grid.passCounts = change.passCounts;
  const body = $("#grid tbody");
  for (const changed of change.rows) {
    const index = grid.attendees.findIndex((a) => a.id === changed.id);
    if (index === -1) {
      grid.attendees.push(changed);
      body.append(renderRow(changed));
    } else {
      const attendee = { ...changed, cells: { ...grid.attendees[index].cells, ...changed.cells } };
      grid.attendees[index] = attendee;
      body.children[index].replaceWith(renderRow(attendee));
    }
  }
  renderSummary();
}
const key = new URLSearchParams(location.search).get("key");
function connect() {
  const events = new EventSource("/api/events" + (key ? "?key=" + encodeURIComponent(key) : ""));
  events.addEventListener("grid", (event) => render(JSON.parse(event.data)));
  events.addEventListener("rows", (event) => update(JSON.parse(event.data)));
  events.addEventListener("open", () => { $("#connection").textContent = "live"; });
  events.addEventListener("error", () => {
    $("#connection").textContent = "reconnecting…";
    // A refusal (or a restart that answered with an error) closes an EventSource for good: start anew.
    if (events.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
  });
}
connect();
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** What an attendee who opens the join URL in a browser sees: the command to type. */
export function joinPage(path: string, origins: string[]): string {
  const command = `pnpm classroom join ${origins[0] ?? ""}${path} --name YOUR-NAME`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Join the class</title><link rel="stylesheet" href="/dashboard.css"></head>
<body><main><h1>Join the class</h1><p>Type this in the terminal of your course workspace:</p>
<pre><code>${escapeHtml(command)}</code></pre></main></body></html>
`;
}
