// Group work on the phone: the municipality's shared choice, edited together from several phones.
// Every save names the version it was made from and the values it started from (its base). The server
// merges it when the others changed other fields; when someone changed the same field, nothing is
// stored and both texts are shown here: this phone keeps what its person typed beside the other text.
"use strict";

const group = { form: null, loaded: 0, dirty: false, busy: false };
const NEAR_LIMIT = 20;  // character counters speak up from this many characters left
const TEXT_FIELDS = ["reason", "first_step", "responsible_role", "due_month"];
const EMPTY_CHOICE = { focus_area_id: null, measures: [], reason: "", first_step: "", responsible_role: "", due_month: "",
  step_status: "", step_note: "" };
const STEP_STATUSES = ["not_started", "begun", "done", "dropped"];
const STEP_NOTE_LIMIT = 300;

function groupPath() {
  return `/api/events/${encodeURIComponent(state.code)}/devices/${deviceId()}/group`;
}

function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function counted(input, limit) {
  const counter = element("p", { className: "quiet" });
  const count = () => {
    const left = limit - input.value.length;
    counter.setAttribute("aria-live", left <= NEAR_LIMIT ? "polite" : "off");  // not at every keystroke
    counter.textContent = state.texts.characters_left.replace("{count}", left);
  };
  input.maxLength = limit;
  input.addEventListener("input", count);
  count();
  return counter;
}

function textField(id, label, value, limit, multiline) {
  const input = element(multiline ? "textarea" : "input", { id, value: value || "" });
  return [element("label", { htmlFor: id, className: "field-label" }, label), input, counted(input, limit)];
}

// The fields of a choice in the API's shape (the stored choice, or none yet).
function choiceValues(choice) {
  const values = {};
  for (const name of Object.keys(EMPTY_CHOICE)) values[name] = choice ? choice[name] : EMPTY_CHOICE[name];
  return values;
}

// Whether two values of one field are the same; the area goes with its measures.
function sameField(name, first, second) {
  if (name === "focus_area_id") {
    return JSON.stringify([first.focus_area_id, first.measures]) === JSON.stringify([second.focus_area_id, second.measures]);
  }
  return first[name] === second[name];
}

// Read what the form says now, in the API's shape.
function readGroupForm(form) {
  const area = form.querySelector("input[name=area]:checked");
  const measures = group.form.free_measures
    ? Array.from(form.querySelectorAll("input.own-measure")).map((input) => input.value).filter((text) => text.trim())
    : Array.from(form.querySelectorAll("input[name=measure]:checked")).map((input) => input.value);
  return {
    focus_area_id: area ? Number(area.value) : null,
    measures,
    reason: form.querySelector("#group-reason").value,
    first_step: form.querySelector("#group-step").value,
    responsible_role: form.querySelector("#group-role").value,
    due_month: form.querySelector("#group-month").value,
    ...readStepReport(form),
  };
}

// The status of the first step chosen at the network's last meeting: asked only where there was one.
function readStepReport(form) {
  if (!group.form.earlier) return {};
  const status = form.querySelector("input[name=step-status]:checked");
  return { step_status: status ? status.value : "", step_note: form.querySelector("#group-step-note").value };
}

function earlierControls(earlier, values) {
  const t = state.texts;
  const box = element("fieldset", { className: "earlier" }, element("legend", { className: "prompt" },
    t.group_earlier.replace("{meeting}", earlier.meeting).replace("{day}", earlier.day)));
  box.append(element("p", { textContent: [earlier.area].concat(earlier.measures).filter(Boolean).join(" · ") }),
    element("p", { textContent: t.group_earlier_step.replace("{step}", earlier.first_step || "–") }));
  const statuses = element("fieldset", {}, element("legend", { className: "prompt" }, t.group_step_status));
  const choices = element("div", { className: "choices" });
  for (const status of STEP_STATUSES) {
    const input = element("input", { type: "radio", name: "step-status", value: status,
      checked: values.step_status === status });
    choices.append(element("label", {}, input, t[`step_${status}`]));
  }
  statuses.append(choices);
  box.append(statuses, ...textField("group-step-note", t.group_step_note, values.step_note, STEP_NOTE_LIMIT, true));
  return box;
}

function measureControls(area, values) {
  const t = state.texts;
  const most = group.form.max_measures;
  const chosen = values.measures || [];
  const box = element("fieldset", {}, element("legend", { className: "prompt" },
    t.group_measures.replace("{count}", most)));
  if (group.form.free_measures) {
    for (let number = 0; number < most; number++) {
      const id = `own-measure-${number}`;
      const input = element("input", { id, className: "own-measure", value: chosen[number] || "" });
      box.append(element("label", { htmlFor: id, className: "field-label" }, t.group_own_measure.replace("{number}", number + 1)),
        input, counted(input, group.form.limits.measure));
    }
    return box;
  }
  const list = element("div", { className: "choices" });
  for (const measure of area ? area.measures : []) {
    const input = element("input", { type: "checkbox", name: "measure", value: measure.id,
      checked: chosen.includes(measure.id) });
    list.append(element("label", {}, input, measure.name));
  }
  const limit = () => {
    const checked = list.querySelectorAll("input:checked").length;
    for (const input of list.querySelectorAll("input")) input.disabled = !input.checked && checked >= most;
  };
  list.addEventListener("change", limit);
  limit();
  box.append(area ? list : element("p", { className: "quiet" }, t.group_area_first));
  return box;
}

// What the others saved in a field this phone changed too, with a button that takes it.
function theirsBox(text, take) {
  const t = state.texts;
  const box = element("div", { className: "theirs" },
    element("p", { className: "prompt" }, t.group_theirs), element("blockquote", { textContent: text || "–" }));
  const use = element("button", { type: "button", className: "secondary", textContent: t.group_use_theirs });
  use.addEventListener("click", () => { take(); box.remove(); group.dirty = true; });
  box.append(use);
  return box;
}

function areaText(values) {
  const area = group.form.areas.find((a) => a.id === values.focus_area_id);
  if (!area) return "";
  const names = group.form.free_measures ? values.measures
    : values.measures.map((id) => (area.measures.find((m) => m.id === id) || { name: id }).name);
  return [area.name].concat(names).join(" · ");
}

// The form shows `shown` (the stored choice unless told otherwise); `conflicts` are the others' values
// of the fields both changed.
function showGroupForm(message, messageClass, shown, conflicts) {
  const t = state.texts;
  const { choice } = group.form;
  const values = shown || choiceValues(choice);
  const status = choice ? choice.status : "draft";
  const locked = group.form.locked;
  const section = $("group");
  const readOnly = locked || status === "submitted";
  const form = element("form", { className: "question", noValidate: true });
  form.append(element("h2", {}, t.group_heading.replace("{municipality}", group.form.municipality.name)));
  if (group.form.asked && !locked && status !== "submitted") {
    form.append(element("p", { className: "waiting", textContent: t.group_asked }));
  }
  if (group.form.earlier) form.append(earlierControls(group.form.earlier, values));
  const areaBox = element("fieldset", {}, element("legend", { className: "prompt" }, t.group_area));
  const areas = element("div", { className: "choices" });
  for (const area of group.form.areas) {
    const input = element("input", { type: "radio", name: "area", value: area.id, checked: values.focus_area_id === area.id });
    areas.append(element("label", {}, input, area.name));
  }
  areaBox.append(areas);
  const measures = element("div");
  const chosenArea = () => {
    const checked = areas.querySelector("input:checked");
    return group.form.areas.find((a) => checked && a.id === Number(checked.value));
  };
  const showMeasures = (kept) => {
    measures.textContent = "";
    measures.append(measureControls(chosenArea(), kept));
  };
  areas.addEventListener("change", () => showMeasures({ measures: [] }));
  showMeasures(values);
  form.append(areaBox, measures);
  if (conflicts && "focus_area_id" in conflicts) {
    const theirs = conflicts.focus_area_id;
    form.append(theirsBox(areaText(theirs), () => {
      for (const input of areas.querySelectorAll("input")) input.checked = Number(input.value) === theirs.focus_area_id;
      showMeasures(theirs);
    }));
  }
  const limits = group.form.limits;
  const month = element("input", { id: "group-month", type: "month", value: values.due_month || "", placeholder: "2027-03" });
  const fields = {
    reason: textField("group-reason", t.group_reason, values.reason, limits.text, true),
    first_step: textField("group-step", t.group_first_step, values.first_step, limits.text, true),
    responsible_role: textField("group-role", t.group_responsible, values.responsible_role, limits.role, false),
    due_month: [element("label", { htmlFor: "group-month", className: "field-label" }, t.group_due), month],
  };
  for (const name of TEXT_FIELDS) {
    form.append(...fields[name]);
    if (conflicts && name in conflicts) {
      const input = fields[name][1];
      form.append(theirsBox(conflicts[name], () => { input.value = conflicts[name]; input.dispatchEvent(new Event("input")); }));
    }
  }
  const statusLine = element("p", { className: messageClass || "quiet", textContent: message || "" });
  statusLine.setAttribute("role", "status");
  if (locked) {
    statusLine.className = "received";
    statusLine.textContent = message || (status === "submitted" ? t.group_locked : t.group_locked_draft);
  } else if (status === "submitted") {
    const reopen = element("button", { type: "button", className: "secondary", textContent: t.group_reopen });
    reopen.addEventListener("click", () => saveGroup(form, "reopen", statusLine));
    form.append(reopen);
    if (!message) { statusLine.className = "received"; statusLine.textContent = t.group_submitted; }
  } else {
    const save = element("button", { type: "button", className: "secondary", textContent: t.group_save });
    const submit = element("button", { type: "submit", textContent: t.group_submit });
    save.addEventListener("click", () => saveGroup(form, "save", statusLine));
    form.addEventListener("submit", (event) => { event.preventDefault(); saveGroup(form, "submit", statusLine); });
    form.append(save, submit);
  }
  form.append(statusLine);
  for (const input of form.querySelectorAll("input, textarea")) {
    input.disabled = input.disabled || readOnly;
    input.addEventListener("input", () => { group.dirty = true; });
    input.addEventListener("change", () => { group.dirty = true; });
  }
  section.textContent = "";
  section.append(form);
  group.dirty = Boolean(conflicts);
}

// Someone changed the same fields: keep what this phone typed in them, take the others' changes
// elsewhere, and show their text beside each field in conflict.
function showConflict(answer, mine, base) {
  group.form.choice = answer.choice;
  group.loaded = answer.choice ? answer.choice.version : 0;
  const theirs = choiceValues(answer.choice);
  const shown = {};
  const conflicts = {};
  for (const name of ["focus_area_id"].concat(TEXT_FIELDS, group.form.earlier ? ["step_status", "step_note"] : [])) {
    const changedHere = !sameField(name, mine, base);
    if (name === "focus_area_id") {
      shown.focus_area_id = changedHere ? mine.focus_area_id : theirs.focus_area_id;
      shown.measures = changedHere ? mine.measures : theirs.measures;
      if (answer.conflicts.includes(name)) conflicts[name] = theirs;
    } else {
      shown[name] = changedHere ? mine[name] : theirs[name];
      if (answer.conflicts.includes(name)) conflicts[name] = theirs[name];
    }
  }
  showGroupForm(answer.detail, "problem", shown, conflicts);
}

async function saveGroup(form, action, status) {
  if (group.busy) return;
  group.busy = true;
  status.className = "quiet";
  status.textContent = state.texts.sending;
  const base = choiceValues(group.form.choice);
  const mine = readGroupForm(form);
  const body = Object.assign({ version: group.form.choice ? group.form.choice.version : 0, action, base }, mine);
  try {
    const sent = await request("PUT", groupPath(), body);
    if (sent.ok) {
      group.form.choice = sent.body;
      group.loaded = sent.body.version;
      showGroupForm(action === "save" ? state.texts.group_saved : "", "received");
    } else if (sent.status === 409 && sent.body.conflicts && sent.body.conflicts.length) {
      showConflict(sent.body, mine, base);
    } else if (sent.status === 409) {  // someone in the group saved first: show theirs, and say so
      group.form.choice = sent.body.choice;
      group.loaded = sent.body.choice ? sent.body.choice.version : 0;
      showGroupForm(sent.body.detail, "problem");
    } else if (sent.status === 423) {
      await loadGroup(sent.body.detail);
    } else {
      status.className = "problem";
      status.textContent = sent.body.detail || state.texts.not_sent;
    }
  } catch (error) {
    status.className = "problem";
    status.textContent = state.texts.not_sent;
  } finally {
    group.busy = false;
  }
}

async function loadGroup(message) {
  const loaded = await request("GET", groupPath());
  if (!loaded.ok) return;
  group.form = loaded.body;
  group.form.asked = Boolean(state.groupWork && (state.groupWork.asked || []).includes(group.form.municipality.number));
  group.loaded = loaded.body.choice ? loaded.body.choice.version : 0;
  showGroupForm(message, message ? "problem" : "quiet");
}

// Called with every `state` the event stream sends.
function showGroupWork(section) {
  const municipality = state.registration ? state.registration.municipality : null;
  const asked = Boolean(section && municipality && (section.asked || []).includes(municipality));
  const shown = Boolean(section && (section.active || asked) && municipality);
  const pollOpen = Boolean(state.poll && state.poll.status === "open");
  if (shown && !state.groupShown && !pollOpen) state.view = "group";  // group work began: it takes the screen
  state.groupShown = shown;
  arrange();
  if (!shown) return;
  const locked = section.locked && !asked;  // a group asked to finish may still change its choice
  const version = (section.versions || {})[municipality] || 0;
  const languageChanged = group.form && $("group").dataset.language !== state.language;
  $("group").dataset.language = state.language;
  if (!group.form || languageChanged || (version !== group.loaded && !group.dirty) || locked !== group.form.locked
      || asked !== Boolean(group.form.asked)) {
    loadGroup();
  } else if (version !== group.loaded) {  // the group saved while this phone has unsaved changes
    const status = $("group").querySelector("[role=status]");
    if (status) { status.className = "problem"; status.textContent = state.texts.group_changed; }
  }
}
