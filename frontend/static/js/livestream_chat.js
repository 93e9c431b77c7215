// The room's chat: lines arriving on `livestream:{id}` (chat.message, chat.deleted), the send
// box (the `chat.send` action), and an ended show's replay paged through the chat API.
import { RealtimeError, newId } from "/static/js/realtime.js";
import { fill } from "/static/js/livestream_api.js";

/** Lines kept on the page; older ones scroll away (the replay keeps them all). */
const MAX_LINES = 300;

/**
 * @typedef {object} ChatLine
 * @property {number} id
 * @property {number | null} user_id
 * @property {string} name
 * @property {string} body
 * @property {string} sent_at
 * @property {boolean} is_host
 */

export class Chat {
  /**
   * @param {object} room
   * @param {Record<string, any>} room.words
   * @param {import("/static/js/livestream_api.js").Formats} room.fmt
   * @param {string} room.userId
   */
  constructor(room) {
    this.room = room;
    this.list = /** @type {HTMLOListElement} */ (document.getElementById("ls-messages"));
    this.empty = document.getElementById("ls-chat-empty");
    /** Called on every line added (moderators add their buttons). @type {(li: HTMLElement) => void} */
    this.decorate = () => {};
    /** @type {Date | null} until when a moderator muted this viewer */
    this.mutedUntil = null;
  }

  /** @param {ChatLine} message */
  add(message) {
    if (this.list.querySelector(`li[data-id="${message.id}"]`)) return;
    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 48;
    const line = this.line(message);
    this.list.append(line);
    this.decorate(line);
    while (this.list.children.length > MAX_LINES) this.list.firstElementChild?.remove();
    if (this.empty) this.empty.hidden = true;
    if (nearBottom) this.list.scrollTop = this.list.scrollHeight;
  }

  /** @param {number} id */
  remove(id) {
    this.list.querySelector(`li[data-id="${id}"]`)?.remove();
  }

  /** @param {ChatLine} m */
  line(m) {
    const { words, fmt } = this.room;
    const li = document.createElement("li");
    li.className = "ls-line";
    if (m.is_host) li.classList.add("ls-line-host");
    if (String(m.user_id) === this.room.userId) li.classList.add("ls-line-mine");
    li.dataset.id = String(m.id);
    li.dataset.userId = m.user_id == null ? "" : String(m.user_id);
    li.dataset.name = m.name;
    li.dataset.host = m.is_host ? "1" : "";
    const meta = document.createElement("p");
    meta.className = "ls-line-meta";
    const who = document.createElement("span");
    who.className = "ls-line-who";
    who.textContent = m.name;
    meta.append(who);
    if (m.is_host) {
      const badge = document.createElement("span");
      badge.className = "ls-badge";
      badge.textContent = words.host;
      meta.append(" ", badge);
    }
    const time = document.createElement("time");
    time.dateTime = m.sent_at;
    time.title = fmt.time(m.sent_at);
    time.textContent = fmt.clock(m.sent_at);
    meta.append(" ", time);
    const body = document.createElement("p");
    body.className = "ls-line-body";
    body.textContent = m.body;
    li.append(meta, body);
    return li;
  }

  /**
   * Show the send box, and send what is typed with the `chat.send` action.
   * @param {import("/static/js/realtime.js").RealtimeClient} rt
   * @param {string} topic
   */
  enableSending(rt, topic) {
    const form = /** @type {HTMLFormElement | null} */ (document.getElementById("ls-chat-form"));
    if (!form || form.dataset.ready) { if (form) form.hidden = false; return; }
    form.dataset.ready = "1";
    form.hidden = false;
    const input = /** @type {HTMLInputElement} */ (form.elements.namedItem("body"));
    const error = /** @type {HTMLElement} */ (document.getElementById("ls-chat-error"));
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    /**
     * The line not yet answered and its client_msg_id. Sent again (its reply lost to a
     * dropped socket or a timeout, the text still in the box) it keeps its id, so the server
     * stores and shows it once; any other text is a new line with a new id.
     * @type {{body: string, id: string} | null}
     */
    let unanswered = null;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      if (unanswered?.body !== body) unanswered = { body, id: newId() };
      const line = unanswered;
      button.disabled = true;
      try {
        const reply = await rt.request(topic, "chat.send", { body, client_msg_id: line.id });
        if (unanswered === line) unanswered = null;
        input.value = "";
        error.hidden = true;
        input.removeAttribute("aria-invalid");
        if (reply?.message) this.add(reply.message);
      } catch (failure) {
        // A moderator removed the line since it was first sent: it is done with.
        if (failure instanceof RealtimeError && failure.code === "chat_message_deleted") {
          unanswered = null;
          input.value = "";
        }
        error.textContent = this.refusalText(failure);
        error.hidden = false;
        input.setAttribute("aria-invalid", "true");
      } finally {
        button.disabled = false;
        input.focus();
      }
    });
  }

  /** @param {unknown} failure */
  refusalText(failure) {
    const { words, fmt } = this.room;
    const code = failure instanceof RealtimeError ? failure.code : "";
    if (code === "chat_muted" && this.mutedUntil && this.mutedUntil > new Date()) {
      return fill(words.mutedUntil, { time: fmt.time(this.mutedUntil.toISOString()) });
    }
    if (code === "disconnected" || code === "timeout") return words.sendError;
    return words.errors?.[code] ?? words.sendError;
  }

  /** @param {number} seconds */
  showSlowMode(seconds) {
    const note = document.getElementById("ls-chat-note");
    if (note) note.textContent = seconds ? fill(this.room.words.slowMode, { n: seconds }) : "";
  }

  /**
   * An ended show: "Show later messages" reads the next page of the replay.
   * @param {(method: string, path: string) => Promise<any>} api
   * @param {string} livestreamId
   * @param {number} pageSize
   */
  pageReplay(api, livestreamId, pageSize) {
    const more = /** @type {HTMLButtonElement | null} */ (document.getElementById("ls-replay-more"));
    if (!more) return;
    more.addEventListener("click", async () => {
      const last = /** @type {HTMLElement | null} */ (this.list.lastElementChild);
      more.disabled = true;
      try {
        const page = await api("GET", `/livestreams/${livestreamId}/chat?after_id=${last?.dataset.id ?? 0}&limit=${pageSize}`);
        const items = page?.items ?? [];
        for (const message of items) {
          const line = this.line(message);
          this.list.append(line);
          this.decorate(line);
        }
        if (items.length < pageSize) more.parentElement?.remove();
      } catch {
        more.textContent = this.room.words.error;
      } finally {
        more.disabled = false;
      }
    });
  }
}
