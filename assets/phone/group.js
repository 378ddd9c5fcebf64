// Group work on the phone: the municipality's shared choice, edited together from several phones.
// Every save names the version it was made from; when someone else saved first, the server says so
// and sends the current choice, which is shown instead (nothing is overwritten silently).
"use strict";

const group = { form: null, loaded: 0, dirty: false, busy: false };

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
  counter.setAttribute("aria-live", "polite");
  const count = () => { counter.textContent = state.texts.characters_left.replace("{count}", limit - input.value.length); };
  input.maxLength = limit;
  input.addEventListener("input", count);
  count();
  return counter;
}

function textField(id, label, value, limit, multiline) {
  const input = element(multiline ? "textarea" : "input", { id, value: value || "" });
  return [element("label", { htmlFor: id, className: "field-label" }, label), input, counted(input, limit)];
}

// Read what the form says now, in the API's shape.
function readGroupForm(form) {
  const area = form.querySelector("input[name=area]:checked");
  const measures = group.form.free_measures
    ? [...form.querySelectorAll("input.own-measure")].map((input) => input.value).filter((text) => text.trim())
    : [...form.querySelectorAll("input[name=measure]:checked")].map((input) => input.value);
  return {
    focus_area_id: area ? Number(area.value) : null,
    measures,
    reason: form.querySelector("#group-reason").value,
    first_step: form.querySelector("#group-step").value,
    responsible_role: form.querySelector("#group-role").value,
    due_month: form.querySelector("#group-month").value,
  };
}

function measureControls(area, choice) {
  const t = state.texts;
  const most = group.form.max_measures;
  const box = element("fieldset", {}, element("legend", { className: "prompt" },
    t.group_measures.replace("{count}", most)));
  if (group.form.free_measures) {
    for (let number = 0; number < most; number++) {
      const id = `own-measure-${number}`;
      const input = element("input", { id, className: "own-measure", value: choice?.measures?.[number] || "" });
      box.append(element("label", { htmlFor: id, className: "field-label" }, t.group_own_measure.replace("{number}", number + 1)),
        input, counted(input, group.form.limits.measure));
    }
    return box;
  }
  const list = element("div", { className: "choices" });
  for (const measure of area?.measures || []) {
    const input = element("input", { type: "checkbox", name: "measure", value: measure.id,
      checked: (choice?.measures || []).includes(measure.id) });
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

function showGroupForm(message, messageClass) {
  const t = state.texts;
  const { choice, locked } = group.form;
  const section = $("group");
  const readOnly = locked || choice?.status === "submitted" || choice?.status === "locked";
  const form = element("form", { className: "question", noValidate: true });
  form.append(element("h2", {}, t.group_heading.replace("{municipality}", group.form.municipality.name)));
  const areaBox = element("fieldset", {}, element("legend", { className: "prompt" }, t.group_area));
  const areas = element("div", { className: "choices" });
  for (const area of group.form.areas) {
    const input = element("input", { type: "radio", name: "area", value: area.id, checked: choice?.focus_area_id === area.id });
    areas.append(element("label", {}, input, area.name));
  }
  areaBox.append(areas);
  const measures = element("div");
  const chosenArea = () => group.form.areas.find((a) => a.id === Number(areas.querySelector("input:checked")?.value));
  const showMeasures = (kept) => measures.replaceChildren(measureControls(chosenArea(), kept));
  areas.addEventListener("change", () => showMeasures({ measures: [] }));
  showMeasures(choice);
  const limits = group.form.limits;
  const month = element("input", { id: "group-month", type: "month", value: choice?.due_month || "", placeholder: "2027-03" });
  form.append(areaBox, measures,
    ...textField("group-reason", t.group_reason, choice?.reason, limits.text, true),
    ...textField("group-step", t.group_first_step, choice?.first_step, limits.text, true),
    ...textField("group-role", t.group_responsible, choice?.responsible_role, limits.role, false),
    element("label", { htmlFor: "group-month", className: "field-label" }, t.group_due), month);
  const status = element("p", { className: messageClass || "quiet", textContent: message || "" });
  status.setAttribute("role", "status");
  if (locked || choice?.status === "locked") {
    status.className = "received";
    status.textContent = message || t.group_locked;
  } else if (choice?.status === "submitted") {
    const reopen = element("button", { type: "button", className: "secondary", textContent: t.group_reopen });
    reopen.addEventListener("click", () => saveGroup(form, "reopen", status));
    form.append(reopen);
    if (!message) { status.className = "received"; status.textContent = t.group_submitted; }
  } else {
    const save = element("button", { type: "button", className: "secondary", textContent: t.group_save });
    const submit = element("button", { type: "submit", textContent: t.group_submit });
    save.addEventListener("click", () => saveGroup(form, "save", status));
    form.addEventListener("submit", (event) => { event.preventDefault(); saveGroup(form, "submit", status); });
    form.append(save, submit);
  }
  form.append(status);
  for (const input of form.querySelectorAll("input, textarea")) {
    input.disabled = input.disabled || readOnly;
    input.addEventListener("input", () => { group.dirty = true; });
    input.addEventListener("change", () => { group.dirty = true; });
  }
  section.replaceChildren(form);
  group.dirty = false;
}

async function saveGroup(form, action, status) {
  if (group.busy) return;
  group.busy = true;
  status.className = "quiet";
  status.textContent = state.texts.sending;
  const body = { version: group.form.choice?.version || 0, action, ...readGroupForm(form) };
  try {
    const sent = await request("PUT", groupPath(), body);
    if (sent.ok) {
      group.form.choice = sent.body;
      group.loaded = sent.body.version;
      showGroupForm(action === "save" ? state.texts.group_saved : "", "received");
    } else if (sent.status === 409) {  // someone in the group saved first: show theirs, and say so
      group.form.choice = sent.body.choice;
      group.loaded = sent.body.choice?.version || 0;
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
  group.loaded = loaded.body.choice?.version || 0;
  showGroupForm(message, message ? "problem" : "quiet");
}

// Called with every `state` the event stream sends.
function showGroupWork(section) {
  const municipality = state.registration?.municipality;
  const shown = Boolean(section?.active && municipality);  // below an open poll, if there is one
  $("group").hidden = !shown;
  if (!shown) return;
  $("waiting").hidden = true;
  const version = section.versions?.[municipality] || 0;
  const languageChanged = group.form && $("group").dataset.language !== state.language;
  $("group").dataset.language = state.language;
  if (!group.form || languageChanged || (version !== group.loaded && !group.dirty) || section.locked !== group.form.locked) {
    loadGroup();
  } else if (version !== group.loaded) {  // the group saved while this phone has unsaved changes
    const status = $("group").querySelector("[role=status]");
    if (status) { status.className = "problem"; status.textContent = state.texts.group_changed; }
  }
}
