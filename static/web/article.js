/* The article view: claim highlights over the canonical text, a sidebar list in sync with them,
 * and annotation (select to create, accept/reject/edit, move a claim's edges, undo, keyboard shortcuts).
 *
 * Offsets. The server stores Unicode code points; the DOM counts UTF-16 units. The text is
 * rendered once by the server as escaped text; this script splits it into <span> segments at
 * every claim boundary (each segment knows the claims covering it) and never re-renders it:
 * a new claim splits at most two segments, a decision restyles only that claim's segments.
 */
(function () {
  "use strict";

  const { post, toast } = window.Workbench;
  const config = JSON.parse(document.getElementById("article-config").textContent);
  const initialClaims = JSON.parse(document.getElementById("claims-data").textContent);
  const textEl = document.getElementById("article-text");
  const listEl = document.getElementById("claim-list");
  const detailEl = document.getElementById("claim-detail");
  const tipEl = document.getElementById("hl-tip");
  const menuEl = document.getElementById("selection-menu");
  const $ = (id) => document.getElementById(id);
  const TYPE_LABELS = Object.fromEntries(config.types);
  const STATUS_LABELS = { candidate: "Undecided", accepted: "Accepted", rejected: "Rejected" };
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  const text = textEl.textContent;

  /* --- code points <-> UTF-16 ------------------------------------------------------------ */
  // UTF-16 index of every surrogate pair's first unit; the k-th pair starts at code point astral[k] - k.
  const astral = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) { astral.push(i); i++; }
  }
  function cpToU16(cp) {
    let lo = 0, hi = astral.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (astral[mid] - mid < cp) lo = mid + 1; else hi = mid; }
    return cp + lo;
  }
  function u16ToCp(u) {
    let lo = 0, hi = astral.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (astral[mid] < u) lo = mid + 1; else hi = mid; }
    return u - lo;
  }

  /* --- state ------------------------------------------------------------------------------ */
  const claims = new Map(); // id -> claim (server payload + u0, u1, segs, item, visible)
  let order = []; // claims in text order
  let segs = []; // segments in text order, covering the whole text
  let selectedId = null;
  let linkedId = null;
  let pendingSelection = null; // [u0, u1] snapped, waiting for "Mark as claim"
  let lastUndo = null;
  // The score filter starts at the configured threshold (the field's initial value); it hides
  // undecided candidates below it, never claims an editor decided.
  const initialScore = parseFloat(document.getElementById("f-score").value);
  const filter = { status: "open", type: "", minScore: Number.isFinite(initialScore) ? initialScore : null };

  function byTextOrder(a, b) { return a.u0 - b.u0 || a.u1 - b.u1 || a.id - b.id; }

  function adopt(data) {
    const claim = Object.assign(claims.get(data.id) || { segs: [], item: null, visible: false }, data);
    claim.u0 = cpToU16(claim.start);
    claim.u1 = cpToU16(claim.end);
    claim.placed = claim.anchor !== "orphan" && claim.start < claim.end && claim.u1 <= text.length;
    claims.set(claim.id, claim);
    return claim;
  }

  /* --- segments --------------------------------------------------------------------------- */
  function makeSeg(start, end, ids) {
    const el = document.createElement("span");
    el.textContent = text.slice(start, end);
    const seg = { start, end, ids, el };
    el._seg = seg;
    return seg;
  }

  function buildSegments() {
    const startsAt = new Map(), endsAt = new Map(), bounds = new Set([0, text.length]);
    for (const claim of order) {
      if (!claim.placed) continue;
      bounds.add(claim.u0); bounds.add(claim.u1);
      (startsAt.get(claim.u0) || startsAt.set(claim.u0, []).get(claim.u0)).push(claim.id);
      (endsAt.get(claim.u1) || endsAt.set(claim.u1, []).get(claim.u1)).push(claim.id);
    }
    const points = [...bounds].sort((a, b) => a - b);
    const active = new Set();
    const fragment = document.createDocumentFragment();
    segs = [];
    for (let i = 0; i < points.length - 1; i++) {
      const pos = points[i];
      for (const id of endsAt.get(pos) || []) active.delete(id);
      for (const id of startsAt.get(pos) || []) active.add(id);
      const seg = makeSeg(pos, points[i + 1], new Set(active));
      for (const id of active) claims.get(id).segs.push(seg);
      segs.push(seg);
      fragment.appendChild(seg.el);
    }
    textEl.textContent = "";
    textEl.appendChild(fragment);
  }

  function segIndexAt(pos) { // index of the segment containing pos (the last one starting at or before it)
    let lo = 0, hi = segs.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (segs[mid].start <= pos) lo = mid; else hi = mid - 1; }
    return lo;
  }

  function splitAt(pos) {
    if (pos <= 0 || pos >= text.length) return;
    const index = segIndexAt(pos);
    const seg = segs[index];
    if (seg.start === pos) return;
    const tail = makeSeg(pos, seg.end, new Set(seg.ids));
    seg.end = pos;
    seg.el.textContent = text.slice(seg.start, pos);
    seg.el.after(tail.el);
    segs.splice(index + 1, 0, tail);
    for (const id of seg.ids) {
      const list = claims.get(id).segs;
      list.splice(list.indexOf(seg) + 1, 0, tail);
    }
    tail.el.className = seg.el.className;
  }

  function placeClaim(claim) { // a new claim: split at its ends, then join the segments inside
    if (!claim.placed) return;
    splitAt(claim.u0); splitAt(claim.u1);
    claim.segs = [];
    for (let i = segIndexAt(claim.u0); i < segs.length && segs[i].start < claim.u1; i++) {
      segs[i].ids.add(claim.id);
      claim.segs.push(segs[i]);
    }
  }

  function visibleAt(seg) {
    const out = [];
    for (const id of seg.ids) { const c = claims.get(id); if (c.visible) out.push(c); }
    return out.sort((a, b) => (a.u1 - a.u0) - (b.u1 - b.u0) || a.id - b.id); // innermost first
  }

  function styleSeg(seg) {
    const shown = visibleAt(seg);
    if (!shown.length) { seg.el.className = ""; seg.el.removeAttribute("data-verdict"); return; }
    const classes = ["hl"];
    let candidate = false, accepted = false, anonStart = false, selected = false, linked = false, verdict = null, possible = false;
    for (const c of shown) {
      if (c.status === "candidate") candidate = true;
      else if (c.status === "accepted") accepted = true;
      if (c.anonymous && c.segs[0] === seg) anonStart = true;
      if (c.verdict && c.segs[c.segs.length - 1] === seg) {
        possible = !c.verdict.confirmed;
        verdict = possible ? `possibly: ${c.verdict.label}` : c.verdict.label;
      }
      if (c.id === selectedId) selected = true;
      if (c.id === linkedId) linked = true;
    }
    if (accepted) classes.push("hl-acc");
    if (candidate) classes.push("hl-cand");
    if (!accepted && !candidate) classes.push("hl-rej");
    if (shown.length > 1) classes.push("hl-multi");
    if (anonStart) classes.push("hl-anon");
    if (selected) classes.push("is-selected");
    if (linked) classes.push("is-linked");
    if (verdict) { classes.push("hl-verdict"); if (possible) classes.push("hl-verdict-possible"); seg.el.dataset.verdict = verdict; }
    else seg.el.removeAttribute("data-verdict");
    seg.el.className = classes.join(" ");
  }

  function restyleClaim(claim) { for (const seg of claim.segs) styleSeg(seg); }

  /* --- filter ----------------------------------------------------------------------------- */
  function passes(claim) {
    if (filter.status === "open" && claim.status === "rejected") return false;
    if (!["open", "all"].includes(filter.status) && claim.status !== filter.status) return false;
    if (filter.type && claim.type !== filter.type) return false;
    if (filter.minScore !== null && claim.status === "candidate" && (claim.score === null || claim.score < filter.minScore)) return false;
    return true;
  }

  function applyFilter() {
    let shown = 0;
    for (const claim of order) {
      claim.visible = passes(claim);
      if (claim.item) claim.item.hidden = !claim.visible;
      if (claim.visible) shown++;
    }
    for (const seg of segs) styleSeg(seg);
    updateCounts(shown);
  }

  function refreshVisibility(claim) {
    claim.visible = passes(claim);
    if (claim.item) claim.item.hidden = !claim.visible;
    restyleClaim(claim);
    updateCounts();
  }

  function updateCounts(shown) {
    const counts = { candidate: 0, accepted: 0, rejected: 0 };
    let visible = 0;
    for (const claim of order) { counts[claim.status] = (counts[claim.status] || 0) + 1; if (claim.visible) visible++; }
    const select = $("f-status");
    for (const option of select.options) {
      if (counts[option.value] !== undefined) option.textContent = `${STATUS_LABELS[option.value]} (${counts[option.value]})`;
    }
    $("filter-count").textContent = `${shown === undefined ? visible : shown} of ${order.length} shown`;
  }

  /* --- sidebar list ----------------------------------------------------------------------- */
  function snippet(claim, max = 180) {
    const quote = text.slice(claim.u0, Math.min(claim.u1, text.length)).replace(/\s+/g, " ").trim();
    return quote.length > max ? quote.slice(0, max - 1) + "…" : quote;
  }

  function chip(cls, label, title) {
    const el = document.createElement("span");
    el.className = cls; el.textContent = label;
    if (title) el.title = title;
    return el;
  }

  function fillItem(claim) {
    const item = claim.item;
    item.className = `ci ci-${claim.status}${claim.id === selectedId ? " is-selected" : ""}${claim.id === linkedId ? " is-linked" : ""}`;
    const button = item.firstChild;
    button.textContent = "";
    const quote = document.createElement("span");
    quote.className = "ci-text";
    quote.textContent = claim.placed ? snippet(claim) : `(not found in the current text) ${claim.anchor}`;
    const meta = document.createElement("span");
    meta.className = "ci-meta";
    meta.appendChild(chip(`badge badge-${claim.status}`, STATUS_LABELS[claim.status] || claim.status));
    meta.appendChild(chip("ci-type", claim.type_label || TYPE_LABELS[claim.type] || claim.type));
    if (claim.score !== null && claim.score !== undefined) {
      meta.appendChild(chip(`score${claim.score >= config.threshold ? " score-high" : ""}`, claim.score.toFixed(2), "Check-worthiness score"));
    }
    if (claim.origin === "human") meta.appendChild(chip("ci-human", "by hand"));
    if (claim.speaker) meta.appendChild(chip("ci-speaker", claim.speaker, "Speaker"));
    if (claim.anonymous) meta.appendChild(chip("anon-chip", "anonymous source"));
    if (claim.verdict) meta.appendChild(verdictChip(claim.verdict, claim.verdict.label));
    button.appendChild(quote);
    button.appendChild(meta);
  }

  // A verdict is this mention's own only when a person confirmed it is the same claim; on a
  // machine link it is "possibly the same claim", drawn differently.
  function verdictChip(verdict, text) {
    return verdict.confirmed ? chip("verdict-chip", text, "Published verdict")
      : chip("verdict-chip verdict-possible", `possibly: ${verdict.label}`,
             "Possibly the same claim (linked by the matcher, not confirmed by a person)");
  }

  async function linkDecision(claim, confirm) {
    const result = await post(url(confirm ? "linkConfirm" : "linkDetach", claim.id), new URLSearchParams({ version: claim.version }));
    if (result.ok) { update(result.data.claim); toast(result.data.message, { kind: "success", timeout: 4000 }); }
    else if (result.status === 409) showConflict(claim, result.data, () => linkDecision(claims.get(claim.id), confirm));
    else toast(result.data.message || "That did not work.", { kind: "error" });
  }

  function makeItem(claim) {
    const item = document.createElement("li");
    item.id = `ci-${claim.id}`;
    item.dataset.id = claim.id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "ci-main";
    item.appendChild(button);
    claim.item = item;
    fillItem(claim);
    return item;
  }

  function buildList() {
    const fragment = document.createDocumentFragment();
    for (const claim of order) fragment.appendChild(makeItem(claim));
    listEl.textContent = "";
    listEl.appendChild(fragment);
  }

  function insertClaim(claim) { // a claim the server just created
    let index = order.findIndex((other) => byTextOrder(claim, other) < 0);
    if (index < 0) index = order.length;
    order.splice(index, 0, claim);
    const item = makeItem(claim);
    if (index + 1 < order.length) listEl.insertBefore(item, order[index + 1].item); else listEl.appendChild(item);
    placeClaim(claim);
    refreshVisibility(claim);
  }

  function update(data) { // the server's new state of a claim
    const claim = claims.get(data.id);
    if (!claim) return null;
    adopt(data);
    fillItem(claim);
    refreshVisibility(claim);
    if (claim.id === selectedId) renderDetail();
    return claim;
  }

  /* --- selection, hover, tooltip ------------------------------------------------------------ */
  function link(id) {
    if (linkedId === id) return;
    const previous = linkedId !== null ? claims.get(linkedId) : null;
    linkedId = id;
    if (previous) { restyleClaim(previous); if (previous.item) previous.item.classList.remove("is-linked"); }
    const claim = id !== null ? claims.get(id) : null;
    if (claim) { restyleClaim(claim); if (claim.item) claim.item.classList.add("is-linked"); }
  }

  function scrollToClaim(claim) {
    const behavior = reduceMotion ? "auto" : "smooth";
    if (claim.segs.length) claim.segs[0].el.scrollIntoView({ block: "center", behavior });
    if (claim.item && !claim.item.hidden) claim.item.scrollIntoView({ block: "nearest", behavior });
  }

  function select(id, { scroll = false } = {}) {
    const previous = selectedId !== null ? claims.get(selectedId) : null;
    selectedId = id;
    if (previous) { restyleClaim(previous); fillItem(previous); }
    const claim = id !== null ? claims.get(id) : null;
    if (claim) {
      restyleClaim(claim); fillItem(claim);
      if (scroll) scrollToClaim(claim);
      if (history.replaceState) history.replaceState(null, "", `#claim-${claim.id}`);
    }
    hideConflict();
    renderDetail();
    placeHandles();
  }

  function renderDetail() {
    const claim = selectedId !== null ? claims.get(selectedId) : null;
    if (!claim) { detailEl.hidden = true; return; }
    detailEl.hidden = false;
    detailEl.dataset.id = claim.id;
    const status = $("cd-status");
    status.className = `badge badge-${claim.status}`;
    status.textContent = STATUS_LABELS[claim.status] || claim.status;
    const meta = [claim.origin === "human" ? "marked by hand" : "machine candidate"];
    if (claim.score !== null && claim.score !== undefined) meta.push(`score ${claim.score.toFixed(2)}`);
    if (claim.assignee) meta.push(`assigned to ${claim.assignee}`);
    $("cd-meta").textContent = meta.join(" · ");
    $("cd-quote").textContent = claim.placed ? text.slice(claim.u0, claim.u1) : "(this claim's text is no longer in the article)";
    const verdict = $("cd-verdict");
    verdict.hidden = !claim.verdict;
    if (claim.verdict) {
      verdict.textContent = "";
      verdict.classList.toggle("cd-verdict-possible", !claim.verdict.confirmed);
      if (claim.verdict.confirmed) verdict.append("Published verdict: ", chip("verdict-chip", claim.verdict.label));
      else {
        verdict.append(`Possibly the same claim — verdict ${claim.verdict.label} on ${claim.verdict.date}. `,
                       "The matcher linked it; nobody has confirmed it is the same claim. ");
        if (config.canGroup) {
          const same = document.createElement("button");
          same.type = "button"; same.className = "btn btn-small btn-accept"; same.id = "cd-link-confirm"; same.textContent = "Same claim";
          same.addEventListener("click", () => linkDecision(claim, true));
          const notSame = document.createElement("button");
          notSame.type = "button"; notSame.className = "btn btn-small btn-reject"; notSame.id = "cd-link-detach"; notSame.textContent = "Not the same claim";
          notSame.addEventListener("click", () => linkDecision(claim, false));
          verdict.append(same, " ", notSame);
        }
      }
    }
    const overlaps = $("cd-overlaps");
    const others = new Set();
    for (const seg of claim.segs) for (const id of seg.ids) if (id !== claim.id && claims.get(id).visible) others.add(id);
    overlaps.hidden = !others.size;
    overlaps.textContent = "";
    if (others.size) {
      overlaps.append("Overlaps: ");
      for (const id of others) {
        const other = claims.get(id);
        const button = document.createElement("button");
        button.type = "button"; button.className = "linkbtn";
        button.textContent = `“${snippet(other, 50)}”`;
        button.addEventListener("click", () => select(id, { scroll: true }));
        overlaps.appendChild(button);
      }
    }
    if (config.canCurate) {
      $("cd-type").value = claim.type;
      $("cd-speaker").value = claim.speaker || "";
      $("cd-anon").checked = !!claim.anonymous;
      $("cd-accept").disabled = claim.status === "accepted";
      $("cd-reject").disabled = claim.status === "rejected";
    } else {
      const dl = $("cd-readonly");
      dl.textContent = "";
      for (const [term, value] of [["Type", claim.type_label], ["Speaker", claim.speaker || "—"], ["Anonymous source", claim.anonymous ? "yes" : "no"]]) {
        const dt = document.createElement("dt"); dt.textContent = term;
        const dd = document.createElement("dd"); dd.textContent = value;
        dl.append(dt, dd);
      }
    }
    $("cd-open").href = config.urls.detail.replace("{id}", claim.id);
    $("cd-person").hidden = !claim.person;  // the person the speaker's words name (People)
    if (claim.person) $("cd-person").href = config.urls.person.replace("{id}", claim.person);
  }

  function showTip(seg, event) {
    const shown = visibleAt(seg);
    if (!shown.length) { tipEl.hidden = true; return; }
    tipEl.textContent = "";
    for (const claim of shown) {
      const row = document.createElement("div");
      row.className = "tip-row";
      const head = document.createElement("div");
      head.append(chip(`badge badge-${claim.status}`, STATUS_LABELS[claim.status]), " ", claim.type_label || claim.type);
      if (claim.score !== null && claim.score !== undefined) head.append(" · score ", chip("tip-score", claim.score.toFixed(2)));
      const who = document.createElement("div");
      // the role only when it adds something ("a senior administration official" already says it)
      const role = claim.speaker_role && !(claim.speaker || "").toLowerCase().includes(claim.speaker_role.toLowerCase())
        ? `, ${claim.speaker_role}` : "";
      who.textContent = `Speaker: ${claim.speaker || "—"}${role}`;
      row.append(head, who);
      if (claim.anonymous) row.appendChild(chip("anon-chip", "anonymous source"));
      if (claim.verdict) row.append(" ", verdictChip(claim.verdict, `Verdict: ${claim.verdict.label}`));
      tipEl.appendChild(row);
    }
    tipEl.hidden = false;
    const x = Math.min(event.clientX + 14, window.innerWidth - tipEl.offsetWidth - 8);
    const y = event.clientY + 18 + tipEl.offsetHeight > window.innerHeight ? event.clientY - tipEl.offsetHeight - 10 : event.clientY + 18;
    tipEl.style.left = `${x}px`;
    tipEl.style.top = `${y}px`;
  }

  textEl.addEventListener("mouseover", (event) => {
    const seg = event.target._seg;
    if (!seg) return;
    const shown = visibleAt(seg);
    link(shown.length ? shown[0].id : null);
  });
  textEl.addEventListener("mousemove", (event) => { if (event.target._seg) showTip(event.target._seg, event); });
  textEl.addEventListener("mouseleave", () => { link(null); tipEl.hidden = true; });

  textEl.addEventListener("click", (event) => {
    const seg = event.target._seg;
    if (!seg || !window.getSelection().isCollapsed) return;
    const shown = visibleAt(seg);
    if (!shown.length) return;
    const at = shown.findIndex((c) => c.id === selectedId);
    select(shown[(at + 1) % shown.length].id); // a second click where claims overlap picks the next one
  });

  listEl.addEventListener("mouseover", (event) => {
    const item = event.target.closest(".ci");
    if (item) link(Number(item.dataset.id));
  });
  listEl.addEventListener("mouseleave", () => link(null));
  listEl.addEventListener("focusin", (event) => {
    const item = event.target.closest(".ci");
    if (item) link(Number(item.dataset.id));
  });
  listEl.addEventListener("click", (event) => {
    const item = event.target.closest(".ci");
    if (item) select(Number(item.dataset.id), { scroll: true });
  });

  /* --- actions ---------------------------------------------------------------------------- */
  function url(name, id) { return config.urls[name].replace("{id}", id); }

  function hideConflict() { const box = $("cd-conflict"); if (box) { box.hidden = true; box.textContent = ""; } }

  function describe(state) {
    const parts = [STATUS_LABELS[state.status] || state.status, state.type_label || TYPE_LABELS[state.type] || state.type];
    parts.push(`speaker ${state.speaker ? `“${state.speaker}”` : "none"}`);
    if (state.anonymous) parts.push("anonymous source");
    return parts.join(", ");
  }

  function describeMine(yours) {
    if (yours.action === "accept") return "accept it";
    if (yours.action === "reject") return "reject it";
    const parts = [];
    if (yours.claim_type) parts.push(`type ${TYPE_LABELS[yours.claim_type] || yours.claim_type}`);
    if (yours.speaker !== undefined) parts.push(`speaker “${yours.speaker}”`);
    if (yours.is_anonymous_source !== undefined) parts.push(yours.is_anonymous_source ? "anonymous source" : "not anonymous");
    return parts.length ? `set ${parts.join(", ")}` : "change it";
  }

  function showConflict(claim, data, retry) {
    if (data.current) update(data.current);
    select(claim.id);
    const box = $("cd-conflict");
    box.textContent = "";
    const title = document.createElement("strong");
    title.textContent = "Someone else changed this claim while you were working on it.";
    const theirs = document.createElement("p");
    theirs.textContent = `Theirs (as it is now): ${describe(claim)}.`;
    const mine = document.createElement("p");
    mine.textContent = `Yours (not applied yet): ${describeMine(data.yours || {})}.`;
    const apply = document.createElement("button");
    apply.type = "button"; apply.className = "btn btn-small btn-primary"; apply.textContent = "Apply mine on top of theirs";
    apply.addEventListener("click", () => { hideConflict(); retry(claims.get(claim.id).version); });
    const keep = document.createElement("button");
    keep.type = "button"; keep.className = "btn btn-small btn-quiet"; keep.textContent = "Keep theirs";
    keep.addEventListener("click", () => { hideConflict(); renderDetail(); });
    box.append(title, theirs, mine, apply, " ", keep);
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  async function decide(claim, decision, version = claim.version) {
    if (!config.canCurate || !claim) return;
    const started = performance.now();
    const body = new URLSearchParams({ version });
    const result = await post(url(decision, claim.id), body);
    if (result.ok) {
      const answered = performance.now();
      update(result.data.claim);
      window.__wbTimings = { request: answered - started, render: performance.now() - answered };
      offerUndo(decision === "accept" ? "Accepted." : "Rejected.", result.data.undo);
    } else if (result.status === 409) {
      showConflict(claim, result.data, (v) => decide(claims.get(claim.id), decision, v));
    } else {
      toast(result.data.message || "That did not work.", { kind: "error" });
    }
  }

  async function saveEdits(claim, values, version = claim.version) {
    const body = new URLSearchParams({ version });
    for (const [key, value] of Object.entries(values)) body.set(key, typeof value === "boolean" ? (value ? "true" : "false") : value);
    const result = await post(url("update", claim.id), body);
    if (result.ok) {
      update(result.data.claim);
      offerUndo("Saved.", result.data.undo);
    } else if (result.status === 409) {
      showConflict(claim, result.data, (v) => saveEdits(claims.get(claim.id), values, v));
    } else {
      toast(result.data.message || "That did not work.", { kind: "error" });
    }
  }

  function bulkTargets(decision) {
    const target = decision === "accept" ? "accepted" : "rejected";
    return order.filter((c) => c.visible && c.status !== target).map((c) => c.id);
  }

  async function bulk(decision) {
    const ids = bulkTargets(decision);
    if (!ids.length) { toast("Nothing shown to change.", { timeout: 2500 }); return; }
    // each claim at the version shown: one someone else changed meanwhile is skipped, and said so
    const result = await post(config.urls.bulk, { decision, claims: ids.map((id) => ({ id, version: claims.get(id).version })) });
    if (!result.ok) { toast(result.data.message || "That did not work.", { kind: "error" }); return; }
    for (const data of result.data.claims) update(data);
    lastUndo = result.data.undo || null;
    const kind = result.data.skipped && result.data.skipped.length ? "warning" : "success";
    toast(result.data.message, { kind, timeout: 12000, action: lastUndo ? { label: "Undo (u)", run: undo } : undefined });
  }

  function offerUndo(message, token) { // a single decision or edit: undoable for a while, `u` or the button
    if (token) lastUndo = token;
    toast(message, { kind: "success", timeout: 8000, action: token ? { label: "Undo (u)", run: undo } : undefined });
  }

  async function undo() {
    if (!lastUndo) { toast("Nothing to undo.", { timeout: 2500 }); return; }
    const tokens = lastUndo;
    lastUndo = null;
    const result = await post(config.urls.undo, { undo: tokens });
    if (!result.ok) { toast(result.data.message || "Undo failed.", { kind: "error" }); return; }
    for (const data of result.data.claims) update(data);
    toast(result.data.message, { kind: result.data.conflicts && result.data.conflicts.length ? "warning" : "success" });
  }

  async function createClaim() {
    if (!pendingSelection) return;
    const started = performance.now();
    const [u0, u1] = pendingSelection;
    const exact = text.slice(u0, u1);
    const body = new URLSearchParams({
      article: config.article, start: u16ToCp(u0), end: u16ToCp(u1), exact, units: "codepoint",
      claim_type: $("sm-type").value,
    });
    hideMenu();
    window.getSelection().removeAllRanges();
    const result = await post(config.urls.create, body);
    if (!result.ok) { toast(result.data.message || "The claim could not be created.", { kind: "error", timeout: 10000 }); return; }
    const answered = performance.now();
    const claim = adopt(result.data.claim);
    insertClaim(claim);
    select(claim.id);
    window.__wbTimings = { request: answered - started, render: performance.now() - answered };
    toast("Claim marked.", { kind: "success", timeout: 2500 });
  }

  /* --- moving a claim's edges (Shift+←/→ the end, Alt+Shift+←/→ the start, or drag handles) -- */
  let spanBusy = false;
  function rebuild() { // edges moved: the segments are cut afresh (the text itself is never re-rendered)
    for (const claim of claims.values()) claim.segs = [];
    order.sort(byTextOrder);
    buildSegments();
    applyFilter();
    placeHandles();
  }

  function wordEdge(pos, direction, lo, hi) { // the next word boundary (words: runs of non-space) within [lo, hi]
    const space = (i) => /\s/.test(text[i]);
    let i = pos;
    if (direction > 0) {
      while (i < hi && space(i)) i++;
      while (i < hi && !space(i)) i++;
    } else {
      while (i > lo && space(i - 1)) i--;
      while (i > lo && !space(i - 1)) i--;
    }
    return i;
  }

  function keyEdge(claim, edge, direction) {
    let [a, b] = [claim.u0, claim.u1];
    if (edge === "end") {
      b = direction > 0 ? wordEdge(b, 1, a, text.length) : wordEdge(b, -1, a, b);
      while (b > a && /\s/.test(text[b - 1])) b--; // an end never sits after white space
    } else {
      a = direction > 0 ? wordEdge(a, 1, a, b) : wordEdge(a, -1, 0, b);
      while (a < b && /\s/.test(text[a])) a++;
    }
    if (a >= b) { toast("A claim keeps at least one word.", { timeout: 2500 }); return; }
    moveSpan(claim, a, b);
  }

  async function moveSpan(claim, a, b, version = claim.version) {
    if (!config.canCurate || !claim || spanBusy) return;
    a = clusterAt(a)[0]; // never split what readers see as one character
    b = clusterAt(Math.max(a, b - 1))[1];
    if (a === claim.u0 && b === claim.u1) return;
    spanBusy = true;
    const body = new URLSearchParams({ version, start: u16ToCp(a), end: u16ToCp(b), exact: text.slice(a, b), units: "codepoint" });
    const result = await post(url("span", claim.id), body);
    spanBusy = false;
    if (result.ok) {
      adopt(result.data.claim);
      rebuild();
      fillItem(claim);
      renderDetail();
      $("span-status").textContent = `Span: “${snippet(claim, 120)}”`;
    } else if (result.status === 409) {
      showConflict(claim, result.data, (v) => moveSpan(claims.get(claim.id), a, b, v));
    } else {
      toast(result.data.message || "The span could not be changed.", { kind: "error", timeout: 8000 });
    }
  }

  const handles = config.canCurate ? ["start", "end"].map((edge) => {
    const el = document.createElement("span");
    el.className = `span-handle span-handle-${edge}`;
    el.dataset.edge = edge;
    el.hidden = true;
    el.title = edge === "start" ? "Drag to move the start (or Alt+Shift+←/→)" : "Drag to move the end (or Shift+←/→)";
    el.setAttribute("aria-hidden", "true");
    document.body.appendChild(el);
    return el;
  }) : [];

  function placeHandles() {
    const claim = selectedId !== null ? claims.get(selectedId) : null;
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

  function caretAt(x, y) { // UTF-16 offset in the text under a viewport point, or null
    let node, offset;
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      if (!p) return null;
      node = p.offsetNode; offset = p.offset;
    } else if (document.caretRangeFromPoint) {
      const r = document.caretRangeFromPoint(x, y);
      if (!r) return null;
      node = r.startContainer; offset = r.startOffset;
    } else return null;
    return textEl.contains(node) ? pointToU16(node, offset) : null;
  }

  for (const el of handles) {
    el.addEventListener("pointerdown", (event) => {
      const claim = selectedId !== null ? claims.get(selectedId) : null;
      if (!claim) return;
      event.preventDefault();
      el.setPointerCapture(event.pointerId);
      el.classList.add("is-dragging");
      const edge = el.dataset.edge;
      const move = (e) => { el.style.left = `${e.clientX + window.scrollX - 5}px`; };
      const up = (e) => {
        el.removeEventListener("pointermove", move);
        el.removeEventListener("pointerup", up);
        el.classList.remove("is-dragging");
        el.hidden = true; // out of the way of the hit test
        const pos = caretAt(e.clientX, e.clientY);
        el.hidden = false;
        if (pos === null) { placeHandles(); return; }
        // snap to a word boundary: the start to a word's beginning, the end to a word's end
        let a = claim.u0, b = claim.u1;
        if (edge === "start") {
          a = pos;
          while (a > 0 && !/\s/.test(text[a - 1])) a--;
          while (a < text.length && /\s/.test(text[a])) a++;
        } else {
          b = pos;
          while (b < text.length && !/\s/.test(text[b])) b++;
          while (b > 0 && /\s/.test(text[b - 1])) b--;
        }
        if (a >= b) { toast("A claim keeps at least one word.", { timeout: 2500 }); placeHandles(); return; }
        moveSpan(claim, a, b).then(placeHandles);
      };
      el.addEventListener("pointermove", move);
      el.addEventListener("pointerup", up);
    });
  }
  window.addEventListener("resize", () => placeHandles());

  /* --- selecting text to create a claim --------------------------------------------------- */
  const WORD = /[\p{L}\p{N}\p{M}_]/u;
  function isWordUnit(i) {
    const ch = text[i];
    if (ch === undefined) return false;
    if (WORD.test(ch)) return true;
    if ("'’-‐".includes(ch)) return i > 0 && WORD.test(text[i - 1]) && WORD.test(text[i + 1] || "");
    return false;
  }
  function snap(a, b) {
    while (a < b && /\s/.test(text[a])) a++;
    while (b > a && /\s/.test(text[b - 1])) b--;
    if (a >= b) return null;
    while (a > 0 && isWordUnit(a - 1) && isWordUnit(a)) a--;
    while (b < text.length && isWordUnit(b) && isWordUnit(b - 1)) b++;
    // Never split what readers see as one character (👍🏽, flags, a letter with combining accents):
    // the server refuses such spans. Snap both ends outwards to grapheme cluster boundaries.
    a = clusterAt(a)[0];
    b = clusterAt(b - 1)[1];
    return [a, b];
  }

  const graphemes = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function clusterAt(i) { // [start, end) in UTF-16 units of the grapheme cluster holding text[i]
    if (graphemes) {
      // Only the line holding i is segmented: a line break always ends a cluster.
      const lineStart = i > 0 ? text.lastIndexOf("\n", i - 1) + 1 : 0;
      let lineEnd = text.indexOf("\n", i);
      if (lineEnd < 0) lineEnd = text.length;
      const found = lineEnd > lineStart ? graphemes.segment(text.slice(lineStart, lineEnd)).containing(i - lineStart) : null;
      if (found) return [lineStart + found.index, lineStart + found.index + found.segment.length];
    }
    let start = i, end = i + 1; // no Intl.Segmenter: at least never split a surrogate pair
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) start = i - 1;
    if (unit >= 0xd800 && unit <= 0xdbff) end = i + 2;
    return [start, Math.min(end, text.length)];
  }

  function pointToU16(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) return node.parentNode._seg ? node.parentNode._seg.start + offset : null;
    if (node === textEl) return offset >= textEl.childNodes.length ? text.length : textEl.childNodes[offset]._seg.start;
    if (node._seg) return offset === 0 ? node._seg.start : node._seg.end;
    return null;
  }

  function domPoint(pos, preferEnd) {
    let index = segIndexAt(pos);
    if (preferEnd && index > 0 && segs[index].start === pos) index--;
    const seg = segs[index];
    return [seg.el.firstChild || seg.el, pos - seg.start];
  }

  function hideMenu() { if (menuEl) menuEl.hidden = true; pendingSelection = null; }

  function onSelection() {
    if (!menuEl) return;
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) { hideMenu(); return; }
    const range = selection.getRangeAt(0);
    if (!textEl.contains(range.startContainer) || !textEl.contains(range.endContainer)) { hideMenu(); return; }
    const a = pointToU16(range.startContainer, range.startOffset);
    const b = pointToU16(range.endContainer, range.endOffset);
    if (a === null || b === null) { hideMenu(); return; }
    const snapped = snap(Math.min(a, b), Math.max(a, b));
    if (!snapped) { hideMenu(); return; }
    pendingSelection = snapped;
    const fixed = document.createRange();
    fixed.setStart(...domPoint(snapped[0], false));
    fixed.setEnd(...domPoint(snapped[1], true));
    selection.removeAllRanges();
    selection.addRange(fixed);
    const quote = text.slice(snapped[0], snapped[1]);
    $("sm-quote").textContent = quote.length > 140 ? `${quote.slice(0, 139)}…` : quote;
    menuEl.hidden = false;
    const rects = fixed.getClientRects();
    const rect = rects.length ? rects[rects.length - 1] : fixed.getBoundingClientRect();
    const left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - menuEl.offsetWidth - 8));
    menuEl.style.left = `${left}px`;
    menuEl.style.top = `${rect.bottom + window.scrollY + 8}px`;
    pendingSelection = snapped;
  }

  textEl.addEventListener("mouseup", () => setTimeout(onSelection, 0));
  textEl.addEventListener("keyup", (event) => { if (event.shiftKey) onSelection(); });
  if (menuEl) {
    $("sm-create").addEventListener("click", createClaim);
    $("sm-cancel").addEventListener("click", () => { hideMenu(); window.getSelection().removeAllRanges(); });
  }

  /* --- controls and keyboard ---------------------------------------------------------------- */
  $("f-status").addEventListener("change", (e) => { filter.status = e.target.value; applyFilter(); });
  $("f-type").addEventListener("change", (e) => { filter.type = e.target.value; applyFilter(); });
  $("f-score").addEventListener("input", (e) => {
    const value = parseFloat(e.target.value);
    filter.minScore = Number.isFinite(value) ? value : null;
    applyFilter();
  });
  $("f-score-all").addEventListener("click", () => {
    $("f-score").value = "";
    filter.minScore = null;
    applyFilter();
  });
  $("cd-close").addEventListener("click", () => select(null));
  if (config.canCurate) {
    $("cd-accept").addEventListener("click", () => decide(claims.get(selectedId), "accept"));
    $("cd-reject").addEventListener("click", () => decide(claims.get(selectedId), "reject"));
    $("cd-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const claim = claims.get(selectedId);
      if (claim) saveEdits(claim, { claim_type: $("cd-type").value, speaker: $("cd-speaker").value.trim(), is_anonymous_source: $("cd-anon").checked });
    });
    $("bulk-accept").addEventListener("click", () => bulk("accept"));
    $("bulk-reject").addEventListener("click", () => bulk("reject"));
  }

  function step(direction) {
    const candidates = order.filter((c) => c.visible && c.placed && c.status === "candidate");
    if (!candidates.length) { toast("No undecided candidates shown.", { timeout: 2500 }); return; }
    const current = selectedId !== null ? claims.get(selectedId) : null;
    let next;
    if (!current) next = direction > 0 ? candidates[0] : candidates[candidates.length - 1];
    else if (direction > 0) next = candidates.find((c) => byTextOrder(c, current) > 0) || candidates[0];
    else next = [...candidates].reverse().find((c) => byTextOrder(c, current) < 0) || candidates[candidates.length - 1];
    select(next.id, { scroll: true });
  }

  const help = $("help-dialog");
  $("help-open").addEventListener("click", () => help.showModal());
  // Single-key shortcuts come from the person's preferences (WCAG 2.1.4: they can be turned off
  // or remapped at /preferences/); Esc is not a character key and always works.
  const shortcuts = config.shortcuts || { enabled: true, keys: {} };
  const keyToAction = new Map();
  for (const [name, keys] of Object.entries(shortcuts.keys)) for (const key of keys) keyToAction.set(key, name);
  const CURATE = new Set(["accept", "reject", "type", "speaker", "create", "undo"]);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    // Shift+←/→ move the selected claim's end by a word, Alt+Shift+←/→ its start. Not character
    // keys (WCAG 2.1.4 does not apply), so they work whatever the single-key preferences say.
    if (event.shiftKey && !event.ctrlKey && !event.metaKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")
        && selectedId !== null && config.canCurate && window.getSelection().isCollapsed
        && !(target.closest && target.closest("input, select, textarea, [contenteditable], dialog[open]"))) {
      event.preventDefault();
      keyEdge(claims.get(selectedId), event.altKey ? "start" : "end", event.key === "ArrowRight" ? 1 : -1);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("input, select, textarea, [contenteditable], dialog[open]")) {
      if (event.key === "Escape" && !target.closest("dialog")) target.blur();
      return;
    }
    const claim = selectedId !== null ? claims.get(selectedId) : null;
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

  /* --- start ------------------------------------------------------------------------------ */
  order = initialClaims.map(adopt).sort(byTextOrder);
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
  window.WorkbenchArticle = { cpToU16, u16ToCp, snap, claims, segs: () => segs, select, moveSpan };
})();
