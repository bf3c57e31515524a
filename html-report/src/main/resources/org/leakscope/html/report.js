// Leakscope report: sortable, filterable, paged tables (every chart is static SVG and needs no script).
(function () {
  'use strict';
  var PAGE = 50;
  function cellValue(row, i, numeric) {
    var c = row.cells[i];
    if (!c) { return numeric ? -Infinity : ''; }
    var v = c.getAttribute('data-sort');
    if (v === null) { v = c.textContent; }
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }
  function setUp(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var rows = Array.prototype.slice.call(body.rows);
    var shown = rows.slice();
    var page = 0;
    var bar = document.createElement('div');
    bar.className = 'tablebar';
    var filter = document.createElement('input');
    filter.type = 'search';
    filter.placeholder = 'filter rows';
    filter.setAttribute('aria-label', 'filter rows');
    var prev = document.createElement('button');
    prev.textContent = '\u2039 previous';
    var next = document.createElement('button');
    next.textContent = 'next \u203a';
    var info = document.createElement('span');
    info.className = 'info';
    bar.appendChild(filter); bar.appendChild(prev); bar.appendChild(info); bar.appendChild(next);
    table.parentNode.insertBefore(bar, table);
    function render() {
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      if (page >= pages) { page = pages - 1; }
      rows.forEach(function (r) { r.hidden = true; });
      shown.forEach(function (r, i) { r.hidden = Math.floor(i / PAGE) !== page; });
      info.textContent = shown.length + ' of ' + rows.length + ' rows, page ' + (page + 1) + ' of ' + pages;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    function refilter() {
      var q = filter.value.toLowerCase();
      shown = rows.filter(function (r) { return q === '' || r.textContent.toLowerCase().indexOf(q) >= 0; });
    }
    filter.addEventListener('input', function () { refilter(); page = 0; render(); });
    prev.addEventListener('click', function () { page--; render(); });
    next.addEventListener('click', function () { page++; render(); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () {
        var numeric = th.classList.contains('num');
        var dir = th.getAttribute('data-dir') === 'desc' ? 'asc' : 'desc';
        Array.prototype.forEach.call(th.parentNode.cells, function (o) { o.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', dir);
        rows.sort(function (a, b) {
          var x = cellValue(a, i, numeric), y = cellValue(b, i, numeric);
          var c = x < y ? -1 : x > y ? 1 : 0;
          return dir === 'asc' ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        refilter();
        render();
      });
    });
    render();
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.data'), setUp);
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
})();
