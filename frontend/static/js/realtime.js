// The one realtime client for every live page: one WebSocket per tab at /ws, many topics on it.
// Protocol reference: docs/realtime.md. No dependencies, no build step.
//
//   import { getClient } from "/static/js/realtime.js";
//   const rt = getClient();
//   rt.addEventListener("statechange", (e) => pill.textContent = e.detail.state);
//   await rt.join("negotiation:42", { onEvent, onPresence, onReset });
//   await rt.publish("negotiation:42", "publish", { text: "Hello" });
//   rt.send("livestream:5", "like", { count: 3 });   // an action without a reply
//
// Frames of a busy topic may come in one `batch` frame; each inside it reaches the page's
// handlers as if it had come alone.
//
// Several modules of one page may join the same topic (the page's own script and the
// notifications in every page's header both listen to `user:{id}`): the socket joins it once,
// and each listener gets every event after the seq it asked for (its `lastSeq`, or from now).
// `leave(topic, handlers)` removes one listener; the socket leaves with the last one.

/** @typedef {"connecting" | "open" | "reconnecting" | "closed"} ConnectionState */

/**
 * @typedef {object} Frame
 * @property {string} type
 * @property {string | null} [topic]
 * @property {string | null} [ref]
 * @property {Record<string, any>} [payload]
 */

/** @typedef {{ user_id: number, name: string }} Member */

/**
 * @typedef {object} EventMeta
 * @property {string} topic
 * @property {boolean} replayed  true for an event the server replayed after a (re)join
 */

/**
 * @typedef {object} JoinOptions  what a page hands to `join`: its callbacks, and where it is
 * @property {(payload: {event: string, data: any, seq?: number}, meta: EventMeta) => void} [onEvent]
 * @property {(members: Member[], diff: {joins: Member[], leaves: Member[]}) => void} [onPresence]
 *   called with everyone present after each join and after each change
 * @property {(payload: Record<string, any>, info: {rejoin: boolean}) => void} [onJoined]
 * @property {(payload: Record<string, any>) => void} [onReset]
 *   the server no longer has what we missed: drop local state and reload it over REST
 * @property {(error: RealtimeError) => void} [onError]  a rejoin was refused; the topic is gone
 * @property {number} [lastSeq]  durable topics: the seq the page already has (e.g. the last
 *   message it loaded over REST), so the join replays whatever came after it. Without it a
 *   first join starts live from now.
 */

/**
 * @typedef {object} ClientOptions
 * @property {string} [url]                default: /ws on this page's host
 * @property {number} [requestTimeoutMs]   how long a request waits for its reply
 * @property {number} [pingIntervalMs]     the server closes sockets silent for 75 s
 * @property {number} [minBackoffMs]
 * @property {number} [maxBackoffMs]
 * @property {number} [failuresBeforeCap]  handshakes failing in a row before waiting the cap
 */

/** Close codes after which reconnecting would only repeat the offence. */
const CLOSE_POLICY_VIOLATION = 1008;
/** The code this client closes with when asked to drop the connection (4000-4999: private). */
const CLOSE_DROPPED = 4000;
/** A connection that stayed up this long counts as healthy: the backoff starts again. */
const STABLE_AFTER_MS = 10_000;

/** An error with a stable `.code`: the server's error code, or "timeout" / "disconnected". */
export class RealtimeError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "RealtimeError";
    this.code = code;
  }
}

/** A random id for client_msg_id; randomUUID exists only in secure contexts (https, localhost). */
export function newId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** @returns {string} */
function defaultUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

/**
 * @typedef {object} Listener  one `join` of a topic by a module of the page
 * @property {JoinOptions} handlers
 * @property {number | null} since        the highest seq this listener has (durable topics)
 * @property {boolean} attached           its `since` is settled against the membership's
 * @property {{resolve: (p: any) => void, reject: (e: RealtimeError) => void} | null} firstJoin
 */

/**
 * @typedef {object} TopicEntry  the socket's membership of a topic, shared by its listeners
 * @property {Listener[]} listeners
 * @property {number | null} lastSeq      highest seq processed (durable topics), sent on rejoin
 * @property {number} replayUntil         seqs up to this one are replays of the current join
 * @property {boolean} durable            the last `joined` said so (it carried a last_seq)
 * @property {boolean} joining            a join is in flight on the current socket
 * @property {boolean} joined             joined on the current socket
 * @property {Record<string, any> | null} joinedPayload  the last `joined`, for late listeners
 * @property {Map<number, Member>} members
 * @property {Array<{resolve: () => void, reject: (e: RealtimeError) => void}>} waiters
 */

/**
 * One WebSocket, many topics. Dispatches "statechange" events whose detail is
 * `{state, previous, failures, nextAttemptAt}`, and "servererror" events for `error` frames
 * that answer no request of ours (detail: the frame).
 */
export class RealtimeClient extends EventTarget {
  /** @param {ClientOptions} [options] */
  constructor(options = {}) {
    super();
    this.url = options.url ?? defaultUrl();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.minBackoffMs = options.minBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.failuresBeforeCap = options.failuresBeforeCap ?? 3;

    /** @type {ConnectionState} */
    this.state = "connecting";
    /** How many times the socket came back after having been open. */
    this.reconnects = 0;
    /** Handshakes in a row that failed before "open" (a 403 looks like this: close 1006). */
    this.failures = 0;
    /** @type {number | null} when the next connection attempt is due (ms since epoch) */
    this.nextAttemptAt = null;

    /** @type {WebSocket | null} */
    this._ws = null;
    /** @type {Map<string, TopicEntry>} */
    this._topics = new Map();
    /** @type {Map<string, {resolve: (p: any) => void, reject: (e: RealtimeError) => void, timer: number, onReply?: (f: Frame) => void}>} */
    this._pending = new Map();
    this._nextRef = 0;
    this._attempt = 0;
    this._openedAt = 0;
    this._everOpened = false;
    this._stopped = false;
    this._holdUntil = 0;
    /** @type {number | undefined} */
    this._retryTimer = undefined;
    /** @type {number | undefined} */
    this._pingTimer = undefined;

    // Coming back online is the best moment to retry; no need to wait out the backoff.
    window.addEventListener("online", () => {
      if (this.state === "reconnecting" && Date.now() >= this._holdUntil) this.reconnectNow();
    });
    this._connect();
  }

  // --- topics --------------------------------------------------------------------------------

  /**
   * Join a topic; it is re-joined (with its last seq) after every reconnect until `leave`.
   * Joining a topic the page already joined adds a listener to the same membership.
   * @param {string} topic
   * @param {JoinOptions} [handlers]
   * @returns {Promise<Record<string, any>>} the first `joined` payload
   */
  join(topic, handlers = {}) {
    if (this._stopped) {
      return Promise.reject(new RealtimeError("closed", "The connection was closed."));
    }
    return new Promise((resolve, reject) => {
      /** @type {Listener} */
      const listener = {
        handlers, since: handlers.lastSeq ?? null, attached: false, firstJoin: { resolve, reject },
      };
      let entry = this._topics.get(topic);
      if (!entry) {
        entry = {
          listeners: [], lastSeq: null, replayUntil: 0, durable: false, joining: false,
          joined: false, joinedPayload: null, members: new Map(), waiters: [],
        };
        this._topics.set(topic, entry);
      }
      entry.listeners.push(listener);
      if (entry.joined) {
        // Settled after the caller has its promise, as a first join would be.
        const joined = entry;
        queueMicrotask(() => this._attachLate(topic, joined, listener));
      } else if (!entry.joining && listener.since !== null) {
        // The join is not sent yet: ask it to replay from the oldest seq any listener has.
        entry.lastSeq = entry.lastSeq === null ? listener.since : Math.min(entry.lastSeq, listener.since);
      }
      if (this.state === "open" && !entry.joined && !entry.joining) this._sendJoin(topic, entry);
    });
  }

  /**
   * Stop listening: with `handlers` (the object given to `join`), only that listener; the
   * socket leaves the topic when no listener is left, or at once without `handlers`.
   * @param {string} topic
   * @param {JoinOptions} [handlers]
   * @returns {Promise<void>}
   */
  async leave(topic, handlers) {
    const entry = this._topics.get(topic);
    if (!entry) return;
    if (handlers) {
      entry.listeners = entry.listeners.filter((l) => l.handlers !== handlers);
      if (entry.listeners.length) return;
    }
    this._topics.delete(topic);
    this._rejectWaiters(entry, new RealtimeError("not_joined", `Left ${topic}.`));
    if (entry.joined && this.state === "open") {
      await this._request({ type: "leave", topic, payload: {} }).catch(() => {});
    }
  }

  /**
   * The highest seq processed on a durable topic (null before the first join).
   * @param {string} topic
   */
  lastSeq(topic) {
    return this._topics.get(topic)?.lastSeq ?? null;
  }

  // --- actions -------------------------------------------------------------------------------

  /**
   * Send an action and wait for its reply. Rejects with a RealtimeError: the server's code,
   * "timeout", or "disconnected" (the socket went away before the reply).
   * @param {string} topic
   * @param {string} type
   * @param {Record<string, any>} [payload]
   * @returns {Promise<Record<string, any>>}
   */
  async request(topic, type, payload = {}) {
    if (this.state !== "open") {
      throw new RealtimeError("disconnected", "Not connected.");
    }
    // Right after a reconnect the rejoin may still be in flight; the server refuses actions on
    // topics this socket has not joined, so wait for it (bounded by the request timeout).
    const entry = this._topics.get(topic);
    if (entry && !entry.joined) await this._whenJoined(topic, this.requestTimeoutMs);
    return this._request({ type, topic, payload });
  }

  /**
   * A durable action with at-least-once delivery: it carries a client_msg_id, and if the first
   * try got no reply (disconnect, timeout) it is sent once more with the same id after the
   * topic is re-joined. The server stores it once either way and replies with its seq.
   * @param {string} topic
   * @param {string} type
   * @param {Record<string, any>} [payload]
   * @returns {Promise<Record<string, any>>}
   */
  async publish(topic, type, payload = {}) {
    const frame = { ...payload, client_msg_id: newId() };
    try {
      return await this.request(topic, type, frame);
    } catch (error) {
      const code = error instanceof RealtimeError ? error.code : "";
      if (code !== "disconnected" && code !== "timeout") throw error;
      await this._whenJoined(topic, null);
      return this.request(topic, type, frame);
    }
  }

  /**
   * Send an action that gets no reply (a livestream's `like`): fire and forget. Returns false,
   * having sent nothing, unless the topic is joined on an open socket. The server's refusal, if
   * any, arrives as a "servererror" event (its frame has no ref).
   * @param {string} topic
   * @param {string} type
   * @param {Record<string, any>} [payload]
   * @returns {boolean}
   */
  send(topic, type, payload = {}) {
    const entry = this._topics.get(topic);
    if (!this._ws || this.state !== "open" || !entry?.joined) return false;
    this._ws.send(JSON.stringify({ type, topic, payload }));
    return true;
  }

  // --- connection control --------------------------------------------------------------------

  /**
   * Cut the connection as a network failure would, then reconnect as usual. `holdMs` keeps
   * it down at least that long (Infinity: until `reconnectNow`), so a person can watch a
   * resume happen; the diagnostic page uses it.
   * @param {{holdMs?: number}} [options]
   */
  drop({ holdMs = 0 } = {}) {
    this._holdUntil = Date.now() + holdMs;
    if (this._ws) this._lost(CLOSE_DROPPED, "dropped on request");
  }

  /** Reconnect without waiting for the backoff (or a hold) to run out. */
  reconnectNow() {
    if (this._stopped || this.state === "open" || this._ws) return;
    this._holdUntil = 0;
    clearTimeout(this._retryTimer);
    this._connect();
  }

  /** Close for good: no reconnect; pending requests and joins are rejected. */
  close() {
    this._stopped = true;
    clearTimeout(this._retryTimer);
    if (this._ws) this._lost(1000, "closed by the page");
    this._setState("closed");
    for (const entry of this._topics.values()) {
      for (const listener of entry.listeners) {
        listener.firstJoin?.reject(new RealtimeError("closed", "The connection was closed."));
      }
      this._rejectWaiters(entry, new RealtimeError("closed", "The connection was closed."));
    }
    this._topics.clear();
  }

  // --- internals: the socket ------------------------------------------------------------------

  _connect() {
    this.nextAttemptAt = null;
    this._setState(this._everOpened ? "reconnecting" : "connecting");
    const ws = new WebSocket(this.url);
    this._ws = ws;
    ws.onopen = () => this._onOpen();
    ws.onmessage = (message) => this._onMessage(message.data);
    // An error is always followed by close; close is where we decide what to do next.
    ws.onclose = (event) => {
      if (this._ws === ws) this._lost(event.code, event.reason);
    };
  }

  _onOpen() {
    if (this._everOpened) this.reconnects += 1;
    this._everOpened = true;
    this._openedAt = Date.now();
    this.failures = 0;
    this._setState("open");
    this._pingTimer = setInterval(() => this._ping(), this.pingIntervalMs);
    for (const [topic, entry] of this._topics) this._sendJoin(topic, entry);
  }

  /**
   * The socket is gone (closed by either side, or declared dead): clean up and decide whether
   * and when to try again.
   * @param {number} code
   * @param {string} reason
   */
  _lost(code, reason) {
    const ws = this._ws;
    const wasOpen = this.state === "open";
    this._ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      // A dead peer may never finish a close handshake; we do not wait for it.
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) {
        try { ws.close(code >= 4000 || code === 1000 ? code : 1000, reason); } catch { /* gone */ }
      }
    }
    clearInterval(this._pingTimer);
    for (const [ref, pending] of this._pending) {
      clearTimeout(pending.timer);
      pending.reject(new RealtimeError("disconnected", "The connection was lost."));
      this._pending.delete(ref);
    }
    for (const entry of this._topics.values()) {
      entry.joined = false;
      entry.joining = false;
      // Presence was only true while we were there; the next `joined` says who is back.
      entry.members.clear();
    }
    if (this._stopped) return;
    if (code === CLOSE_POLICY_VIOLATION) {
      // The server cut us off for abuse (rate limits): retrying would repeat it.
      this._stopped = true;
      this._setState("closed");
      return;
    }
    if (wasOpen) {
      if (Date.now() - this._openedAt >= STABLE_AFTER_MS) this._attempt = 0;
    } else {
      this.failures += 1;
    }
    this._scheduleReconnect();
  }

  _scheduleReconnect() {
    let delay;
    if (this.failures >= this.failuresBeforeCap) {
      // The handshake keeps failing (signed out, server down): wait the longest, not hammer.
      delay = this.maxBackoffMs * (0.8 + 0.2 * Math.random());
    } else {
      // Exponential with "equal jitter": half fixed, half random, so tabs that lost the same
      // server do not all come back in the same instant.
      const ceiling = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this._attempt);
      delay = ceiling / 2 + Math.random() * (ceiling / 2);
      this._attempt += 1;
    }
    const holdLeft = this._holdUntil - Date.now();
    if (holdLeft === Infinity) {
      this.nextAttemptAt = null;
      this._setState("reconnecting");
      return; // held until reconnectNow()
    }
    delay = Math.max(delay, holdLeft);
    this.nextAttemptAt = Date.now() + delay;
    this._setState("reconnecting");
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => this._connect(), delay);
  }

  async _ping() {
    try {
      await this._request({ type: "ping", topic: null, payload: {} });
    } catch (error) {
      // No pong in time: the network died without a close frame. Treat it as lost.
      if (error instanceof RealtimeError && error.code === "timeout" && this._ws) {
        this._lost(1000, "no pong");
      }
    }
  }

  /** @param {ConnectionState} state */
  _setState(state) {
    const previous = this.state;
    this.state = state;
    this.dispatchEvent(new CustomEvent("statechange", {
      detail: { state, previous, failures: this.failures, nextAttemptAt: this.nextAttemptAt },
    }));
  }

  // --- internals: frames ----------------------------------------------------------------------

  /**
   * Send a frame with a fresh ref and wait for the frame that answers it.
   * @param {Frame} frame
   * @param {(f: Frame) => void} [onReply]  runs synchronously on the answer, before any later
   *   frame is handled (a `joined` must be applied before the replayed events behind it)
   * @returns {Promise<Record<string, any>>}
   */
  _request(frame, onReply) {
    const ws = this._ws;
    if (!ws || this.state !== "open") {
      return Promise.reject(new RealtimeError("disconnected", "Not connected."));
    }
    const ref = String(++this._nextRef);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(ref);
        reject(new RealtimeError("timeout", "No answer from the server in time."));
      }, this.requestTimeoutMs);
      this._pending.set(ref, { resolve, reject, timer, onReply });
      ws.send(JSON.stringify({ ...frame, ref }));
    });
  }

  /** @param {string} text */
  _onMessage(text) {
    /** @type {Frame} */
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // the server only sends JSON; anything else is not for us
    }
    if (frame.type === "batch") {
      // Several frames of one topic sent together (busy rooms, docs/realtime.md "Batching"):
      // each is handled exactly as if it had arrived alone, in order.
      const inner = /** @type {{frames?: unknown}} */ (frame).frames;
      for (const each of Array.isArray(inner) ? inner : []) {
        if (each && typeof each === "object") this._onFrame(/** @type {Frame} */ (each));
      }
      return;
    }
    this._onFrame(frame);
  }

  /** @param {Frame} frame */
  _onFrame(frame) {
    const payload = frame.payload ?? {};
    if (frame.ref != null && this._pending.has(frame.ref)) {
      const pending = this._pending.get(frame.ref);
      this._pending.delete(frame.ref);
      clearTimeout(pending.timer);
      if (frame.type === "error") {
        pending.reject(new RealtimeError(payload.code ?? "error", payload.message ?? ""));
      } else {
        pending.onReply?.(frame);
        pending.resolve(payload);
      }
      return;
    }
    if (frame.type === "error") {
      // Errors without a ref of ours (rate_limited, invalid_frame): tell whoever listens.
      this.dispatchEvent(new CustomEvent("servererror", { detail: frame }));
      return;
    }
    const entry = frame.topic ? this._topics.get(frame.topic) : undefined;
    if (!entry || !frame.topic) return; // e.g. an event that raced our leave
    if (frame.type === "event") this._onEvent(frame.topic, entry, payload);
    else if (frame.type === "presence") this._onPresence(entry, payload);
    // A `joined` whose request already timed out: the server did join us, so take it.
    else if (frame.type === "joined" && !entry.joined) this._onJoined(frame.topic, entry, payload);
  }

  /**
   * @param {string} topic
   * @param {TopicEntry} entry
   * @param {Record<string, any>} payload
   */
  _onEvent(topic, entry, payload) {
    const seq = payload.seq;
    if (typeof seq === "number") {
      // The server sends each seq once; this guards against a replay overlapping live events
      // after a bug or a race anywhere between here and the database.
      if (entry.lastSeq !== null && seq <= entry.lastSeq) return;
      entry.lastSeq = seq;
    }
    const replayed = typeof seq === "number" && seq <= entry.replayUntil;
    for (const listener of [...entry.listeners]) {
      if (!listener.attached) continue;
      if (typeof seq === "number") {
        // A listener that joined later may already have this one (it loaded it over REST).
        if (listener.since !== null && seq <= listener.since) continue;
        listener.since = seq;
      }
      safely(() => listener.handlers.onEvent?.(/** @type {any} */ (payload), { topic, replayed }));
    }
  }

  /**
   * @param {TopicEntry} entry
   * @param {Record<string, any>} payload
   */
  _onPresence(entry, payload) {
    const joins = Array.isArray(payload.joins) ? payload.joins : [];
    const leaves = Array.isArray(payload.leaves) ? payload.leaves : [];
    for (const member of leaves) entry.members.delete(member.user_id);
    for (const member of joins) entry.members.set(member.user_id, member);
    const members = [...entry.members.values()];
    for (const listener of [...entry.listeners]) {
      if (listener.attached) safely(() => listener.handlers.onPresence?.(members, { joins, leaves }));
    }
  }

  /**
   * @param {string} topic
   * @param {TopicEntry} entry
   */
  _sendJoin(topic, entry) {
    const payload = entry.lastSeq !== null ? { last_seq: entry.lastSeq } : {};
    const onJoined = (/** @type {Frame} */ frame) => this._onJoined(topic, entry, frame.payload ?? {});
    entry.joining = true;
    this._request({ type: "join", topic, payload }, onJoined)
      .catch((error) => this._onJoinFailed(topic, entry, error));
  }

  /**
   * @param {string} topic
   * @param {TopicEntry} entry
   * @param {Record<string, any>} payload
   */
  _onJoined(topic, entry, payload) {
    if (this._topics.get(topic) !== entry) return; // left while the join was in flight
    entry.joined = true;
    entry.joining = false;
    entry.joinedPayload = payload;
    entry.durable = typeof payload.last_seq === "number";
    if (entry.durable) {
      // Durable: events after replay_from follow, replayed up to last_seq, then live.
      entry.replayUntil = payload.last_seq;
      entry.lastSeq = payload.replay_from;
    }
    const present = Array.isArray(payload.presence) ? payload.presence : [];
    entry.members = new Map(present.map((m) => [m.user_id, m]));
    for (const listener of [...entry.listeners]) {
      const rejoin = listener.attached;
      if (entry.durable && payload.reset && (rejoin || listener.since !== null)) {
        listener.attached = true;
        listener.since = entry.lastSeq;
        safely(() => listener.handlers.onReset?.(payload));
      } else if (!rejoin) {
        this._settle(entry, listener, payload);
      }
      this._greet(entry, listener, payload, rejoin);
    }
    for (const waiter of entry.waiters.splice(0)) waiter.resolve();
  }

  /**
   * A listener added after its topic was joined: it starts from where the membership is.
   * @param {string} topic
   * @param {TopicEntry} entry
   * @param {Listener} listener
   */
  _attachLate(topic, entry, listener) {
    if (this._topics.get(topic) !== entry || !entry.listeners.includes(listener)) return;
    if (listener.attached || !entry.joined || !entry.joinedPayload) return; // _onJoined did it
    this._settle(entry, listener, entry.joinedPayload);
    this._greet(entry, listener, entry.joinedPayload, false);
  }

  /**
   * Settle a new listener's position: from now when it asked for none; its own seq when the
   * membership replays from there or before; else it missed events the socket already had,
   * and reloads them over REST as after a reset.
   * @param {TopicEntry} entry
   * @param {Listener} listener
   * @param {Record<string, any>} payload
   */
  _settle(entry, listener, payload) {
    listener.attached = true;
    if (!entry.durable || entry.lastSeq === null) return;
    if (listener.since === null) {
      listener.since = Math.max(entry.lastSeq, entry.replayUntil);
    } else if (listener.since < entry.lastSeq) {
      listener.since = entry.lastSeq;
      const reset = { ...payload, reset: true, replay_from: entry.lastSeq };
      safely(() => listener.handlers.onReset?.(reset));
    }
  }

  /**
   * @param {TopicEntry} entry
   * @param {Listener} listener
   * @param {Record<string, any>} payload
   * @param {boolean} rejoin
   */
  _greet(entry, listener, payload, rejoin) {
    const members = [...entry.members.values()];
    safely(() => listener.handlers.onPresence?.(members, { joins: members, leaves: [] }));
    safely(() => listener.handlers.onJoined?.(payload, { rejoin }));
    listener.firstJoin?.resolve(payload);
    listener.firstJoin = null;
  }

  /**
   * @param {string} topic
   * @param {TopicEntry} entry
   * @param {unknown} error
   */
  _onJoinFailed(topic, entry, error) {
    if (!(error instanceof RealtimeError) || this._topics.get(topic) !== entry) return;
    entry.joining = false;
    // Lost connection or timeout: the next open re-joins. A broker hiccup: try again shortly.
    // already_joined: a retried join raced a late `joined`, which is handled on arrival.
    if (error.code === "disconnected" || error.code === "already_joined") return;
    if (error.code === "timeout" || error.code === "realtime_unavailable") {
      setTimeout(() => {
        if (this._topics.get(topic) === entry && !entry.joined && !entry.joining
            && this.state === "open") {
          this._sendJoin(topic, entry);
        }
      }, this.minBackoffMs * (1 + Math.random()));
      return;
    }
    // Refused (topic_not_found, forbidden...): the page decides what to tell the person.
    this._topics.delete(topic);
    this._rejectWaiters(entry, error);
    for (const listener of entry.listeners) {
      if (listener.firstJoin) listener.firstJoin.reject(error);
      else safely(() => listener.handlers.onError?.(error));
    }
  }

  /**
   * Resolves once `topic` is joined on an open socket; `timeoutMs` null waits for as long as
   * the client keeps trying.
   * @param {string} topic
   * @param {number | null} timeoutMs
   * @returns {Promise<void>}
   */
  _whenJoined(topic, timeoutMs) {
    const entry = this._topics.get(topic);
    if (!entry) return Promise.reject(new RealtimeError("not_joined", `Join ${topic} first.`));
    if (entry.joined && this.state === "open") return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer;
      const waiter = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (/** @type {RealtimeError} */ e) => { clearTimeout(timer); reject(e); },
      };
      entry.waiters.push(waiter);
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          const index = entry.waiters.indexOf(waiter);
          if (index >= 0) entry.waiters.splice(index, 1);
          reject(new RealtimeError("timeout", `Could not join ${topic} in time.`));
        }, timeoutMs);
      }
    });
  }

  /**
   * @param {TopicEntry} entry
   * @param {RealtimeError} error
   */
  _rejectWaiters(entry, error) {
    for (const waiter of entry.waiters.splice(0)) waiter.reject(error);
  }
}

/**
 * A page's handler must not break the socket loop for every other topic.
 * @param {() => void} fn
 */
function safely(fn) {
  try {
    fn();
  } catch (error) {
    console.error("realtime handler failed", error);
  }
}

/** @type {RealtimeClient | null} */
let shared = null;

/**
 * The tab's one client (one WebSocket per tab, shared by every module on the page).
 * @param {ClientOptions} [options]  used only by the first call
 * @returns {RealtimeClient}
 */
export function getClient(options) {
  shared ??= new RealtimeClient(options);
  return shared;
}
