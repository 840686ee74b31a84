/* The drag handles on the selected claim's edges (dragging them: selection.js). */
import { selectedClaim } from "./state.js";

export const handles = []; // the start and end drag handles (curators only)

export function createHandles() {
  for (const edge of ["start", "end"]) {
    const el = document.createElement("span");
    el.className = `span-handle span-handle-${edge}`;
    el.dataset.edge = edge;
    el.hidden = true;
    el.title = edge === "start" ? "Drag to move the start (or Alt+Shift+←/→)" : "Drag to move the end (or Shift+←/→)";
    el.setAttribute("aria-hidden", "true");
    document.body.appendChild(el);
    handles.push(el);
  }
}

export function placeHandles() {
  const claim = selectedClaim();
  if (!handles.length) return;
  if (!claim || !claim.placed || !claim.segs.length) { for (const el of handles) el.hidden = true; return; }
  const first = claim.segs[0].el.getClientRects()[0];
  const rects = claim.segs[claim.segs.length - 1].el.getClientRects();
  const last = rects[rects.length - 1];
  if (!first || !last) return;
  const [start, end] = handles;
  start.hidden = end.hidden = false;
  start.style.left = `${first.left + window.scrollX - 5}px`;
  start.style.top = `${first.top + window.scrollY}px`;
  start.style.height = `${first.height}px`;
  end.style.left = `${last.right + window.scrollX - 5}px`;
  end.style.top = `${last.top + window.scrollY}px`;
  end.style.height = `${last.height}px`;
}
