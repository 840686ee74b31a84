/* Fact-check Workbench: helpers shared by every page (no dependencies, no build step). */
(function () {
  "use strict";

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* POST to a workbench action and get its JSON back: {ok, status, data}. */
  async function post(url, body) {
    const headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    let payload;
    if (body instanceof URLSearchParams || body instanceof FormData) {
      payload = body;
    } else {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body || {});
    }
    let response;
    try {
      response = await fetch(url, { method: "POST", headers, body: payload, credentials: "same-origin" });
    } catch (err) {
      return { ok: false, status: 0, data: { message: "The server could not be reached. Nothing was changed." } };
    }
    let data = {};
    try { data = await response.json(); } catch (err) { data = { message: `The server answered ${response.status}.` }; }
    return { ok: response.ok, status: response.status, data };
  }

  /* A short message at the bottom of the screen, optionally with one action button. */
  function toast(message, { kind = "info", action = null, timeout = 6000 } = {}) {
    let box = document.getElementById("toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "toasts"; box.className = "toasts"; box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    const el = document.createElement("div");
    el.className = `toast toast-${kind}`;
    const text = document.createElement("span");
    text.textContent = message;
    el.appendChild(text);
    if (action) {
      const button = document.createElement("button");
      button.type = "button"; button.className = "toast-action"; button.textContent = action.label;
      button.addEventListener("click", () => { el.remove(); action.run(); });
      el.appendChild(button);
    }
    const close = document.createElement("button");
    close.type = "button"; close.className = "toast-close"; close.setAttribute("aria-label", "Dismiss"); close.textContent = "×";
    close.addEventListener("click", () => el.remove());
    el.appendChild(close);
    box.appendChild(el);
    while (box.children.length > 3) box.firstElementChild.remove(); // keep the corner calm
    if (timeout) setTimeout(() => el.remove(), timeout);
    return el;
  }

  window.Workbench = { post, toast, csrfToken };

  /* Server messages fade after a while (errors stay). */
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".messages .msg-success, .messages .msg-info").forEach((el) => {
      setTimeout(() => el.classList.add("msg-fade"), 6000);
    });
    /* Confirm dangerous plain-form actions. */
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (event) => {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
