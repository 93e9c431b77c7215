// Tell the server the browser's time zone, so that times can be shown in it before sign-in,
// and pre-fill time zone fields on forms that create accounts.
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zone) {
  const maxAge = 60 * 60 * 24 * 365;
  document.cookie = `th_tz=${encodeURIComponent(zone)}; path=/; max-age=${maxAge}; samesite=lax`;
  for (const input of document.querySelectorAll("input[data-browser-time-zone]")) {
    if (!input.value) input.value = zone;
  }
}
