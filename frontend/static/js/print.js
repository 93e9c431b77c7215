// Print buttons ([data-print]): hidden until this runs, since without script they do nothing
// (the page's policy allows no inline handlers).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
