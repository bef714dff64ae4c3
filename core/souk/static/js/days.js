// Days as the user lives them: ISO days ("2026-12-02"), and today where the user is (their time
// zone, as the server keeps it), which is what a form's "today" bound means.

function dayIn(date, timeZone) {
  const format = (zone) =>
    new Intl.DateTimeFormat("en", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
  let parts;
  try {
    parts = format(timeZone || undefined).formatToParts(date);
  } catch {
    parts = format(undefined).formatToParts(date); // a zone this browser does not know: its own
  }
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** A field's bound as a day: "today" is the user's today; a day stays itself; none is null. */
export function resolveDay(bound, timeZone) {
  if (bound === "today") return dayIn(new Date(), timeZone);
  return typeof bound === "string" && bound ? bound : null;
}

/** The day `count` days after `day` (before, when negative). */
export function addDays(day, count) {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/** The later of two days, either of which may be missing (null). */
export function laterDay(a, b) {
  return !a ? b : !b ? a : a > b ? a : b;
}

/** The earlier of two days, either of which may be missing (null). */
export function earlierDay(a, b) {
  return !a ? b : !b ? a : a < b ? a : b;
}
