// The negotiation room (frontend/templates/negotiations/room.html) made live over
// negotiation:{id} with realtime.js: new messages appear without a reload, the other side's
// typing and read marks show, and an offer or order event swaps in the offer panel rendered
// by the server (/negotiations/{id}/offer-panel), so offer cards are formatted in one place.
// Files are sent to the API with a progress bar and shown as thumbnails or PDF chips.
// Without this script the page still works: forms post and the page reloads.

import { getClient, RealtimeError } from "./realtime.js";

/** How long "X is typing…" stays after their last signal. */
const TYPING_SHOWN_MS = 4000;
/** At most one typing signal per this interval: typing must not eat the rate limit. */
const TYPING_SIGNAL_EVERY_MS = 2500;
/** Older messages fetched per click of "Load older messages" (the API's maximum page). */
const OLDER_PAGE = 100;
/** A picture's thumbnail is at most this many pixels on its longest side (the server's). */
const THUMBNAIL_DIMENSION = 400;

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
  /** Sending files: progress and refusals (by error code), in the viewer's language. */
  /** @type {Record<string, string>} */
  const attachWords = JSON.parse(document.getElementById("deal-attach-words")?.textContent ?? "{}");

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

  /** Joined on the current socket: "Live" means the room's events reach this page, which an
   * open socket alone does not promise (the join may still be on its way). */
  let joined = false;
  function renderState() {
    const state = rt.state === "open" && !joined ? "connecting" : rt.state;
    const key = `state${state[0].toUpperCase()}${state.slice(1)}`;
    stateLine.textContent = t[key] ?? state;
    stateLine.dataset.state = state;
  }
  rt.addEventListener("statechange", () => {
    if (rt.state !== "open") joined = false;
    renderState();
  });
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

  /**
   * @param {Record<string, any>} message  a MessageRead
   * @param {{history?: boolean}} [how]  history: an older message paged in, not scrolled to
   */
  function addMessage(message, how = {}) {
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
      item.append(meta);
      const files = Array.isArray(message.attachments) ? message.attachments : [];
      if (message.body || !files.length) {
        const body = document.createElement("p");
        body.className = "deal-msg-body";
        body.textContent = quickReplies[message.data?.quick_reply] ?? message.body;
        item.append(body);
      }
      if (files.length) item.append(fileList(files));
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
    if (how.history) return;
    item.scrollIntoView({ block: "nearest" });
    markRead();
  }

  /** @param {number} size  bytes, shown like the server does (e.g. 340 kB, 1.2 MB) */
  function fileSize(size) {
    const [value, unit] = size < 1024 ? [size, "byte"]
      : size < 1024 * 1024 ? [Math.round(size / 1024), "kilobyte"]
      : [size / 1024 / 1024, "megabyte"];
    return new Intl.NumberFormat(t.locale, {
      style: "unit", unit, unitDisplay: "short", maximumFractionDigits: 1,
    }).format(value);
  }

  /** The files a message carries: thumbnails that open the picture, chips for PDFs.
   * @param {Record<string, any>[]} files  AttachmentRead objects */
  function fileList(files) {
    const list = document.createElement("ul");
    list.className = "deal-files";
    for (const file of files) {
      const entry = document.createElement("li");
      const link = document.createElement("a");
      link.href = file.url;
      if (file.kind === "image" && file.thumbnail_url) {
        link.className = "deal-file-image";
        link.target = "_blank";
        link.rel = "noopener";
        const image = document.createElement("img");
        const scale = Math.min(1, THUMBNAIL_DIMENSION / Math.max(file.width || 1, file.height || 1));
        image.width = Math.max(1, Math.round((file.width || 1) * scale));
        image.height = Math.max(1, Math.round((file.height || 1) * scale));
        image.src = file.thumbnail_url;
        image.alt = file.name;
        image.loading = "lazy";
        link.append(image);
      } else {
        link.className = "deal-file";
        link.download = file.name;
        const kind = document.createElement("span");
        kind.className = "deal-file-kind";
        kind.setAttribute("aria-hidden", "true");
        kind.textContent = "PDF";
        const name = document.createElement("span");
        name.className = "deal-file-name";
        name.textContent = file.name;
        const size = document.createElement("span");
        size.className = "deal-file-size";
        size.textContent = fileSize(file.size_bytes);
        link.append(kind, " ", name, " ", size);
      }
      entry.append(link);
      list.append(entry);
    }
    return list;
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
      joined = true;
      renderState();
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

  const attachForm = /** @type {HTMLFormElement | null} */ (document.getElementById("deal-attach"));
  if (attachForm) sendFilesLive(attachForm);

  /** Files go to the API with a progress bar (a plain form post cannot show one); the reply
   * is the stored message, and the other side gets it on the topic like any message.
   * @param {HTMLFormElement} attachForm */
  function sendFilesLive(attachForm) {
    const picker = /** @type {HTMLInputElement} */ (el("f-file"));
    const error = el("e-file");
    const status = el("deal-attach-status");
    const bar = /** @type {HTMLProgressElement} */ (el("deal-attach-progress"));
    const progressText = el("deal-attach-text");
    const button = /** @type {HTMLButtonElement} */ (el("deal-attach-send"));
    const maxFiles = Number(attachForm.dataset.maxFiles ?? 5);
    const maxBytes = Number(attachForm.dataset.maxBytes ?? 0);
    const csrf = /** @type {HTMLInputElement | null} */ (attachForm.elements.namedItem("csrf_token"));

    /** One id per choice of files: sending them again after a lost answer stores them once. */
    const newUploadId = () => `files-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    let uploadId = newUploadId();
    picker.addEventListener("change", () => { uploadId = newUploadId(); showError(undefined); });

    /** @param {string | undefined} message */
    function showError(message) {
      error.textContent = message ?? "";
      error.hidden = !message;
      if (message) picker.setAttribute("aria-invalid", "true");
      else picker.removeAttribute("aria-invalid");
    }

    /** @param {File[]} files */
    function refusalBeforeSending(files) {
      if (!files.length) return attachWords.choose;
      if (files.length > maxFiles) return attachWords.too_many_attachments;
      if (maxBytes && files.some((f) => f.size > maxBytes)) return attachWords.file_too_large;
      if (files.some((f) => f.size === 0)) return attachWords.file_required;
      return undefined;
    }

    attachForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const files = [...(picker.files ?? [])];
      const refusal = refusalBeforeSending(files);
      showError(refusal);
      if (refusal) return;
      const data = new FormData();
      for (const file of files) data.append("file", file, file.name);
      data.append("client_msg_id", uploadId);
      const request = new XMLHttpRequest();
      request.open("POST", `/api/v1/negotiations/${t.negotiationId}/attachments`);
      request.setRequestHeader("Accept", "application/json");
      if (csrf) request.setRequestHeader("X-CSRF-Token", csrf.value);
      const names = files.map((f) => f.name).join(", ");
      /** @param {number} percent */
      const showProgress = (percent) => {
        bar.value = percent;
        progressText.textContent = (attachWords.uploading ?? "")
          .replace("{name}", names).replace("{percent}", String(percent));
      };
      request.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) showProgress(Math.round((e.loaded / e.total) * 100));
      });
      const done = () => {
        status.hidden = true;
        button.disabled = false;
      };
      request.addEventListener("load", () => {
        done();
        /** @type {Record<string, any>} */
        let reply = {};
        try { reply = JSON.parse(request.responseText); } catch { /* not JSON: a proxy's page */ }
        if (request.status === 200 || request.status === 201) {
          picker.value = "";
          uploadId = newUploadId();
          addMessage(reply);
          return;
        }
        const code = reply.error?.code ?? "";
        showError(attachWords[code] ?? reply.error?.message ?? attachWords.failed);
      });
      for (const failure of ["error", "abort", "timeout"]) {
        request.addEventListener(failure, () => { done(); showError(attachWords.failed); });
      }
      button.disabled = true;
      status.hidden = false;
      showProgress(0);
      request.send(data);
    });
  }

  const older = document.getElementById("deal-older");
  if (older) pageBack(older);

  /** "Load older messages": page back through the thread with the messages API (before_seq),
   * keeping in view what the viewer was reading.
   * @param {HTMLElement} older  the button's line (the page shows a plain hint without JS) */
  function pageBack(older) {
    const button = /** @type {HTMLButtonElement} */ (older.querySelector("button"));
    const error = /** @type {HTMLElement} */ (older.querySelector(".error-text"));
    document.getElementById("deal-older-hint")?.remove();
    older.hidden = false;
    button.addEventListener("click", async () => {
      const first = /** @type {HTMLElement | null} */ (list.querySelector("li[data-seq]"));
      const before = first ? Number(first.dataset.seq) : lastShownSeq() + 1;
      button.disabled = true;
      error.hidden = true;
      try {
        const response = await fetch(
          `/api/v1/negotiations/${t.negotiationId}/messages?before_seq=${before}&limit=${OLDER_PAGE}`,
          { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`older messages: HTTP ${response.status}`);
        const page = await response.json();
        // Measured from the bottom: what was on screen stays put as the list grows upwards.
        const fromBottom = list.scrollHeight - list.scrollTop;
        for (const message of page.items ?? []) addMessage(message, { history: true });
        list.scrollTop = list.scrollHeight - fromBottom;
        if (page.next_cursor === null) {
          // The thread's first message is shown. Same line, same height: the list must not
          // move under the viewer's eyes.
          older.style.minHeight = `${older.offsetHeight}px`;
          const start = document.createElement("span");
          start.className = "hint";
          start.textContent = older.dataset.start ?? "";
          older.replaceChildren(start);
          return;
        }
      } catch {
        error.textContent = older.dataset.error ?? "";
        error.hidden = false;
      }
      button.disabled = false;
    });
  }

  input.addEventListener("input", () => {
    const now = Date.now();
    if (rt.state !== "open" || now - lastTypingSignal < TYPING_SIGNAL_EVERY_MS) return;
    lastTypingSignal = now;
    rt.request(topic, "typing", {}).catch(() => {});
  });
}
