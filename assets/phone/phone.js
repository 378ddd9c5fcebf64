// The participant's phone: a light page, no framework. Texts come from the server in the chosen language.
"use strict";

const storedLanguage = localStorage.getItem("language");
const state = {
  language: ["nb", "nn", "en"].includes(storedLanguage) ? storedLanguage : "nb",
  code: decodeURIComponent(location.pathname.split("/join/")[1] || "").trim().toUpperCase(),
  texts: {},
  event: null,
  registration: null,
};
const $ = (id) => document.getElementById(id);

async function request(method, path, body) {
  const response = await fetch(`${path}${path.includes("?") ? "&" : "?"}lang=${state.language}`, {
    method,
    headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body: answer };
}

// A random id kept on this phone for this event: it is all that tells two phones apart.
function deviceId() {
  const key = `device:${state.code}`;
  let id = localStorage.getItem(key);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(18));
    id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
    localStorage.setItem(key, id);
  }
  return id;
}

function showTexts() {
  const t = state.texts;
  document.documentElement.lang = state.language;
  document.title = t.page_title;
  $("language-label").textContent = t.language;
  $("join-heading").textContent = t.page_title;
  $("code-label").textContent = t.enter_code;
  $("code-button").textContent = t.join;
  $("welcome").textContent = t.welcome;
  $("waiting").textContent = t.waiting;
  $("municipality-question").textContent = t.municipality_question;
  $("search-label").textContent = t.search;
  $("no-match").textContent = t.no_match;
  $("role-label").textContent = t.role_question;
  $("join-button").textContent = t.join;
  $("change-button").textContent = t.change;
}

function showMunicipalities() {
  const chosen = document.querySelector("input[name=municipality]:checked")?.value
    || state.registration?.municipality;
  const search = $("municipality-search").value.trim().toLowerCase();
  const list = $("municipalities");
  list.replaceChildren();
  const shown = state.event.municipalities.filter(
    (m) => !search || m.label.toLowerCase().includes(search) || m.value.startsWith(search));
  for (const municipality of shown) {
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "municipality";
    radio.value = municipality.value;
    radio.checked = municipality.value === chosen;
    label.append(radio, `${municipality.label} (${municipality.value})`);
    list.append(label);
  }
  $("no-match").hidden = shown.length > 0;
}

function showRoles() {
  const select = $("role");
  select.replaceChildren(new Option(state.texts.no_role, ""));
  for (const role of state.event.roles) select.append(new Option(role.label, role.value));
  select.value = state.registration?.role || "";
  $("role-block").hidden = state.event.roles.length === 0;
}

let stream = null;

// Listen for the poll on screen; EventSource reconnects by itself and resumes with Last-Event-ID.
function listen() {
  if (stream) return;
  stream = new EventSource(`/api/events/${encodeURIComponent(state.code)}/stream`);
  stream.addEventListener("state", (message) => {
    state.poll = JSON.parse(message.data).poll;
    showPoll();
  });
  stream.addEventListener("open", () => { $("status").textContent = ""; });
  stream.addEventListener("error", () => { $("status").textContent = state.texts.offline; });
}

function showPoll() {
  const poll = state.poll;
  $("poll").hidden = !poll;
  $("waiting").hidden = Boolean(poll && poll.status === "open");
  if (!poll) return;
  $("poll-title").textContent = poll.title;
  const questions = $("poll-questions");
  questions.replaceChildren();
  for (const question of poll.questions) {
    const prompt = document.createElement("p");
    prompt.className = "prompt";
    prompt.textContent = question.prompt;
    questions.append(prompt);
  }
  questions.hidden = poll.status !== "open";
  $("poll-closed").hidden = poll.status === "open";
  $("poll-closed").textContent = state.texts.poll_closed;
}

function showStep() {
  const joined = Boolean(state.registration?.municipality);
  $("join-form").hidden = joined;
  $("waiting-block").hidden = !joined;
  if (joined) {
    const municipality = state.event.municipalities.find((m) => m.value === state.registration.municipality);
    $("joined-for").textContent = state.texts.joined_for.replace("{municipality}", municipality?.label || "");
    listen();
    if (state.poll !== undefined) showPoll();
  } else {
    showMunicipalities();
    showRoles();
  }
}

async function showEvent() {
  const { ok, body } = await request("GET", `/api/events/${encodeURIComponent(state.code)}`);
  if (!ok) {
    $("event").hidden = true;
    $("code-form").hidden = false;
    $("code").value = state.code;
    $("code-problem").textContent = body.detail || "";
    return;
  }
  state.event = body;
  $("code-form").hidden = true;
  $("event").hidden = false;
  $("event-title").textContent = body.title;
  $("event-facts").textContent = [body.date, body.venue].filter(Boolean).join(" · ");
  const known = await request("GET", `/api/events/${state.code}/devices/${deviceId()}`);
  state.registration = known.ok ? known.body : null;
  showStep();
}

async function load() {
  try {
    const texts = await fetch(`/api/texts/${state.language}`);
    state.texts = await texts.json();
    showTexts();
    $("status").textContent = "";
    if (state.code) {
      await showEvent();
    } else {
      $("code-form").hidden = false;
    }
  } catch (error) {
    $("status").textContent = state.texts.offline || "…";
    setTimeout(load, 3000);
  }
}

$("language").value = state.language;
$("language").addEventListener("change", async (event) => {
  state.language = event.target.value;
  localStorage.setItem("language", state.language);
  if (state.registration) {
    const saved = await request("POST", `/api/events/${state.code}/devices`,
      { ...state.registration, language: state.language });
    if (saved.ok) state.registration = saved.body;
  }
  load();
});
$("code-entry").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = $("code").value.replace(/[^0-9a-z]/gi, "").toUpperCase();
  if (!code) {
    $("code-problem").textContent = state.texts.code_missing;
    return;
  }
  history.pushState(null, "", `/join/${code}`);
  state.code = code;
  showEvent();
});
$("municipality-search").addEventListener("input", showMunicipalities);
$("join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const municipality = document.querySelector("input[name=municipality]:checked")?.value;
  if (!municipality) {
    $("join-problem").textContent = state.texts.municipality_missing;
    return;
  }
  const saved = await request("POST", `/api/events/${state.code}/devices`, {
    device_id: deviceId(), municipality, role: $("role").value, language: state.language,
  });
  $("join-problem").textContent = saved.ok ? "" : saved.body.detail || "";
  if (saved.ok) {
    state.registration = saved.body;
    showStep();
    $("joined-for").focus?.();
  }
});
$("change-button").addEventListener("click", () => {
  $("join-form").hidden = false;
  $("waiting-block").hidden = true;
  showMunicipalities();
  showRoles();
});
load();
