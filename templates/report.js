/* needsmap HTML report: build the big parts when they are opened, filter and sort long tables, highlight the
   current section in the contents. Inlined into the report by report.html.j2; no libraries. Without JavaScript
   every table in the page is simply shown whole; the parts kept in <template> elements say how to get them. */
(function () {
  "use strict";

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }

  function isNumber(text) {
    return text !== "" && !isNaN(Number(text.replace(/[,%]/g, "")));
  }

  function setUp(table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var haystack = new Map();
    rows.forEach(function (row) { haystack.set(row, row.textContent.toLowerCase()); });

    var bar = document.createElement("div");
    bar.className = "tfilter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter these " + rows.length + " rows";
    input.setAttribute("aria-label", "Filter the table: " + (table.getAttribute("data-label") || "rows"));
    var count = document.createElement("span");
    count.className = "tcount";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(input);
    bar.appendChild(count);
    var box = table.closest(".scroll, .matrix-box") || table;
    box.parentNode.insertBefore(bar, box);

    function applyFilter() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = haystack.get(row);
        var keep = terms.every(function (t) { return text.indexOf(t) !== -1; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      count.textContent = terms.length ? shown + " of " + rows.length + " rows" : rows.length + " rows";
    }
    input.addEventListener("input", applyFilter);
    applyFilter();

    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "Sort by this column";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var keys = rows.map(function (row) { return cellKey(row, index); });
        var numeric = keys.every(function (k) { return k === "" || isNumber(k); });
        var order = rows.map(function (row, i) { return i; });
        order.sort(function (a, b) {
          var x = keys[a], y = keys[b], c;
          if (numeric) {
            c = (x === "" ? -Infinity : Number(x.replace(/[,%]/g, ""))) - (y === "" ? -Infinity : Number(y.replace(/[,%]/g, "")));
          } else {
            c = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
          }
          return (ascending ? c : -c) || a - b;
        });
        var fragment = document.createDocumentFragment();
        order.forEach(function (i) { fragment.appendChild(rows[i]); });
        body.appendChild(fragment);
      });
    });
  }

  /* Diagrams are scaled to the page; "Full size" shows one at its natural size, scrolling inside its box. */
  function zoomable(figure) {
    var svg = figure.querySelector(".svg svg");
    var caption = figure.querySelector("figcaption");
    if (!svg || !caption) { return; }
    var natural = svg.style.maxWidth;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "zoom";
    button.textContent = "Full size";
    button.addEventListener("click", function () {
      var zoomed = figure.classList.toggle("zoomed");
      svg.style.width = zoomed && natural ? natural : "";
      button.textContent = zoomed ? "Fit to page" : "Full size";
    });
    caption.appendChild(button);
  }

  /* Filter boxes, sort buttons and zoom buttons for what is in `root` (the page, or a part just built). */
  function enhance(root) {
    root.querySelectorAll("table[data-filterable]").forEach(setUp);
    root.querySelectorAll("figure.diagram").forEach(zoomable);
  }
  enhance(document);

  /* Big parts wait in <template class="lazy"> elements inside a <details>: the first time it opens (by a
     click, a link into it, or printing it open), the template's content is copied into the page. */
  function build(details) {
    var template = null;
    for (var i = 0; i < details.children.length; i += 1) {
      var child = details.children[i];
      if (child.tagName === "TEMPLATE" && child.classList.contains("lazy")) { template = child; break; }
    }
    if (!template) { return; }
    var holder = document.createElement("div");
    holder.className = "built";
    holder.appendChild(document.importNode(template.content, true));
    template.parentNode.replaceChild(holder, template);
    enhance(holder);
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS" && details.open) { build(details); }
  }, true);

  /* The element with this id: in the page, or in a part not built yet (which is then built and opened). */
  function findId(id) {
    var target = document.getElementById(id);
    while (!target) {
      var found = null;
      document.querySelectorAll("details > template.lazy").forEach(function (template) {
        if (!found && template.content.getElementById(id)) { found = template.parentNode; }
      });
      if (!found) { return null; }
      found.open = true;
      build(found);
      target = document.getElementById(id);
    }
    return target;
  }

  /* A link to a folded use case (or anything inside one) opens it. */
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && findId(id);
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) { el.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (link) { setTimeout(reveal, 0); }  /* also when the hash was already this one */
  });
  if (location.hash) { reveal(); }

  /* Folded parts open for printing, and close again afterwards; a part not built yet stays folded (its title
     and a note print instead: the whole of an enterprise workshop would run to hundreds of pages). */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      if (d.querySelector(":scope > template.lazy")) { return; }
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  var links = document.querySelectorAll(".toc a[href^='#']");
  if ("IntersectionObserver" in window && links.length) {
    var byId = {};
    links.forEach(function (a) { byId[a.getAttribute("href").slice(1)] = a; });
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && byId[entry.target.id]) {
          links.forEach(function (a) { a.classList.remove("current"); });
          byId[entry.target.id].classList.add("current");
        }
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    document.querySelectorAll("main > section[id]").forEach(function (s) { observer.observe(s); });
  }
}());
