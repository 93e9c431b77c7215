// The organizer's matchmaking admin page (frontend/templates/matchmaking/admin.html) runs the
// scheduler without leaving the page. "Run scheduler" posts its form in the background and
// shows the panel the server answers with (the job queued, or the refusal in the viewer's
// language). Progress comes live from `schedule.progress` events on matchmaking:{id}; while
// the socket is down the job is polled instead (GET .../schedule-jobs/{id}). When the job is
// done or failed, the schedule and meetings panels are fetched as the server renders them
// (/matchmaking/{id}/admin/parts) and swapped in, so one template formats them.
// Without this script the page still works: the form posts and the page reloads.

import { getClient } from "./realtime.js";

/** How often the job is polled while the socket is down, and (as a safety net) while up. */
const POLL_DOWN_MS = 1500;
const POLL_UP_MS = 5000;

const first = document.getElementById("schedule");
if (first?.dataset.sessionId) start(first.dataset.sessionId);

/** @param {string} sessionId */
function start(sessionId) {
  const rt = getClient();
  let joined = false;
  /** @type {number | null} */
  let timer = null;
  // Swaps run one after another, in the order they were asked for.
  let queue = Promise.resolve();

  /** @returns {HTMLElement | null} */
  const panel = () => document.getElementById("schedule");
  const jobId = () => panel()?.dataset.jobId ?? "";
  const active = () => Boolean(panel()?.dataset.jobActive);
  /** @returns {Record<string, string>} */
  const phases = () => JSON.parse(panel()?.dataset.phases || "{}");

  /**
   * Show a job's phase and progress (0..1) on the bar.
   * @param {string} phase
   * @param {number} progress
   */
  function showProgress(phase, progress) {
    const here = panel();
    if (!here) return;
    const box = /** @type {HTMLElement | null} */ (here.querySelector("[data-job-panel]"));
    if (box) box.hidden = false;
    const bar = /** @type {HTMLProgressElement | null} */ (here.querySelector("[data-job-bar]"));
    const percent = `${Math.round(progress * 100)} %`;
    if (bar) {
      bar.value = progress;
      bar.textContent = percent;
    }
    const label = here.querySelector("[data-job-phase]");
    if (label) label.textContent = phases()[phase] ?? phase;
    const number = here.querySelector("[data-job-percent]");
    if (number) number.textContent = percent;
  }

  /** @param {string} html a page or the parts fragment: its #admin-parts replaces ours */
  function swapParts(html) {
    const next = new DOMParser().parseFromString(html, "text/html").getElementById("admin-parts");
    const current = document.getElementById("admin-parts");
    if (!next || !current) throw new Error("admin parts: nothing to show");
    current.replaceWith(document.importNode(next, true));
    const meetings = document.getElementById("meetings");
    const stat = document.querySelector("[data-stat-meetings]");
    if (meetings && stat) stat.textContent = meetings.dataset.meetingCount ?? stat.textContent;
    schedulePoll();
  }

  function refreshParts() {
    queue = queue.then(async () => {
      const response = await fetch(panel()?.dataset.partsUrl ?? "", { headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(`admin parts: HTTP ${response.status}`);
      swapParts(await response.text());
    }).catch(() => { window.location.reload(); });
  }

  /** Ask for the job as it is now (when events may have been missed, or the socket is down). */
  async function poll() {
    const id = jobId();
    if (!id || !active()) return;
    const url = `${panel()?.dataset.jobUrl ?? ""}${id}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    if (job.status === "done" || job.status === "failed") refreshParts();
    else showProgress(job.phase, Number(job.progress));
  }

  function schedulePoll() {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
    if (!active()) return;
    const live = joined && rt.state === "open";
    timer = window.setTimeout(() => {
      poll().catch(() => {}).finally(schedulePoll);
    }, live ? POLL_UP_MS : POLL_DOWN_MS);
  }

  // "Run scheduler": post in the background, then show what the server answered.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-run-form]")) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button instanceof HTMLButtonElement) button.disabled = true;
    queue = queue.then(async () => {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form), headers: { Accept: "text/html" },
      });
      swapParts(await response.text());
      await poll(); // a job may have moved on before the page joined its events
    }).catch(() => { window.location.reload(); });
  });

  rt.addEventListener("statechange", () => schedulePoll());
  rt.join(`matchmaking:${sessionId}`, {
    onEvent(payload) {
      const data = payload.data ?? {};
      if (payload.event === "schedule.progress" && String(data.job_id) === jobId()) {
        showProgress(String(data.phase), Number(data.progress));
      } else if (payload.event === "schedule.done" || payload.event === "schedule.failed") {
        refreshParts();
      }
    },
    onJoined() {
      joined = true;
      poll().catch(() => {});
      schedulePoll();
    },
    onError() {
      joined = false;
      schedulePoll();
    },
  }).catch(() => {
    joined = false;
    schedulePoll();
  });
  schedulePoll();
}
