/* frontlines dashboard: a map of events aggregated on the server, a time brush, filters, the
 * evidence behind each event and a control layer.  Text from articles is only ever set with
 * textContent (never parsed as HTML); the page's Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  var TYPE_COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4"
  };
  var CONTROLLER_COLOURS = { "Ukraine": "#1f5fbf", "Russia": "#c0392b" };
  var DAY_MS = 86400000;

  var state = {
    types: [], since: "", until: "", actor: "", claim: "", sources: 1, q: "",
    event: "", control: false, controlDay: "", view: null
  };
  var config = null, map = null, eventLayer = null, controlLayer = null, hist = null;
  var pending = 0, mapSeq = 0, feedSeq = 0, feedCursor = null;

  // ------------------------------------------------------------------ small helpers
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "class") node.className = v;
        else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function colourOf(type) { return TYPE_COLOURS[type] || "#6c757d"; }
  function busy(delta) {
    pending += delta;
    document.body.dataset.loading = String(pending);
  }
  function getJSON(url) {
    busy(1);
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body && body.error ? body.error : ("HTTP " + r.status));
        return body;
      });
    }).finally(function () { busy(-1); });
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function showError(err) {
    var c = document.getElementById("count");
    c.textContent = "error: " + (err && err.message ? err.message : String(err));
  }

  // ------------------------------------------------------------------ state <-> URL
  function readHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    state.types = p.get("types") ? p.get("types").split("|").filter(Boolean) : [];
    state.since = p.get("since") || "";
    state.until = p.get("until") || "";
    state.actor = p.get("actor") || "";
    state.claim = p.get("claim") || "";
    state.sources = Math.max(1, parseInt(p.get("sources") || "1", 10) || 1);
    state.q = p.get("q") || "";
    state.event = p.get("event") || "";
    state.control = p.get("control") === "1";
    state.controlDay = p.get("control_day") || "";
    var v = (p.get("view") || "").split(",").map(Number);
    state.view = v.length === 3 && v.every(isFinite) ? v : null;
  }
  function writeHash() {
    var p = new URLSearchParams();
    if (map) {
      var c = map.getCenter();
      p.set("view", [c.lat.toFixed(4), c.lng.toFixed(4), map.getZoom()].join(","));
    }
    if (state.types.length) p.set("types", state.types.join("|"));
    ["since", "until", "actor", "claim", "q", "event"].forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    if (state.sources > 1) p.set("sources", String(state.sources));
    if (state.control) p.set("control", "1");
    if (state.controlDay) p.set("control_day", state.controlDay);
    history.replaceState(null, "", "#" + p.toString());
  }
  function filterParams(withDates) {
    var p = new URLSearchParams();
    state.types.forEach(function (t) { p.append("event_type", t); });
    if (withDates && state.since) p.set("since", state.since);
    if (withDates && state.until) p.set("until", state.until);
    if (state.actor) p.set("actor", state.actor);
    if (state.claim) p.set("claim_status", state.claim);
    if (state.sources > 1) p.set("min_sources", String(state.sources));
    if (state.q) p.set("q", state.q);
    return p;
  }
  function viewBox() {
    var b = map.getBounds();
    var west = b.getWest(), east = b.getEast();
    if (east - west >= 360) { west = -180; east = 180; }
    var south = Math.max(-85, b.getSouth()), north = Math.min(85, b.getNorth());
    return [west, south, east, north].map(function (x) { return x.toFixed(4); }).join(",");
  }

  // ------------------------------------------------------------------ filters
  function buildFilters() {
    var box = document.getElementById("types");
    config.types.forEach(function (t) {
      var input = el("input", { type: "checkbox", value: t, checked: state.types.indexOf(t) >= 0 });
      input.addEventListener("change", function () {
        state.types = Array.prototype.slice.call(box.querySelectorAll("input:checked")).map(function (i) { return i.value; });
        refresh(true);
      });
      var sw = el("span", { class: "swatch" });
      sw.style.background = colourOf(t);
      box.appendChild(el("label", { title: t }, input, sw, t));
    });
    var bind = function (id, key, parse) {
      var input = document.getElementById(id);
      input.value = state[key] || (key === "sources" ? 1 : "");
      var apply = function () {
        var v = parse ? parse(input.value) : input.value.trim();
        if (v === state[key]) return;
        state[key] = v;
        refresh(true);
      };
      input.addEventListener("input", debounce(apply, 350));
      input.addEventListener("change", apply);
    };
    bind("f-actor", "actor");
    bind("f-q", "q");
    bind("f-claim", "claim");
    bind("f-sources", "sources", function (v) { return Math.max(1, parseInt(v, 10) || 1); });
    bind("f-since", "since");
    bind("f-until", "until");
    var ctl = document.getElementById("f-control"), ctlDay = document.getElementById("f-control-day");
    ctl.checked = state.control;
    ctlDay.value = state.controlDay || config.last_day || "";
    ctl.addEventListener("change", function () { state.control = ctl.checked; loadControl(); writeHash(); });
    ctlDay.addEventListener("change", function () { state.controlDay = ctlDay.value; loadControl(); writeHash(); });
    var legend = document.getElementById("legend");
    config.types.forEach(function (t) {
      var sw = el("span", { class: "swatch" });
      sw.style.background = colourOf(t);
      legend.appendChild(el("span", null, sw, " " + t));
    });
  }
  function syncDateInputs() {
    document.getElementById("f-since").value = state.since;
    document.getElementById("f-until").value = state.until;
  }
  function syncInputs() {
    Array.prototype.forEach.call(document.querySelectorAll("#types input"), function (i) {
      i.checked = state.types.indexOf(i.value) >= 0;
    });
    document.getElementById("f-actor").value = state.actor;
    document.getElementById("f-q").value = state.q;
    document.getElementById("f-claim").value = state.claim;
    document.getElementById("f-sources").value = state.sources;
    document.getElementById("f-control").checked = state.control;
    document.getElementById("f-control-day").value = state.controlDay || config.last_day || "";
    syncDateInputs();
  }

  // ------------------------------------------------------------------ map
  function initMap() {
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 16, zoomControl: true });
    map.attributionControl.addAttribution("Borders: Natural Earth (public domain), world-atlas");
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.tile_attribution || "", maxZoom: 18 }).addTo(map);
    }
    if (state.view) map.setView([state.view[0], state.view[1]], state.view[2]);
    else map.setView([48.5, 35.5], 6);
    eventLayer = L.layerGroup().addTo(map);
    controlLayer = L.layerGroup().addTo(map);
    map.on("moveend", function () { loadMap(); loadFeed(); writeHash(); });
    if (!config.tile_url) {
      busy(1);
      fetch("/static/vendor/world-atlas/countries-50m.json").then(function (r) { return r.json(); }).then(function (world) {
        var land = topojson.feature(world, world.objects.countries);
        var basemap = L.geoJSON(land, {
          style: { color: "#8d99a6", weight: 0.7, fillColor: "#f2efe9", fillOpacity: 1 },
          interactive: false
        });
        basemap.addTo(map);
        basemap.bringToBack();
      }).catch(showError).finally(function () { busy(-1); });
    }
  }

  function loadMap() {
    var seq = ++mapSeq;
    var p = filterParams(true);
    p.set("bbox", viewBox());
    p.set("zoom", String(map.getZoom()));
    return getJSON("/api/map?" + p.toString()).then(function (res) {
      if (seq !== mapSeq) return;
      drawEvents(res);
      document.getElementById("count").textContent =
        res.total.toLocaleString("en") + " event" + (res.total === 1 ? "" : "s") + " in view" +
        (res.truncated ? " (closest shown)" : "");
      document.body.dataset.mapMode = res.mode;
      document.body.dataset.mapTotal = String(res.total);
    }).catch(showError);
  }

  function drawEvents(res) {
    eventLayer.clearLayers();
    var types = res.types;
    if (res.mode === "points") {
      res.points.forEach(function (pt) {
        var type = types[pt[3]] || "";
        var m = L.circleMarker([pt[1], pt[2]], {
          radius: 5 + Math.min(6, Math.sqrt(pt[4] || 0)), color: "#fff", weight: 1, fillColor: colourOf(type),
          fillOpacity: 0.9, className: "ev-point ev-" + pt[0] + (pt[6] === "disputed" ? " ev-disputed" : "")
        });
        m.bindTooltip(type + (pt[4] ? " · " + pt[4] + " killed" : ""));
        m.on("click", function () { openEvent(pt[0]); });
        m.addTo(eventLayer);
      });
      return;
    }
    res.clusters.forEach(function (c) {
      var counts = c[4], best = null, bestN = -1;
      Object.keys(counts).forEach(function (k) { if (counts[k] > bestN) { best = k; bestN = counts[k]; } });
      var size = Math.round(22 + Math.min(34, Math.log(c[2]) * 5));
      var node = el("div", { class: "cluster", title: c[2] + " events" }, String(c[2] >= 10000 ? Math.round(c[2] / 1000) + "k" : c[2]));
      node.style.width = node.style.height = size + "px";
      node.style.background = colourOf(types[best]);
      var marker = L.marker([c[0], c[1]], {
        icon: L.divIcon({ html: node, className: "ev-cluster", iconSize: [size, size] }), keyboard: true
      });
      marker.on("click", function () { map.setView([c[0], c[1]], Math.min(map.getZoom() + 2, 14)); });
      marker.addTo(eventLayer);
    });
  }

  // ------------------------------------------------------------------ feed
  function loadFeed(more) {
    var seq = ++feedSeq;
    var p = filterParams(true);
    p.set("bbox", viewBox());
    p.set("limit", "50");
    if (more && feedCursor) p.set("cursor", feedCursor);
    return getJSON("/api/events?" + p.toString()).then(function (res) {
      if (seq !== feedSeq) return;
      var list = document.getElementById("feed-list");
      if (!more) list.textContent = "";
      res.events.forEach(function (ev) {
        var li = el("li", { tabindex: 0, "data-id": ev.event_id, class: "feed-item" },
          el("div", null, el("span", { class: "swatch" }), " ", ev.event_date, " · ", ev.sub_event_type || ev.event_type),
          el("div", null, ev.location + (ev.admin1 ? ", " + ev.admin1 : "")),
          el("div", { class: "meta" }, (ev.actor1 || "?") + (ev.actor2 ? " vs " + ev.actor2 : "") +
            (ev.fatalities ? " · " + ev.fatalities + " killed" : "") +
            (ev.claim_status !== "reported" ? " · " + ev.claim_status : "")));
        li.querySelector(".swatch").style.background = colourOf(ev.event_type);
        li.addEventListener("click", function () { openEvent(ev.event_id); });
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") openEvent(ev.event_id); });
        list.appendChild(li);
      });
      feedCursor = res.next_cursor;
      document.getElementById("feed-more").hidden = !feedCursor;
    }).catch(showError);
  }

  // ------------------------------------------------------------------ evidence
  function highlighted(e) {
    var q = el("blockquote", { class: "ev" });
    var s = e.sentence || "", a = (e.trigger_start || -1) - e.start, b = (e.trigger_end || -1) - e.start;
    if (e.trigger_start >= e.start && e.trigger_end <= e.end && a >= 0 && b > a) {
      q.appendChild(document.createTextNode(s.slice(0, a)));
      q.appendChild(el("mark", { text: s.slice(a, b) }));
      q.appendChild(document.createTextNode(s.slice(b)));
    } else {
      q.textContent = s;
    }
    return q;
  }
  function safeLink(url, label) {
    try {
      var u = new URL(url);
      if (u.protocol === "http:" || u.protocol === "https:") {
        return el("a", { href: u.href, target: "_blank", rel: "noopener noreferrer", text: label || u.href });
      }
    } catch (err) { /* not a URL */ }
    return el("span", { text: label || url || "" });
  }
  function eventButton(id) {
    return el("button", { class: "eid", type: "button", onclick: function () { openEvent(id); } }, id);
  }

  function openEvent(id) {
    state.event = id;
    writeHash();
    return getJSON("/api/events/" + encodeURIComponent(id)).then(renderEvidence).catch(function (err) {
      var box = document.getElementById("evidence");
      box.hidden = false;
      box.textContent = "";
      box.appendChild(el("p", { text: err.message }));
    });
  }
  function closeEvent() {
    state.event = "";
    document.getElementById("evidence").hidden = true;
    writeHash();
  }

  function renderEvidence(d) {
    var ev = d.event, box = document.getElementById("evidence");
    box.textContent = "";
    box.hidden = false;
    box.dataset.event = ev.event_id;
    box.appendChild(el("button", { class: "close", type: "button", onclick: closeEvent, "aria-label": "close" }, "×"));
    box.appendChild(el("h2", null, ev.sub_event_type || ev.event_type));
    var dl = el("dl");
    var row = function (k, v) { if (v !== "" && v !== null && v !== undefined) { dl.appendChild(el("dt", { text: k })); dl.appendChild(el("dd", null, v)); } };
    row("event", ev.event_id);
    row("date", ev.event_date + (ev.date_end ? " to " + ev.date_end : "") + " (precision " + ev.time_precision + ")");
    row("place", [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ") + " (geo precision " + ev.geo_precision + ")");
    row("actors", (ev.actor1 || "?") + (ev.actor2 ? " vs " + ev.actor2 : ""));
    row("fatalities", String(ev.fatalities));
    var claim = el("span", { class: ev.claim_status === "disputed" ? "disputed" : "" },
      (ev.claimed_by || "the outlet") + " · " + ev.claim_status);
    row("claimed by", claim);
    row("confidence", typeof ev.confidence === "number" ? ev.confidence.toFixed(2) : "");
    row("notes", ev.notes);
    box.appendChild(dl);

    box.appendChild(el("h3", { text: "Evidence" }));
    (ev.evidence || []).forEach(function (e) {
      box.appendChild(el("div", { class: "meta" }, (e.source || "?") + (e.title ? " — " + e.title : "") +
        " (" + e.article_id + ":" + e.start + "-" + e.end + ")"));
      box.appendChild(highlighted(e));
    });

    if (d.claims && d.claims.length > 1) {
      box.appendChild(el("h3", { text: "Claims side by side" }));
      var grid = el("div", { class: "claims" });
      d.claims.forEach(function (c) {
        var said = (ev.evidence || []).filter(function (e) { return e.article_id === c.article_id; });
        var card = el("div", { class: "claim" },
          el("h4", null, c.claimant + (c.side ? " (" + c.side + ")" : "")),
          el("div", { class: "meta" }, c.claim_status + " · " + (c.sub_event_type || "")),
          el("div", null, (c.actor1 || "?") + (c.actor2 ? " vs " + c.actor2 : "")),
          el("div", null, "fatalities: " + (c.fatalities || 0)));
        said.forEach(function (e) { card.appendChild(highlighted(e)); });
        grid.appendChild(card);
      });
      box.appendChild(grid);
    }

    box.appendChild(el("h3", { text: "Sources" }));
    var ul = el("ul");
    (d.sources || []).forEach(function (s) {
      ul.appendChild(el("li", null, el("strong", { text: s.source || "?" }), " ", s.date || "", " ",
        safeLink(s.url, s.title || s.url), s.superseded_by ? el("span", { class: "meta", text: " (superseded by " + s.superseded_by + ")" }) : null));
    });
    box.appendChild(ul);

    box.appendChild(el("h3", { text: "Reasons" }));
    var rs = el("div", { class: "reasons" });
    (ev.reasons || []).forEach(function (r) { rs.appendChild(el("span", { text: r })); });
    box.appendChild(rs);

    if (d.links && d.links.length) {
      box.appendChild(el("h3", { text: "Linked events" }));
      var ll = el("ul");
      d.links.forEach(function (l) {
        var other = l.event_id === ev.event_id ? l.related_id : l.event_id;
        ll.appendChild(el("li", null, l.relation + " ", other ? eventButton(other) : "", l.detail ? " " + l.detail : ""));
      });
      box.appendChild(ll);
    }
    if (d.merge_history && d.merge_history.length) {
      box.appendChild(el("h3", { text: "Merge history" }));
      var mh = el("ul");
      d.merge_history.forEach(function (m) {
        mh.appendChild(el("li", null, (m.at || "").slice(0, 10) + " " + m.action + " " + m.merged_id + " → " + m.kept_id +
          (m.reason ? " (" + m.reason + ")" : "")));
      });
      box.appendChild(mh);
    }
    box.scrollIntoView({ block: "start" });
  }

  // ------------------------------------------------------------------ control layer
  function loadControl() {
    controlLayer.clearLayers();
    if (!state.control) return Promise.resolve();
    var day = state.controlDay || config.last_day;
    if (!day) return Promise.resolve();
    return getJSON("/api/control?on=" + encodeURIComponent(day)).then(function (res) {
      res.settlements.forEach(function (s) {
        if (s.latitude === null || s.longitude === null) return;
        var colour = CONTROLLER_COLOURS[s.controller] || "#555";
        var m = L.circleMarker([s.latitude, s.longitude], {
          radius: 9, color: colour, weight: 3, fillColor: colour, fillOpacity: 0.25, className: "ctl-point"
        });
        var popup = el("div", null, el("strong", { text: s.place }), el("div", { text: s.admin1 }),
          el("div", { text: "controlled by " + s.controller + " since " + s.since + " (" + s.claim_status + ")" }));
        var evs = el("div", { class: "meta" }, "evidence: ");
        (s.event_ids || []).forEach(function (id) { evs.appendChild(eventButton(id)); evs.appendChild(document.createTextNode(" ")); });
        popup.appendChild(evs);
        m.bindPopup(popup);
        m.bindTooltip(s.place + ": " + s.controller, { className: "ctl-label" });
        m.addTo(controlLayer);
      });
    }).catch(showError);
  }

  // ------------------------------------------------------------------ time brush
  function dayNum(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS); }
  function isoOf(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }

  function loadHistogram() {
    var p = filterParams(false);
    return getJSON("/api/histogram?" + p.toString()).then(function (res) { hist = res; drawHistogram(); }).catch(showError);
  }

  function drawHistogram() {
    var svg = document.getElementById("hist");
    var NS = "http://www.w3.org/2000/svg";
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var w = svg.clientWidth || 800, h = svg.clientHeight || 100, pad = 16;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    if (!hist || !hist.first) { svg.dataset.first = ""; return; }
    var first = dayNum(hist.first), last = dayNum(hist.last), span = last - first + 1;
    svg.dataset.first = hist.first;
    svg.dataset.last = hist.last;
    var totals = hist.days.map(function (d) { return Object.values(d[1]).reduce(function (a, b) { return a + b; }, 0); });
    var max = Math.max.apply(null, totals.concat([1]));
    var bw = (w - 2 * pad) / span;
    var x = function (n) { return pad + (n - first) * bw; };
    hist.days.forEach(function (d) {
      var n = dayNum(d[0]), y = h - pad;
      Object.keys(d[1]).forEach(function (code) {
        var bh = (d[1][code] / max) * (h - 2 * pad);
        var r = document.createElementNS(NS, "rect");
        r.setAttribute("x", x(n)); r.setAttribute("width", Math.max(1, bw - 0.5));
        r.setAttribute("y", y - bh); r.setAttribute("height", bh);
        r.setAttribute("fill", colourOf(hist.types[code]));
        svg.appendChild(r);
        y -= bh;
      });
    });
    [hist.first, hist.last].forEach(function (label, i) {
      var t = document.createElementNS(NS, "text");
      t.setAttribute("class", "axis"); t.setAttribute("x", i ? w - pad : pad); t.setAttribute("y", h - 3);
      t.setAttribute("text-anchor", i ? "end" : "start");
      t.textContent = label;
      svg.appendChild(t);
    });
    var brush = document.createElementNS(NS, "rect");
    brush.setAttribute("class", "brush");
    brush.setAttribute("y", 2); brush.setAttribute("height", h - pad);
    svg.appendChild(brush);
    var showBrush = function () {
      if (!state.since && !state.until) { brush.setAttribute("width", 0); return; }
      var a = state.since ? dayNum(state.since) : first, b = state.until ? dayNum(state.until) : last;
      brush.setAttribute("x", x(a)); brush.setAttribute("width", Math.max(1, x(b + 1) - x(a)));
    };
    showBrush();
    var toDay = function (clientX) {
      var rect = svg.getBoundingClientRect();
      var px = (clientX - rect.left) * (w / rect.width);
      return Math.max(first, Math.min(last, first + Math.floor((px - pad) / bw)));
    };
    var start = null;
    svg.onmousedown = function (e) { start = toDay(e.clientX); e.preventDefault(); };
    svg.onmousemove = function (e) {
      if (start === null) return;
      var cur = toDay(e.clientX), a = Math.min(start, cur), b = Math.max(start, cur);
      brush.setAttribute("x", x(a)); brush.setAttribute("width", Math.max(1, x(b + 1) - x(a)));
    };
    window.onmouseup = function (e) {
      if (start === null) return;
      var cur = toDay(e.clientX), a = Math.min(start, cur), b = Math.max(start, cur);
      start = null;
      state.since = isoOf(a); state.until = isoOf(b);
      syncDateInputs();
      refresh(false);
      showBrush();
    };
    svg.ondblclick = function () { state.since = state.until = ""; syncDateInputs(); refresh(false); showBrush(); };
  }

  // ------------------------------------------------------------------ refresh
  function refresh(histogramToo) {
    writeHash();
    var work = [loadMap(), loadFeed()];
    if (histogramToo) work.push(loadHistogram()); else drawHistogram();
    return Promise.all(work);
  }

  function start() {
    readHash();
    getJSON("/api/config").then(function (cfg) {
      config = cfg;
      buildFilters();
      syncDateInputs();
      initMap();
      window.addEventListener("resize", debounce(drawHistogram, 200));
      document.getElementById("feed-more").addEventListener("click", function () { loadFeed(true); });
      var work = [loadMap(), loadFeed(), loadHistogram(), loadControl()];
      if (state.event) work.push(openEvent(state.event));
      return Promise.all(work);
    }).then(function () {
      document.body.dataset.ready = "1";
    }).catch(showError);
  }

  // A link pasted or edited in the address bar (or Back) sets the whole view again.
  window.addEventListener("hashchange", function () {
    if (!config) return;
    readHash();
    syncInputs();
    if (state.view) map.setView([state.view[0], state.view[1]], state.view[2], { animate: false });
    refresh(true);
    loadControl();
    if (state.event) openEvent(state.event);
    else document.getElementById("evidence").hidden = true;
  });
  document.addEventListener("DOMContentLoaded", start);
}());
