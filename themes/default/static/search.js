// The search page of blog's default theme ([search] enabled = true).
// It reads the index blog wrote under search/ (index.json, lengths.json,
// t/<shard>.json, d/<n>.json) with fetch(), from the site's own origin: no server, no
// other site. Terms are made as blog makes them (src/search/tokenize.rs):
// Unicode words, NFD without combining diacritical marks, lowercase; each
// CJK character and adjacent pair. Every query word must match; the last
// one also as a prefix, while it is being typed. Results are ranked by
// BM25, a match in the title counting three times.
(function () {
  "use strict";
  var script = document.currentScript;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!script || !input || !status || !list) return;

  // The index's folder and the site's, as paths on this origin, so that a
  // site under a sub-path (and `blog serve`) fetches its own files.
  var base = new URL(script.getAttribute("data-index"), location.href).pathname;
  var root = base.replace(/search\/$/, "");
  var lang = script.getAttribute("data-lang") || undefined;
  var PAGE = 10, MAX_WORD = 40, K1 = 1.2, B = 0.75, TITLE = 3;
  var CJK = /^[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\u{20000}-\u{2fa1f}]$/u;
  var WORD = /[\p{L}\p{M}\p{N}\p{Pc}]+(?:['\u2019.:][\p{L}\p{M}\p{N}\p{Pc}]+)*/gu;
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter(lang, { granularity: "word" }) : null;

  // Word-like segments of a text: [text, UTF-16 offset].
  function segments(text) {
    var out = [];
    if (segmenter) {
      for (var s of segmenter.segment(text)) if (s.isWordLike) out.push([s.segment, s.index]);
    } else {
      var m;
      WORD.lastIndex = 0;
      while ((m = WORD.exec(text))) out.push([m[0], m.index]);
    }
    return out;
  }

  function normalize(word) {
    return word.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u2019/g, "'").toLowerCase();
  }

  // Words ({word, start, end}) and CJK runs ({cjk: [chars], start, end}).
  function pieces(text) {
    var out = [], cjkEnd = -1;
    segments(text).forEach(function (seg) {
      var plain = "", plainStart = -1, at = seg[1];
      var flush = function (end) {
        if (!plain) return;
        var word = normalize(plain);
        if (word && Array.from(word).length <= MAX_WORD) out.push({ word: word, start: plainStart, end: end });
        plain = "";
      };
      for (var c of seg[0]) {
        if (CJK.test(c)) {
          flush(at);
          var last = out[out.length - 1];
          if (last && last.cjk && cjkEnd === at) { last.cjk.push(c); last.end = at + c.length; }
          else out.push({ cjk: [c], start: at, end: at + c.length });
          cjkEnd = at + c.length;
        } else {
          if (!plain) plainStart = at;
          plain += c;
        }
        at += c.length;
      }
      flush(at);
    });
    return out;
  }

  // What a query needs: a list of {term, prefix} and the words to mark.
  function parse(query) {
    var terms = [];
    var ps = pieces(query);
    ps.forEach(function (p, i) {
      if (p.word) {
        var last = i === ps.length - 1 && p.end === query.length;
        terms.push({ term: p.word, prefix: last && Array.from(p.word).length >= 2 });
      } else if (p.cjk.length === 1) {
        terms.push({ term: p.cjk[0], prefix: false });
      } else {
        for (var j = 0; j + 1 < p.cjk.length; j++) terms.push({ term: p.cjk[j] + p.cjk[j + 1], prefix: false });
      }
    });
    return { terms: terms, pieces: ps };
  }

  function shardKey(term) {
    var chars = Array.from(term);
    return CJK.test(chars[0]) ? chars[0] : chars.slice(0, 2).join("");
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  var manifest = null, shards = null, lengths = null, cache = new Map();
  function getJSON(path, fresh) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path + (fresh ? "" : "?v=" + manifest.hash), { cache: fresh ? "no-cache" : "default" })
        .then(function (r) {
          if (!r.ok) throw new Error(r.status + " for " + base + path);
          return r.json();
        })
        .catch(function (e) { cache.delete(path); throw e; }));
    }
    return cache.get(path);
  }
  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return getJSON("index.json", true).then(function (m) {
      if (m.version !== 1) throw new Error("an index of another version of blog");
      manifest = m;
      shards = new Set(m.shards);
      return m;
    });
  }
  function loadLengths() {
    return getJSON("lengths.json").then(function (l) { lengths = l; });
  }

  // The shard holding a query term's postings ({} when there is none).
  function shardOf(term) {
    var name = hex(shardKey(term.term));
    return shards.has(name) ? getJSON("t/" + name + ".json") : Promise.resolve({});
  }

  // The BM25 score of each document for one query term: doc -> score.
  function scores(term, shard) {
    var found = new Map(), n = manifest.docs, avg = manifest.avg_len || 1;
    Object.keys(shard).forEach(function (t) {
      if (t !== term.term && !(term.prefix && t.startsWith(term.term))) return;
      var postings = shard[t], df = postings.length;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      postings.forEach(function (p) {
        var tf = p[1], len = lengths[p[0]] || avg;
        var s = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len / avg));
        if (p[2]) s *= TITLE;
        // A prefix's best expansion counts, the whole word a little more.
        if (t !== term.term) s *= 0.9;
        found.set(p[0], Math.max(found.get(p[0]) || 0, s));
      });
    });
    return found;
  }

  function rank(perTerm) {
    var total = perTerm[0];
    for (var i = 1; i < perTerm.length; i++) {
      var next = new Map();
      total.forEach(function (s, doc) {
        var t = perTerm[i].get(doc);
        if (t !== undefined) next.set(doc, s + t);
      });
      total = next;
    }
    return Array.from(total).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }

  function record(doc) {
    var size = manifest.chunk;
    return getJSON("d/" + Math.floor(doc / size) + ".json").then(function (chunk) {
      return chunk[doc % size];
    });
  }

  // The ranges of `text` the query matches: [start, end] in order.
  function matches(text, query) {
    var ranges = [];
    var words = query.terms.filter(function (t) { return !CJK.test(Array.from(t.term)[0]); });
    if (words.length) {
      pieces(text).forEach(function (p) {
        if (p.word && words.some(function (t) { return p.word === t.term || (t.prefix && p.word.startsWith(t.term)); })) {
          ranges.push([p.start, p.end]);
        }
      });
    }
    query.pieces.forEach(function (p) {
      if (!p.cjk) return;
      var run = p.cjk.join(""), at = text.indexOf(run);
      while (at !== -1) { ranges.push([at, at + run.length]); at = text.indexOf(run, at + run.length); }
    });
    return ranges.sort(function (a, b) { return a[0] - b[0]; });
  }

  // An excerpt around the first match, the matches in <mark>.
  function excerpt(text, query) {
    var p = document.createElement("p");
    var ranges = matches(text, query);
    var first = ranges.length ? ranges[0][0] : 0;
    var start = Math.max(0, first - 80), end = Math.min(text.length, start + 260);
    if (start > 0) { var space = text.indexOf(" ", start); if (space !== -1 && space < first) start = space + 1; }
    if (end < text.length) { var back = text.lastIndexOf(" ", end); if (back > first) end = back; }
    var at = start;
    if (start > 0) p.append("… ");
    ranges.forEach(function (r) {
      if (r[0] < at || r[1] > end) return;
      p.append(text.slice(at, r[0]));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      p.append(mark);
      at = r[1];
    });
    p.append(text.slice(at, end));
    if (end < text.length) p.append(" …");
    return p;
  }

  function dateText(iso) {
    try {
      return new Date(iso + "T00:00:00Z").toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
    } catch (e) { return iso; }
  }

  function item(rec, query) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + rec.url.replace(/^\//, "");
    a.textContent = rec.title;
    a.className = "search-title";
    li.append(a);
    if (rec.date) {
      var time = document.createElement("time");
      time.dateTime = rec.date;
      time.textContent = dateText(rec.date);
      li.append(" · ", time);
    }
    li.append(excerpt(rec.text, query));
    return li;
  }

  var current = 0, ranked = [], shown = 0, parsed = null;
  // The next page of results. With `heading`, a new query's first page: the
  // old list and status are replaced only once its records have arrived, so
  // the status never counts results the list does not show yet.
  function showMore(heading) {
    var token = current, page = ranked.slice(shown, shown + PAGE);
    return Promise.all(page.map(function (r) { return record(r[0]); })).then(function (recs) {
      if (token !== current) return;
      if (heading !== undefined) {
        list.replaceChildren();
        status.textContent = heading;
      }
      recs.forEach(function (rec) { if (rec) list.append(item(rec, parsed)); });
      shown += page.length;
      if (more) more.hidden = shown >= ranked.length;
    });
  }

  function fail(e) {
    status.textContent = "Search is unavailable: " + e.message;
  }

  function run(q) {
    var token = ++current;
    var query = parse(q);
    if (!query.terms.length) {
      list.replaceChildren();
      status.textContent = "";
      if (more) more.hidden = true;
      return Promise.resolve();
    }
    return loadManifest()
      .then(function () { return Promise.all([loadLengths(), Promise.all(query.terms.map(shardOf))]); })
      .then(function (loaded) {
        if (token !== current) return;
        ranked = rank(query.terms.map(function (term, i) { return scores(term, loaded[1][i]); }));
        shown = 0;
        parsed = query;
        if (more) more.hidden = true;
        return showMore(ranked.length
          ? ranked.length + (ranked.length === 1 ? " result" : " results") + " for “" + q.trim() + "”"
          : "No results for “" + q.trim() + "”");
      })
      .catch(fail);
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      run(input.value);
    }, 120);
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  if (more) more.addEventListener("click", function () { showMore().catch(fail); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
})();
