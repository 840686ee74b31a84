/* Keyboard: the single-key shortcuts (from the person's preferences, remappable or off at
 * /preferences/, WCAG 2.1.4), Esc, and Shift+←/→ / Alt+Shift+←/→ to move the selected claim's edges. */
import { decide, undo } from "./actions.js";
import { createClaim, hideMenu, keyEdge } from "./selection.js";
import { select } from "./sidebar.js";
import { $, byTextOrder, claims, config, selectedClaim, state, tipEl, toast, url } from "./state.js";

const CURATE = new Set(["accept", "reject", "type", "speaker", "create", "undo"]);

function step(direction) {
  const candidates = state.order.filter((c) => c.visible && c.placed && c.status === "candidate");
  if (!candidates.length) { toast("No undecided candidates shown.", { timeout: 2500 }); return; }
  const current = selectedClaim();
  let next;
  if (!current) next = direction > 0 ? candidates[0] : candidates[candidates.length - 1];
  else if (direction > 0) next = candidates.find((c) => byTextOrder(c, current) > 0) || candidates[0];
  else next = [...candidates].reverse().find((c) => byTextOrder(c, current) < 0) || candidates[candidates.length - 1];
  select(next.id, { scroll: true });
}

/* The help dialog's button and the document's keydown handler. */
export function bindKeys() {
  const help = $("help-dialog");
  $("help-open").addEventListener("click", () => help.showModal());
  // Single-key shortcuts come from the person's preferences (WCAG 2.1.4: they can be turned off
  // or remapped at /preferences/); Esc is not a character key and always works.
  const shortcuts = config.shortcuts || { enabled: true, keys: {} };
  const keyToAction = new Map();
  for (const [name, keys] of Object.entries(shortcuts.keys)) for (const key of keys) keyToAction.set(key, name);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    // Shift+←/→ move the selected claim's end by a word, Alt+Shift+←/→ its start. Not character
    // keys (WCAG 2.1.4 does not apply), so they work whatever the single-key preferences say.
    if (event.shiftKey && !event.ctrlKey && !event.metaKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")
        && state.selectedId !== null && config.canCurate && window.getSelection().isCollapsed
        && !(target.closest && target.closest("input, select, textarea, [contenteditable], dialog[open]"))) {
      event.preventDefault();
      keyEdge(claims.get(state.selectedId), event.altKey ? "start" : "end", event.key === "ArrowRight" ? 1 : -1);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, select, textarea, [contenteditable], dialog[open]")) {
      if (event.key === "Escape" && !target.closest("dialog")) target.blur();
      return;
    }
    const claim = selectedClaim();
    const actions = {
      next: () => step(1), previous: () => step(-1),
      accept: () => claim && decide(claim, "accept"), reject: () => claim && decide(claim, "reject"),
      type: () => claim && $("cd-type").focus(), speaker: () => claim && $("cd-speaker").focus(),
      create: () => createClaim(), open: () => { if (claim) window.location.href = url("detail", claim.id); },
      undo: () => undo(), help: () => help.showModal(),
    };
    let name = null;
    if (event.key === "Escape") { hideMenu(); tipEl.hidden = true; select(null); event.preventDefault(); return; }
    if (shortcuts.enabled) name = keyToAction.get(event.key);
    if (!name || !actions[name]) return;
    if (CURATE.has(name) && !config.canCurate) return;
    event.preventDefault();
    actions[name]();
  });
}
