// A matchmaking meeting room: chat and shared product cards on `meeting:{id}` (durable: a
// reload replays what it missed), the slot countdown and announcements from
// `matchmaking:{id}`, automatic check-in, and optional video (matchmaking_live_rtc.js).
import { getClient } from "/static/js/realtime.js";
import { SlotClock, duration } from "/static/js/matchmaking_live.js";
import { VideoCall } from "/static/js/matchmaking_live_rtc.js";

const root = document.getElementById("live-room");
if (root) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const words = JSON.parse(document.getElementById("live-words")?.textContent || "{}");
  const meetingId = root.dataset.meetingId || "";
  const side = /** @type {"buyer" | "supplier"} */ (root.dataset.side);
  const room = `meeting:${meetingId}`;
  const list = /** @type {HTMLElement} */ (document.getElementById("room-messages"));
  const seen = new Set([...list.querySelectorAll("[data-seq]")].map((el) => Number(/** @type {HTMLElement} */ (el).dataset.seq)));
  const rt = getClient();
  const pill = document.getElementById("live-state");
  rt.addEventListener("statechange", (e) => {
    const state = /** @type {CustomEvent} */ (e).detail.state;
    if (pill) { pill.dataset.state = state; pill.textContent = words[state] || state; }
  });

  const clock = new SlotClock({});
  const countdown = document.getElementById("live-countdown");
  const startsAt = Date.parse(root.dataset.startsAt || ""), endsAt = Date.parse(root.dataset.endsAt || "");
  const paint = () => {
    if (!countdown || !clock.state?.now) return;
    const now = clock.serverNow();
    countdown.textContent = now < startsAt
      ? words.startsIn.replace("{time}", duration(startsAt - now))
      : now < endsAt ? words.endsIn.replace("{time}", duration(endsAt - now)) : words.over;
  };
  setInterval(paint, 1000);

  /** @param {{event: string, data: any, seq?: number}} payload */
  const onRoomEvent = (payload) => {
    if (payload.event === "meeting.status") {
      const status = document.getElementById("room-status");
      if (status) { status.dataset.status = payload.data.status; status.textContent = words[`status_${payload.data.status}`] || payload.data.status; }
      return;
    }
    if (payload.seq !== undefined) {
      if (seen.has(payload.seq)) return;
      seen.add(payload.seq);
    }
    if (payload.event === "chat.message") list.append(message(payload.data, side, payload.seq));
    else if (payload.event === "product.shared") list.append(productCard(payload.data, words, payload.seq));
  };
  rt.join(room, { lastSeq: Number(root.dataset.topicSeq || 0), onEvent: onRoomEvent }).then(() => {
    for (const id of ["room-chat-form", "room-share-form"]) {
      const form = document.getElementById(id);
      if (form) form.hidden = false;
    }
    rt.request(room, "check_in").then((m) => onRoomEvent({ event: "meeting.status", data: m })).catch(() => {});
  }).catch(() => {});
  rt.join(`matchmaking:${root.dataset.sessionId}`, {
    onEvent(payload) {
      if (payload.event === "clock") { clock.update(payload.data); paint(); }
      else if (payload.event === "broadcast") list.append(note(payload.data.body));
    },
  }).catch(() => {});

  const chat = /** @type {HTMLFormElement | null} */ (document.getElementById("room-chat-form"));
  chat?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const field = /** @type {HTMLTextAreaElement} */ (chat.elements.namedItem("body"));
    const error = document.getElementById("room-chat-error");
    const body = field.value.trim();
    if (!body) return;
    try {
      const reply = await rt.publish(room, "chat.send", { body });
      field.value = "";
      if (error) error.hidden = true;
      onRoomEvent({ event: "chat.message", data: reply.message, seq: reply.seq });
    } catch {
      if (error) { error.textContent = words.sendError; error.hidden = false; }
    }
  });
  const share = /** @type {HTMLFormElement | null} */ (document.getElementById("room-share-form"));
  share?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const select = /** @type {HTMLSelectElement} */ (share.elements.namedItem("product_id"));
    await rt.request(room, "product.share", { product_id: Number(select.value) }).catch(() => {});
  });

  const call = new VideoCall({
    rt, meetingId, side,
    iceServers: JSON.parse(document.getElementById("room-ice")?.textContent || "[]"),
    local: /** @type {HTMLVideoElement} */ (document.getElementById("video-local")),
    remote: /** @type {HTMLVideoElement} */ (document.getElementById("video-remote")),
  });
  call.connect().catch(() => {});
  const on = document.getElementById("video-start"), off = document.getElementById("video-stop");
  const videoNote = document.getElementById("video-note");
  on?.addEventListener("click", async () => {
    try {
      await call.cameraOn();
      on.hidden = true;
      if (off) off.hidden = false;
    } catch {
      if (videoNote) videoNote.textContent = words.cameraError;
    }
  });
  off?.addEventListener("click", async () => {
    await call.cameraOff();
    off.hidden = true;
    if (on) on.hidden = false;
  });
}

/** @param {{name: string, body: string, side: string}} data @param {string} side @param {number | undefined} seq */
function message(data, side, seq) {
  const item = document.createElement("li");
  item.className = `deal-msg ${data.side === side ? "deal-msg-mine" : "deal-msg-theirs"}`;
  if (seq !== undefined) item.dataset.seq = String(seq);
  const meta = document.createElement("p");
  meta.className = "deal-msg-meta";
  meta.textContent = data.name;
  const body = document.createElement("p");
  body.className = "deal-msg-body";
  body.textContent = data.body;
  item.append(meta, body);
  return item;
}

/** @param {{name: string, product: Record<string, any>}} data @param {Record<string, string>} words @param {number | undefined} seq */
function productCard(data, words, seq) {
  const item = note(words.shared.replace("{name}", data.name));
  if (seq !== undefined) item.dataset.seq = String(seq);
  const card = document.createElement("article");
  card.className = "live-product";
  const link = document.createElement("a");
  link.href = data.product.url; link.target = "_blank"; link.rel = "noopener";
  link.textContent = data.product.name;
  const terms = document.createElement("p");
  terms.className = "hint";
  terms.textContent = `${data.product.price_from} ${data.product.currency} / ${data.product.unit} · MOQ ${data.product.moq}`;
  card.append(link, terms);
  item.append(card);
  return item;
}

/** @param {string} text */
function note(text) {
  const item = document.createElement("li");
  item.className = "deal-msg deal-msg-note";
  const p = document.createElement("p");
  p.className = "deal-msg-meta";
  p.textContent = text;
  item.append(p);
  return item;
}
