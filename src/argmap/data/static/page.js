/* argmap page: draws the map vis-network receives from argmap.view, with search,
 * filters, a detail panel and a forecast list.  Positions come precomputed; physics
 * stays off.  Text from the data is only ever set with textContent / createTextNode,
 * never parsed as markup. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("argmap-data").textContent);
  const S = DATA.style, N = DATA.nodes, E = DATA.edges, META = DATA.meta;
  const n = N.length;
  const KINDS = ["claim", "forecast", "entity", "article"];
  const CAMPS = ["closed", "both", "open"];
  const CAMP_NAMES = { closed: "closed", open: "open", both: "both" };
  const KIND_NAMES = { claim: "claims", forecast: "forecasts", entity: "entities", article: "articles" };
  const SVG = "http://www.w3.org/2000/svg";  // a namespace name, never fetched

  // ------------------------------------------------------------ indexes
  const adj = Array.from({ length: n }, () => []);
  E.forEach((e, i) => { adj[e.from].push(i); adj[e.to].push(i); });
  const sources = N.map((d, i) => {
    const out = new Set();
    if (d.kind === "article") out.add(i);
    adj[i].forEach((ei) => { const e = E[ei]; if (e.kind === "appears_in" && e.from === i) out.add(e.to); });
    return out;
  });
  const hay = N.map((d) => [d.label, d.text, d.aliases, d.identifier, d.horizon_phrase]
    .filter(Boolean).join(" \u0001 ").toLowerCase());
  const articles = N.map((d, i) => i).filter((i) => N[i].kind === "article")
    .sort((a, b) => String(N[a].identifier).localeCompare(String(N[b].identifier)));
  const said = (d) => d.kind === "claim" || d.kind === "forecast";

  // ------------------------------------------------------------ element helpers (text only)
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null; }
  function short(text, max) { text = String(text || "").replace(/\s+/g, " ").trim(); return text.length > max ? text.slice(0, max - 1) + "…" : text; }

  // ------------------------------------------------------------ vis nodes and edges
  function colourOf(d) {
    if (d.kind === "article") return S.article;
    if (d.kind === "entity") return S.entity[d.group] || S.entity.named;
    return S.camp[d.camp] || "#888";
  }
  function shapeOf(d) { return d.kind === "entity" ? S.shape[d.group] || S.shape.named : S.shape[d.kind]; }
  function sizeOf(d) {
    if (d.kind === "claim") return (d.is_key ? 20 : 10) + Math.min(6, 2 * ((d.source_count || 1) - 1));
    if (d.kind === "forecast") return 12;
    if (d.kind === "entity") return 9 + Math.min(11, 2 * Math.sqrt(d.mentions || 1));
    return 14;
  }
  function tooltip(d) {
    const head = d.kind === "entity" ? d.entity_type : d.kind + (d.camp ? " · " + d.camp : "");
    return head + "\n" + short(d.text || d.label, 280);
  }
  function visNode(d, i) {
    const colour = colourOf(d);
    const node = {
      id: i, x: d.x, y: d.y, shape: shapeOf(d), size: sizeOf(d), title: tooltip(d),
      label: d.label ? String(d.label) : undefined,
      color: { background: colour, border: d.kind === "claim" && d.is_key ? "#111" : colour,
               highlight: { background: colour, border: "#000" }, hover: { background: colour, border: "#000" } },
      borderWidth: d.kind === "claim" && d.is_key ? 2 : 1,
      font: { size: { claim: 15, forecast: 12, entity: 20 }[d.kind] || 15, color: "#222", strokeWidth: 4, strokeColor: "#fcfcfc" },
    };
    if (d.kind === "article") {
      node.font = { size: 15, color: "#fff" };
      node.margin = 8;
      node.widthConstraint = { maximum: 220 };
    }
    return node;
  }
  function visEdge(e, i) {
    const st = S.edge[e.kind] || S.edge.mentions;
    return {
      id: i, from: e.from, to: e.to, width: st.width,
      color: { color: st.color, highlight: st.color, hover: st.color, inherit: false },
      dashes: st.dashes === "dotted" ? [2, 5] : st.dashes ? [9, 6] : false,
      arrows: st.arrows ? { to: { enabled: true, scaleFactor: 0.6 } } : { to: { enabled: false } },
      title: e.kind.replace("_", " ") + (e.cue ? " (“" + e.cue + "”)" : "") +
             (e.similarity !== undefined ? " · similarity " + e.similarity : ""),
    };
  }

  const nodes = new vis.DataSet(N.map(visNode));
  const edges = new vis.DataSet(E.map(visEdge));
  const big = n > 1500 || E.length > 4000;
  const network = new vis.Network(document.getElementById("map"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                   keyboard: false, multiselect: false, selectConnectedEdges: true },
    nodes: { scaling: { label: { drawThreshold: 7 } } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5 },
  });
  window.__settled = undefined;
  network.once("afterDrawing", () => { window.__settled = performance.now(); document.body.dataset.settled = "1"; });

  // Camp bands behind the nodes, so left/middle/right read at a glance.
  let ymin = Infinity, ymax = -Infinity;
  N.forEach((d) => { ymin = Math.min(ymin, d.y); ymax = Math.max(ymax, d.y); });
  if (!isFinite(ymin)) { ymin = 0; ymax = 0; }
  const pad = 60, fontSize = Math.max(26, (ymax - ymin) / 30);
  const bandNames = { closed: "CLOSED models", both: "BOTH", open: "OPEN models" };
  function fitAll() {
    const box = document.getElementById("map");
    let x0 = Infinity, x1 = -Infinity;
    N.forEach((d) => { x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x); });
    CAMPS.forEach((c) => { const b = META.bands && META.bands[c]; if (b) { x0 = Math.min(x0, b[0]); x1 = Math.max(x1, b[1]); } });
    if (!isFinite(x0)) { x0 = -100; x1 = 100; }
    const y0 = ymin - pad - fontSize * 1.6, y1 = ymax + pad;
    const scale = Math.min(box.clientWidth / (x1 - x0 + 60), box.clientHeight / (y1 - y0 + 60), 1.5);
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
  }
  network.on("beforeDrawing", (ctx) => {
    CAMPS.forEach((camp) => {
      const band = META.bands && META.bands[camp];
      if (!band) return;
      ctx.globalAlpha = 0.06;
      ctx.fillStyle = S.camp[camp];
      ctx.fillRect(band[0], ymin - pad - fontSize * 1.6, band[1] - band[0], ymax - ymin + 2 * pad + fontSize * 1.6);
      ctx.globalAlpha = 0.8;
      ctx.font = "bold " + fontSize + "px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText(bandNames[camp], (band[0] + band[1]) / 2, ymin - pad - fontSize * 0.3);
      ctx.globalAlpha = 1;
    });
  });

  // ------------------------------------------------------------ filters and search
  const EDGE_KINDS = ["supports", "contrasts", "restates", "stated_in", "mentions", "appears_in"];
  const EDGE_NAMES = { supports: "supports", contrasts: "contrasts", restates: "restates", stated_in: "forecast in claim",
                       mentions: "mentions", appears_in: "claim → article" };
  const state = { q: "", camps: { closed: true, open: true, both: true }, source: -1,
                  kinds: { claim: true, forecast: true, entity: true, article: true },
                  links: Object.fromEntries(EDGE_KINDS.map((k) => [k, k !== "appears_in" || n <= 400])) };
  const hidden = new Uint8Array(n);
  const edgeHidden = new Uint8Array(E.length);

  function computeVisible() {
    const base = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const d = N[i];
      if (said(d)) base[i] = state.camps[d.camp] !== false && (state.source < 0 || sources[i].has(state.source)) ? 1 : 0;
    }
    for (let i = 0; i < n; i++) {
      const d = N[i];
      if (d.kind === "entity") {
        base[i] = adj[i].some((ei) => { const e = E[ei]; const o = e.from === i ? e.to : e.from; return said(N[o]) && base[o]; }) ? 1 : 0;
      } else if (d.kind === "article") {
        base[i] = state.source < 0 || state.source === i ? 1 : 0;
      }
    }
    let show = base.map((b, i) => (b && state.kinds[N[i].kind] ? 1 : 0));
    if (state.q) {
      const hit = new Uint8Array(n);
      for (let i = 0; i < n; i++) if (show[i] && hay[i].includes(state.q)) hit[i] = 1;
      const near = hit.slice();
      for (let i = 0; i < n; i++) if (hit[i]) adj[i].forEach((ei) => { const e = E[ei]; near[e.from] = near[e.from] || show[e.from]; near[e.to] = near[e.to] || show[e.to]; });
      show = near;
      showResults(Array.from(hit.keys()).filter((i) => hit[i]));
    }
    return show;
  }

  function applyFilters() {
    const show = computeVisible();
    const nodeChanges = [], edgeChanges = [];
    for (let i = 0; i < n; i++) {
      const h = show[i] ? 0 : 1;
      if (h !== hidden[i]) { hidden[i] = h; nodeChanges.push({ id: i, hidden: !!h }); }
    }
    for (let i = 0; i < E.length; i++) {
      const h = hidden[E[i].from] || hidden[E[i].to] || !state.links[E[i].kind] ? 1 : 0;
      if (h !== edgeHidden[i]) { edgeHidden[i] = h; edgeChanges.push({ id: i, hidden: !!h }); }
    }
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    summarise();
  }

  function visibleIds() { const out = []; for (let i = 0; i < n; i++) if (!hidden[i]) out.push(i); return out; }

  function summarise() {
    const counts = {};
    for (let i = 0; i < n; i++) if (!hidden[i]) counts[N[i].kind] = (counts[N[i].kind] || 0) + 1;
    const parts = KINDS.filter((k) => counts[k]).map((k) => counts[k] + " " + KIND_NAMES[k]);
    document.getElementById("summary").textContent =
      META.description + " · " + (parts.join(", ") || "nothing matches") +
      (META.total > n ? " · " + n + " of " + META.total + " nodes in this page" : "");
  }

  function checkbox(parent, value, text, checked, swatch, onChange) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox"; box.value = value; box.checked = checked;
    box.addEventListener("change", () => onChange(box.checked));
    label.appendChild(box);
    if (swatch) label.appendChild(swatch);
    label.appendChild(document.createTextNode(text));
    parent.appendChild(label);
    return box;
  }

  // ------------------------------------------------------------ legend
  function icon(kind, colour, dashes, arrow) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "16"); svg.setAttribute("aria-hidden", "true");
    let shape;
    if (kind === "line") {
      shape = document.createElementNS(SVG, "line");
      [["x1", 2], ["y1", 8], ["x2", 26], ["y2", 8], ["stroke", colour], ["stroke-width", 2.2]]
        .forEach(([k, v]) => shape.setAttribute(k, v));
      if (dashes) shape.setAttribute("stroke-dasharray", dashes === "dotted" ? "2 3" : "6 4");
      svg.appendChild(shape);
      if (arrow) {
        const head = document.createElementNS(SVG, "polygon");
        head.setAttribute("points", "29,8 22,4 22,12"); head.setAttribute("fill", colour);
        svg.appendChild(head);
      }
      return svg;
    }
    const pts = { diamond: "15,1 22,8 15,15 8,8", hexagon: "11,2 19,2 23,8 19,14 11,14 7,8" };
    if (kind === "dot") { shape = document.createElementNS(SVG, "circle"); shape.setAttribute("cx", 15); shape.setAttribute("cy", 8); shape.setAttribute("r", 6); }
    else if (pts[kind]) { shape = document.createElementNS(SVG, "polygon"); shape.setAttribute("points", pts[kind]); }
    else {
      shape = document.createElementNS(SVG, "rect");
      const box = kind === "box";
      [["x", box ? 4 : 9], ["y", box ? 3 : 2], ["width", box ? 22 : 12], ["height", box ? 10 : 12], ["rx", box ? 2 : 0]]
        .forEach(([k, v]) => shape.setAttribute(k, v));
    }
    shape.setAttribute("fill", colour);
    svg.appendChild(shape);
    return svg;
  }
  function legendRow(parent, svg, text) { const row = el("div", null, "row"); row.appendChild(svg); row.appendChild(document.createTextNode(text)); parent.appendChild(row); }
  function buildLegend() {
    const box = document.getElementById("legend");
    CAMPS.forEach((c) => legendRow(box, icon("dot", S.camp[c]), c + " camp claim"));
    legendRow(box, icon("dot", "#999"), "bigger, dark ring: key claim");
    legendRow(box, icon("diamond", "#999"), "forecast (camp colour)");
    legendRow(box, icon("hexagon", S.entity.concept), "concept");
    legendRow(box, icon("square", S.entity.named), "organisation, product, person, place");
    legendRow(box, icon("box", S.article), "article");
  }

  // ------------------------------------------------------------ panel
  const panel = document.getElementById("panel");
  function articleName(i) {
    const d = N[i], extra = [d.article_kind, d.date].filter(Boolean).join(", ");
    return d.title + (extra ? " (" + extra + ")" : "");
  }
  function describe(i) {
    const d = N[i];
    if (d.kind === "article") return articleName(i);
    if (d.kind === "entity") return d.label;
    if (d.kind === "forecast") return "[" + (d.label || "no horizon") + " · " + d.confidence + "] " + short(d.text, 90);
    return short(d.text, 90);
  }
  function linkButton(i, text) {
    const b = el("button", text === undefined ? describe(i) : text, "link");
    b.type = "button";
    b.title = short(N[i].text || N[i].label, 300);
    b.addEventListener("click", () => choose(i, true));
    return b;
  }
  function section(title, items, limit) {
    if (!items.length) return;
    panel.appendChild(el("h3", title + " (" + items.length + ")"));
    const ul = el("ul");
    items.slice(0, limit || 150).forEach((item) => { const li = el("li"); li.appendChild(item); ul.appendChild(li); });
    if (items.length > (limit || 150)) ul.appendChild(el("li", "… and " + (items.length - (limit || 150)) + " more", "muted"));
    panel.appendChild(ul);
  }
  function badge(text, colour) { const b = el("span", text, "badge"); b.style.background = colour; return b; }
  function details(pairs) {
    const dl = el("dl");
    pairs.forEach(([k, v]) => { if (v === undefined || v === null || v === "") return; dl.appendChild(el("dt", k)); const dd = el("dd"); if (v instanceof Node) dd.appendChild(v); else dd.textContent = String(v); dl.appendChild(dd); });
    panel.appendChild(dl);
  }
  function externalLink(url, text) {
    const safe = safeUrl(url);
    if (!safe) return url ? String(url) : null;
    const a = el("a", text || safe);
    a.href = safe; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function articleLine(ai, quote) {
    const a = N[ai], wrap = el("div");
    wrap.appendChild(linkButton(ai));
    const link = externalLink(a.url, "open source ↗");
    if (link instanceof Node) { link.className = "muted"; wrap.appendChild(link); }
    if (quote) wrap.appendChild(el("div", "“" + short(quote, 400) + "”", "muted"));
    return wrap;
  }

  function showNode(i) {
    const d = N[i];
    clear(panel);
    const head = el("h2");
    head.appendChild(badge(d.kind === "entity" ? d.entity_type : d.kind, colourOf(d)));
    if (d.camp) head.appendChild(badge(d.camp + " camp", S.camp[d.camp] || "#888"));
    if (d.is_key) head.appendChild(badge("key claim", "#222"));
    panel.appendChild(head);
    if (d.kind === "claim" || d.kind === "forecast") panel.appendChild(el("blockquote", d.text));
    else panel.appendChild(el("h2", d.kind === "article" ? d.title : d.label));
    if (d.kind === "claim") details([["camp", d.camp + " (confidence " + (+d.camp_confidence).toFixed(2) + ")"], ["sources", d.source_count]]);
    if (d.kind === "forecast") {
      const horizon = [d.horizon_start, d.horizon_end].filter((y) => y !== undefined);
      details([["camp", d.camp], ["confidence", d.confidence + (d.confidence_cue ? " (“" + d.confidence_cue + "”)" : "")],
               ["horizon", horizon.length ? Array.from(new Set(horizon)).join("–") : "not stated"], ["as written", d.horizon_phrase],
               ["predicts", d.predicts]]);
    }
    if (d.kind === "entity") details([["type", d.entity_type], ["also called", d.aliases], ["mentions", d.mentions], ["same as", externalLink(d.same_as)]]);
    if (d.kind === "article") details([["date", d.date], ["author", d.author], ["publisher", d.publisher], ["kind", d.article_kind], ["id", d.identifier], ["link", externalLink(d.url)]]);

    const groups = {};
    const add = (name, item) => { (groups[name] = groups[name] || []).push(item); };
    adj[i].forEach((ei) => {
      const e = E[ei], out = e.from === i, o = out ? e.to : e.from;
      const note = (e.cue ? " — “" + e.cue + "”" : "") + (e.similarity !== undefined ? " — similarity " + e.similarity : "");
      if (e.kind === "appears_in") add(out ? "Source" : "Says", out ? articleLine(o, e.quote && e.quote !== d.text ? e.quote : null) : linkButton(o));
      else if (e.kind === "mentions") add(out ? "Mentions" : "Mentioned by", linkButton(o));
      else if (e.kind === "supports") add(out ? "Supports" : "Supported by", linkButton(o, describe(o) + note));
      else if (e.kind === "contrasts") add("Contrasts with", linkButton(o, describe(o) + note));
      else if (e.kind === "restates") add(out ? "Restates" : "Restated by", linkButton(o, describe(o) + note));
      else if (e.kind === "stated_in") add(out ? "Stated in claim" : "Forecasts in it", linkButton(o));
    });
    ["Source", "Supports", "Supported by", "Contrasts with", "Restates", "Restated by", "Stated in claim",
     "Forecasts in it", "Mentions", "Mentioned by", "Says"].forEach((name) => section(name, groups[name] || []));
  }

  function showResults(hits) {
    clear(panel);
    panel.appendChild(el("h2", hits.length + " match" + (hits.length === 1 ? "" : "es") + " for “" + state.q + "”"));
    section("Matches", hits.map((i) => linkButton(i)), 100);
  }

  function horizonOf(d) { return d.horizon_end !== undefined ? d.horizon_end : d.horizon_start; }
  function showForecasts() {
    clear(panel);
    panel.appendChild(el("h2", "Forecasts by horizon"));
    const list = N.map((d, i) => i).filter((i) => N[i].kind === "forecast" && !hidden[i]).sort((a, b) => {
      const ha = horizonOf(N[a]), hb = horizonOf(N[b]);
      return (ha === undefined ? 1e9 : ha) - (hb === undefined ? 1e9 : hb) || String(N[a].text).localeCompare(String(N[b].text));
    });
    if (!list.length) panel.appendChild(el("p", "No forecasts in view.", "muted"));
    let current = null, ul = null;
    list.forEach((i) => {
      const d = N[i], h = horizonOf(d), group = h === undefined ? "no stated horizon" : String(h);
      if (group !== current) { current = group; panel.appendChild(el("h3", group)); ul = el("ul"); panel.appendChild(ul); }
      const li = el("li");
      li.appendChild(badge(d.confidence, S.camp[d.camp] || "#888"));
      li.appendChild(linkButton(i, short(d.text, 160)));
      const from = Array.from(sources[i]).map(articleName).join("; ");
      if (from) li.appendChild(el("div", from, "muted"));
      ul.appendChild(li);
    });
  }

  function showOverview() {
    clear(panel);
    panel.appendChild(el("h2", "Argument map"));
    panel.appendChild(el("p", "Click a node for its full quote, source and relations. Search or filter on the left; drag to pan, scroll to zoom.", "muted"));
    CAMPS.forEach((camp) => {
      const keys = N.map((d, i) => i).filter((i) => N[i].kind === "claim" && N[i].is_key && N[i].camp === camp && !hidden[i]);
      section("Key claims · " + CAMP_NAMES[camp], keys.map((i) => linkButton(i, short(N[i].text, 110))), 40);
    });
    section("Articles", articles.map((i) => linkButton(i)));
  }

  // ------------------------------------------------------------ selection and highlight
  let dimmed = false;
  const baseFont = N.map((d, i) => nodes.get(i).font);
  const baseEdgeColour = E.map((e, i) => edges.get(i).color);
  function highlight(i) {
    const near = new Set(i === null ? [] : [i]);
    const touching = new Set(i === null ? [] : adj[i]);
    touching.forEach((ei) => { near.add(E[ei].from); near.add(E[ei].to); });
    const nodeUpdates = [], edgeUpdates = [];
    for (let j = 0; j < n; j++) {
      if (hidden[j] && i !== null) continue;
      const on = i === null || near.has(j);
      if (on && !dimmed) continue;
      nodeUpdates.push({ id: j, opacity: on ? 1 : 0.15,
                         font: on ? baseFont[j] : Object.assign({}, baseFont[j], { color: "rgba(60,60,60,0.18)" }) });
    }
    for (let k = 0; k < E.length; k++) {
      if (edgeHidden[k] && i !== null) continue;
      const on = i === null || touching.has(k);
      if (on && !dimmed) continue;
      edgeUpdates.push({ id: k, color: on ? baseEdgeColour[k] : Object.assign({}, baseEdgeColour[k], { opacity: 0.12 }) });
    }
    dimmed = i !== null;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  function choose(i, move) {
    if (hidden[i]) { state.q = ""; document.getElementById("search").value = ""; applyFilters(); }
    network.selectNodes([i]);
    highlight(i);
    showNode(i);
    if (move) network.focus(i, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 300 } });
  }
  network.on("click", (params) => {
    if (params.nodes.length) choose(params.nodes[0], false);
    else { highlight(null); if (state.q) applyFilters(); else showOverview(); }
  });

  // ------------------------------------------------------------ controls
  const campBox = document.getElementById("camp-filter");
  CAMPS.forEach((c) => { const sw = el("span", null, "swatch"); sw.style.background = S.camp[c];
    checkbox(campBox, c, c, true, sw, (on) => { state.camps[c] = on; applyFilters(); }); });
  const kindBox = document.getElementById("kind-filter");
  KINDS.forEach((k) => checkbox(kindBox, k, KIND_NAMES[k], true, null, (on) => { state.kinds[k] = on; applyFilters(); }));
  const linkBox = document.getElementById("link-filter");
  EDGE_KINDS.forEach((k) => checkbox(linkBox, k, EDGE_NAMES[k], state.links[k], icon("line", S.edge[k].color, S.edge[k].dashes, S.edge[k].arrows),
    (on) => { state.links[k] = on; applyFilters(); }));
  const sourceSelect = document.getElementById("source-filter");
  articles.forEach((i) => { const o = el("option", short(articleName(i), 70)); o.value = String(i); sourceSelect.appendChild(o); });
  sourceSelect.addEventListener("change", () => { state.source = sourceSelect.value === "" ? -1 : +sourceSelect.value; applyFilters(); });
  let typing = null;
  document.getElementById("search").addEventListener("input", (ev) => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.q = ev.target.value.trim().toLowerCase(); highlight(null); applyFilters(); if (!state.q) showOverview(); }, n > 3000 ? 200 : 60);
  });
  document.getElementById("forecasts").addEventListener("click", showForecasts);
  document.getElementById("reset").addEventListener("click", () => {
    state.q = ""; document.getElementById("search").value = ""; state.source = -1; sourceSelect.value = "";
    document.querySelectorAll("#camp-filter input, #kind-filter input").forEach((b) => { b.checked = true; });
    CAMPS.forEach((c) => { state.camps[c] = true; }); KINDS.forEach((k) => { state.kinds[k] = true; });
    highlight(null); network.unselectAll(); applyFilters(); showOverview(); fitAll();
  });
  if (META.notices && META.notices.length) {
    const box = document.getElementById("notice");
    box.textContent = META.notices.join(" ");
    box.hidden = false;
  }

  document.title = "argmap · " + META.description;
  buildLegend();
  applyFilters();
  showOverview();
  fitAll();
  window.argmap = { network: network, nodes: nodes, edges: edges, data: DATA, visibleIds: visibleIds, choose: choose,
                    indexOf: (iri) => N.findIndex((d) => d.id === iri) };
})();
