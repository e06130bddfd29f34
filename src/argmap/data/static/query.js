// The argmap query page: pick or write a query, run it against /sparql, show the answer.
"use strict";

const TYPES = {
  json: "application/sparql-results+json",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  xml: "application/sparql-results+xml",
};
const $ = (id) => document.getElementById(id);
let saved = {};

function compact(value) {
  const vocab = "https://w3id.org/argmap/vocab#";
  return value.startsWith(vocab) ? value.slice(vocab.length) : value;
}

function showParams(query) {
  const box = $("params");
  box.replaceChildren();
  for (const p of (query ? query.params : [])) {
    const span = document.createElement("span");
    span.className = "param";
    const label = document.createElement("label");
    label.textContent = `${p.name} (${p.type}) `;
    const input = document.createElement("input");
    input.name = p.name;
    input.placeholder = p.description || p.type;
    input.title = p.description || "";
    label.htmlFor = input.id = `param-${p.name}`;
    span.append(label, input);
    box.append(span);
  }
}

async function loadSaved() {
  const response = await fetch("/queries");
  for (const q of await response.json()) {
    saved[q.name] = q;
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.name;
    $("saved").append(option);
  }
}

function table(doc) {
  const out = document.createElement("table");
  if (doc.boolean !== undefined) {
    out.innerHTML = "<tr><th>answer</th></tr>";
    const row = out.insertRow();
    row.insertCell().textContent = String(doc.boolean);
    return out;
  }
  const head = out.createTHead().insertRow();
  for (const v of doc.head.vars) {
    const th = document.createElement("th");
    th.textContent = v;
    head.append(th);
  }
  const body = out.createTBody();
  for (const binding of doc.results.bindings) {
    const row = body.insertRow();
    for (const v of doc.head.vars) {
      const cell = row.insertCell();
      const term = binding[v];
      cell.textContent = term ? compact(term.value) : "";
      if (term && term.type === "uri") cell.title = term.value;
    }
  }
  return out;
}

async function run(event) {
  event.preventDefault();
  const format = $("format").value;
  const name = $("saved").value;
  const text = $("text").value;
  const status = $("status");
  const results = $("results");
  const accept = (format === "table" ? TYPES.json : TYPES[format]) + ", text/turtle;q=0.9";
  let request;
  if (name && saved[name] && saved[name].text === text) {
    const params = new URLSearchParams();
    for (const input of $("params").querySelectorAll("input")) {
      if (input.value) params.set(input.name, input.value);
    }
    request = fetch(`/queries/${encodeURIComponent(name)}?${params}`, { headers: { Accept: accept } });
  } else {
    request = fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: accept },
      body: text,
    });
  }
  status.className = "";
  status.textContent = "running…";
  results.replaceChildren();
  const started = performance.now();
  let response;
  try {
    response = await request;
  } catch (err) {
    status.className = "error";
    status.textContent = `cannot reach the server: ${err}`;
    return;
  }
  const body = await response.text();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!response.ok) {
    status.className = "error";
    status.textContent = `${response.status} ${response.statusText}`;
    const pre = document.createElement("pre");
    pre.className = "error";
    pre.textContent = body;
    results.append(pre);
    return;
  }
  const rows = response.headers.get("X-Argmap-Rows");
  status.textContent = `${rows} row${rows === "1" ? "" : "s"} in ${seconds} s`;
  if (response.headers.get("X-Argmap-Truncated") === "true") {
    const note = document.createElement("p");
    note.className = "warning";
    note.textContent = `Only the first ${response.headers.get("X-Argmap-Max-Rows")} rows are shown: ` +
      "the answer was cut at the server's row limit (argmap serve --max-rows).";
    results.append(note);
  }
  const type = response.headers.get("Content-Type") || "";
  if (format === "table" && type.startsWith(TYPES.json)) {
    results.append(table(JSON.parse(body)));
  } else {
    const pre = document.createElement("pre");
    pre.textContent = body;
    results.append(pre);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  loadSaved().catch((err) => { $("status").textContent = `cannot list saved queries: ${err}`; });
  $("saved").addEventListener("change", () => {
    const q = saved[$("saved").value];
    if (q) $("text").value = q.text;
    $("saved-description").textContent = q ? q.description : "";
    showParams(q);
  });
  $("query-form").addEventListener("submit", run);
});
