// The order page (frontend/templates/orders/order.html): when the other party takes a step,
// say so and offer a reload. The page is not re-rendered by itself: the viewer may be half-way
// through a step's form (container number, B/L...), and a reload would throw that away.

import { getClient } from "./realtime.js";

const root = document.getElementById("order-live");
if (root?.dataset.negotiationId) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const t = root.dataset;
  const orderId = Number(t.orderId);
  const version = Number(t.version);
  getClient().join(`negotiation:${t.negotiationId}`, {
    lastSeq: Number(t.topicSeq ?? 0),
    onEvent(payload) {
      const order = payload.data?.order;
      if (payload.event !== "order.status_changed" || order?.id !== orderId) return;
      if (Number(order.version) > version) root.hidden = false;
    },
  }).catch(() => {});
}
