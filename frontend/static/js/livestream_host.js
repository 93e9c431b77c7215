// The room's controls for its hosts (the booth's members: pin, flash offers) and moderators
// (hosts and the event's organizer: delete a line, mute its author, slow mode). Each button
// calls the API; what it changes comes back to every viewer as an event on the topic.
import { fill, refusal } from "/static/js/livestream_api.js";

const MUTE_CHOICES = [5, 15, 60, 24 * 60];

/**
 * @param {object} room
 * @param {string} room.id
 * @param {string} room.userId
 * @param {boolean} room.host
 * @param {Record<string, any>} room.words
 * @param {import("/static/js/livestream_api.js").Formats} room.fmt
 * @param {(method: string, path: string, body?: Record<string, any>) => Promise<any>} room.api
 * @param {import("/static/js/livestream_chat.js").Chat} room.chat
 * @param {import("/static/js/livestream_sales.js").Sales} room.sales
 */
export function startHost(room) {
  const { api, words, fmt } = room;
  const status = document.getElementById("ls-host-status");
  /** @param {string} text @param {boolean} [failed] */
  const say = (text, failed = false) => {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error-text", failed);
  };
  /** Run an API call from a button, saying how it went. */
  const act = async (/** @type {HTMLButtonElement | HTMLSelectElement | null} */ control,
    /** @type {() => Promise<string>} */ run) => {
    if (control) control.disabled = true;
    try {
      say(await run());
    } catch (failure) {
      say(refusal(words, failure), true);
    } finally {
      if (control) control.disabled = false;
    }
  };

  // Chat lines: delete, and mute their author for a while.
  room.chat.decorate = (line) => decorate(line, room);
  for (const line of document.querySelectorAll("#ls-messages > li")) decorate(/** @type {HTMLElement} */ (line), room);
  document.getElementById("ls-messages")?.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button[data-action]");
    if (!(button instanceof HTMLButtonElement)) return;
    const line = /** @type {HTMLElement} */ (button.closest("li[data-id]"));
    if (button.dataset.action === "delete") {
      act(button, async () => {
        await api("DELETE", `/livestreams/${room.id}/chat/${line.dataset.id}`);
        room.chat.remove(Number(line.dataset.id));
        return words.deleted;
      });
    } else if (button.dataset.action === "mute") {
      const minutes = /** @type {HTMLSelectElement} */ (line.querySelector("select")).value;
      act(button, async () => {
        const mute = await api("POST", `/livestreams/${room.id}/mutes`, {
          user_id: Number(line.dataset.userId), minutes: Number(minutes),
        });
        return fill(words.muted, { name: line.dataset.name ?? "", time: fmt.time(mute.until) });
      });
    }
  });

  const slow = /** @type {HTMLSelectElement | null} */ (document.getElementById("ls-slow-mode"));
  slow?.addEventListener("change", () => act(slow, async () => {
    const seconds = Number(slow.value);
    await api("PUT", `/livestreams/${room.id}/slow-mode`, { seconds });
    return seconds ? fill(words.slowMode, { n: seconds }) : words.slowModeOff;
  }));

  if (!room.host) return;

  const product = /** @type {HTMLSelectElement | null} */ (document.getElementById("ls-pin-product"));
  const pin = /** @type {HTMLButtonElement | null} */ (document.getElementById("ls-pin"));
  pin?.addEventListener("click", () => act(pin, async () => {
    const card = await api("PUT", `/livestreams/${room.id}/pin`, { product_id: Number(product?.value) });
    room.sales.pin(card);
    return fill(words.pinnedDone, { name: product?.selectedOptions[0]?.textContent ?? "" });
  }));
  const unpin = /** @type {HTMLButtonElement | null} */ (document.getElementById("ls-unpin"));
  unpin?.addEventListener("click", () => act(unpin, async () => {
    await api("DELETE", `/livestreams/${room.id}/pin`);
    room.sales.pin(null);
    return words.unpinnedDone;
  }));

  const flash = /** @type {HTMLFormElement | null} */ (document.getElementById("ls-flash-form"));
  if (flash) wireFlashForm(flash, room, act);

  document.getElementById("ls-offers")?.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest(".ls-offer-close");
    if (!(button instanceof HTMLButtonElement)) return;
    const li = /** @type {HTMLElement} */ (button.closest("li[data-offer-id]"));
    act(button, async () => {
      const closed = await api("POST", `/flash-offers/${li.dataset.offerId}/close`);
      room.sales.update(closed);
      return words.offerClosedDone;
    });
  });
}

/**
 * @param {HTMLFormElement} form
 * @param {Parameters<typeof startHost>[0]} room
 * @param {(control: HTMLButtonElement | null, run: () => Promise<string>) => Promise<void>} act
 */
function wireFlashForm(form, room, act) {
  const field = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  const product = /** @type {HTMLSelectElement} */ (form.elements.namedItem("product_id"));
  const error = /** @type {HTMLElement} */ (document.getElementById("ls-flash-error"));
  // A product's own terms are the natural default for its offer.
  product.addEventListener("change", () => {
    const option = product.selectedOptions[0];
    if (option?.dataset.incoterm) field("incoterm").value = option.dataset.incoterm;
    if (option?.dataset.place) field("named_place").value = option.dataset.place;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    error.hidden = true;
    act(button, async () => {
      try {
        const offer = await room.api("POST", `/livestreams/${room.id}/flash-offers`, {
          product_id: Number(product.value),
          unit_price: field("unit_price").value.trim().replace(/,/g, ""),
          quantity: field("quantity").value.trim().replace(/,/g, ""),
          duration_minutes: Number(field("duration_minutes").value),
          incoterm: field("incoterm").value,
          named_place: field("named_place").value.trim(),
          deposit_percent: field("deposit_percent").value.trim(),
        });
        room.sales.publish(offer);
        field("unit_price").value = "";
        field("quantity").value = "";
        return room.words.offerPublished;
      } catch (failure) {
        error.textContent = refusal(room.words, failure);
        error.hidden = false;
        throw failure;
      }
    });
  });
}

/**
 * A moderator's buttons on one chat line: Delete on every line; Mute (for a choice of
 * minutes) on other viewers' lines, since the show's hosts cannot be muted.
 * @param {HTMLElement} line
 * @param {Parameters<typeof startHost>[0]} room
 */
function decorate(line, room) {
  if (line.querySelector(".ls-line-tools")) return;
  const { words } = room;
  const tools = document.createElement("span");
  tools.className = "ls-line-tools";
  const name = line.dataset.name ?? "";
  tools.append(toolButton("delete", words.delete, name));
  if (!line.dataset.host && line.dataset.userId && line.dataset.userId !== room.userId) {
    const minutes = document.createElement("select");
    minutes.setAttribute("aria-label", fill(words.muteFor, { name }));
    for (const value of MUTE_CHOICES) {
      const option = document.createElement("option");
      option.value = String(value);
      option.textContent = `${value} ${words.minutes}`;
      minutes.append(option);
    }
    tools.append(minutes, toolButton("mute", words.mute, name));
  }
  line.querySelector(".ls-line-meta")?.append(tools);
}

/** A line's small button, named with whose line it acts on ("Delete: Ana Ruiz").
 * @param {string} action @param {string} text @param {string} name */
function toolButton(action, text, name) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button-ghost button-small";
  button.dataset.action = action;
  button.textContent = text;
  button.setAttribute("aria-label", `${text}: ${name}`);
  return button;
}
