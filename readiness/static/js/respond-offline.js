/* Answers survive the connection (progressive enhancement: without this file the form posts as usual).
 *
 * What the person enters is kept on this device (localStorage, one entry per link and page) until
 * the server has it. Saving goes through fetch: if the connection fails the entry stays and the page
 * says "saved on this phone, not sent yet (n)"; when the connection returns, every pending page of
 * the link is posted with the fingerprints and versions the person was shown, so the server's
 * per-item conflict check applies as to any save: a stale answer comes back as a conflict with both
 * values, never silently overwriting a newer one. Files cannot be kept offline.
 *
 * Only answers the person asked to save are sent behind their back ("queued": the save was
 * refused offline, or its post never left the phone). A page still being answered waits for its
 * own button: sending it half-done, then replacing the page, dropped what was ticked meanwhile.
 * An entry that changed while it was being sent stays on the phone and goes with the next try,
 * and a server that answers with an error (a proxy's 502, a restart) is tried again later.
 */
(function () {
  "use strict";

  const PREFIX = "readiness:respond:";
  const SKIP = new Set(["go", "csrf_token"]);
  const RETRY_MS = 5000;

  function storageKey(path) {
    return PREFIX + path;
  }

  function linkOf(path) {
    const match = path.match(/^\/r\/[^/]+/);
    return match ? match[0] : path;
  }

  function isQueued(entry) {
    return Boolean(entry) && entry.queued !== false; // entries kept by earlier versions carry no flag: queued
  }

  function queuedOfLink(link) {
    return pendingOfLink(link).filter((path) => isQueued(load(path)));
  }

  function load(path) {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey(path)) || "null");
    } catch (error) {
      return null;
    }
  }

  function pendingOfLink(link) {
    const found = [];
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const key = window.localStorage.key(i);
      if (key && key.startsWith(PREFIX + link + "/")) {
        found.push(key.slice(PREFIX.length));
      }
    }
    return found;
  }

  function fields(form) {
    const values = [];
    for (const element of form.elements) {
      if (!element.name || SKIP.has(element.name) || element.type === "file" || element.type === "submit") {
        continue;
      }
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) {
        continue;
      }
      values.push([element.name, element.value]);
    }
    return values;
  }

  function itemOf(name) {
    return name.split("__")[0];
  }

  function changedItems(initial, now) {
    const before = new Map();
    initial.forEach(([name, value]) => before.set(name, (before.get(name) || []).concat(value)));
    const after = new Map();
    now.forEach(([name, value]) => after.set(name, (after.get(name) || []).concat(value)));
    const items = new Set();
    new Set([...before.keys(), ...after.keys()]).forEach((name) => {
      if (JSON.stringify(before.get(name) || []) !== JSON.stringify(after.get(name) || [])) {
        items.add(itemOf(name));
      }
    });
    return [...items];
  }

  function restore(form, saved) {
    const byName = new Map();
    saved.fields.forEach(([name, value]) => byName.set(name, (byName.get(name) || []).concat(value)));
    for (const element of form.elements) {
      if (!element.name || SKIP.has(element.name) || element.type === "file" || element.type === "submit") {
        continue;
      }
      const values = byName.get(element.name) || [];
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = values.includes(element.value);
      } else if (byName.has(element.name)) {
        // Hidden fingerprints come back too: the server compares with what the person was shown.
        element.value = values[0];
      }
    }
    form.querySelectorAll("details.comment").forEach((details) => {
      const area = details.querySelector("textarea");
      if (area && area.value) {
        details.open = true;
      }
    });
  }

  function showStatus(state) {
    const box = document.getElementById("offline-status");
    if (!box) {
      return;
    }
    const link = linkOf(window.location.pathname);
    const count = pendingOfLink(link).reduce((sum, path) => sum + ((load(path) || {}).items || []).length, 0);
    let message = "";
    if (count > 0) {
      message = box.dataset.pending.replace("%(num)s", String(count));
      box.className = "offline-status pending";
    } else if (state === "failed") {
      message = box.dataset.failed;
      box.className = "offline-status pending";
    } else if (state === "sent") {
      message = box.dataset.sent;
      box.className = "offline-status sent";
    }
    box.textContent = message;
    box.hidden = !message;
  }

  function keepHere(form, initial, queue) {
    const path = window.location.pathname;
    const now = fields(form);
    const items = changedItems(initial, now);
    if (items.length) {
      const before = load(path);
      const queued = Boolean(queue) || Boolean(before && before.queued); // asked once, it stays asked
      window.localStorage.setItem(storageKey(path), JSON.stringify({ fields: now, items: items, at: Date.now(), queued: queued }));
    } else {
      window.localStorage.removeItem(storageKey(path));
    }
  }

  function body(entry, go) {
    const data = new FormData();
    entry.fields.forEach(([name, value]) => data.append(name, value));
    data.append("go", go);
    return data;
  }

  function showResponse(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    start("sent");
  }

  async function post(path, data) {
    // A request stuck on a bad connection is given up, so the next attempt can start.
    const stop = new AbortController();
    const timer = window.setTimeout(() => stop.abort(), 15000);
    try {
      return await fetch(path, { method: "POST", body: data, credentials: "same-origin", signal: stop.signal,
                                 headers: { "X-Readiness-Sync": "1" } });
    } finally {
      window.clearTimeout(timer);
    }
  }

  let sending = false;

  async function sendPending(here) {
    if (sending) {
      return;
    }
    sending = true;
    try {
      await sendEach(here);
    } finally {
      sending = false;
    }
  }

  function unavailable(status) {
    return status >= 500 || status === 408 || status === 429;
  }

  async function sendEach(here) {
    const link = linkOf(window.location.pathname);
    let sent = false;
    for (const path of queuedOfLink(link)) {
      const posted = window.localStorage.getItem(storageKey(path));
      const entry = load(path);
      if (!entry) {
        continue;
      }
      let response;
      try {
        response = await post(path, body(entry, "sync"));
      } catch (error) {
        return;
      }
      if (unavailable(response.status)) {
        return; // not our page: the answers stay on the phone for the next try
      }
      if ((response.status === 400 || response.status === 409) && path !== here) {
        // A correction or a conflict on another page: kept, not sent again, shown when they open it.
        window.localStorage.setItem(storageKey(path), JSON.stringify(Object.assign(entry, { queued: false })));
        continue;
      }
      sent = true;
      if (path === here && !response.redirected) {
        window.localStorage.removeItem(storageKey(path));
        showResponse(await response.text()); // a conflict (both values) or a correction to make
        return;
      }
      if (window.localStorage.getItem(storageKey(path)) === posted) {
        window.localStorage.removeItem(storageKey(path)); // what changed meanwhile goes with the next try
      }
    }
    if (load(here)) {
      showStatus(); // the person is answering this page: never replace it under their hands
      return;
    }
    if (sent) {
      const fresh = await fetch(window.location.pathname, { credentials: "same-origin" }).catch(() => null);
      if (fresh && fresh.ok) {
        showResponse(await fresh.text());
      }
    }
  }

  function start(state) {
    const form = document.querySelector("form.respond-form");
    if (!form) {
      return;
    }
    const path = window.location.pathname;
    const initial = fields(form);
    const saved = load(path);
    if (saved && state !== "sent") {
      restore(form, saved);
    }
    showStatus(state);
    form.addEventListener("input", () => { keepHere(form, initial); showStatus(); });
    form.addEventListener("change", () => { keepHere(form, initial); showStatus(); });
    form.addEventListener("submit", (event) => {
      keepHere(form, initial, !navigator.onLine);
      if (!navigator.onLine) {
        event.preventDefault(); // no connection: the answers wait on this phone
        showStatus("failed");
        return;
      }
      // The browser posts the page as usual; the next page tells whether the server got it.
      window.sessionStorage.setItem(PREFIX + "submitted", path);
    });
    if (navigator.onLine && queuedOfLink(linkOf(path)).length && state !== "sent") {
      sendPending(path);
    }
  }

  function afterSubmit() {
    // A page reached by posting the previous one means the server has those answers; the service
    // worker marks the page it shows instead when the post could not leave the phone ("#offline").
    const submitted = window.sessionStorage.getItem(PREFIX + "submitted");
    window.sessionStorage.removeItem(PREFIX + "submitted");
    const failed = window.location.hash === "#offline";
    if (failed) {
      window.history.replaceState(null, "", window.location.pathname);
      const entry = submitted && load(submitted);
      if (entry) { // the person pressed save: these answers are now waiting to be sent
        window.localStorage.setItem(storageKey(submitted), JSON.stringify(Object.assign(entry, { queued: true })));
      }
    }
    const navigation = (window.performance.getEntriesByType("navigation") || [])[0];
    if (submitted && !failed && navigation && navigation.type === "navigate") {
      window.localStorage.removeItem(storageKey(submitted));
      return "sent";
    }
    return failed ? "failed" : undefined;
  }

  window.addEventListener("online", () => sendPending(window.location.pathname));
  // Phones often say they are online when no request gets through, and miss the "online" event:
  // while answers wait on the phone, try again every few seconds.
  window.setInterval(() => {
    if (navigator.onLine && queuedOfLink(linkOf(window.location.pathname)).length) {
      sendPending(window.location.pathname);
    }
  }, RETRY_MS);
  if ("serviceWorker" in navigator) {
    const script = document.querySelector("script[data-sw]");
    if (script) {
      navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope }).catch(() => {});
    }
  }
  start(afterSubmit());
}());
