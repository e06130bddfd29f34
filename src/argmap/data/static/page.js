/* argmap page: draws the map vis-network receives from argmap.view, with search,
 * filters, a detail panel and a forecast list.  Physics stays off.  A view is chosen
 * by the URL fragment: the whole map (#all, positions precomputed), the views argmap
 * chose (#overview, #clash, #bridges, #forecasts: rows of nodes by camp, laid out here
 * as a grid) and the ones made on a click (#topic=, #source=, #claim=).  Text from the
 * data is only ever set with textContent / createTextNode, never parsed as markup. */
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
      // The title is written over the whole map at a size that does not shrink with the
      // zoom (see afterDrawing below); the box itself carries only a marker.
      node.label = "  ";
      node.font = { size: 15, color: "#fff" };
      node.margin = 6;
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

  // In a grid view a claim or forecast is a box with its short text; a topic, an
  // article or an entity heads its row.
  const COL = 296, BOX = 270, LINE = 17, ROW_GAP = 18, HEAD = 34;
  function gridLabel(d, i) {
    if (d.kind === "article") return short(d.title, 90);
    if (d.kind === "entity") return d.label;
    const count = d.fold_sources || d.source_count || 1;
    const lead = (d.kind === "forecast" && d.label ? "[" + d.label + "] " : "") + (count > 1 ? count + " sources · " : "");
    // Markdown that leaked into a quote ([text](url), *emphasis*, `code`) is no part of a label.
    const text = String(d.text || "").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*_`]+/g, "")
      .replace(/\s+/g, " ").trim().replace(/^(and|but|so|yet|also|still|now|thus|indeed)\b[,\s]+/i, "");
    return short(lead + text.charAt(0).toUpperCase() + text.slice(1), 68);
  }
  function gridNode(d, i, x, y, header) {
    const colour = colourOf(d);
    const node = { id: i, x: x, y: y, shape: "box", label: gridLabel(d, i), title: tooltip(d), margin: 7,
                   widthConstraint: { minimum: header ? COL * 3 - 40 : BOX, maximum: header ? COL * 3 - 40 : BOX },
                   borderWidth: d.is_key ? 2.5 : 1.2, shapeProperties: { borderRadius: 4 } };
    if (header) {
      node.font = { size: 15, color: "#fff", align: "left" };
      node.margin = 5;
      node.color = { background: colour, border: colour, highlight: { background: colour, border: "#000" }, hover: { background: colour, border: "#000" } };
    } else {
      const tint = tintOf(colour);
      node.font = { size: 14, color: "#1d1d1d", align: "left" };
      node.color = { background: tint, border: colour, highlight: { background: tint, border: "#000" }, hover: { background: tint, border: "#000" } };
    }
    return node;
  }
  function tintOf(hex) {
    const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
    if (!m) return "#f3f3f3";
    const v = parseInt(m[1], 16), mix = (c) => Math.round(c + (255 - c) * 0.86);
    return "rgb(" + mix(v >> 16) + "," + mix((v >> 8) & 255) + "," + mix(v & 255) + ")";
  }

  const nodes = new vis.DataSet([]);
  const edges = new vis.DataSet([]);
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
  // On the whole map, article titles stay 12 px on screen at any zoom, so a zoomed-out map
  // still says which box is which source.
  network.on("afterDrawing", (ctx) => {
    if (!V || V.grid) return;
    const scale = network.getScale(), size = 12 / scale;
    ctx.font = "600 " + size + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.fillStyle = S.article;
    articles.forEach((i) => {
      if (hidden[i] || !network.body.nodes[i]) return;
      const node = network.body.nodes[i], text = short(N[i].title, 48);
      ctx.strokeText(text, node.x, node.y - 14 / scale);
      ctx.fillText(text, node.x, node.y - 14 / scale);
    });
  });

  // ------------------------------------------------------------ views
  // V is the view on screen: its node ids (indexes into N), its edges, and what to draw
  // behind them.  Every view lists a node at most once.
  const VIEWS = Object.fromEntries((DATA.views || []).map((v) => [v.name, v]));
  const RELATIONS = ["supports", "contrasts"];
  let V = null;
  const repOf = (i) => (N[i].fold !== undefined ? N[i].fold : i);
  const bandNames = { closed: "CLOSED models", both: "BOTH", open: "OPEN models" };

  function wholeMap() {
    let ymin = Infinity, ymax = -Infinity, xmin = Infinity, xmax = -Infinity;
    N.forEach((d) => { ymin = Math.min(ymin, d.y); ymax = Math.max(ymax, d.y); xmin = Math.min(xmin, d.x); xmax = Math.max(xmax, d.x); });
    if (!isFinite(ymin)) { ymin = 0; ymax = 0; xmin = -100; xmax = 100; }
    const pad = 60, fontSize = Math.max(26, (ymax - ymin) / 30);
    CAMPS.forEach((c) => { const b = META.bands && META.bands[c]; if (b) { xmin = Math.min(xmin, b[0]); xmax = Math.max(xmax, b[1]); } });
    return { name: "all", title: "Whole map", note: "every node the page holds; filters and search narrow it",
             ids: N.map((d, i) => i), vis: N.map(visNode),
             edges: E.map((e, i) => Object.assign(visEdge(e, i), { kind: e.kind })),
             bands: META.bands || {}, top: ymin - pad - fontSize * 1.6, bottom: ymax + pad, fontSize: fontSize,
             left: xmin, right: xmax, marks: [] };
  }

  function lines(label) {
    return label.split("\n").reduce((sum, part) => sum + Math.max(1, Math.ceil(part.length / 36)), 0);
  }

  // rows: [{title, header, cells: {camp: [ids]}}] → a grid: camps as columns, rows top to bottom.
  function gridView(name, title, note, rows, fold) {
    const vis = [], seen = new Set(), marks = [];
    let y = 0;
    rows.forEach((row) => {
      if (row.header !== null && row.header !== undefined && !seen.has(row.header)) {
        seen.add(row.header);
        vis.push(gridNode(N[row.header], row.header, 0, y + 12, true));
        y += HEAD;
      } else if (row.title) {
        marks.push({ title: row.title, y: y + 14 });
        y += HEAD - 8;
      }
      let tallest = 0;
      CAMPS.forEach((camp, c) => {
        let cy = y;
        (row.cells[camp] || []).forEach((i) => {
          if (seen.has(i)) return;
          seen.add(i);
          const node = gridNode(N[i], i, (c - 1) * COL, 0, false);
          const h = lines(node.label) * LINE + 16;
          node.y = cy + h / 2;
          vis.push(node);
          cy += h + 8;
        });
        tallest = Math.max(tallest, cy - y);
      });
      y += tallest + ROW_GAP;
      marks.push({ line: true, y: y - ROW_GAP / 2 });
    });
    const edgesOut = [], done = new Set();
    E.forEach((e) => {
      if (!RELATIONS.includes(e.kind)) return;
      const a = fold ? repOf(e.from) : e.from, b = fold ? repOf(e.to) : e.to, id = e.kind + ":" + a + ":" + b;
      if (a === b || !seen.has(a) || !seen.has(b) || done.has(id)) return;
      done.add(id);
      const st = S.edge[e.kind];
      edgesOut.push({ id: id, from: a, to: b, kind: e.kind, width: st.width + 0.4,
                      color: { color: st.color, highlight: st.color, hover: st.color, inherit: false },
                      dashes: st.dashes ? [9, 6] : false, arrows: { to: { enabled: !!st.arrows, scaleFactor: 0.7 } },
                      smooth: { enabled: true, type: "curvedCW", roundness: 0.18 },
                      title: e.kind + (e.cue ? " (“" + e.cue + "”)" : "") });
    });
    const bands = { closed: [-1.5 * COL, -0.5 * COL], both: [-0.5 * COL, 0.5 * COL], open: [0.5 * COL, 1.5 * COL] };
    return { name: name, title: title, note: note, ids: Array.from(seen), vis: vis, edges: edgesOut, bands: bands,
             top: -48, bottom: Math.max(y, 60), fontSize: 24, left: -1.5 * COL, right: 1.5 * COL, marks: marks, grid: true };
  }

  function byRank(a, b) {
    const da = N[a], db = N[b];
    return (db.fold_sources || db.source_count || 1) - (da.fold_sources || da.source_count || 1) ||
      (db.is_key ? 1 : 0) - (da.is_key ? 1 : 0) || String(da.text).length - String(db.text).length;
  }
  function cellsOf(ids) {
    const cells = { closed: [], both: [], open: [] };
    ids.forEach((i) => { (cells[N[i].camp] || cells.both).push(i); });
    return cells;
  }
  function neighbours(i, kind, dir) {  // dir: "out" (i → o), "in" (o → i) or "any"
    const out = [];
    adj[i].forEach((ei) => {
      const e = E[ei];
      if (e.kind !== kind) return;
      if (e.from === i && dir !== "in") out.push(e.to);
      else if (e.to === i && dir !== "out") out.push(e.from);
    });
    return Array.from(new Set(out));
  }

  function topicView(i) {
    const said = Array.from(new Set(neighbours(i, "mentions", "in").filter((o) => said_(o)).map(repOf))).sort(byRank);
    return Object.assign(gridView("topic=" + N[i].id, "Topic: " + N[i].label, said.length + " claims and forecasts name it",
                                  [{ title: N[i].label, header: i, cells: cellsOf(said) }], true), { focus: i });
  }
  function sourceView(i) {
    const offset = (o) => { const e = adj[o].map((ei) => E[ei]).find((e) => e.kind === "appears_in" && e.to === i); return e && e.offset_start !== undefined ? e.offset_start : 0; };
    const said = neighbours(i, "appears_in", "in").sort((a, b) => offset(a) - offset(b));
    const claims = said.filter((o) => N[o].kind === "claim"), forecasts = said.filter((o) => N[o].kind === "forecast");
    return Object.assign(gridView("source=" + N[i].identifier, "What one source argues: " + N[i].title,
                                  claims.length + " claims and " + forecasts.length + " forecasts, in the order of the text",
                                  [{ title: N[i].title, header: i, cells: cellsOf(claims) },
                                   { title: "its forecasts", header: null, cells: cellsOf(forecasts) }], false), { focus: i });
  }
  function claimView(i) {
    const members = N.map((d, j) => j).filter((j) => j !== i && repOf(j) === repOf(i) || j === repOf(i) && j !== i);
    const rows = [
      { title: "supported by", cells: cellsOf(neighbours(i, "supports", "in")) },
      { title: N[i].kind === "forecast" ? "the forecast" : "the claim", cells: cellsOf([i]) },
      { title: "it supports", cells: cellsOf(neighbours(i, "supports", "out")) },
      { title: "contrasts with", cells: cellsOf(neighbours(i, "contrasts", "any")) },
      { title: "the same claim elsewhere", cells: cellsOf(Array.from(new Set(members.concat(neighbours(i, "restates", "any"))))) },
      { title: N[i].kind === "forecast" ? "stated in" : "forecasts in it", cells: cellsOf(neighbours(i, "stated_in", "any")) },
    ].map((r) => Object.assign({ header: null }, r));
    return Object.assign(gridView("claim=" + N[i].id, "A claim and its evidence", short(N[i].text, 120), rows, false), { focus: i });
  }
  function said_(i) { return N[i].kind === "claim" || N[i].kind === "forecast"; }

  function find(kind, key) {
    return N.findIndex((d) => d.kind === kind && (d.id === key || d.identifier === key || (kind === "entity" && String(d.label).toLowerCase() === key.toLowerCase())));
  }
  function viewFor(hash) {
    const m = /^(topic|source|claim)=(.+)$/.exec(hash);
    if (m) {
      const kinds = { topic: ["entity"], source: ["article"], claim: ["claim", "forecast"] }[m[1]];
      for (const kind of kinds) {
        const i = find(kind, m[2]);
        if (i >= 0) return m[1] === "topic" ? topicView(i) : m[1] === "source" ? sourceView(i) : claimView(i);
      }
      return null;
    }
    if (hash === "all") return wholeMap();
    const v = VIEWS[hash];
    return v ? gridView(v.name, v.title, v.note, v.rows, true) : null;
  }
  function hashOf(i) {
    const d = N[i];
    if (d.kind === "entity") return "topic=" + d.id;
    if (d.kind === "article") return "source=" + d.identifier;
    return "claim=" + d.id;
  }

  network.on("beforeDrawing", (ctx) => {
    if (!V) return;
    CAMPS.forEach((camp) => {
      const band = V.bands && V.bands[camp];
      if (!band) return;
      ctx.globalAlpha = V.grid ? 0.07 : 0.06;
      ctx.fillStyle = S.camp[camp];
      ctx.fillRect(band[0], V.top, band[1] - band[0], V.bottom - V.top);
      ctx.globalAlpha = 0.8;
      ctx.font = "bold " + V.fontSize + "px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.fillText(bandNames[camp], (band[0] + band[1]) / 2, V.top + V.fontSize * 1.3);
      ctx.globalAlpha = 1;
    });
    V.marks.forEach((mark) => {
      if (mark.line) {
        ctx.strokeStyle = "rgba(0,0,0,0.12)"; ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(V.left, mark.y); ctx.lineTo(V.right, mark.y); ctx.stroke();
      } else {
        ctx.fillStyle = "#555"; ctx.font = "600 15px system-ui, sans-serif"; ctx.textAlign = "left";
        ctx.fillText(mark.title.toUpperCase(), V.left + 8, mark.y + 5);
      }
    });
  });

  function fitView() {
    const box = document.getElementById("map");
    const x0 = V.left - 10, x1 = V.right + 10, y0 = V.top - 10, y1 = V.bottom + 10;
    const scale = Math.min(box.clientWidth / (x1 - x0), box.clientHeight / (y1 - y0), V.grid ? 1.25 : 1.5);
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
  }

    // ------------------------------------------------------------ filters and search
  const EDGE_KINDS = ["supports", "contrasts", "restates", "stated_in", "mentions", "appears_in"];
  const EDGE_NAMES = { supports: "supports", contrasts: "contrasts", restates: "restates", stated_in: "forecast in claim",
                       mentions: "mentions", appears_in: "claim → article" };
  const state = { q: "", camps: { closed: true, open: true, both: true },
                  kinds: { claim: true, forecast: true, entity: true, article: true },
                  links: Object.fromEntries(EDGE_KINDS.map((k) => [k, k !== "appears_in" || n <= 400])) };
  const hidden = new Uint8Array(n);  // of the nodes in the view
  let edgeHidden = new Map();
  let heads = new Set();  // row headers of a grid view: shown whatever the filters

  function computeVisible() {
    const show = new Uint8Array(n);
    V.ids.forEach((i) => {
      const d = N[i];
      if (heads.has(i)) show[i] = 1;
      else if (said(d)) show[i] = state.camps[d.camp] !== false && state.kinds[d.kind] ? 1 : 0;
    });
    V.ids.forEach((i) => {
      const d = N[i];
      if (heads.has(i) || said(d)) return;
      if (d.kind === "entity" && !V.grid) {
        show[i] = state.kinds.entity && adj[i].some((ei) => { const e = E[ei]; const o = e.from === i ? e.to : e.from; return said(N[o]) && show[o]; }) ? 1 : 0;
      } else show[i] = state.kinds[d.kind] ? 1 : 0;
    });
    if (state.q) {
      const hits = [];
      for (let i = 0; i < n; i++) if (hay[i].includes(state.q)) hits.push(i);
      const near = new Uint8Array(n);
      hits.forEach((i) => {
        if (!show[i]) return;
        near[i] = 1;
        adj[i].forEach((ei) => { const e = E[ei]; [e.from, e.to].forEach((o) => { if (show[o]) near[o] = 1; }); });
      });
      heads.forEach((i) => { if (show[i]) near[i] = 1; });
      showResults(hits);
      return near;
    }
    return show;
  }

  function applyFilters() {
    const show = computeVisible();
    const nodeChanges = [], edgeChanges = [];
    V.ids.forEach((i) => {
      const h = show[i] ? 0 : 1;
      if (h !== hidden[i]) { hidden[i] = h; nodeChanges.push({ id: i, hidden: !!h }); }
    });
    // vis-network leaves out the edges of hidden nodes by itself; only the link filter
    // hides edges here (at 5k nodes, updating the edges of a camp cost half a camp click).
    V.edges.forEach((e) => {
      const h = !state.links[e.kind] ? 1 : 0;
      if (h !== (edgeHidden.get(e.id) || 0)) { edgeHidden.set(e.id, h); edgeChanges.push({ id: e.id, hidden: !!h }); }
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    summarise();
  }

  function visibleIds() { return V.ids.filter((i) => !hidden[i]).sort((a, b) => a - b); }

  function summarise() {
    const t = META.totals || {};
    const parts = ["articles", "claims", "forecasts", "entities"].filter((k) => t[k] !== undefined)
      .map((k) => t[k] + " " + (t[k] === 1 ? k.replace(/s$/, "") : k));
    const counts = {};
    V.ids.forEach((i) => { if (!hidden[i]) counts[N[i].kind] = (counts[N[i].kind] || 0) + 1; });
    const drawn = KINDS.filter((k) => counts[k]).map((k) => counts[k] + " " + KIND_NAMES[k]).join(", ") || "nothing matches";
    document.getElementById("summary").textContent = parts.join(" · ") + " — on screen: " + drawn;
    document.getElementById("view-title").textContent = V.title;
    document.getElementById("view-note").textContent = V.note ? "· " + V.note : "";
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

  function openButton(i) {
    const d = N[i], name = hashOf(i);
    if (V && V.name === name) return null;
    const text = d.kind === "entity" ? "Show every claim that names it" : d.kind === "article" ? "Show what this source argues"
      : "Show it with its evidence on the map";
    const b = el("button", text + " →", "link open-view");
    b.type = "button";
    b.addEventListener("click", () => go(name, i));
    return b;
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
    const open = openButton(i);
    if (open) panel.appendChild(open);
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
    const list = N.map((d, i) => i).filter((i) => N[i].kind === "forecast" && state.camps[N[i].camp] !== false).sort((a, b) => {
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
      const keys = N.map((d, i) => i).filter((i) => N[i].kind === "claim" && N[i].is_key && N[i].camp === camp && state.camps[camp] !== false && repOf(i) === i);
      section("Key claims · " + CAMP_NAMES[camp], keys.map((i) => linkButton(i, short(N[i].text, 110))), 40);
    });
    section("Articles", articles.map((i) => linkButton(i)));
  }

  // ------------------------------------------------------------ selection and highlight
  let dimmed = false;
  let baseFont = new Map(), baseEdgeColour = new Map();
  function highlight(i) {
    const near = new Set(i === null ? [] : [i]);
    const touching = new Set();
    if (i !== null) V.edges.forEach((e) => { if (e.from === i || e.to === i) { touching.add(e.id); near.add(e.from); near.add(e.to); } });
    const nodeUpdates = [], edgeUpdates = [];
    V.ids.forEach((j) => {
      if (hidden[j] && i !== null) return;
      const on = i === null || near.has(j);
      if (on && !dimmed) return;
      const font = baseFont.get(j);
      nodeUpdates.push({ id: j, opacity: on ? 1 : 0.15,
                         font: on ? font : Object.assign({}, font, { color: "rgba(60,60,60,0.18)" }) });
    });
    V.edges.forEach((e) => {
      if (edgeHidden.get(e.id) && i !== null) return;
      const on = i === null || touching.has(e.id);
      if (on && !dimmed) return;
      const colour = baseEdgeColour.get(e.id);
      edgeUpdates.push({ id: e.id, color: on ? colour : Object.assign({}, colour, { opacity: 0.12 }) });
    });
    dimmed = i !== null;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  const inView = (i) => V.vis.length > 0 && nodes.get(i) !== null;
  function choose(i, move) {
    if (!inView(i)) { go(hashOf(i), i); return; }
    if (hidden[i]) { state.q = ""; document.getElementById("search").value = ""; applyFilters(); }
    network.selectNodes([i]);
    highlight(i);
    showNode(i);
    if (move) network.focus(i, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 300 } });
  }
  network.on("click", (params) => {
    if (params.nodes.length) choose(params.nodes[0], false);
    else { highlight(null); if (state.q) applyFilters(); else showViewPanel(); }
  });
  network.on("doubleClick", (params) => {
    // A second click opens the node's own view: a topic's claims, an article's, a claim's evidence.
    if (params.nodes.length && !(V.name === hashOf(params.nodes[0]))) go(hashOf(params.nodes[0]), params.nodes[0]);
  });

  // ------------------------------------------------------------ views on screen
  let pendingChoice = null;
  function go(hash, choice) {
    pendingChoice = choice === undefined ? null : choice;
    if (decodeURIComponent(location.hash.replace(/^#/, "")) === hash) render(hash);
    else location.hash = encodeURIComponent(hash).replace(/%3D/g, "=");
  }
  function render(hash) {
    V = viewFor(hash) || viewFor(META.start) || wholeMap();
    heads = new Set(V.grid ? V.vis.filter((d) => d.widthConstraint && d.widthConstraint.minimum > BOX).map((d) => d.id) : []);
    hidden.fill(0); edgeHidden = new Map(); dimmed = false;
    nodes.clear(); edges.clear();
    nodes.add(V.vis);
    edges.add(V.edges.map((e) => { const c = Object.assign({}, e); delete c.kind; return c; }));
    baseFont = new Map(V.vis.map((d) => [d.id, d.font]));
    baseEdgeColour = new Map(V.edges.map((e) => [e.id, e.color]));
    network.setOptions({ interaction: { hover: !(V.vis.length > 1500 || V.edges.length > 4000) } });
    document.querySelectorAll("#views a").forEach((a) => {
      if (a.getAttribute("href") === "#" + V.name) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    applyFilters();
    fitView();
    const choice = pendingChoice;
    pendingChoice = null;
    if (choice !== null && inView(choice)) { network.selectNodes([choice]); showNode(choice); }
    else showViewPanel();
  }
  function showViewPanel() {
    if (V.name === "forecasts") showForecasts();
    else if (V.focus !== undefined) showNode(V.focus);
    else showOverview();
  }
  window.addEventListener("hashchange", () => render(decodeURIComponent(location.hash.replace(/^#/, ""))));

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
  sourceSelect.addEventListener("change", () => { go(sourceSelect.value === "" ? META.start : hashOf(+sourceSelect.value)); });
  let typing = null;
  document.getElementById("search").addEventListener("input", (ev) => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.q = ev.target.value.trim().toLowerCase(); highlight(null); applyFilters(); if (!state.q) showViewPanel(); }, n > 3000 ? 200 : 60);
  });
  document.getElementById("reset").addEventListener("click", () => {
    state.q = ""; document.getElementById("search").value = ""; sourceSelect.value = "";
    document.querySelectorAll("#camp-filter input, #kind-filter input").forEach((b) => { b.checked = true; });
    CAMPS.forEach((c) => { state.camps[c] = true; }); KINDS.forEach((k) => { state.kinds[k] = true; });
    network.unselectAll();
    go(META.start);
  });
  if (META.notices && META.notices.length) {
    const box = document.getElementById("notice");
    box.textContent = META.notices.join(" ");
    box.hidden = false;
  }

  document.title = "argmap · " + META.description;
  buildLegend();
  render(decodeURIComponent(location.hash.replace(/^#/, "")));
  window.argmap = { network: network, nodes: nodes, edges: edges, data: DATA, visibleIds: visibleIds, choose: choose,
                    view: () => V.name, go: go, indexOf: (iri) => N.findIndex((d) => d.id === iri) };
})();
