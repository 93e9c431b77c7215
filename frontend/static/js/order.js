// The order page (frontend/templates/orders/order.html) kept current: when the order moves
// (an `order.status_changed` event on negotiation:{id}), the parts that change with a step —
// status, terms, the viewer's step forms, timeline — are fetched as rendered by the server
// (/orders/{id}/live) and swapped in, so one template formats them.
// A step form the viewer is filling in is not thrown away: if that step is still theirs, the
// new form gets what they typed (and the new version, so it applies to the order as it is
// now); if it is gone, the page says so instead of letting them submit into a 409.
// If the fetch fails, the page offers a reload, as before. Without this script the page
// still works: forms post and the page reloads.

import { getClient } from "./realtime.js";

/** Fields a step form carries for the server, not typed by the viewer. */
const FIXED_FIELDS = new Set(["csrf_token", "to", "version"]);

const root = document.getElementById("order-live");
if (root?.dataset.negotiationId) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const t = root.dataset; // page facts and translated strings
  const orderId = Number(t.orderId);
  let shownVersion = Number(t.version);
  let wantedVersion = shownVersion;
  let loading = Promise.resolve();

  /** @param {string} text */
  function announce(text) {
    const line = document.getElementById("order-announce");
    if (line) line.textContent = text;
  }

  function refresh() {
    loading = loading.then(async () => {
      if (wantedVersion <= shownVersion) return;
      const response = await fetch(t.liveUrl ?? "", { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(`order parts: HTTP ${response.status}`);
      const html = await response.text();
      const parts = new DOMParser().parseFromString(html, "text/html").getElementById("order-live-parts");
      if (!parts) throw new Error("order parts: nothing to show");
      const version = Number(parts.dataset.version);
      if (version <= shownVersion) return; // an older rendering than the page's
      swap(parts);
      shownVersion = version;
      root.dataset.version = String(version);
      announce((t.updated ?? "").replace("{status}", parts.dataset.statusLabel ?? ""));
    }).catch(() => {
      root.hidden = false; // could not update in place: offer a reload
    });
  }

  /** @param {HTMLElement} parts */
  function swap(parts) {
    for (const id of ["order-status", "order-terms", "order-timeline"]) {
      const next = parts.querySelector(`#${id}`);
      const current = document.getElementById(id);
      if (next && current) current.replaceWith(document.importNode(next, true));
    }
    const steps = parts.querySelector("#order-steps");
    if (steps) swapSteps(/** @type {HTMLElement} */ (document.importNode(steps, true)));
  }

  /**
   * Put the new step forms in place, carrying over what the viewer typed.
   * @param {HTMLElement} next
   */
  function swapSteps(next) {
    const current = document.getElementById("order-steps");
    if (!current) return;
    const focused = document.activeElement;
    const focusedForm = focused instanceof HTMLElement ? focused.closest("form[data-step]") : null;
    const focusedName = focusedForm && "name" in focused ? String(focused.name) : "";
    const gone = [];
    for (const form of current.querySelectorAll("form[data-step]")) {
      const step = /** @type {HTMLFormElement} */ (form).dataset.step ?? "";
      const typed = typedFields(/** @type {HTMLFormElement} */ (form));
      const target = next.querySelector(`form[data-step="${CSS.escape(step)}"]`);
      if (target) {
        for (const [name, value] of typed) {
          const field = /** @type {HTMLFormElement} */ (target).elements.namedItem(name);
          if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
            field.value = value;
          }
        }
      } else if (typed.some(([, value, changed]) => changed && value !== "")) {
        gone.push(form.querySelector("button[type=submit]")?.textContent?.trim() || step);
      }
    }
    for (const label of gone) {
      const note = document.createElement("p");
      note.className = "alert alert-warning";
      note.setAttribute("role", "alert");
      note.textContent = (t.stepGone ?? "").replace("{step}", label);
      next.prepend(note);
    }
    current.replaceWith(next);
    if (focusedForm && focusedName) {
      const step = /** @type {HTMLFormElement} */ (focusedForm).dataset.step ?? "";
      const again = next.querySelector(`form[data-step="${CSS.escape(step)}"]`);
      const field = /** @type {HTMLFormElement | null} */ (again)?.elements.namedItem(focusedName);
      if (field instanceof HTMLElement) field.focus();
    }
  }

  getClient().join(`negotiation:${t.negotiationId}`, {
    lastSeq: Number(t.topicSeq ?? 0),
    onEvent(payload) {
      const order = payload.data?.order;
      if (payload.event !== "order.status_changed" || order?.id !== orderId) return;
      wantedVersion = Math.max(wantedVersion, Number(order.version));
      refresh();
    },
    onReset() {
      // The server no longer has what we missed: ask for the order as it is.
      wantedVersion = Math.max(wantedVersion, shownVersion + 1);
      refresh();
    },
  }).catch(() => {});
}

/**
 * The fields of a step form the viewer types into: [name, value, changed from the page's].
 * @param {HTMLFormElement} form
 * @returns {Array<[string, string, boolean]>}
 */
function typedFields(form) {
  /** @type {Array<[string, string, boolean]>} */
  const out = [];
  for (const field of form.elements) {
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement)) continue;
    if (!field.name || FIXED_FIELDS.has(field.name) || field.type === "hidden") continue;
    out.push([field.name, field.value, field.value !== field.defaultValue]);
  }
  return out;
}
