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
