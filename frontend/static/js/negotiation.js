// The negotiation room (frontend/templates/negotiations/room.html) made live over
// negotiation:{id} with realtime.js: new messages appear without a reload, the other side's
// typing and read marks show, and an offer or order event swaps in the offer panel rendered
// by the server (/negotiations/{id}/offer-panel), so offer cards are formatted in one place.
// Without this script the page still works: forms post and the page reloads.

import { getClient, RealtimeError } from "./realtime.js";

/** How long "X is typing…" stays after their last signal. */
const TYPING_SHOWN_MS = 4000;
/** At most one typing signal per this interval: typing must not eat the rate limit. */
const TYPING_SIGNAL_EVERY_MS = 2500;

const root = document.getElementById("deal-room");
if (root?.dataset.negotiationId) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const t = root.dataset; // translated strings and page facts
  const topic = `negotiation:${t.negotiationId}`;
  const myOrg = Number(t.myOrg);
  const myUser = Number(t.myUser);
  const parties = new Map([
    [Number(t.buyerId), t.buyerName ?? ""],
    [Number(t.supplierId), t.supplierName ?? ""],
  ]);
  /** @type {Record<string, string>} */
  const notes = JSON.parse(document.getElementById("deal-notes")?.textContent ?? "{}");
  /** Quick-reply texts in the viewer's language, by key: a quick reply reads natively. */
  /** @type {Record<string, string>} */
  const quickReplies = JSON.parse(document.getElementById("deal-quick-replies")?.textContent ?? "{}");
  const when = new Intl.DateTimeFormat(t.locale, {
    dateStyle: "medium", timeStyle: "short", timeZone: t.zone,
  });

  const el = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const list = el("deal-messages");
  const stateLine = el("deal-state");
  const typingLine = el("deal-typing");
  const form = /** @type {HTMLFormElement} */ (el("compose"));
  const input = /** @type {HTMLTextAreaElement} */ (el("f-body"));
  const sendError = el("e-body");
  let otherReadSeq = Number(t.otherReadSeq ?? 0);
  let lastTypingSignal = 0;
  let readSent = 0;
  /** @type {Map<number, {name: string, until: number}>} */
  const typing = new Map();

  const rt = getClient();

  function renderState() {
    const key = `state${rt.state[0].toUpperCase()}${rt.state.slice(1)}`;
    stateLine.textContent = t[key] ?? rt.state;
    stateLine.dataset.state = rt.state;
  }
  rt.addEventListener("statechange", renderState);
  renderState();

  /** The highest message seq shown. */
  function lastShownSeq() {
    const items = list.querySelectorAll("li[data-seq]");
    const last = items[items.length - 1];
    return last ? Number(/** @type {HTMLElement} */ (last).dataset.seq) : 0;
  }

  /** @param {number} seq */
  function shown(seq) {
    return list.querySelector(`li[data-seq="${seq}"]`) !== null;
  }

  /** @param {Record<string, any>} message  a MessageRead */
  function addMessage(message) {
    if (typeof message?.seq !== "number" || shown(message.seq)) return;
    const item = document.createElement("li");
    item.dataset.seq = String(message.seq);
    const own = message.sender_org_id === myOrg;
    const time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = when.format(new Date(message.created_at));
    const party = parties.get(message.sender_org_id) ?? "";
    if (message.kind === "text") {
      item.className = `deal-msg ${own ? "deal-msg-mine" : "deal-msg-theirs"}`;
      const meta = document.createElement("p");
      meta.className = "deal-msg-meta";
      const who = document.createElement("span");
      who.className = "deal-msg-who";
      who.textContent = party;
      meta.append(who, " · ", time);
      const body = document.createElement("p");
      body.className = "deal-msg-body";
      body.textContent = quickReplies[message.data?.quick_reply] ?? message.body;
      item.append(meta, body);
      if (own) {
        const read = document.createElement("p");
        read.className = "deal-read";
        read.textContent = t.read ?? "";
        read.hidden = message.seq > otherReadSeq;
        item.append(read);
      }
    } else {
      item.className = "deal-msg deal-msg-note";
      const body = document.createElement("p");
      body.className = "deal-msg-body";
      const link = document.createElement("a");
      link.href = `#offer-${message.offer_id}`;
      const template = notes[message.data?.key] ?? message.data?.key ?? "";
      link.textContent = template.replace("{party}", party).replace("{offer}", String(message.offer_id));
      time.className = "hint";
      body.append(link, " ", time);
      item.append(body);
    }
    // Events arrive in order, but a reply and its event may cross: keep the list by seq.
    const later = [...list.querySelectorAll("li[data-seq]")].find(
      (li) => Number(/** @type {HTMLElement} */ (li).dataset.seq) > message.seq);
    list.insertBefore(item, later ?? null);
    document.getElementById("deal-empty")?.remove();
    if (typeof message.sender_user_id === "number" && typing.delete(message.sender_user_id)) {
      renderTyping();
    }
    item.scrollIntoView({ block: "nearest" });
    markRead();
  }

  function renderReadMarks() {
    for (const mark of list.querySelectorAll(".deal-read")) {
      const seq = Number(/** @type {HTMLElement} */ (mark.closest("li")).dataset.seq);
      /** @type {HTMLElement} */ (mark).hidden = seq > otherReadSeq;
    }
  }

  /** Tell the other side we have read what is on screen (only while the tab is visible). */
  function markRead() {
    const seq = lastShownSeq();
    if (document.visibilityState !== "visible" || seq <= readSent || rt.state !== "open") return;
    readSent = seq;
    rt.request(topic, "read", { seq }).catch(() => { readSent = 0; });
  }
  document.addEventListener("visibilitychange", markRead);

  /** Re-render the offer panel from the server: one place formats offers. */
  let panelLoad = Promise.resolve();
  function reloadPanel() {
    panelLoad = panelLoad.then(async () => {
      const response = await fetch(t.panelUrl ?? "", { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const html = await response.text();
      const next = new DOMParser().parseFromString(html, "text/html").getElementById("offer-panel");
      const current = document.getElementById("offer-panel");
      if (next && current) current.replaceWith(document.importNode(next, true));
    }).catch(() => {});
  }

  function renderTyping() {
    const now = Date.now();
    for (const [id, entry] of typing) if (entry.until <= now) typing.delete(id);
    const names = [...typing.values()].map((entry) => entry.name);
    typingLine.textContent = names.length ? (t.typing ?? "").replace("{name}", names.join(", ")) : "";
  }
  setInterval(renderTyping, 1000);

  rt.join(topic, {
    lastSeq: Number(t.topicSeq ?? 0),
    onEvent(payload) {
      const data = payload.data ?? {};
      if (payload.event === "typing") {
        if (data.user_id !== myUser && data.organization_id !== myOrg) {
          typing.set(data.user_id, { name: data.name, until: Date.now() + TYPING_SHOWN_MS });
          renderTyping();
        }
        return;
      }
      if (payload.event === "read") {
        if (data.organization_id !== myOrg && typeof data.last_read_seq === "number") {
          otherReadSeq = Math.max(otherReadSeq, data.last_read_seq);
          renderReadMarks();
        }
        return;
      }
      if (data.message) addMessage(data.message);
      if (String(payload.event).startsWith("offer.") || payload.event === "order.status_changed") {
        reloadPanel();
      }
    },
    onReset() {
      // The server no longer has what we missed: the page itself is the fresh copy.
      location.reload();
    },
    onJoined() {
      markRead();
    },
  }).catch(() => renderState());

  /** @param {string | undefined} message */
  function showSendError(message) {
    sendError.textContent = message ?? "";
    sendError.hidden = !message;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    input.value = "";
    lastTypingSignal = 0;
    showSendError(undefined);
    try {
      const reply = await rt.publish(topic, "message.send", { body });
      addMessage(reply.message);
    } catch (error) {
      const code = error instanceof RealtimeError ? error.code : "";
      showSendError(code === "rate_limited" ? t.errorRate : t.errorSend);
      if (!input.value) input.value = body; // give the words back so nothing is retyped
    }
  });

  const quickForm = /** @type {HTMLFormElement | null} */ (document.getElementById("deal-quick"));
  quickForm?.addEventListener("submit", async (event) => {
    const button = /** @type {SubmitEvent} */ (event).submitter;
    const key = button instanceof HTMLButtonElement ? button.value : "";
    if (!key) return; // let the form post
    event.preventDefault();
    showSendError(undefined);
    try {
      const reply = await rt.publish(topic, "message.send", { quick_reply: key });
      addMessage(reply.message);
    } catch (error) {
      const code = error instanceof RealtimeError ? error.code : "";
      showSendError(code === "rate_limited" ? t.errorRate : t.errorSend);
    }
  });

  input.addEventListener("input", () => {
    const now = Date.now();
    if (rt.state !== "open" || now - lastTypingSignal < TYPING_SIGNAL_EVERY_MS) return;
    lastTypingSignal = now;
    rt.request(topic, "typing", {}).catch(() => {});
  });
}
