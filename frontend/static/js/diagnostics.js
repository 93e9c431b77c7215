// The realtime diagnostic page (frontend/templates/realtime/diagnostics.html): joins
// diag:<room> (durable) and pulse:<room> (ephemeral) through realtime.js and shows what the
// protocol does. Every text comes from the template's data-* attributes (translated there).

import { getClient, RealtimeError } from "./realtime.js";

/** How long "X is typing…" stays after their last keystroke signal. */
const TYPING_SHOWN_MS = 4000;
/** At most one typing signal per this interval: typing must not eat the rate limit. */
const TYPING_SIGNAL_EVERY_MS = 2500;
/** A log scrolled this close to its end follows new messages; further up, the reader stays. */
const FOLLOW_THRESHOLD_PX = 48;

const root = document.getElementById("rt-diagnostics");
if (root?.dataset.room) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const t = root.dataset; // translated strings and page facts
  const room = /** @type {string} */ (t.room);
  const diagTopic = `diag:${room}`;
  const pulseTopic = `pulse:${room}`;
  const me = Number(t.userId);
  const times = timeFormats(t.locale ?? "en", t.zone ?? "UTC");

  const el = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const pill = el("rt-state");
  const log = el("rt-log");
  const logScroll = el("rt-log-scroll");
  const logEmpty = el("rt-log-empty");
  const resetNote = el("rt-reset");
  const typingLine = el("rt-typing");
  const form = /** @type {HTMLFormElement} */ (el("rt-compose"));
  const input = /** @type {HTMLInputElement} */ (el("rt-text"));
  const sendButton = /** @type {HTMLButtonElement} */ (el("rt-send"));
  const pendingLine = el("rt-pending");
  const sendError = el("rt-send-error");
  const lastSeqOut = el("rt-last-seq");
  const reconnectsOut = el("rt-reconnects");
  const replayedOut = el("rt-replayed");
  const pulsesOut = el("rt-pulses");
  const retryLine = el("rt-retry");
  const holdSelect = /** @type {HTMLSelectElement} */ (el("rt-hold"));
  const dropButton = /** @type {HTMLButtonElement} */ (el("rt-drop"));
  const reconnectButton = /** @type {HTMLButtonElement} */ (el("rt-reconnect"));
  const presenceList = el("rt-presence");
  const presenceCount = el("rt-presence-count");

  const rt = getClient();
  let replayedCount = 0;
  let pulseCount = 0;
  let pending = 0;
  let heldOffline = false;
  let lastTypingSignal = 0;
  /** @type {Map<number, {name: string, until: number}>} */
  const typing = new Map();

  // --- connection state -----------------------------------------------------------------------

  function renderState() {
    const state = rt.state;
    pill.dataset.state = state;
    pill.textContent = t[`state${state[0].toUpperCase()}${state.slice(1)}`] ?? state;
    dropButton.disabled = state !== "open";
    reconnectButton.disabled = state !== "reconnecting";
    reconnectsOut.textContent = String(rt.reconnects);
    presenceList.classList.toggle("is-stale", state !== "open");
    renderRetry();
    renderPending();
  }

  function renderRetry() {
    let text = "";
    if (rt.state === "closed") text = t.closedHelp ?? "";
    else if (rt.state === "reconnecting") {
      if (rt.failures >= rt.failuresBeforeCap) text = t.failing ?? "";
      else if (heldOffline) text = t.held ?? "";
      else if (rt.nextAttemptAt) {
        const seconds = Math.max(0, Math.ceil((rt.nextAttemptAt - Date.now()) / 1000));
        text = (t.retryIn ?? "").replace("{seconds}", String(seconds));
      } else text = t.retryNow ?? "";
    }
    if (retryLine.textContent !== text) retryLine.textContent = text;
  }

  rt.addEventListener("statechange", (event) => {
    if (/** @type {CustomEvent} */ (event).detail.state === "open") heldOffline = false;
    renderState();
  });
  // The countdown ("next attempt in 7 s") moves on its own.
  setInterval(renderRetry, 1000);
  renderState();

  dropButton.addEventListener("click", () => {
    const hold = holdSelect.value;
    heldOffline = hold === "hold";
    rt.drop({ holdMs: heldOffline ? Infinity : Number(hold) });
  });
  reconnectButton.addEventListener("click", () => {
    heldOffline = false;
    rt.reconnectNow();
  });

  // --- messages (durable) ---------------------------------------------------------------------

  /**
   * @param {number} seq
   * @param {{text?: string, name?: string, user_id?: number}} data
   * @param {boolean} replayed
   */
  function addMessage(seq, data, replayed) {
    const follow =
      logScroll.scrollHeight - logScroll.scrollTop - logScroll.clientHeight < FOLLOW_THRESHOLD_PX;
    const received = new Date();

    const item = document.createElement("li");
    item.className = "rt-event";
    item.dataset.seq = String(seq);
    if (data.user_id === me) item.classList.add("is-mine");

    const seqBadge = document.createElement("span");
    seqBadge.className = "rt-seq";
    seqBadge.textContent = `#${seq}`;

    const body = document.createElement("div");
    body.className = "rt-event-body";
    const meta = document.createElement("p");
    meta.className = "rt-event-meta";
    const name = document.createElement("strong");
    name.textContent = data.name ?? "?";
    meta.append(name);
    if (data.user_id === me) meta.append(` ${t.you ?? ""}`);
    // The event carries no server time, so this is when this page received it, in the
    // viewer's zone (the server's setting for them, not the browser's).
    const time = document.createElement("time");
    time.dateTime = received.toISOString();
    time.textContent = times.short.format(received);
    time.title = `${times.long.format(received)} (${t.zone})`;
    meta.append(" ", time);
    if (replayed) {
      const tag = document.createElement("span");
      tag.className = "tag rt-replayed";
      tag.textContent = t.replayed ?? "";
      tag.title = t.replayedTitle ?? "";
      meta.append(" ", tag);
    }
    const text = document.createElement("p");
    text.className = "rt-text";
    text.textContent = data.text ?? "";
    body.append(meta, text);
    item.append(seqBadge, body);
    log.append(item);

    logEmpty.hidden = true;
    if (follow) logScroll.scrollTop = logScroll.scrollHeight;
    if (typeof data.user_id === "number" && typing.delete(data.user_id)) renderTyping();
  }

  function renderLastSeq() {
    const seq = rt.lastSeq(diagTopic);
    lastSeqOut.textContent = seq === null ? "—" : String(seq);
  }

  rt.join(diagTopic, {
    onEvent(payload, { replayed }) {
      if (payload.event === "message" && typeof payload.seq === "number") {
        addMessage(payload.seq, payload.data ?? {}, replayed);
        if (replayed) replayedOut.textContent = String(++replayedCount);
      }
      renderLastSeq();
    },
    onPresence: renderPresence,
    onReset() {
      // Our position is older than what the server keeps (or from another database): start
      // the list again from what it replays. Pages with a REST history reload it here.
      log.replaceChildren();
      resetNote.textContent = t.reset ?? "";
      resetNote.hidden = false;
    },
    onJoined() {
      sendButton.disabled = false;
      renderLastSeq();
    },
    onError: showJoinError,
  }).catch(showJoinError);

  function showJoinError() {
    sendButton.disabled = true;
    showSendError(t.errorJoin);
  }

  /** @param {string | undefined} message */
  function showSendError(message) {
    sendError.textContent = message ?? "";
    sendError.hidden = !message;
  }

  function renderPending() {
    // A message sent while offline waits in realtime.js and goes out after the rejoin.
    const show = pending > 0 && rt.state !== "open";
    pendingLine.hidden = !show;
    if (show) pendingLine.textContent = (t.pending ?? "").replace("{count}", String(pending));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    lastTypingSignal = 0; // a sent message ends "typing": the next keystroke says so again
    showSendError(undefined);
    pending += 1;
    renderPending();
    try {
      await rt.publish(diagTopic, "publish", { text });
    } catch (error) {
      const code = error instanceof RealtimeError ? error.code : "";
      showSendError(
        code === "rate_limited" ? t.errorRate : code === "invalid_text" ? t.errorText : t.errorSend,
      );
      if (!input.value) input.value = text; // give the words back so nothing is retyped
    } finally {
      pending -= 1;
      renderPending();
    }
  });

  // --- presence -------------------------------------------------------------------------------

  /** @param {Array<{user_id: number, name: string}>} members */
  function renderPresence(members) {
    const sorted = [...members].sort((a, b) =>
      a.user_id === me ? -1 : b.user_id === me ? 1 : a.name.localeCompare(b.name));
    presenceList.replaceChildren(...sorted.map((member) => {
      const item = document.createElement("li");
      const avatar = document.createElement("span");
      avatar.className = "rt-avatar";
      avatar.setAttribute("aria-hidden", "true");
      avatar.textContent = (member.name.trim()[0] ?? "?").toUpperCase();
      const name = document.createElement("span");
      name.className = "rt-member-name";
      name.textContent = member.user_id === me ? `${member.name} ${t.you}` : member.name;
      item.append(avatar, name);
      return item;
    }));
    presenceCount.textContent = String(members.length);
  }

  rt.addEventListener("statechange", () => {
    if (rt.state !== "open" && !presenceList.querySelector(".rt-presence-offline")) {
      const note = document.createElement("li");
      note.className = "rt-presence-offline";
      note.textContent = t.presenceOffline ?? "";
      presenceList.prepend(note);
    }
  });

  // --- pulses (ephemeral): typing signals ---------------------------------------------------

  function renderTyping() {
    const now = Date.now();
    const names = [];
    for (const [userId, who] of typing) {
      if (who.until <= now) typing.delete(userId);
      else names.push(who.name);
    }
    typingLine.textContent = names.length
      ? (t.typing ?? "").replace("{name}", names.join(", "))
      : "";
  }

  rt.join(pulseTopic, {
    onEvent(payload) {
      pulsesOut.textContent = String(++pulseCount);
      const data = payload.data ?? {};
      if (data.text === "typing" && typeof data.user_id === "number" && data.user_id !== me) {
        typing.set(data.user_id, { name: data.name ?? "?", until: Date.now() + TYPING_SHOWN_MS });
        renderTyping();
        setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
      }
    },
  }).catch(() => {
    // Typing signals are a nicety: without the pulse topic the page still works.
  });

  input.addEventListener("input", () => {
    const now = Date.now();
    if (!input.value || rt.state !== "open" || now - lastTypingSignal < TYPING_SIGNAL_EVERY_MS) {
      return;
    }
    lastTypingSignal = now;
    rt.request(pulseTopic, "publish", { text: "typing" }).catch(() => {});
  });
}

/**
 * Formatters for the viewer's zone as the server knows it (their profile, or the browser's
 * before sign-in); a zone this browser does not know falls back to the browser's own.
 * @param {string} locale
 * @param {string} zone
 */
function timeFormats(locale, zone) {
  /** @param {Intl.DateTimeFormatOptions} options */
  const make = (options) => {
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    } catch {
      return new Intl.DateTimeFormat(locale, options);
    }
  };
  return {
    short: make({ hour: "2-digit", minute: "2-digit", second: "2-digit" }),
    long: make({ dateStyle: "medium", timeStyle: "medium" }),
  };
}
