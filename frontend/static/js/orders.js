// The order list (frontend/templates/orders/list.html) kept current: the other side's order
// steps and accepted offers arrive as notifications on the viewer's user:{id} topic; each
// one fetches the list as rendered by the server (/orders/rows) and swaps it in, so a row's
// status changes and a new order appears without a reload. Without this script the page is
// the same, as of when it was loaded.

import { getClient } from "./realtime.js";

/** Notification kinds that change what the list shows (app/negotiations/notify.py). */
const ORDER_KINDS = new Set(["order.status_changed", "offer.accepted"]);

const root = document.getElementById("order-list");
if (root?.dataset.userId) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const rowsUrl = root.dataset.rowsUrl ?? "/orders/rows";
  let loading = Promise.resolve();

  function refresh() {
    loading = loading.then(async () => {
      const response = await fetch(rowsUrl, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const html = await response.text();
      const next = new DOMParser().parseFromString(html, "text/html").getElementById("order-list");
      const current = document.getElementById("order-list");
      if (next && current) current.replaceWith(document.importNode(next, true));
    }).catch(() => {});
  }

  getClient().join(`user:${root.dataset.userId}`, {
    lastSeq: Number(root.dataset.topicSeq ?? 0),
    onEvent(payload) {
      if (payload.event === "notification" && ORDER_KINDS.has(payload.data?.kind)) refresh();
    },
    onReset() {
      refresh();
    },
  }).catch(() => {});
}
