/* rustscout's HTML report: the ranking table, each candidate's case, and the dependency graph
   with the chosen candidate's seam drawn on it. It reads the JSON packed in #rustscout-index (rows, seams, graph) and
   #rustscout-cases (each candidate's case, unpacked once the page is drawn), and writes
   text only through DOM text nodes (never innerHTML), so names from scanned code stay text.
   The graph shows files grouped by folder: the folders with most of the work open first until
   NODE_BUDGET nodes are shown; a click opens a folder, a right-click closes it. */
(function () {
  "use strict";
  const BEST_FIRST = ["port", "needs-boundary-work", "fix-in-place-first", "insufficient-evidence",
    "not-a-rust-problem"];
  const ROWS_SHOWN = 200, NODE_BUDGET = 50, FILES_PER_FOLDER = 25, EDGE_BUDGET = 150, SEARCH_HITS = 30;
  const ROLES = {members: "member", entries: "entry", callers: "caller", callbacks: "callback", callees: "callee"};
  const table = {key: "rank", up: true, all: false};
  const view = {open: new Set([""]), rest: new Set(), pinned: new Set()};
  let DATA, NODES, FOLDERS, byRank, byId, fileById, indexOf, casesUnpacked = null;
  let chosen = null;

  // --- small helpers -------------------------------------------------------------------------
  const $ = id => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  const colours = new Map();
  function css(name) {
    if (!colours.has(name)) colours.set(name, getComputedStyle(document.documentElement).getPropertyValue(name).trim());
    return colours.get(name);
  }

  function chip(verdict) {
    return el("span", {class: "chip v-" + verdict}, verdict);
  }

  function factor(c, name) {
    const f = c.factors.find(x => x.name === name);
    return f ? f.value : 0;
  }

  function place(c) {
    return c.kind === "package" || c.kind === "component" ? c.path : c.path + ":" + c.lines[0];
  }

  function formatValue(value, unit) {
    if (unit === "share") return (value * 100).toFixed(1) + "%";
    if (unit === "x") return value.toFixed(1) + "x";
    if (unit === "days") return value.toFixed(1) + " d";
    if (unit === "operations" || unit === "calls") return compact(value) + " " + unit;
    if (unit === "ratio") return value.toFixed(2);
    return String(value);
  }

  function compact(value) {      // 707218.9 as 707k, as the terminal and the chart write it
    for (const [size, suffix] of [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]]) {
      if (value >= size) return (value < 10 * size ? (value / size).toPrecision(2) : (value / size).toFixed(0)) + suffix;
    }
    return value.toFixed(0);
  }

  function better(a, b) {
    const rank = v => (v === null || v === undefined) ? 99 : BEST_FIRST.indexOf(v);
    return rank(b) < rank(a) ? b : a;
  }

  // --- the ranking -----------------------------------------------------------------------------
  function filters() {
    return {verdict: $("f-verdict").value, kind: $("f-kind").value, language: $("f-language").value,
      path: $("f-path").value.trim().toLowerCase(), score: parseFloat($("f-score").value) || 0};
  }

  function matches(c, f) {
    return (!f.verdict || c.verdict === f.verdict) && (!f.kind || c.kind === f.kind) &&
      (!f.language || c.language === f.language) && c.score >= f.score &&
      (!f.path || c.path.toLowerCase().includes(f.path) || c.id.toLowerCase().includes(f.path));
  }

  function compare(a, b) {
    const key = table.key, sign = table.up ? 1 : -1;
    const x = key === "name" ? (a.qualname || a.name) : a[key], y = key === "name" ? (b.qualname || b.name) : b[key];
    const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.rank - b.rank;
  }

  function renderTable() {
    const rows = DATA.candidates.filter(c => matches(c, filters())).sort(compare);
    const shown = table.all ? rows : rows.slice(0, ROWS_SHOWN);
    $("ranking-body").replaceChildren(...shown.map(row));
    $("count").textContent = rows.length + " of " + DATA.candidates.length + " candidates" +
      (shown.length < rows.length ? ", the first " + shown.length + " shown" : "");
    $("more").hidden = shown.length === rows.length;
    for (const th of document.querySelectorAll("#ranking-table th[data-key]")) {
      th.className = th.dataset.key === table.key ? (table.up ? "sorted-up" : "sorted-down") : "";
    }
  }

  function row(c) {
    const tr = el("tr", {"data-rank": c.rank, tabindex: "0"}, el("td", {}, String(c.rank)),
      el("td", {}, c.score.toFixed(1)), el("td", {}, chip(c.verdict)), el("td", {}, c.kind),
      el("td", {}, c.language), el("td", {class: "name"}, c.qualname || c.name),
      el("td", {class: "path"}, place(c)), el("td", {class: "reason"}, c.reason));
    if (c === chosen) tr.classList.add("chosen");
    return tr;
  }

  function sortBy(key) {
    table.up = table.key === key ? !table.up : key !== "score";
    table.key = key;
    renderTable();
  }

  function wireTable() {
    $("filters").addEventListener("input", renderTable);
    $("filters").addEventListener("reset", () => setTimeout(renderTable, 0));
    $("filters").addEventListener("submit", e => e.preventDefault());
    $("more").addEventListener("click", () => { table.all = true; renderTable(); });
    document.querySelector("#ranking-table thead").addEventListener("click", e => {
      const th = e.target.closest("th[data-key]");
      if (th) sortBy(th.dataset.key);
    });
    const pick = e => {
      const tr = e.target.closest("tr[data-rank]");
      if (tr && (e.type === "click" || e.key === "Enter")) choose(byRank.get(Number(tr.dataset.rank)), true);
    };
    $("ranking-body").addEventListener("click", pick);
    $("ranking-body").addEventListener("keydown", pick);
  }

  // --- a candidate's case: what `rustscout explain` shows -------------------------------------
  function cases() {
    casesUnpacked = casesUnpacked || unpack($("rustscout-cases"));
    return casesUnpacked;
  }

  function openCase(c) {
    cases().then(list => {
      if (chosen === c) renderCase({...c, ...list[DATA.candidates.indexOf(c)]});
    }, fail);
  }

  function renderCase(c) {
    $("case-body").replaceChildren(caseHead(c), warningLine(c), factorsTable(c), boundaryBlock(c), findingsTable(c),
      planBlock(c), ...c.fixes.map(fixBlock), membersLine(c), nextLine(c));
  }

  function caseHead(c) {
    return el("div", {class: "case-head"}, el("div", {class: "id"}, c.id),
      el("div", {class: "title"}, "#" + c.rank + " " + (c.qualname || c.name)),
      el("div", {}, c.kind + " · " + place(c) + " · score " + c.score.toFixed(1) + " ", chip(c.verdict)),
      el("p", {class: "reason"}, c.reason));
  }

  function factorsTable(c) {
    const rows = c.factors.map(f => el("tr", {}, el("th", {}, f.name),
      el("td", {}, (f.estimate ? "≈" : "") + formatValue(f.value, f.unit)),
      el("td", {}, f.summary, evidenceList(f))));
    return el("div", {}, el("h3", {}, "Factors (≈ marks a static estimate)"),
      el("table", {class: "grid factors"}, el("tbody", {}, ...rows)));
  }

  function evidenceList(f) {
    if (!f.evidence.length) return null;
    const items = f.evidence.map(e => el("li", {}, evidenceText(e)));
    if (f.evidence_more) items.push(el("li", {class: "more"}, "… " + f.evidence_more + " more in the JSON report"));
    return el("ul", {class: "evidence"}, ...items);
  }

  function evidenceText(e) {
    const span = e.lines ? e.lines[0] + (e.lines[1] !== e.lines[0] ? "-" + e.lines[1] : "") : "";
    const where = e.path && e.lines ? " (" + e.path + ":" + span + ")" : e.lines ? " (line " + e.lines[0] + ")" : "";
    const value = e.value === undefined ? "" : ": " + e.value;
    return e.what + value + where + (e.commit ? " [" + e.commit.slice(0, 10) + "]" : "");
  }

  function boundaryBlock(c) {
    const b = c.boundary, rows = [];
    const add = (role, text, where) => rows.push(el("tr", {}, el("td", {class: "role"}, role),
      el("td", {}, text, where ? el("span", {class: "more"}, "  " + where) : null)));
    b.entry_points.forEach(e => add("entry", e.signature, "(" + e.callers + " caller(s))"));
    b.calls_in.forEach(x => add("call in", x.source + " → " + x.target, x.path + ":" + x.line));
    b.calls_out.forEach(x => add(x.callback ? "callback" : "call out", x.source + " → " + x.target,
      x.path + ":" + x.line));
    b.shared_state.forEach(s => add("state", (s.write ? "writes " : "reads ") + s.name, "line " + s.line));
    if (!rows.length) add("", "nothing crosses it from ranked code");
    const shown = (b.calls_in_total > b.calls_in.length || b.calls_out_total > b.calls_out.length) ?
      " (the first " + b.calls_in.length + " in and " + b.calls_out.length + " out listed)" : "";
    return el("div", {}, el("h3", {}, "Boundary: " + b.width + " entry point(s), " + b.calls_in_total +
      " call(s) in, " + b.calls_out_total + " out, " + b.shared_state.length + " shared state" + shown),
      el("table", {class: "kv boundary"}, el("tbody", {}, ...rows)));
  }

  function findingsTable(c) {
    if (!c.findings.length) return null;
    const rows = c.findings.map(f => el("tr", {}, el("td", {}, f.rule),
      el("td", {class: "path"}, f.path + ":" + f.line), el("td", {}, f.effect), el("td", {}, f.message)));
    const head = el("tr", {}, ...["rule", "where", "effect", "message"].map(h => el("th", {}, h)));
    return el("div", {}, el("h3", {}, "Findings"), el("table", {class: "grid findings"}, el("thead", {}, head),
      el("tbody", {}, ...rows)));
  }

  function planBlock(c) {
    const p = c.plan;
    if (!p) return null;
    const crates = p.crates.map(x => x.library + " → " + x.crate).join(", ");
    return el("div", {class: "plan"}, el("h3", {}, p.cut.length ? "Smallest cut" : "Plan, leaves first"),
      el("p", {}, "Binding: " + p.binding), crates ? el("p", {}, "Crates: " + crates) : null,
      el("ol", {}, ...p.steps.map(s => el("li", {}, s))),
      ...(p.signatures || []).map(s => el("p", {class: "signature"}, el("b", {}, "Rust (" + s.binding + "): "),
        el("code", {}, s.rust))));
  }

  function warningLine(c) {
    return c.warning ? el("p", {class: "warning"}, c.warning) : null;
  }

  function nextLine(c) {
    return c.next ? el("p", {class: "next"}, el("b", {}, "Next: "), el("code", {}, c.next),
      el("span", {class: "more"}, " the extension project behind this boundary, a shim that keeps the pure code " +
        "as the fallback, a differential test and a benchmark")) : null;
  }

  function fixBlock(fix) {
    const title = el("h3", {}, "Fix " + fix.rule + " (line " + fix.line + "): " + fix.summary);
    if (!fix.patch) {
      return el("div", {}, title, el("p", {class: "more"}, "No mechanical patch; see `rustscout rules show " +
        fix.rule + "`."));
    }
    const lines = fix.patch.replace(/\n$/, "").split("\n").map(line => el("span", {class: diffClass(line)}, line + "\n"));
    return el("div", {class: "fix"}, title, el("pre", {class: "diff"}, ...lines),
      el("p", {class: "more"}, "apply with: git apply"));
  }

  function diffClass(line) {
    if (line.startsWith("+++") || line.startsWith("---")) return "meta";
    if (line.startsWith("@@")) return "hunk";
    return line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
  }

  function membersLine(c) {
    return c.members.length ? el("p", {class: "more"}, "Members: " + c.members.join(", ")) : null;
  }

  // --- the folder tree under the graph ----------------------------------------------------------

  function ancestors(folder) {
    const parts = folder ? folder.split("/") : [];
    return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  }

  function buildFolders(nodes) {
    const folders = new Map();
    const folder = path => {
      if (!folders.has(path)) {
        const parent = path === "" ? null : path.split("/").slice(0, -1).join("/");
        folders.set(path, {path, parent, subfolders: [], files: [], share: 0, count: 0, verdict: null});
        if (parent !== null) folder(parent).subfolders.push(folders.get(path));
      }
      return folders.get(path);
    };
    folder("");
    for (const n of nodes) addFile(folders, folder(n.folder || ""), n);
    for (const f of folders.values()) f.top = topFiles(f.files);
    return folders;
  }

  function addFile(folders, home, n) {
    home.files.push(n);
    for (let f = home; f; f = f.parent === null ? null : folders.get(f.parent)) {
      f.share += n.work_share || 0;
      f.count += 1;
      f.verdict = better(f.verdict, n.verdict);
    }
  }

  function topFiles(files) {
    if (files.length <= FILES_PER_FOLDER) return null;
    const order = files.slice().sort((a, b) => (b.work_share - a.work_share) || (b.sloc - a.sloc) ||
      a.id.localeCompare(b.id));
    return new Set(order.slice(0, FILES_PER_FOLDER).map(n => n.id));
  }

  function rep(n) {
    for (const f of ancestors(n.folder || "")) if (!view.open.has(f)) return "dir:" + f;
    const home = FOLDERS.get(n.folder || "");
    if (home.top && !home.top.has(n.id) && !view.rest.has(home.path) && !view.pinned.has(n.id)) return "rest:" + home.path;
    return n.id;
  }

  function shownIn(f) {
    const files = f.top && !view.rest.has(f.path) ? FILES_PER_FOLDER + 1 : f.files.length;
    return f.subfolders.length + files;
  }

  function openTop() {
    view.open = new Set([""]);
    let count = shownIn(FOLDERS.get(""));
    for (;;) {
      const frontier = [...FOLDERS.values()].filter(f => !view.open.has(f.path) && view.open.has(f.parent) &&
        count - 1 + shownIn(f) <= NODE_BUDGET);
      if (!frontier.length) return;
      frontier.sort((a, b) => (b.share - a.share) || (b.count - a.count) || a.path.localeCompare(b.path));
      count += shownIn(frontier[0]) - 1;
      view.open.add(frontier[0].path);
    }
  }

  function reveal(n) {
    for (const f of ancestors(n.folder || "")) view.open.add(f);
    view.pinned.add(n.id);
  }

  // --- the graph's elements: files and folders as the view shows them ----------------------------
  function visibleNodes(repOf) {
    const shown = new Map();
    NODES.forEach((n, i) => {
      const id = repOf[i];
      const node = shown.get(id) || {id, kind: id.slice(0, id.indexOf(":")), share: 0, count: 0, verdict: null, file: n};
      node.share += n.work_share || 0;
      node.count += 1;
      node.verdict = better(node.verdict, n.verdict);
      shown.set(id, node);
    });
    return [...shown.values()];
  }

  function label(node) {
    if (node.kind === "dir") return node.id.slice(4).split("/").pop() + "/ (" + node.count + ")";
    if (node.kind === "rest") return "… " + node.count + " more in " + (node.id.slice(5).split("/").pop() || "/");
    return node.file.path.split("/").pop();
  }

  function nodeElement(node, largest) {
    const size = 16 + 46 * Math.sqrt(largest > 0 ? node.share / largest : 0);
    const kind = node.kind === "dir" || node.kind === "rest" ? node.kind : "file";
    return {group: "nodes", classes: kind, data: {id: node.id, label: label(node), size, kind,
      color: css("--v-" + (node.verdict || "none")), share: node.share, count: node.count, verdict: node.verdict}};
  }

  function visibleEdges(repOf) {
    const merged = new Map();
    for (const [s, t, kind, weight] of DATA.graph.edges) {
      const source = repOf[s], target = repOf[t], key = source + "\u0000" + target;
      if (source === target) continue;
      const edge = merged.get(key) || {source, target, weight: 0, kinds: new Set()};
      edge.weight += weight;
      edge.kinds.add(kind);
      merged.set(key, edge);
    }
    const edges = [...merged.values()].sort((x, y) => y.weight - x.weight);
    return {total: edges.length, shown: edges.slice(0, EDGE_BUDGET).map(edgeElement)};
  }

  function edgeElement(e) {
    const kind = [...e.kinds].sort().join(" ");     // "call", "import" or "call import"
    return {group: "edges", classes: kind, data: {id: "e:" + e.source + "\u0000" + e.target, source: e.source,
      target: e.target, kind, weight: e.weight, width: Math.min(4, 1 + Math.log10(e.weight))}};
  }

  // --- the graph: drawing, layout, seam -----------------------------------------------------------
  let cy = null, lastEdges = {total: 0, shown: []};

  function graphStyle() {
    return [
      {selector: "node", style: {"background-color": "data(color)", width: "data(size)", height: "data(size)",
        label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 2, color: "#333",
        "border-width": 1, "border-color": "#fff", "min-zoomed-font-size": 7}},
      {selector: "node.dir, node.rest", style: {shape: "round-rectangle", "border-width": 2, "border-color": "#6b7785",
        "border-style": "dashed"}},
      {selector: "edge", style: {width: "data(width)", "line-color": "#c3c9cf", "curve-style": "haystack",
        "haystack-radius": 0, opacity: 0.7}},
      {selector: "edge.call", style: {"line-color": "#9cc0e4"}},
      {selector: "edge.call.import", style: {"line-color": "#4f83b8"}},
      {selector: ".faded", style: {opacity: 0.15}},
      {selector: "node.caller", style: {"border-width": 5, "border-color": css("--k-caller"), opacity: 1}},
      {selector: "node.callback", style: {"border-width": 5, "border-color": css("--k-callback"), opacity: 1}},
      {selector: "node.callee", style: {"border-width": 4, "border-color": css("--k-callee"), opacity: 1}},
      {selector: "node.member", style: {"border-width": 6, "border-color": css("--k-member"), "border-style": "solid",
        opacity: 1}},
      {selector: "node.entry", style: {"border-width": 8, "border-style": "double", "border-color": css("--k-member")}},
      {selector: "edge.crossing", style: {opacity: 1, width: 3, "curve-style": "straight", "line-style": "solid",
        "target-arrow-shape": "triangle", "arrow-scale": 0.8}},
      {selector: "edge.crossing-in", style: {"line-color": css("--k-caller"), "target-arrow-color": css("--k-caller")}},
      {selector: "edge.crossing-callback", style: {"line-color": css("--k-callback"),
        "target-arrow-color": css("--k-callback"), "line-style": "dashed"}},
      {selector: "edge.crossing-out", style: {"line-color": css("--k-callee"), "target-arrow-color": css("--k-callee"),
        width: 2}},
      {selector: "node.match", style: {"overlay-color": css("--match"), "overlay-opacity": 0.45, "overlay-padding": 6}},
    ];
  }

  function redraw(fitTo) {
    const repOf = NODES.map(rep);
    const nodes = visibleNodes(repOf), largest = Math.max(0, ...nodes.map(n => n.share));
    const old = new Map(cy.nodes().map(n => [n.id(), n.position()]));
    lastEdges = visibleEdges(repOf);
    cy.batch(() => {
      cy.elements().remove();
      cy.add(nodes.map(n => ({...nodeElement(n, largest), position: seedPosition(n, old)})));
      cy.add(lastEdges.shown);
    });
    if (chosen) paintSeam(chosen);
    layout(fitTo);
  }

  function seedPosition(node, old) {
    if (old.has(node.id)) return {...old.get(node.id)};
    const f = node.file, near = [...ancestors(f.folder || "")].reverse().map(p => old.get("dir:" + p)).find(Boolean);
    const i = indexOf.get(f.id), angle = i * 2.399;
    const base = near || old.get("rest:" + (f.folder || "")) || {x: 0, y: 0};
    const radius = near || old.size ? 40 : 30 * Math.sqrt(i);
    return {x: base.x + radius * Math.cos(angle), y: base.y + radius * Math.sin(angle)};
  }

  function layout(fitTo) {
    const run = cy.layout({name: "cose", animate: false, randomize: false, fit: false, nodeDimensionsIncludeLabels: false,
      idealEdgeLength: () => 110, nodeRepulsion: () => 400000, edgeElasticity: () => 80, numIter: 300, padding: 20});
    run.one("layoutstop", () => {
      fitView(fitTo);
      info();
      if (!window.rustscout.ready) ready();
    });
    run.run();
  }

  function ready() {
    window.rustscout.ready = true;
    window.rustscout.readyAt = performance.now();
    performance.mark("rustscout:ready");
    setTimeout(cases, 0);     // unpack the cases now, so the first click finds them
  }

  function fitView(fitTo) {
    const target = fitTo ? fitTo() : null;
    cy.fit(target && target.length ? target : cy.elements(), 40);
    if (cy.zoom() > 1.1) cy.zoom({level: 1.1, renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}});
  }

  function info(text) {
    const files = NODES.length, shown = cy.nodes().length;
    $("g-info").textContent = text || (files + " files as " + shown + " nodes (folders with a dashed border hold " +
      "several; click one to open it) · " + lastEdges.shown.length + " of " + lastEdges.total + " links" +
      (lastEdges.shown.length < lastEdges.total ? " (the strongest)" : ""));
  }

  function clearSeam() {
    cy.remove(".crossing");
    cy.elements().removeClass("faded member entry caller callback callee");
  }

  function paintSeam(c) {
    clearSeam();
    const marked = cy.collection();
    for (const [role, cls] of Object.entries(ROLES)) {
      for (const id of c.seam[role]) marked.merge(cy.getElementById(rep(fileById.get(id))).addClass(cls));
    }
    const crossings = c.seam.crossings.map(([s, t, kind, n], i) => ({group: "edges", classes: "crossing crossing-" + kind,
      data: {id: "x:" + i, source: rep(fileById.get(s)), target: rep(fileById.get(t)), kind, weight: n, width: 3}}));
    const added = cy.add(crossings.filter(e => e.data.source !== e.data.target));
    if (marked.length) cy.elements().not(marked).not(added).addClass("faded");
    return marked.union(added);
  }

  function drawSeam(c) {
    const seamIds = [...c.seam.members, ...c.seam.entries];
    seamIds.forEach(id => reveal(fileById.get(id)));
    redraw(() => cy.nodes(".member, .entry, .caller, .callback, .callee"));
  }

  function search(text) {
    const q = text.trim().toLowerCase();
    cy.nodes().removeClass("match");
    if (!q) return info();
    const hits = NODES.filter(n => n.path.toLowerCase().includes(q)).slice(0, SEARCH_HITS);
    hits.forEach(reveal);
    redraw(() => cy.nodes(".match"));
    hits.forEach(n => cy.getElementById(rep(n)).addClass("match"));
    const first = hits.length === SEARCH_HITS ? " (the first " + SEARCH_HITS + ")" : "";
    const quoted = "“" + text.trim() + "”";
    info(hits.length ? hits.length + " file(s) match " + quoted + first : "nothing matches " + quoted);
  }

  function onTap(e) {
    const d = e.target.data();
    if (d.kind === "dir") view.open.add(d.id.slice(4));
    else if (d.kind === "rest") view.rest.add(d.id.slice(5));
    else return choose(byId.get(fileById.get(d.id).candidate), false);     // a file: its best candidate, if any
    redraw();
  }

  function onRightTap(e) {
    const d = e.target.data(), home = d.kind === "dir" ? d.id.slice(4).split("/").slice(0, -1).join("/") :
      d.kind === "rest" ? d.id.slice(5) : (fileById.get(d.id).folder || "");
    if (home === "") return;
    for (const path of [...view.open]) if (path === home || path.startsWith(home + "/")) view.open.delete(path);
    view.rest.delete(home);
    redraw();
  }

  function onHover(e) {
    const d = e.target.data(), n = fileById.get(d.id);
    const group = d.kind === "dir" ? d.id.slice(4) + "/" : "the rest of " + d.id.slice(5) + "/";
    const what = n ? n.path + " · " + (n.sloc || 0) + " sloc" : group + " · " + d.count + " files";
    info(what + " · " + (d.share * 100).toFixed(1) + "% of the estimated work · " + (d.verdict || "no candidate"));
  }

  function startGraph() {
    cy = window.cytoscape({container: $("graph"), style: graphStyle(), minZoom: 0.05, maxZoom: 4});
    window.rustscout.cy = cy;
    cy.on("tap", "node", onTap);
    cy.on("cxttap", "node", onRightTap);
    cy.on("mouseover", "node", onHover);
    $("g-search").addEventListener("keydown", e => { if (e.key === "Enter") search(e.target.value); });
    $("g-search").addEventListener("input", e => { if (!e.target.value) search(""); });
    $("g-fit").addEventListener("click", () => cy.fit(cy.elements(), 30));
    $("g-reset").addEventListener("click", resetGraph);
    openTop();
    redraw();
  }

  function resetGraph() {
    view.rest.clear();
    view.pinned.clear();
    openTop();
    $("g-search").value = "";
    if (chosen) return drawSeam(chosen);
    redraw();
  }

  // --- choosing a candidate ---------------------------------------------------------------------
  function choose(c, scroll) {
    if (!c) return;
    chosen = c;
    for (const marked of document.querySelectorAll("#ranking-body tr, #chart .dot")) {
      marked.classList.toggle("chosen", Number(marked.dataset.rank) === c.rank);
    }
    drawSeam(c);
    openCase(c);
    if (location.hash !== "#rank-" + c.rank) history.replaceState(null, "", "#rank-" + c.rank);
    if (scroll) $("workbench").scrollIntoView({block: "start"});
  }

  // --- start: unpack the data (gzip, base64), then draw ----------------------------------------
  function fromBase64(text) {    // native where the browser has it (Chrome 140, Firefox 133, Safari 18.2)
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    const binary = atob(text), bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  async function unpack(element) {
    const bytes = fromBase64(element.textContent.trim());
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const json = new TextDecoder().decode(await new Response(stream).arrayBuffer());
    const value = JSON.parse(json);
    performance.mark("rustscout:" + element.id);
    return value;
  }

  function index(data) {
    DATA = data;
    NODES = data.graph.nodes;
    FOLDERS = buildFolders(NODES);
    byRank = new Map(data.candidates.map(c => [c.rank, c]));
    byId = new Map(data.candidates.map(c => [c.id, c]));
    fileById = new Map(NODES.map(n => [n.id, n]));
    indexOf = new Map(NODES.map((n, i) => [n.id, i]));
  }

  function boot(data) {
    index(data);
    window.rustscout = {data, view, rep, choose: rank => choose(byRank.get(rank), true), ready: false, readyAt: null};
    wireTable();
    renderTable();
    $("chart").addEventListener("click", e => {
      const dot = e.target.closest(".dot");
      if (dot) choose(byRank.get(Number(dot.dataset.rank)), true);
    });
    startGraph();
    chooseFromHash();
    window.addEventListener("hashchange", chooseFromHash);
  }

  function chooseFromHash() {
    const fromHash = /^#rank-(\d+)$/.exec(location.hash);
    if (fromHash) choose(byRank.get(Number(fromHash[1])), true);
  }

  function fail(error) {
    $("case-body").replaceChildren(el("p", {class: "partial"}, "This page could not unpack its data (" + error +
      "); it needs a browser with DecompressionStream (Chrome 80, Firefox 113, Safari 16.4 or later)."));
    console.error("rustscout report:", error);
  }

  if (typeof DecompressionStream === "undefined") fail("no DecompressionStream");
  else unpack($("rustscout-index")).then(boot, fail);
})();
