// Repeated form rows (certificates, price tiers, specifications): add and remove them.
//
// A fieldset[data-rows] holds rows ([data-row]) named "<prefix>-<index>-<field>", a
// <template data-row-template> with one empty row whose index is __I__ and whose number (for
// labels) is __N__, an "add" button ([data-add-row], with data-max) and a "remove" button in
// each row. Without JavaScript the form shows a few empty rows and the buttons stay hidden;
// the server reads rows by index and skips empty ones, so gaps left by removals are fine.
for (const group of document.querySelectorAll("fieldset[data-rows]")) {
  const template = group.querySelector("template[data-row-template]");
  const add = group.querySelector("[data-add-row]");
  const list = template ? template.previousElementSibling : null;
  if (!template || !add || !list) continue;
  const max = Number(add.dataset.max || "50");
  const rows = () => list.querySelectorAll("[data-row]");
  let next = rows().length;

  const refresh = () => {
    add.hidden = rows().length >= max;
  };
  const wire = (row) => {
    const remove = row.querySelector("[data-remove-row]");
    if (!remove) return;
    remove.hidden = false;
    remove.addEventListener("click", () => {
      // Focus goes somewhere sensible, not back to the top of the page.
      const neighbour = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      refresh();
      const target = neighbour && neighbour.matches("[data-row]")
        ? neighbour.querySelector("input, select") : add;
      if (target) target.focus();
    });
  };

  for (const row of rows()) wire(row);
  add.hidden = false;
  for (const hint of group.querySelectorAll("[data-no-js]")) hint.hidden = true;
  add.addEventListener("click", () => {
    if (rows().length >= max) return;
    const html = template.innerHTML.replaceAll("__I__", String(next))
      .replaceAll("__N__", String(next + 1));
    next += 1;
    list.insertAdjacentHTML("beforeend", html);
    const row = list.lastElementChild;
    wire(row);
    refresh();
    const first = row.querySelector("input, select");
    if (first) first.focus();
  });
  refresh();
}
