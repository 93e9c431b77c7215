// What the livestream room's modules share: calling the HTTP API with the page's session
// cookie, and writing numbers, money and times for the viewer.
//
// The API takes the session cookie like the pages do; a call that changes something must
// carry the page's CSRF token in X-CSRF-Token (app/api/deps.py), which a cross-site page
// cannot read.

/** An API refusal: the error's stable code, and its details (e.g. {remaining}). */
export class ApiError extends Error {
  /**
   * @param {string} code
   * @param {any} details
   */
  constructor(code, details) {
    super(code);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
  }
}

/**
 * @param {string} csrf  the page's CSRF token
 * @returns {(method: string, path: string, body?: Record<string, any>) => Promise<any>}
 */
export function apiClient(csrf) {
  return async (method, path, body) => {
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json", "X-CSRF-Token": csrf };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method, headers, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError("network", null);
    }
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new ApiError(data?.error?.code ?? `http_${response.status}`, data?.error?.details ?? null);
    }
    return data;
  };
}

/** The sentence for a refusal, in the viewer's language (the API's own text is English). */
export function refusal(words, error) {
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "";
  return words.errors?.[code] ?? words.error;
}

/** Numbers, money, units and times as the page's locale and zone write them. */
export class Formats {
  /**
   * @param {string} locale  e.g. "en" or "zh-CN"
   * @param {string} zone    the viewer's IANA zone
   * @param {Record<string, any>} words
   */
  constructor(locale, zone, words) {
    this.locale = locale;
    this.zone = zone;
    this.words = words;
  }

  /** @param {string | number} amount @param {string} currency */
  money(amount, currency) {
    try {
      return new Intl.NumberFormat(this.locale, {
        style: "currency", currency, maximumFractionDigits: 6,
      }).format(Number(amount));
    } catch {
      return `${amount} ${currency}`;
    }
  }

  /** @param {string | number} value */
  quantity(value) {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits: 3 }).format(Number(value));
  }

  /** @param {string} code */
  unit(code) {
    return this.words.units?.[code] ?? code;
  }

  /** "1,000 kg" */
  amount(value, unit) {
    return `${this.quantity(value)} ${this.unit(unit)}`;
  }

  /** @param {string} iso */
  time(iso) {
    return new Date(iso).toLocaleString(this.locale, {
      dateStyle: "medium", timeStyle: "short", timeZone: this.zone,
    });
  }

  /** @param {string} iso */
  clock(iso) {
    return new Date(iso).toLocaleTimeString(this.locale, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: this.zone,
    });
  }
}

/**
 * Fill "{name}" placeholders of a sentence from `words`.
 * @param {string} text
 * @param {Record<string, string | number>} values
 */
export function fill(text, values) {
  return String(text ?? "").replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}
