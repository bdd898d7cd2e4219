// breachdocs: the compliance site's script, in the page, with no library.
// - Dates that stay true between builds: every element with data-bd-duty carries a duty's dates
//   (data-due, data-target, data-open); its state is judged again against the reader's own today, by
//   the same rules as breachdocs.law.duty_state (dutyKind below), and its badge (data-bd-state)
//   updated. A deadline counted in hours (GDPR's 72 hours from awareness) also carries its moment
//   (data-due-at, ISO 8601 with the offset of the incident's time zone): it is judged against the
//   reader's clock, overdue from the minute after that moment, wherever the reader is. On the dashboard, rows move between the overdue list and the due-soon list
//   (data-bd-list="late" / "soon"; rows due later wait hidden in the due-soon list).
// - A table inside an element with data-bd-table="NAME" is sortable by clicking a column heading;
//   an <input data-bd-filter="NAME"> hides the rows that do not contain what is typed.
(function () {
  "use strict";

  var LABELS = {
    "overdue law": "overdue",
    "target-missed target": "internal target missed",
    "due-soon law": "due soon",
    "due-soon target": "internal target soon",
    "due law": "due",
    "due target": "due (internal target)",
    "due ": "due, no date yet"
  };
  var LATE = { "overdue": true, "target-missed": true };

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // The reader's today, YYYY-MM-DD, in their own time zone.
  function readerToday() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function addDays(iso, days) {
    var p = iso.split("-");
    var d = new Date(Date.UTC(Number(p[0]), Number(p[1]) - 1, Number(p[2]) + days));
    return d.toISOString().slice(0, 10);
  }

  // The state of an open duty on `today` (YYYY-MM-DD strings compare as dates):
  // breachdocs.law.duty_state.duty_state, line for line. A legal deadline in hours (`dueAt`, milliseconds
  // since the epoch) is judged by the moment `now` instead of by the day: passed once `now` is later,
  // soon while it falls within `soonDays` days of `now`.
  function dutyKind(due, target, today, soonDays, dueAt, now) {
    var soon = addDays(today, soonDays);
    var timed = typeof dueAt === "number" && !isNaN(dueAt) && typeof now === "number";
    var lawPassed = timed ? now > dueAt : Boolean(due && due < today);
    var lawSoon = timed ? dueAt <= now + soonDays * 86400000 : Boolean(due && due <= soon);
    if (lawPassed) return ["overdue", "law"];
    if (target && target < today) return ["target-missed", "target"];
    if (lawSoon) return ["due-soon", "law"];
    if (target && target <= soon) return ["due-soon", "target"];
    if (due || timed) return ["due", "law"];
    if (target) return ["due", "target"];
    return ["due", ""];
  }
  window.breachdocsDutyKind = dutyKind;

  function judge(element, today, soonDays, now) {
    if (element.dataset.open !== "yes") return element.dataset.kind;
    var dueAt = element.dataset.dueAt ? Date.parse(element.dataset.dueAt) : NaN;
    var state = dutyKind(element.dataset.due, element.dataset.target, today, soonDays, dueAt, now);
    element.dataset.kind = state[0];
    var badge = element.querySelector("[data-bd-state]");
    if (badge) {
      badge.className = "bd-state bd-state--" + state[0] + (state[1] === "target" ? " bd-state--target" : "");
      badge.textContent = LABELS[state[0] + " " + state[1]];
    }
    return state[0];
  }

  function sortKey(row) { return (row.dataset.due || row.dataset.target || "9999") + row.dataset.bdOrder; }

  // The dashboard's two lists, filled again from the rows of both.
  function regroup() {
    var late = document.querySelector('table[data-bd-list="late"]');
    var soon = document.querySelector('table[data-bd-list="soon"]');
    if (!late || !soon) return;
    var rows = Array.prototype.slice.call(late.tBodies[0].rows).concat(Array.prototype.slice.call(soon.tBodies[0].rows));
    rows.sort(function (a, b) { return sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0; });
    var shown = { late: 0, soon: 0 };
    rows.forEach(function (row) {
      var kind = row.dataset.kind;
      var list = LATE[kind] ? "late" : "soon";
      row.hidden = !(LATE[kind] || kind === "due-soon");
      if (!row.hidden) shown[list] += 1;
      (list === "late" ? late : soon).tBodies[0].appendChild(row);
    });
    [["late", late], ["soon", soon]].forEach(function (pair) {
      var empty = document.querySelector('[data-bd-empty="' + pair[0] + '"]');
      if (empty) empty.hidden = shown[pair[0]] > 0;
      pair[1].closest(".bd-scroll").hidden = shown[pair[0]] === 0;
    });
  }

  function judgeAll() {
    var asOf = document.querySelector("[data-bd-asof]");
    var soonDays = asOf ? Number(asOf.dataset.bdSoon) || 30 : 30;
    var now = Date.now();
    var today = readerToday();
    document.querySelectorAll("tr[data-bd-duty]").forEach(function (row, index) {
      if (!row.dataset.bdOrder) row.dataset.bdOrder = String(100000 + index);
    });
    document.querySelectorAll("[data-bd-duty]").forEach(function (element) { judge(element, today, soonDays, now); });
    regroup();
    var timed = document.querySelector("[data-bd-duty][data-due-at]") !== null;
    document.querySelectorAll("[data-bd-asof]").forEach(function (note) {
      note.textContent = "";
      note.appendChild(document.createTextNode("Dates judged against your today, "));
      var strong = document.createElement("strong");
      strong.textContent = today;
      note.appendChild(strong);
      if (timed) {  // deadlines in hours: against the reader's clock
        var clock = new Date(now);
        note.appendChild(document.createTextNode(", deadlines in hours against your clock, "));
        var time = document.createElement("strong");
        time.textContent = pad(clock.getHours()) + ":" + pad(clock.getMinutes());
        note.appendChild(time);
      }
      note.appendChild(document.createTextNode(" (the site was built on " + note.dataset.bdAsof + ")."));
    });
  }

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
    judgeAll();
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
