// Sort the countries table in place when a column heading is activated (click or Enter).
// Without JavaScript the headings are plain links that sort on the server.
(function () {
  "use strict";
  var table = document.querySelector("table.sortable");
  if (!table) return;
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);

  function value(row, i, numeric) {
    var cell = row.cells[i];
    var v = cell ? cell.getAttribute("data-value") : "";
    if (!numeric) return v || "";
    return v === "" || v === null ? null : Number(v);
  }

  function sort(index, order) {
    var th = heads[index];
    var numeric = th.classList.contains("num") || th.querySelector("a").dataset.sort === "status";
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return r.cells.length > 1; });
    var dir = order === "asc" ? 1 : -1;
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      if (x === null && y === null) return 0;
      if (x === null) return 1;   // rows without a value stay last
      if (y === null) return -1;
      var c = numeric ? x - y : String(x).localeCompare(String(y));
      if (c === 0) c = value(a, 0, false).localeCompare(value(b, 0, false)) * dir;
      return c * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    heads.forEach(function (h, i) {
      h.setAttribute("aria-sort", i === index ? (order === "asc" ? "ascending" : "descending") : "none");
      var mark = h.querySelector("span[aria-hidden]");
      if (mark) mark.remove();
      if (i === index) {
        var s = document.createElement("span");
        s.setAttribute("aria-hidden", "true");
        s.textContent = order === "asc" ? " ▲" : " ▼";
        h.querySelector("a").appendChild(s);
      }
    });
    var url = new URL(window.location.href);
    url.searchParams.set("sort", th.querySelector("a").dataset.sort);
    url.searchParams.set("order", order);
    window.history.replaceState(null, "", url);
    var form = document.querySelector("form.filters");
    if (form) {
      form.elements.sort.value = th.querySelector("a").dataset.sort;
      form.elements.order.value = order;
    }
  }

  heads.forEach(function (th, index) {
    var link = th.querySelector("a[data-sort]");
    if (!link) return;
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var current = th.getAttribute("aria-sort");
      var numeric = th.classList.contains("num");
      var order = current === "ascending" ? "desc" : current === "descending" ? "asc" : (numeric ? "desc" : "asc");
      sort(index, order);
    });
  });
})();
