// A livestream's room: the video, live counts and likes, the chat, the pinned product and
// flash offers, kept live over `livestream:{id}` (realtime.js unpacks the room's `batch`
// frames, so every event arrives here on its own). Anonymous viewers watch without the
// socket (it needs a signed-in user); the page they got is the show as it was.
import { getClient } from "/static/js/realtime.js";
import { Formats, apiClient } from "/static/js/livestream_api.js";
import { Chat } from "/static/js/livestream_chat.js";
import { Sales } from "/static/js/livestream_sales.js";
import { startHost } from "/static/js/livestream_host.js";

/** Likes are sent at most this often, in one `like` action carrying the clicks since. */
const LIKE_FLUSH_MS = 500;
/** The server takes at most this many likes per action. */
const LIKES_PER_ACTION = 50;

/** @param {HTMLElement} root */
function start(root) {
  const words = JSON.parse(document.getElementById("ls-words")?.textContent || "{}");
  const data = root.dataset;
  const fmt = new Formats(data.locale || "en", data.zone || "UTC", words);
  const room = {
    id: data.livestreamId || "",
    boothId: data.boothId || "",
    userId: data.userId || "",
    host: data.host === "1",
    words, fmt,
    api: apiClient(data.csrf || ""),
  };
  const chat = new Chat(room);
  const sales = new Sales(room);
  watchVideo();
  if (data.status === "ended") {
    chat.pageReplay(room.api, room.id, Number(data.replayPage || 200));
  }
  if (data.moderator === "1") startHost({ ...room, chat, sales });
  if (data.signedIn !== "1" || data.status === "ended") return;

  const topic = `livestream:${room.id}`;
  const rt = getClient();
  const pill = document.getElementById("ls-connection");
  rt.addEventListener("statechange", (e) => {
    const state = /** @type {CustomEvent} */ (e).detail.state;
    if (pill) { pill.dataset.state = state; pill.textContent = words[state] || state; }
  });
  const counts = new Counts(words, fmt);
  // A like gets no reply: the room's `stats` carry everyone's likes.
  const likes = new Likes(counts, (count) => rt.send(topic, "like", { count }));

  /** @param {string} status */
  const onStatus = (status) => {
    // Starting or ending changes the whole page (the player, the chat or its replay).
    if (status && status !== data.status) window.location.reload();
  };
  /** @param {{event: string, data: any}} payload */
  const onEvent = ({ event, data: body }) => {
    if (event === "chat.message") chat.add(body);
    else if (event === "chat.deleted") chat.remove(body.id);
    else if (event === "stats") counts.set(body.viewers, likes.withPending(body.likes));
    else if (event === "product.pinned") sales.pin(body.pinned);
    else if (event === "flash.published") sales.publish(body);
    else if (event === "flash.updated") sales.update(body);
    else if (event === "settings") chat.showSlowMode(body.slow_mode_seconds);
    else if (event === "status") onStatus(body.status);
    else if (event === "state") {
      onStatus(body.status);
      counts.set(body.viewers, likes.withPending(body.likes));
      sales.pin(body.pinned ?? null);
      sales.replaceOffers(body.flash_offers ?? []);
      chat.showSlowMode(body.slow_mode_seconds ?? 0);
      chat.mutedUntil = body.muted_until ? new Date(body.muted_until) : null;
    }
  };
  rt.join(topic, { onEvent }).then(() => {
    if (data.status === "live") {
      chat.enableSending(rt, topic);
      likes.enable();
    }
  }).catch((failure) => {
    const error = document.getElementById("ls-chat-error");
    if (error) { error.textContent = words.errors?.[failure?.code] ?? words.error; error.hidden = false; }
  });
}

/** The player: HLS plays where the browser can; elsewhere, say so and link the stream. */
function watchVideo() {
  const video = /** @type {HTMLVideoElement | null} */ (document.getElementById("ls-video"));
  const note = document.getElementById("ls-video-note");
  if (!video || !note) return;
  const hls = /\.m3u8(\?|#|$)/i.test(video.currentSrc || video.src);
  if (hls && !video.canPlayType("application/vnd.apple.mpegurl")) note.hidden = false;
  video.addEventListener("error", () => { note.hidden = false; });
}

class Counts {
  /** @param {Record<string, any>} words @param {Formats} fmt */
  constructor(words, fmt) {
    this.fmt = fmt;
    this.viewers = document.getElementById("ls-viewers");
    this.likes = document.getElementById("ls-likes");
    this.likeCount = Number((this.likes?.textContent || "0").replace(/\D/g, "")) || 0;
  }

  /** @param {number | undefined} viewers @param {number | undefined} likes */
  set(viewers, likes) {
    // Only touch the text when it changes: each change is read out (aria-live).
    const put = (/** @type {HTMLElement | null} */ el, /** @type {number} */ n) => {
      const text = this.fmt.quantity(n);
      if (el && el.textContent !== text) el.textContent = text;
    };
    if (typeof viewers === "number") put(this.viewers, viewers);
    if (typeof likes === "number") {
      // Counts only grow; a stats frame older than our own clicks must not take them back.
      this.likeCount = Math.max(this.likeCount, likes);
      put(this.likes, this.likeCount);
    }
  }

  bump() {
    this.likeCount += 1;
    if (this.likes) this.likes.textContent = this.fmt.quantity(this.likeCount);
  }
}

/** Clicks counted here, +1 shown at once, sent as one `like` {count} per LIKE_FLUSH_MS. */
class Likes {
  /** @param {Counts} counts @param {(count: number) => boolean} send  false: not sent */
  constructor(counts, send) {
    this.counts = counts;
    this.send = send;
    this.pending = 0;
    /** @type {number | undefined} */
    this.timer = undefined;
    this.button = /** @type {HTMLButtonElement | null} */ (document.getElementById("ls-like"));
    this.burst = document.getElementById("ls-like-burst");
  }

  enable() {
    this.button?.addEventListener("click", () => this.click());
  }

  click() {
    this.pending += 1;
    this.counts.bump();
    if (this.burst) {
      this.burst.textContent = "+1";
      this.burst.classList.remove("is-on");
      void this.burst.offsetWidth; // restart the animation
      this.burst.classList.add("is-on");
    }
    this.timer ??= window.setTimeout(() => this.flush(), LIKE_FLUSH_MS);
  }

  flush() {
    this.timer = undefined;
    const count = Math.min(this.pending, LIKES_PER_ACTION);
    // Not connected: the clicks wait for the next tick (the client reconnects meanwhile).
    if (count > 0 && this.send(count)) this.pending -= count;
    if (this.pending > 0) this.timer = window.setTimeout(() => this.flush(), LIKE_FLUSH_MS);
  }

  /** The room's count plus the clicks not sent yet. @param {number | undefined} likes */
  withPending(likes) {
    return typeof likes === "number" ? likes + this.pending : likes;
  }
}

// Last: the classes above are only defined once the module has run down to here.
const root = document.getElementById("ls-room");
if (root) start(root);
