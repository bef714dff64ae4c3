// The admin API, with the operator's session token (kept for this tab only).

const KEY = "souk.console";

export function session() {
  const raw = sessionStorage.getItem(KEY);
  return raw ? JSON.parse(raw) : null;
}

export function keep(value) {
  if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
  else sessionStorage.removeItem(KEY);
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `the server answered ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

export async function call(method, path, body) {
  const headers = {};
  const current = session();
  if (current) headers.authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && current) keep(null);
  const type = response.headers.get("content-type") || "";
  const answer = type.startsWith("application/json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(response.status, typeof answer === "object" ? answer : null);
  return answer;
}

/** A file the API answers (the audit log's CSV), saved through a link the page makes. */
export async function download(path, filename) {
  const current = session();
  const response = await fetch(path, { headers: { authorization: `Bearer ${current.token}` } });
  if (!response.ok) throw new ApiError(response.status, await response.json());
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Whether this account may change what is in ``country`` (a viewer changes nothing). */
export function mayChange(operator, country) {
  if (operator.role === "viewer") return false;
  return operator.role === "owner" || operator.countries.includes("*") || operator.countries.includes(country);
}
