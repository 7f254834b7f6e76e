// sitegen serve: live reload and the error overlay. Injected into served pages only.
(function () {
  "use strict";
  var me = document.getElementById("sitegen-live");
  var run = Number(me && me.dataset.run);
  var version = Number(me && me.dataset.version);
  var missing = me && me.dataset.missing === "1";
  var key = "sitegen-scroll:" + location.pathname;

  // Back at the reader's place after a reload.
  try {
    var y = sessionStorage.getItem(key);
    if (y !== null) {
      sessionStorage.removeItem(key);
      var go = function () { window.scrollTo(0, Number(y)); };
      if (document.readyState === "complete") go(); else addEventListener("load", go);
    }
  } catch (e) { /* storage may be disabled */ }

  function here() {
    var p = location.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it raw */ }
    return p.replace(/index\.html$/, "");
  }

  function reload() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  // A new copy of each changed stylesheet, the old one removed once the new one applies.
  function swapCss(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var l = links[i];
      var u = new URL(l.href, location.href);
      var p = u.pathname;
      try { p = decodeURIComponent(p); } catch (e) { /* keep it raw */ }
      if (u.origin !== location.origin || paths.indexOf(p) < 0) continue;
      u.searchParams.set("sitegen", String(Date.now()));
      var n = l.cloneNode();
      n.href = u.pathname + u.search;
      n.onload = (function (old) { return function () { old.remove(); }; })(l);
      l.after(n);
    }
  }

  // Inline styles reset with `all: initial`, so that no rule of the site's CSS reaches in.
  var MONO = "13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
  function styled(tag, css) {
    var el = document.createElement(tag);
    el.style.cssText = "all:initial;display:block;box-sizing:border-box;font:" + MONO + ";" + css;
    return el;
  }

  function overlay(s) {
    var o = document.getElementById("sitegen-overlay");
    if (s.ok) { if (o) o.remove(); return; }
    if (!o) {
      o = styled("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:24px;" +
        "background:#18181b;color:#e4e4e7;");
      o.id = "sitegen-overlay";
      o.setAttribute("role", "alert");
      (document.body || document.documentElement).appendChild(o);
    }
    o.textContent = "";
    var h = styled("p", "margin:0 0 16px;font-weight:bold;color:#fca5a5;");
    h.textContent = "sitegen: the last save does not build (" + s.summary + "); still showing the last good version.";
    o.appendChild(h);
    s.diagnostics.forEach(function (d) {
      var pre = styled("pre", "margin:0 0 16px;white-space:pre-wrap;color:#e4e4e7;");
      var line = styled("span", "display:inline;white-space:pre-wrap;color:" + (d.level === "error" ? "#fca5a5" : "#fde68a") + ";");
      line.textContent = d.text;
      pre.appendChild(line);
      if (d.snippet) pre.appendChild(document.createTextNode("\n" + d.snippet));
      o.appendChild(pre);
    });
    if (s.more) {
      var m = styled("p", "margin:0;color:#e4e4e7;");
      m.textContent = "… and " + s.more + " more (see the terminal).";
      o.appendChild(m);
    }
  }

  // The server first sends again what this page missed since it was served, if it still can.
  var es = new EventSource("/__sitegen/events?run=" + run + "&v=" + version);
  // For tests and the curious: `__sitegen.events.readyState === 1` once the stream is open.
  window.__sitegen = { events: es, version: function () { return version; } };
  es.onmessage = function (ev) {
    var m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (m.type === "status") {
      overlay(m);
      // Served by an earlier server process, or saved while this page was loading and too
      // long ago to be sent again: it is out of date. (A status older than the page only
      // lags behind its reload event.)
      if (m.run !== run || (m.ok && m.version > version)) reload();
    } else if (m.type === "reload") {
      // Sent again after a reconnect (same URL, same `v`), or already in the served page.
      if (m.version <= version) return;
      version = m.version;
      if (m.all || missing || m.pages.indexOf(here()) >= 0) reload();
      else if (m.css.length) swapCss(m.css);
    }
  };
})();
