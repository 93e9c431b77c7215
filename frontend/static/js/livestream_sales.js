// The room's selling parts: the pinned product card (changed live by product.pinned), "Ask
// for a quote" on it, and the flash offers with their remaining quantity (flash.published,
// flash.updated) and "Claim". Both buttons land in the negotiation they open.
import { fill, refusal } from "/static/js/livestream_api.js";

/** Where the last quantity asked for a product is remembered, per browser. */
const quantityKey = (/** @type {string | number} */ productId) => `tradehall.livestream.quantity.${productId}`;

function remembered(productId) {
  try { return localStorage.getItem(quantityKey(productId)); } catch { return null; }
}

function remember(productId, quantity) {
  try { localStorage.setItem(quantityKey(productId), quantity); } catch { /* private mode */ }
}

/** @param {HTMLElement} el @param {boolean} on */
const show = (el, on) => { if (el) el.hidden = !on; };

export class Sales {
  /**
   * @param {object} room
   * @param {string} room.id
   * @param {string} room.boothId
   * @param {Record<string, any>} room.words
   * @param {import("/static/js/livestream_api.js").Formats} room.fmt
   * @param {(method: string, path: string, body?: Record<string, any>) => Promise<any>} room.api
   */
  constructor(room) {
    this.room = room;
    this.card = document.getElementById("ls-card");
    this.offers = document.getElementById("ls-offers");
    this.offersEmpty = document.getElementById("ls-offers-empty");
    this.template = /** @type {HTMLTemplateElement | null} */ (document.getElementById("ls-offer-template"));
    this.quoteForm = /** @type {HTMLFormElement | null} */ (document.getElementById("ls-quote-form"));
    if (this.quoteForm) this.wireQuote(this.quoteForm);
    this.offers?.addEventListener("submit", (event) => this.onClaim(event));
    const productId = this.card?.dataset.productId;
    if (productId) this.defaultQuantity(productId, this.card?.dataset.moq ?? "");
  }

  /** A product's name in the page's language, else the other one (as the server's x.pick). */
  pick(/** @type {string} */ name, /** @type {string} */ nameZh) {
    const [first, second] = this.room.fmt.locale.startsWith("zh") ? [nameZh, name] : [name, nameZh];
    return (first || second || "").trim();
  }

  // --- the pinned product ---------------------------------------------------------------

  /** @param {Record<string, any> | null} card a ProductCard, or null when unpinned */
  pin(card) {
    const { fmt, words } = this.room;
    const el = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
    show(/** @type {HTMLElement} */ (this.card), Boolean(card));
    show(el("ls-card-empty"), !card);
    show(el("ls-quote"), Boolean(card));
    if (!card || !this.card) return;
    const name = this.pick(card.name, card.name_zh);
    this.card.dataset.productId = String(card.id);
    this.card.dataset.moq = String(card.moq);
    this.card.dataset.unit = card.unit;
    const link = /** @type {HTMLAnchorElement} */ (el("ls-card-name"));
    link.textContent = name;
    link.href = `/products/${card.id}?booth=${this.room.boothId}`;
    const image = /** @type {HTMLImageElement} */ (el("ls-card-image"));
    image.hidden = !card.image_url;
    this.card.classList.toggle("ls-card-noimage", !card.image_url);
    if (card.image_url) image.src = card.image_url; else image.removeAttribute("src");
    const tiers = el("ls-card-tiers");
    tiers.replaceChildren(...(card.price_tiers ?? []).map((/** @type {any} */ tier) => {
      const row = document.createElement("tr");
      const from = document.createElement("td");
      from.textContent = fill(words.from, { amount: fmt.amount(tier.min_quantity, card.unit) });
      const price = document.createElement("td");
      price.className = "ex-num";
      price.textContent = fill(words.perUnit, { price: fmt.money(tier.unit_price, card.currency), unit: fmt.unit(card.unit) });
      row.append(from, price);
      return row;
    }));
    el("ls-card-moq").textContent = fmt.amount(card.moq, card.unit);
    el("ls-card-incoterms").textContent = (card.incoterms ?? []).join(" · ");
    el("ls-card-port").textContent = card.port_of_loading || "—";
    const days = card.lead_time_days;
    el("ls-card-lead").textContent = days == null ? "—" : fill(days === 1 ? words.day : words.days, { n: days });
    const unit = document.getElementById("ls-quantity-unit");
    if (unit) unit.textContent = fmt.unit(card.unit);
    const product = /** @type {HTMLInputElement | null} */ (document.getElementById("ls-quote-product"));
    if (product) product.value = String(card.id);
    this.defaultQuantity(String(card.id), String(card.moq));
  }

  /** The quantity field: what this browser last asked for the product, else its MOQ. */
  defaultQuantity(productId, moq) {
    const input = /** @type {HTMLInputElement | null} */ (document.getElementById("ls-quantity"));
    if (input) input.value = remembered(productId) ?? moq;
  }

  /** @param {HTMLFormElement} form */
  wireQuote(form) {
    const error = /** @type {HTMLElement} */ (document.getElementById("ls-quote-error"));
    const input = /** @type {HTMLInputElement} */ (document.getElementById("ls-quantity"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const productId = this.card?.dataset.productId ?? "";
      const quantity = input.value.trim().replace(/,/g, "");
      const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
      button.disabled = true;
      error.hidden = true;
      try {
        const asked = await this.room.api("POST", `/livestreams/${this.room.id}/quote-requests`, {
          product_id: productId ? Number(productId) : null,
          ...(quantity ? { quantity } : {}),
        });
        remember(asked.product_id, String(asked.quantity));
        window.location.assign(`/negotiations/${asked.negotiation_id}`);
      } catch (failure) {
        error.textContent = refusal(this.room.words, failure);
        error.hidden = false;
        input.setAttribute("aria-invalid", "true");
        button.disabled = false;
      }
    });
  }

  // --- flash offers -----------------------------------------------------------------------

  /** @param {Record<string, any>[]} offers the open ones (the join's `state`) */
  replaceOffers(offers) {
    if (!this.offers) return;
    const open = new Set(offers.map((o) => String(o.id)));
    for (const item of this.offers.querySelectorAll("li[data-offer-id]")) {
      const li = /** @type {HTMLElement} */ (item);
      if (!open.has(li.dataset.offerId ?? "")) li.remove();
    }
    for (const offer of offers) this.publish(offer);
    this.refreshEmpty();
  }

  /** @param {Record<string, any>} offer a FlashOfferRead */
  publish(offer) {
    if (!this.offers || !this.template) return;
    let li = /** @type {HTMLElement | null} */ (this.offers.querySelector(`li[data-offer-id="${offer.id}"]`));
    if (!li) {
      const fragment = /** @type {DocumentFragment} */ (this.template.content.cloneNode(true));
      li = /** @type {HTMLElement} */ (fragment.querySelector("li"));
      li.dataset.offerId = String(offer.id);
      const form = li.querySelector("form");
      if (form) form.action = `/flash-offers/${offer.id}/claim`;
      const input = li.querySelector("input[name=quantity]");
      const label = li.querySelector("label");
      if (input && label) { input.id = `ls-claim-${offer.id}`; label.htmlFor = input.id; }
      this.offers.prepend(li);
    }
    const { fmt, words } = this.room;
    const slot = (/** @type {string} */ name) => /** @type {HTMLElement} */ (li?.querySelector(`.ls-slot-${name}`));
    li.dataset.productId = String(offer.product_id);
    /** @type {HTMLElement} */ (li.querySelector(".ls-offer-name")).textContent = this.pick(offer.product_name, offer.product_name_zh);
    li.dataset.unit = offer.unit;
    li.dataset.total = String(offer.quantity_total);
    slot("price").textContent = fmt.money(offer.unit_price, offer.currency);
    slot("unit").textContent = fmt.unit(offer.unit);
    slot("terms").textContent = `${offer.incoterm} ${offer.named_place}`;
    slot("deposit").textContent = fill(words.deposit, { n: fmt.quantity(offer.deposit_percent) });
    const ends = /** @type {HTMLTimeElement} */ (slot("ends"));
    ends.dateTime = offer.ends_at;
    ends.textContent = fill(words.endsAt, { time: fmt.time(offer.ends_at) });
    this.update(offer);
  }

  /** @param {{id: number, quantity_claimed: string, quantity_remaining: string, status: string}} change */
  update(change) {
    const li = /** @type {HTMLElement | null} */ (this.offers?.querySelector(`li[data-offer-id="${change.id}"]`));
    if (!li) return;
    const { fmt, words } = this.room;
    li.dataset.status = change.status;
    const progress = /** @type {HTMLProgressElement} */ (li.querySelector(".ls-slot-progress"));
    const total = Number(li.dataset.total ?? progress.max);
    progress.max = total;
    progress.value = Number(change.quantity_claimed);
    const left = /** @type {HTMLElement} */ (li.querySelector(".ls-slot-left"));
    left.textContent = change.status === "closed" ? words.offerClosed
      : change.status === "sold_out" ? words.soldOut
        : fill(words.left, { remaining: fmt.amount(change.quantity_remaining, li.dataset.unit ?? ""), total: fmt.quantity(total) });
    this.refreshEmpty();
  }

  refreshEmpty() {
    if (this.offersEmpty && this.offers) this.offersEmpty.hidden = this.offers.children.length > 0;
  }

  /** @param {SubmitEvent} event */
  async onClaim(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("ls-claim-form")) return;
    event.preventDefault();
    const li = /** @type {HTMLElement} */ (form.closest("li[data-offer-id]"));
    const input = /** @type {HTMLInputElement} */ (form.elements.namedItem("quantity"));
    const error = /** @type {HTMLElement} */ (form.querySelector(".error-text"));
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    const quantity = input.value.trim().replace(/,/g, "");
    const { words, fmt } = this.room;
    if (!quantity) {
      error.textContent = words.errors.invalid_quantity;
      error.hidden = false;
      input.focus();
      return;
    }
    button.disabled = true;
    error.hidden = true;
    try {
      const claimed = await this.room.api("POST", `/flash-offers/${li.dataset.offerId}/claims`, { quantity });
      window.location.assign(`/negotiations/${claimed.negotiation_id}`);
    } catch (failure) {
      const remaining = /** @type {any} */ (failure)?.details?.remaining;
      error.textContent = remaining != null && /** @type {any} */ (failure).code === "flash_offer_sold_out"
        ? fill(words.onlyLeft, { remaining: fmt.amount(remaining, li.dataset.unit ?? "") })
        : refusal(words, failure);
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      button.disabled = false;
    }
  }
}
