// Search filters that apply as they are ticked (frontend/templates/exhibition/search.html).
//
// Without this module the page works as a plain GET form: tick, then "Apply filters". With
// it: a ticked facet or a new sort order applies at once (a hint says so before the first
// filter), each facet keeps one value ticked (the search takes one value per facet), empty
// fields stay out of the address, and on a phone the filters start folded.
const form = document.querySelector("form[data-facets]");

if (form) {
  const submit = () => {
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  };

  for (const group of form.querySelectorAll("fieldset[data-facet]")) {
    group.addEventListener("change", (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
      if (box.checked) {
        for (const other of group.querySelectorAll("input[type=checkbox]")) {
          if (other !== box) other.checked = false;
        }
      }
      submit();
    });
  }

  for (const select of form.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", submit);
  }
  for (const element of form.querySelectorAll("[data-js-hidden]")) element.hidden = true;
  for (const element of form.querySelectorAll("[data-js-shown]")) element.hidden = false;

  // Keep the address short and shareable: leave empty fields out of it.
  form.addEventListener("submit", () => {
    for (const field of form.querySelectorAll("input, select")) {
      if ((field instanceof HTMLInputElement && field.type !== "checkbox" && !field.value)
          || (field instanceof HTMLSelectElement && !field.value)) {
        field.disabled = true;
      }
    }
  });
  // Coming back with the browser's Back button shows the page from its cache, fields and all.
  window.addEventListener("pageshow", () => {
    for (const field of form.querySelectorAll("[disabled]")) field.disabled = false;
  });

  const details = form.querySelector("details[data-collapse-on-phone]");
  if (details && window.matchMedia("(max-width: 44rem)").matches
      && !details.querySelector("[aria-invalid=true]")) {
    details.open = false;
  }
}
