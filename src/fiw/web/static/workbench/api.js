// What every workbench page script shares: JSON requests to the workbench API (with the
// session's CSRF token on every unsafe request), DOM building that never parses user text as
// markup, and small formatting helpers. Loaded as an ES module: no inline script anywhere, so
// the pages work under a strict Content-Security-Policy.

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
let me = null; // the GET /api/v1/auth/me answer, fetched once per page

/** An answer other than 2xx: `status`, the decoded `body` (the API's error shape) and a
 * readable `message`. */
export class ApiError extends Error {
  constructor(status, body) {
    const message = body?.error?.message || `HTTP ${status}`;
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

/** Where the login page should send the user back to (this page). */
function loginUrl() {
  const next = window.location.pathname + window.location.search + window.location.hash;
  return `/workbench/login?next=${encodeURIComponent(next)}`;
}

/** The logged-in user `{user, role, csrf_token, countries}`; sends anonymous users to the
 * login page (unless `toLogin` is false: then it rejects with a 401 ApiError). */
export async function whoami(toLogin = true) {
  if (me === null) me = await request("GET", "/api/v1/auth/me", undefined, {}, { toLogin });
  return me;
}

/** Send a JSON request; unsafe methods carry X-CSRF-Token. Resolves to the decoded body,
 * rejects with ApiError; a 401 (session ended) goes to the login page, unless `toLogin` is
 * false (the editor keeps the user's unsaved text on screen instead). */
export async function request(method, url, body = undefined, headers = {}, { toLogin = true } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (UNSAFE.has(method)) {
    const token = me?.csrf_token ?? (url === "/api/v1/auth/login" ? null : (await whoami(toLogin)).csrf_token);
    if (token) init.headers["X-CSRF-Token"] = token;
  }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  if (response.redirected && new URL(response.url).pathname === "/workbench/login") {
    window.location.assign(loginUrl()); // a page route answered an ended session
    throw new ApiError(401, null);
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (response.status === 401 && url !== "/api/v1/auth/login") {
    forget(); // a new session has a new CSRF token
    if (toLogin) window.location.assign(loginUrl());
    throw new ApiError(401, data);
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Forget the cached user (after login or logout). */
export function forget() {
  me = null;
}

/**
 * An element: `el("a", {href: "/x", class: "y"}, "text", child…)`. Strings become text
 * nodes (never markup); attributes named `on…` are refused so no handler hides in data.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.toLowerCase().startsWith("on")) throw new Error(`no inline handler: ${name}`);
    if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, ...children);
  return node;
}

/** Append children (nodes, strings as text, arrays flattened, null skipped). */
export function append(node, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, ...children);
}

/** The CSS class of a status ("Partly Free" → "partly-free"; none → "none"). */
export function statusSlug(status) {
  return status ? status.toLowerCase().replaceAll(" ", "-") : "none";
}

/** A status badge, as on the explorer's pages. */
export function badge(status) {
  return el("span", { class: `badge ${statusSlug(status)}` }, status || "no status");
}

/** "+2", "−1" or "±0" for a change; an empty string when there is nothing to compare. */
export function signed(delta) {
  if (delta === null || delta === undefined || Number.isNaN(delta)) return "";
  if (delta > 0) return `+${delta}`;
  if (delta < 0) return `−${-delta}`;
  return "±0";
}

/** A date-time from the API, in the reader's locale. */
export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The page's configuration, from data-* attributes of #workbench (set by the server). */
export function config() {
  return document.getElementById("workbench")?.dataset ?? {};
}

/** Show a message in the page's live region (role=status or alert). */
export function say(message, kind = "status") {
  const region = document.getElementById(kind === "alert" ? "wb-alert" : "wb-status");
  if (region) region.textContent = message;
}

/** Run a page's main function, showing failures instead of failing silently. Controls that
 * only the script can serve are rendered `disabled data-until-ready` and enabled once `main`
 * has wired them: a click while the page still loads would otherwise reload it (a native
 * submit) or do nothing, and the user would not know which. */
export function start(main) {
  const run = () =>
    main()
      .then(() => {
        for (const control of document.querySelectorAll("[data-until-ready]")) {
          control.disabled = false;
          control.removeAttribute("data-until-ready");
        }
      })
      .catch((error) => {
        if (error instanceof ApiError && error.status === 401) return;
        say(error.message || String(error), "alert");
      });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
}

/** Wire the header's log-out button (every page has it once logged in). */
export function wireLogout() {
  const button = document.getElementById("wb-logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    await request("POST", "/api/v1/auth/logout").catch(() => null);
    forget();
    window.location.assign("/workbench/login");
  });
}
