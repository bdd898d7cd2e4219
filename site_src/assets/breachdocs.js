// breachdocs: filter and sort the tables of the compliance site, in the page, with no library.
// A table inside an element with data-bd-table="NAME" is sortable by clicking a column heading;
// an <input data-bd-filter="NAME"> hides the rows that do not contain what is typed.
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function compare(a, b) {
    var x = a.replace(/,/g, ""), y = b.replace(/,/g, "");
    var nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) return nx - ny;
    return a.localeCompare(b);
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || table.dataset.bdSortable) return;
    table.dataset.bdSortable = "yes";
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      th.classList.add("bd-sortable");
      th.setAttribute("role", "button");
      th.setAttribute("tabindex", "0");
      th.title = "Sort by " + th.textContent.trim();
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(head.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  function attachFilter(input) {
    var name = input.dataset.bdFilter;
    var box = document.querySelector('[data-bd-table="' + name + '"]');
    var table = box && box.querySelector("table");
    var count = document.querySelector('[data-bd-count="' + name + '"]');
    if (!table || input.dataset.bdReady) return;
    input.dataset.bdReady = "yes";
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      if (count) count.textContent = shown + " incident(s)";
    });
  }

  function setup() {
    document.querySelectorAll("[data-bd-table] table").forEach(makeSortable);
    document.querySelectorAll("input[data-bd-filter]").forEach(attachFilter);
  }

  // Material's instant navigation replaces the page without reloading: follow it when enabled.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
