// The live matchmaking lobby and the organizer's console: the server-driven slot clock, "go to
// your meeting", announcements, re-match offers, live counts. The server decides when a slot
// changes; this page only counts down relative to the server's `now` (offset-corrected).
import { getClient } from "/static/js/realtime.js";

/** @param {HTMLElement} root */
function start(root) {
  const words = JSON.parse(document.getElementById("live-words")?.textContent || "{}");
  const sessionId = root.dataset.sessionId;
  const kind = root.dataset.kind;
  const countdown = document.getElementById("live-countdown");
  const clock = new SlotClock(JSON.parse(document.getElementById("live-clock")?.textContent || "{}"));
  const rt = getClient();
  const pill = document.getElementById("live-state");
  rt.addEventListener("statechange", (e) => {
    const state = /** @type {CustomEvent} */ (e).detail.state;
    if (pill) { pill.dataset.state = state; pill.textContent = words[state] || state; }
  });
  const paint = () => { if (countdown) countdown.textContent = clock.describe(words); };
  setInterval(paint, 1000);
  paint();

  rt.join(`matchmaking:${sessionId}`, {
    onEvent(payload) {
      const data = payload.data;
      if (payload.event === "clock") { clock.update(data); paint(); }
      else if (payload.event === "meeting.start" && kind === "lobby") {
        if (countdown) countdown.textContent = words.goNow;
        window.location.assign(data.room);
      } else if (payload.event === "broadcast") addBroadcast(data);
      else if (payload.event === "live.stats" && kind === "console") paintStats(data);
    },
  }).catch(() => {});
  if (kind === "lobby" && root.dataset.userId) {
    rt.join(`user:${root.dataset.userId}`, {
      onEvent(payload) {
        if (payload.event === "notification" && payload.data.kind === "meeting.rematch_offer"
            && String(payload.data.matchmaking_session_id) === sessionId) {
          showRematch(payload.data, words, root.dataset.csrf || "");
        }
      },
    }).catch(() => {});
  }
}

/** The server's clock as last told, and how far this browser's clock is from it. */
export class SlotClock {
  /** @param {Record<string, any>} state */
  constructor(state) { this.update(state); }

  /** @param {Record<string, any>} state */
  update(state) {
    this.state = state;
    this.offsetMs = state.now ? Date.parse(state.now) - Date.now() : 0;
  }

  serverNow() { return Date.now() + this.offsetMs; }

  /** @param {Record<string, string>} words */
  describe(words) {
    const s = this.state || {};
    if (s.session_status === "finished") return words.over;
    if (s.starts_at && s.ends_at && s.slot_index !== null) {
      return words.endsIn.replace("{time}", duration(Date.parse(s.ends_at) - this.serverNow()));
    }
    if (s.next_starts_at) {
      return words.startsIn.replace("{time}",
        duration(Date.parse(s.next_starts_at) - this.serverNow()));
    }
    return words.over;
  }
}

/** @param {number} ms */
export function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), sec = total % 60;
  const two = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** @param {{body: string, created_at: string}} data */
function addBroadcast(data) {
  const list = document.getElementById("live-broadcasts");
  if (!list) return;
  document.getElementById("live-no-broadcasts")?.remove();
  const item = document.createElement("li");
  const time = document.createElement("time");
  time.dateTime = data.created_at;
  time.textContent = new Date(data.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  item.append(time, " ", data.body);
  list.prepend(item);
}

/** @param {{totals: Record<string, number>, slots: {slot_index: number, counts: Record<string, number>}[]}} stats */
function paintStats(stats) {
  for (const [key, value] of Object.entries(stats.totals)) {
    const cell = document.querySelector(`[data-total="${key}"]`);
    if (cell) cell.textContent = String(value);
  }
  for (const row of stats.slots) {
    const line = document.querySelector(`#live-slots tr[data-slot="${row.slot_index}"]`);
    if (!line) continue;
    for (const [key, value] of Object.entries(row.counts)) {
      const cell = line.querySelector(`[data-count="${key}"]`);
      if (cell) cell.textContent = String(value);
    }
  }
}

/**
 * @param {{meeting_id: number, options: {partner: {participant_id: number, name: string}, slot_index: number}[]}} offer
 * @param {Record<string, string>} words
 * @param {string} csrf
 */
function showRematch(offer, words, csrf) {
  const box = document.getElementById("live-rematch");
  if (!box || !offer.options.length) return;
  box.replaceChildren();
  const intro = document.createElement("p");
  intro.textContent = words.rematch;
  box.append(intro);
  for (const option of offer.options) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = `/matchmaking-meetings/${offer.meeting_id}/rematch`;
    form.className = "live-rematch-option";
    for (const [name, value] of [["csrf_token", csrf], ["partner_id", String(option.partner.participant_id)]]) {
      const input = document.createElement("input");
      input.type = "hidden"; input.name = name; input.value = value;
      form.append(input);
    }
    const label = document.createElement("span");
    label.textContent = `${option.partner.name} · ${words.slot.replace("{n}", String(option.slot_index + 1))} `;
    const button = document.createElement("button");
    button.type = "submit"; button.className = "button button-small"; button.textContent = words.meet;
    form.append(label, button);
    box.append(form);
  }
  box.hidden = false;
}

// Last: the classes above must be initialized before the page starts using them.
const root = document.getElementById("live-page");
if (root) start(root);
