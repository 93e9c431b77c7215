// Browser-to-browser video for a matchmaking meeting. The server relays only the signalling:
// each side joins its own inbox topic `meeting-rtc:{id}.{side}`; what it sends on
// `meeting:{id}` (rtc.hello / rtc.offer / rtc.answer / rtc.ice) reaches the other side's inbox.
//
// Roles avoid offer collisions: the buyer always makes the offer; the supplier asks for one
// with `rtc.hello` (when it arrives, or after a reload). Audio and video transceivers exist from
// the start, so turning the camera on or off swaps tracks without renegotiating.

/**
 * @typedef {object} CallOptions
 * @property {import("/static/js/realtime.js").RealtimeClient} rt
 * @property {string} meetingId
 * @property {"buyer" | "supplier"} side
 * @property {RTCIceServer[]} iceServers   empty: host candidates only (same network)
 * @property {HTMLVideoElement} local
 * @property {HTMLVideoElement} remote
 */

export class VideoCall {
  /** @param {CallOptions} options */
  constructor(options) {
    this.o = options;
    this.room = `meeting:${options.meetingId}`;
    /** @type {RTCPeerConnection | null} */
    this.pc = null;
    /** @type {MediaStream | null} */
    this.stream = null;
    this.peer = Math.random().toString(36).slice(2, 10);
  }

  /** Join this side's signalling inbox and find the other side. */
  async connect() {
    if (typeof RTCPeerConnection === "undefined") return;
    await this.o.rt.join(`meeting-rtc:${this.o.meetingId}.${this.o.side}`, {
      onEvent: (payload) => { this.onSignal(payload.event, payload.data).catch(() => {}); },
    });
    if (this.o.side === "buyer") await this.offer();
    else await this.send("rtc.hello", {});
  }

  /** @param {string} type @param {Record<string, any>} payload */
  async send(type, payload) {
    await this.o.rt.request(this.room, type, { ...payload, peer: this.peer }).catch(() => {});
  }

  /** A fresh connection, with both transceivers and the camera's tracks if it is on. */
  fresh() {
    if (this.pc) this.pc.close();
    const pc = new RTCPeerConnection({ iceServers: this.o.iceServers });
    pc.onicecandidate = (e) => { if (e.candidate) this.send("rtc.ice", { candidate: e.candidate.toJSON() }); };
    pc.ontrack = (e) => {
      const [stream] = e.streams;
      this.o.remote.srcObject = stream || new MediaStream([e.track]);
    };
    this.pc = pc;
    return pc;
  }

  async offer() {
    const pc = this.fresh();
    for (const kind of ["audio", "video"]) pc.addTransceiver(kind, { direction: "sendrecv" });
    await this.attachTracks();
    await pc.setLocalDescription(await pc.createOffer());
    await this.send("rtc.offer", { sdp: pc.localDescription?.sdp || "" });
  }

  /** @param {string} event @param {Record<string, any>} data */
  async onSignal(event, data) {
    if (event === "rtc.hello" && this.o.side === "buyer") {
      await this.offer();
    } else if (event === "rtc.offer" && this.o.side === "supplier") {
      const pc = this.fresh();
      await pc.setRemoteDescription({ type: "offer", sdp: data.sdp });
      for (const t of pc.getTransceivers()) t.direction = "sendrecv";
      await this.attachTracks();
      await pc.setLocalDescription(await pc.createAnswer());
      await this.send("rtc.answer", { sdp: pc.localDescription?.sdp || "" });
    } else if (event === "rtc.answer" && this.pc && this.pc.signalingState === "have-local-offer") {
      await this.pc.setRemoteDescription({ type: "answer", sdp: data.sdp });
    } else if (event === "rtc.ice" && this.pc && this.pc.remoteDescription) {
      await this.pc.addIceCandidate(data.candidate).catch(() => {});
    }
  }

  /** Put the camera's tracks (or none) on the senders. */
  async attachTracks() {
    if (!this.pc) return;
    for (const t of this.pc.getTransceivers()) {
      const kind = t.receiver.track.kind;
      const track = this.stream?.getTracks().find((x) => x.kind === kind) || null;
      await t.sender.replaceTrack(track);
    }
  }

  /** Turn the camera (and microphone) on; rejects if the browser refuses. */
  async cameraOn() {
    this.stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    this.o.local.srcObject = this.stream;
    await this.attachTracks();
  }

  async cameraOff() {
    for (const track of this.stream?.getTracks() || []) track.stop();
    this.stream = null;
    this.o.local.srcObject = null;
    await this.attachTracks();
  }
}
