/* The article view: claim highlights over the canonical text, a sidebar list in sync with them,
 * and annotation (select to create, accept/reject/edit, move a claim's edges, undo, keyboard shortcuts).
 * Loaded as a module (<script type="module">, no build step); this file wires the others together:
 *   offsets.js   code points <-> UTF-16 units, grapheme clusters
 *   state.js     the page's data and elements, claims, segments, selection, filter (shared)
 *   segments.js  the <span> segments of the text and their highlight classes
 *   filter.js    which claims are shown, and the counts
 *   handles.js   the drag handles on the selected claim's edges
 *   sidebar.js   the claim list, the claim panel, conflicts, selecting a claim, the tooltip
 *   actions.js   requests: decide, edit, bulk, undo, move a span
 *   selection.js selecting text to create a claim, dragging the handles, moving edges by a word
 *   keys.js      keyboard shortcuts
 * Each imports only the ones above it: ManifestStaticFilesStorage cannot hash modules that import
 * each other in a cycle (tests/test_deploy.py). Only state.js does anything when imported.
 */
import { bulk, decide, moveSpan, saveEdits } from "./actions.js";
import { applyFilter, bindFilterControls } from "./filter.js";
import { bindKeys } from "./keys.js";
import { buildSegments } from "./segments.js";
import { bindSelection, snap } from "./selection.js";
import { bindSidebar, buildList, select } from "./sidebar.js";
import { $, adopt, byTextOrder, claims, config, cpToU16, filter, initialClaims, state, u16ToCp } from "./state.js";

bindSidebar();
bindSelection();
bindFilterControls();
$("cd-close").addEventListener("click", () => select(null));
if (config.canCurate) {
  $("cd-accept").addEventListener("click", () => decide(claims.get(state.selectedId), "accept"));
  $("cd-reject").addEventListener("click", () => decide(claims.get(state.selectedId), "reject"));
  $("cd-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const claim = claims.get(state.selectedId);
    if (claim) saveEdits(claim, { claim_type: $("cd-type").value, speaker: $("cd-speaker").value.trim(), is_anonymous_source: $("cd-anon").checked });
  });
  $("bulk-accept").addEventListener("click", () => bulk("accept"));
  $("bulk-reject").addEventListener("click", () => bulk("reject"));
}
bindKeys();

/* --- start ------------------------------------------------------------------------------ */
state.order = initialClaims.map(adopt).sort(byTextOrder);
buildSegments();
buildList();
applyFilter();
const wanted = /^#claim-(\d+)$/.exec(window.location.hash);
if (wanted && claims.has(Number(wanted[1]))) {
  const claim = claims.get(Number(wanted[1]));
  if (!claim.visible) {  // a link to a claim the filter hides: show everything
    filter.status = "all"; $("f-status").value = "all";
    filter.minScore = null; $("f-score").value = "";
    applyFilter();
  }
  select(claim.id, { scroll: true });
}
window.__wbReady = performance.now();
document.body.dataset.ready = "1";
window.WorkbenchArticle = { cpToU16, u16ToCp, snap, claims, segs: () => state.segs, select, moveSpan };
