(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function readJson(id) {
    var el = byId(id);
    if (!el) { return null; }
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function cell(tr, className, text) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (text !== undefined) { td.textContent = text; }
    tr.appendChild(td);
    return td;
  }

  function span(parent, className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  var config = readJson("report-config") || {};
  var data = readJson("report-findings");
  var finder = byId("finder");
  var FILTERS = ["severity", "rule", "supervisor", "owner", "status"];

  function Finder() {
    var labels = config.labels;
    var n = data.key.length;
    var tbody = byId("violations-table").tBodies[0];
    var counter = byId("counter");
    var more = byId("more");
    var noMatch = byId("no-match");
    var search = byId("f-search");
    var selects = {};
    FILTERS.forEach(function (name) { selects[name] = byId("f-" + name); });
    // A filter's value (as the URL and the select name it) to the code the columns hold.
    var codes = {
      severity: indexOf(config.severity_names),
      rule: indexOf(data.rules.map(function (r) { return r[0]; })),
      supervisor: indexOf(data.people.map(function (p) { return p[0]; })),
      owner: indexOf(data.people.map(function (p) { return p[0]; })),
      status: indexOf(config.statuses)
    };
    var columns = {severity: data.sev, rule: data.rule, supervisor: data.sup, owner: data.owner, status: data.status};
    var haystacks = null;
    var order = null;
    var sort = {key: "", dir: 1};
    var matched = [];
    var limit = config.page;
    var writtenHash = null;

    function indexOf(values) {
      var map = {};
      values.forEach(function (v, i) { map[v] = i; });
      return map;
    }

    function personText(code) {
      var p = data.people[code];
      if (p[1] && p[2]) { return p[2] + " " + p[1]; }
      return p[2] || p[1] || labels.none_person;
    }

    function buildHaystacks() {
      if (haystacks) { return; }
      haystacks = new Array(n);
      for (var h = 0; h < n; h++) { haystacks[h] = haystackOf(h); }
    }

    function haystackOf(i) {
      var rule = data.rules[data.rule[i]];
      return [data.key[i], data.tables[data.table[i]], rule[0], rule[1], personText(data.owner[i]),
        personText(data.sup[i]), data.messages[data.msg[i]], evidenceLines(i).join("\n"), data.fp[i]].join("\n")
        .toLowerCase();
    }

    function state() {
      var s = {};
      FILTERS.forEach(function (name) { if (selects[name].value) { s[name] = selects[name].value; } });
      if (search.value) { s.q = search.value; }
      if (sort.key) { s.sort = (sort.dir < 0 ? "-" : "") + sort.key; }
      return s;
    }

    function apply() {
      var s = state();
      var wanted = [];
      FILTERS.forEach(function (name) {
        if (s[name] !== undefined) {
          var code = codes[name][s[name]];
          wanted.push([columns[name], code === undefined ? -1 : code]);
        }
      });
      var terms = (s.q || "").toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
      if (terms.length) { buildHaystacks(); }
      matched = [];
      for (var j = 0; j < n; j++) {
        var i = order ? order[j] : j;
        var ok = true;
        for (var w = 0; ok && w < wanted.length; w++) { ok = wanted[w][0][i] === wanted[w][1]; }
        for (var t = 0; ok && t < terms.length; t++) { ok = haystacks[i].indexOf(terms[t]) !== -1; }
        if (ok) { matched.push(i); }
      }
      limit = config.page;
      render();
      writeHash(s);
    }

    function render() {
      var shown = Math.min(limit, matched.length);
      var rows = document.createDocumentFragment();
      for (var k = 0; k < shown; k++) { rows.appendChild(row(matched[k])); }
      tbody.textContent = "";
      tbody.appendChild(rows);
      counter.textContent = labels.counter.replace("{shown}", String(matched.length)).replace("{total}", String(n));
      noMatch.hidden = matched.length !== 0;
      more.hidden = shown >= matched.length;
      more.textContent = labels.show_more.replace("{n}", String(Math.min(config.page, matched.length - shown)))
        .replace("{left}", String(matched.length - shown));
    }

    function row(i) {
      var tr = document.createElement("tr");
      var sev = config.severity_names[data.sev[i]];
      var rule = data.rules[data.rule[i]];
      tr.className = "vrow";
      tr.setAttribute("data-severity", sev);
      tr.setAttribute("data-rule", rule[0]);
      span(cell(tr), "badge sev-" + sev, config.severities[data.sev[i]]);
      var ruleCell = cell(tr, "rule");
      span(ruleCell, "rid", rule[0]);
      if (rule[1]) { span(ruleCell, "rt", rule[1]); }
      var keyCell = cell(tr, "key", data.key[i]);
      if (data.tables[data.table[i]]) { span(keyCell, "tbl", data.tables[data.table[i]]); }
      if (data.name_texts[data.names[i]]) { span(keyCell, "cust", data.name_texts[data.names[i]]); }
      cell(tr, "num", data.amount[i] === null ? "" : money(data.amount[i]));
      cell(tr, "person", personText(data.owner[i]));
      cell(tr, "person", personText(data.sup[i]));
      cell(tr, "msg", data.messages[data.msg[i]]);
      evidence(cell(tr, "evidence"), data.ev[i]);
      cell(tr, "status", config.status_labels[data.status[i]]);
      cell(tr, "fp", data.fp[i]);
      tr.title = labels.open_detail;
      tr.addEventListener("click", function () { toggleDetail(tr, i); });
      return tr;
    }

    function money(amount) {
      return labels.money.replace("{amount}", amount.toLocaleString("en-US", {maximumFractionDigits: 2}));
    }

    function toggleDetail(tr, i) {
      var next = tr.nextSibling;
      if (next && next.className === "detail") { tbody.removeChild(next); return; }
      tbody.insertBefore(detail(i), next);
    }

    function detail(i) {
      var tr = document.createElement("tr");
      tr.className = "detail";
      var td = cell(tr);
      td.colSpan = 10;
      var rule = data.rules[data.rule[i]];
      var info = data.rule_info[data.rule[i]];
      var amount = data.amount[i] === null ? "" : money(data.amount[i]);
      var list = document.createElement("dl");
      list.className = "audit";
      item(list, labels.criteria, [rule[0] + " " + rule[1], (info[0] + " " + info[1]).trim(), info[2]],
        info[4] ? labels.drafted : "");
      item(list, labels.condition, [data.tables[data.table[i]] + " " + data.key[i], data.name_texts[data.names[i]],
        amount ? labels.amount + " " + amount : "", data.stages[data.stage[i]] ? labels.stage + " " + data.stages[data.stage[i]] : ""], "");
      item(list, labels.cause, [data.messages[data.msg[i]]].concat(evidenceLines(i)), "");
      item(list, labels.effect, [config.severities[data.sev[i]], amount ? labels.amount + " " + amount : ""], "");
      item(list, labels.recommendation, [info[3]], "");
      item(list, labels.responsible, [personText(data.owner[i]) + " / " + personText(data.sup[i])], "");
      var days = data.days[i] === null ? "" :
        (data.overdue[i] ? labels.days_overdue : labels.days_age).replace("{n}", String(data.days[i]));
      item(list, labels.status, [config.status_labels[data.status[i]], days], "");
      td.appendChild(list);
      var events = caseEvents(data.case[i]);
      if (events) {
        var heading = document.createElement("h4");
        heading.textContent = labels.timeline;
        td.appendChild(heading);
        td.appendChild(timeline(events, data.steps[data.hl[i]].split(",")));
      } else if (data.case[i]) {
        span(td, "muted", labels.no_timeline);
      }
      return tr;
    }

    function item(list, term, lines, flag) {
      var dt = document.createElement("dt");
      dt.textContent = term;
      var dd = document.createElement("dd");
      lines.forEach(function (line) { if (line) { var div = document.createElement("div"); div.textContent = line; dd.appendChild(div); } });
      if (flag) { span(dd, "flag", flag); }
      list.appendChild(dt);
      list.appendChild(dd);
    }

    // A case's events as [step words, step, time, actor], read from the compact time line columns:
    // codes into the step and actor tables, times as minutes from the case's previous event.
    var timelineIndex = null;
    function caseEvents(key) {
      var t = data.timelines;
      if (!key || !t.cases) { return null; }
      if (!timelineIndex) {
        timelineIndex = { of: new Map(), start: [] };
        var start = 0;
        t.cases.forEach(function (c, k) { timelineIndex.of.set(c, k); timelineIndex.start.push(start); start += t.counts[k]; });
      }
      var k = timelineIndex.of.get(key);
      if (k === undefined) { return null; }
      var events = [], clock = null;
      for (var j = timelineIndex.start[k], end = j + t.counts[k]; j < end; j++) {
        var at = t.at[j], shown = "";
        if (typeof at === "number") { clock = clock === null ? t.base + at : clock + at; shown = minuteText(clock); }
        else if (typeof at === "string") { shown = at; }
        var step = t.steps[t.seq[j]];
        events.push([step[0], step[1], shown, t.actors[t.who[j]]]);
      }
      return events;
    }

    // Minutes of a wall clock as "YYYY-MM-DD HH:MM" (read as UTC, so no zone of the browser moves them).
    function minuteText(minutes) {
      var iso = new Date(minutes * 60000).toISOString();
      return iso.slice(0, 10) + " " + iso.slice(11, 16);
    }

    // The case's events top to bottom in time order; the steps the finding is about stand out.
    function timeline(events, broken) {
      var NS = "http://www.w3.org/2000/svg";
      var rowHeight = 22;
      var svg = document.createElementNS(NS, "svg");
      svg.setAttribute("class", "timeline");
      svg.setAttribute("width", "640");
      svg.setAttribute("height", String(events.length * rowHeight + 8));
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", labels.timeline);
      var line = document.createElementNS(NS, "line");
      line.setAttribute("x1", "10"); line.setAttribute("x2", "10");
      line.setAttribute("y1", "12"); line.setAttribute("y2", String(events.length * rowHeight - 4));
      svg.appendChild(line);
      events.forEach(function (e, k) {
        var y = k * rowHeight + 14;
        var hit = broken.indexOf(e[1]) !== -1;
        var g = document.createElementNS(NS, "g");
        g.setAttribute("class", hit ? "event hit" : "event");
        var dot = document.createElementNS(NS, "circle");
        dot.setAttribute("cx", "10"); dot.setAttribute("cy", String(y - 4)); dot.setAttribute("r", hit ? "6" : "4");
        g.appendChild(dot);
        [[24, e[0]], [190, e[2]], [330, e[3]]].forEach(function (part) {
          var text = document.createElementNS(NS, "text");
          text.setAttribute("x", String(part[0])); text.setAttribute("y", String(y));
          text.textContent = part[1];
          g.appendChild(text);
        });
        svg.appendChild(g);
      });
      return svg;
    }

    function evidenceLines(i) {
      var pairs = data.ev[i];
      var lines = [];
      for (var k = 0; k < pairs.length; k += 2) {
        var name = data.ev_names[pairs[k]];
        lines.push(name ? name + ": " + pairs[k + 1] : pairs[k + 1]);
      }
      return lines;
    }

    function evidence(td, pairs) {
      if (!pairs.length) { span(td, "muted", labels.none); return; }
      var list = document.createElement("ul");
      list.className = "ev";
      for (var k = 0; k < pairs.length; k += 2) {
        var li = document.createElement("li");
        var name = data.ev_names[pairs[k]];
        if (name) { span(li, "k", name + ":"); li.appendChild(document.createTextNode(" ")); }
        span(li, "v", pairs[k + 1]);
        list.appendChild(li);
      }
      td.appendChild(list);
    }

    function sortedByNumber(values) {
      var order = new Array(n);
      for (var i = 0; i < n; i++) { order[i] = i; }
      return order.sort(function (a, b) {
        var x = values[a] === null ? -Infinity : values[a];
        var y = values[b] === null ? -Infinity : values[b];
        return x < y ? -1 : x > y ? 1 : a - b;
      });
    }

    // The browser's own sort of plain strings is several times faster than one with a compare
    // function; each text carries its position, padded so that ties keep the report order.
    function sortedByText(key) {
      var tagged = new Array(n);
      for (var i = 0; i < n; i++) { tagged[i] = sortText(key, i) + "\u0000" + String(i).padStart(8, "0"); }
      tagged.sort();
      return tagged.map(function (t) { return Number(t.slice(t.length - 8)); });
    }

    function sortText(key, i) {
      if (key === "rule") { return data.rules[data.rule[i]][0]; }
      if (key === "key") { return data.key[i]; }
      if (key === "owner") { return personText(data.owner[i]); }
      if (key === "sup") { return personText(data.sup[i]); }
      if (key === "msg") { return data.messages[data.msg[i]]; }
      return null;
    }

    function sortBy(key, dir) {
      sort = {key: key, dir: dir};
      var numeric = {sev: data.sev, status: data.status, amount: data.amount}[key];
      if (numeric) {
        order = sortedByNumber(numeric);
      } else if (key && sortText(key, 0) !== null) {
        order = sortedByText(key);
      } else {
        order = null;
        sort = {key: "", dir: 1};
      }
      if (order && dir < 0) { order.reverse(); }
      Array.prototype.forEach.call(document.querySelectorAll("#violations-table th[data-sort]"), function (th) {
        if (th.getAttribute("data-sort") === sort.key) {
          th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
        } else { th.removeAttribute("aria-sort"); }
      });
    }

    function writeHash(s) {
      var params = new URLSearchParams();
      Object.keys(s).forEach(function (k) { params.set(k, s[k]); });
      var text = params.toString();
      if (text === location.hash.slice(1)) { return; }
      writtenHash = text;
      try {
        history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
      } catch (e) {
        location.hash = text;
      }
    }

    function readHash() {
      var params = new URLSearchParams(location.hash.slice(1));
      FILTERS.forEach(function (name) { choose(selects[name], params.get(name) || ""); });
      search.value = params.get("q") || "";
      var key = params.get("sort") || "";
      sortBy(key.replace(/^-/, ""), key.charAt(0) === "-" ? -1 : 1);
    }

    // A link may name a value no finding has: it is offered, so the list shows it matches nothing.
    function choose(select, value) {
      if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value + " (0)";
        select.appendChild(option);
      }
      select.value = value;
    }

    FILTERS.forEach(function (name) { selects[name].addEventListener("change", apply); });
    search.addEventListener("input", apply);
    byId("f-reset").addEventListener("click", function () {
      FILTERS.forEach(function (name) { selects[name].value = ""; });
      search.value = "";
      sortBy("", 1);
      apply();
    });
    more.addEventListener("click", function () { limit += config.page; render(); });
    Array.prototype.forEach.call(document.querySelectorAll("#violations-table th[data-sort]"), function (th) {
      th.addEventListener("click", function () {
        var key = th.getAttribute("data-sort");
        sortBy(key, sort.key === key ? -sort.dir : 1);
        apply();
      });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); th.click(); } });
    });
    window.addEventListener("hashchange", function () {
      if (location.hash.slice(1) === writtenHash) { return; }
      readHash();
      apply();
      byId("violations").scrollIntoView();
    });

    // A printout holds every finding the filters leave, up to a few hundred; beyond that it
    // prints the summary and points to the files.
    this.beforePrint = function (max) {
      document.body.classList.toggle("print-summary", matched.length > max);
      if (matched.length <= max && limit < matched.length) { limit = matched.length; render(); }
    };

    readHash();
    apply();
    finder.hidden = false;
    byId("first-by-rule").hidden = true;
    if (location.hash.length > 1) { byId("violations").scrollIntoView(); }
    // Searching text is prepared once the page is shown, so the first search is as quick as the next.
    setTimeout(buildHaystacks, 0);
  }

  var found = data && finder ? new Finder() : null;

  // Closed <details> print as their summary only, and a printout of a list of a few hundred
  // findings should hold all of them; a larger one prints what is on screen.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    if (found) { found.beforePrint(config.print_all); }
    Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      reopened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
}());
