// Small progressive enhancements; no inline handlers (CSP). Elements opt in with data- attributes.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
    event.stopPropagation();
  }
});
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});
// htmx does not swap error responses; a section that renders its own validation errors (sent
// with status 422) opts in with data-swap-errors.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status === 422 && target && target.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// Print buttons (the org chart): data-print.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// The notifications bell is swapped only with the bell's own answer (X-HROps-Bell), never with a
// page a redirect led to (sign-in, second-factor setup).
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (target && target.id === "bell" && !event.detail.xhr.getResponseHeader("X-HROps-Bell")) {
    event.detail.shouldSwap = false;
  }
});
// Bank account forms: show only the chosen account format's fields (data-schemes lists the
// formats a field belongs to); without JavaScript every field stays visible.
function showBankScheme(select) {
  select.form.querySelectorAll("[data-schemes]").forEach((input) => {
    const field = input.closest(".field");
    if (field) field.hidden = !input.dataset.schemes.split(" ").includes(select.value);
  });
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-scheme-select]")) showBankScheme(event.target);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-scheme-select]").forEach(showBankScheme);
});
// Tables stack into one labelled card per row on narrow screens: each cell gets its column's
// header as data-label, and the table the class table-stack that the stylesheet's narrow-screen
// rules key on. Without JavaScript a table keeps its columns (and scrolls in its .table-wrap).
// Rows and sections htmx swaps in are labelled too.
function stackTable(table) {
  const headers = Array.from(table.querySelectorAll("thead tr:last-child th"))
    .flatMap((th) => Array(th.colSpan || 1).fill(th.textContent.trim()));
  if (!headers.length) return;
  table.querySelectorAll("tbody tr").forEach((row) => {
    let column = 0;
    Array.from(row.children).forEach((cell) => {
      if (headers[column] && cell.colSpan === 1) cell.dataset.label = headers[column];
      column += cell.colSpan || 1;
    });
  });
  table.classList.add("table-stack");
}
function stackTables(root) {
  const around = root.closest ? root.closest("table") : null;
  const tables = around ? [around] : Array.from(root.querySelectorAll("table"));
  tables.filter((table) => table.closest("#main")).forEach(stackTable);
}
document.addEventListener("DOMContentLoaded", () => stackTables(document));
document.addEventListener("htmx:load", (event) => stackTables(event.target));
