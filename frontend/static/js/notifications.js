// Notifications that must reach a person wherever they are in the app: loaded by base.html on
// every page for signed-in users only (anonymous visitors open no socket). It listens to the
// viewer's user:{id} topic on the tab's one realtime client, beside any page script that
// listens to it too (orders.js, matchmaking_live.js), and shows a toast for the kinds below.
//
// Today one kind: a show the viewer asked to be reminded of ("Remind me") has gone live
// (app/livestreams/followers.py). The toast links to its room; the room of that very show
// does not get one, since it reloads itself when the show starts.

import { getClient } from "./realtime.js";

const LIVESTREAM_LIVE = "livestream.live";
/** Toasts shown at once at most; the oldest goes when another comes. */
const MAX_TOASTS = 3;

const stack = document.getElementById("notification-toasts");
if (stack?.dataset.userId) start(stack);

/** @param {HTMLElement} stack */
function start(stack) {
  /** @type {Record<string, string>} */
  const words = JSON.parse(stack.dataset.words || "{}");
  const chinese = stack.dataset.locale === "zh";
  // After a reset the server replays everything it keeps: old news, not something to toast.
  let skipReplayed = false;

  getClient().join(`user:${stack.dataset.userId}`, {
    onJoined(payload) {
      skipReplayed = Boolean(payload.reset);
    },
    onEvent(payload, meta) {
      if (meta.replayed && skipReplayed) return;
      const data = payload.data;
      if (payload.event !== "notification" || data?.kind !== LIVESTREAM_LIVE) return;
      const room = `/livestreams/${Number(data.livestream_id)}`;
      if (location.pathname.replace(/\/$/, "") === room) return;
      const title = (chinese && data.title_zh) || data.title || "";
      showToast(stack, words, `livestream-${Number(data.livestream_id)}`, title, room);
    },
  }).catch(() => {});
}

/**
 * "<title> is live now — Watch", with a button to dismiss it (Escape too, when inside it).
 * @param {HTMLElement} stack
 * @param {Record<string, string>} words
 * @param {string} key  one toast per thing: a repeat of the same one is not shown twice
 * @param {string} title
 * @param {string} href
 */
function showToast(stack, words, key, title, href) {
  if (stack.querySelector(`[data-key="${key}"]`)) return;
  const toast = document.createElement("div");
  toast.className = "toast";
  toast.dataset.key = key;

  const text = document.createElement("p");
  text.className = "toast-text";
  text.append((words.live || "{title} is live now").replace("{title}", title), " — ");
  const link = document.createElement("a");
  link.href = href;
  link.textContent = words.watch || "Watch";
  text.append(link);

  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "toast-dismiss";
  dismiss.setAttribute("aria-label", words.dismiss || "Dismiss");
  dismiss.textContent = "×";
  const close = () => {
    const hadFocus = toast.contains(document.activeElement);
    toast.remove();
    // Focus must not fall back to the top of the page: leave it in the main content.
    if (hadFocus) document.getElementById("main")?.focus();
  };
  dismiss.addEventListener("click", close);
  toast.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });

  toast.append(text, dismiss);
  while (stack.children.length >= MAX_TOASTS) stack.firstElementChild?.remove();
  stack.append(toast);
}
