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
