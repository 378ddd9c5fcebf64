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
  const checked = document.querySelector("input[name=municipality]:checked");
  const chosen = checked ? checked.value : state.registration && state.registration.municipality;
  const search = $("municipality-search").value.trim().toLowerCase();
  const list = $("municipalities");
  list.textContent = "";
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
  select.textContent = "";
  select.append(new Option(state.texts.no_role, ""));
  for (const role of state.event.roles) select.append(new Option(role.label, role.value));
  select.value = (state.registration && state.registration.role) || "";
  $("role-block").hidden = state.event.roles.length === 0;
}

let listening = false;

// Listen for the poll on screen and the group work; `Connection` heals the stream and sends the answers' outbox.
function listen() {
  if (listening) return;
  listening = true;
  Connection.onStatus((online) => { $("status").textContent = online ? "" : state.texts.connection_lost; });
  Connection.onAnswer((vote, sent) => {
    if (sent.ok) localStorage.setItem(`answer:${state.code}:${vote.question_id}`, JSON.stringify(sent.body.answer));
  });
  Connection.start({
    code: state.code,
    deviceId: deviceId(),
    language: () => state.language,
    onState: (snapshot) => {
      state.poll = snapshot.poll;
      state.groupWork = snapshot.group_work;
      showPoll();
      showGroupWork(state.groupWork);
    },
  });
}

function newVoteId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "v" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function control(type, name, value, text) {
  const label = document.createElement("label");
  const input = document.createElement("input");
  input.type = type;
  input.name = name;
  input.value = value;
  label.append(input, text);
  return label;
}

// The answer controls of one question; returns a function that reads the answer.
function answerControls(question, form, saved) {
  const name = `q${question.id}`;
  const fieldset = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.className = "prompt";
  legend.textContent = question.prompt;
  fieldset.append(legend);
  form.append(fieldset);
  if (question.kind === "single" || question.kind === "multiple") {
    const list = document.createElement("div");
    list.className = "choices";
    question.options.forEach((option, index) => {
      const choice = control(question.kind === "single" ? "radio" : "checkbox", name, index, option);
      const input = choice.querySelector("input");
      input.checked = Array.isArray(saved) ? saved.includes(index) : saved === index;
      list.append(choice);
    });
    if (question.kind === "multiple") {
      const hint = document.createElement("p");
      hint.className = "quiet";
      hint.textContent = state.texts.choose_max.replace("{count}", question.max_choices);
      fieldset.append(hint);
    }
    fieldset.append(list);
    return () => {
      const checked = [...list.querySelectorAll("input:checked")].map((input) => Number(input.value));
      return question.kind === "single" ? checked[0] : checked;
    };
  }
  if (question.kind === "scale") {
    const scale = document.createElement("div");
    scale.className = "scale choices";
    for (let value = 1; value <= 5; value++) {
      const choice = control("radio", name, value, String(value));
      choice.querySelector("input").checked = saved === value;
      scale.append(choice);
    }
    const ends = document.createElement("div");
    ends.className = "scale-ends";
    ends.setAttribute("aria-hidden", "true");
    const low = document.createElement("span");
    low.textContent = `1 = ${question.low}`;
    const high = document.createElement("span");
    high.textContent = `5 = ${question.high}`;
    ends.append(low, high);
    legend.textContent = `${question.prompt} (1 = ${question.low}, 5 = ${question.high})`;
    fieldset.append(scale, ends);
    return () => {
      const checked = scale.querySelector("input:checked");
      return checked ? Number(checked.value) : undefined;
    };
  }
  if (question.kind === "words") {
    const inputs = [1, 2, 3].map((number) => {
      const label = document.createElement("label");
      label.className = "quiet";
      const input = document.createElement("input");
      input.className = "word";
      input.maxLength = 30;
      input.value = (saved || [])[number - 1] || "";
      label.append(state.texts.word.replace("{number}", number), input);
      fieldset.append(label);
      return input;
    });
    return () => inputs.map((input) => input.value).filter((word) => word.trim());
  }
  const textarea = document.createElement("textarea");
  textarea.maxLength = 500;
  textarea.value = saved || "";
  textarea.setAttribute("aria-label", question.prompt);
  const counter = document.createElement("p");
  counter.className = "quiet";
  const count = () => {
    const left = 500 - textarea.value.length;
    counter.setAttribute("aria-live", left <= NEAR_LIMIT ? "polite" : "off");  // not at every keystroke
    counter.textContent = state.texts.characters_left.replace("{count}", left);
  };
  textarea.addEventListener("input", count);
  count();
  fieldset.append(textarea, counter);
  return () => textarea.value;
}

async function sendVote(pollId, question, answer, status, button) {
  const body = { device_id: deviceId(), client_vote_id: newVoteId(), question_id: question.id, answer: answer === undefined ? null : answer };
  status.className = "quiet";
  status.textContent = state.texts.sending;
  button.disabled = true;
  const sent = await Connection.send(pollId, body, () => {  // kept on the phone until the connection is back
    button.disabled = false;
    status.className = "quiet";
    status.textContent = state.texts.answer_queued;
  });
  if (!sent) return;  // a newer answer to the question replaced it
  button.disabled = false;
  if (sent.ok) {
    status.className = "received";
    status.textContent = state.texts.received;
    button.textContent = state.texts.change_answer;
  } else {
    status.className = "problem";
    status.textContent = sent.body.detail || state.texts.not_sent;
  }
}

function showPoll() {
  const poll = state.poll;
  $("poll").hidden = !poll;
  $("waiting").hidden = Boolean(poll && poll.status === "open");
  if (!poll) return;
  $("poll-title").textContent = poll.title;
  const questions = $("poll-questions");
  if (questions.dataset.poll !== `${poll.id}:${poll.status}:${state.language}`) {
    questions.dataset.poll = `${poll.id}:${poll.status}:${state.language}`;
    questions.textContent = "";
    for (const question of poll.status === "open" ? poll.questions : []) {
      const form = document.createElement("form");
      form.className = "question";
      form.noValidate = true;
      const savedText = localStorage.getItem(`answer:${state.code}:${question.id}`);
      const saved = savedText ? JSON.parse(savedText) : undefined;
      const read = answerControls(question, form, saved);
      const status = document.createElement("p");
      status.setAttribute("role", "status");
      const button = document.createElement("button");
      button.type = "submit";
      button.textContent = saved === undefined ? state.texts.send : state.texts.change_answer;
      form.append(button, status);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        sendVote(poll.id, question, read(), status, button);
      });
      questions.append(form);
    }
  }
  $("poll-closed").hidden = poll.status === "open";
  $("poll-closed").textContent = state.texts.poll_closed;
}

function showStep() {
  const joined = Boolean(state.registration && state.registration.municipality);
  $("join-form").hidden = joined;
  $("waiting-block").hidden = !joined;
  if (joined) {
    const municipality = state.event.municipalities.find((m) => m.value === state.registration.municipality);
    $("joined-for").textContent = state.texts.joined_for.replace("{municipality}", municipality ? municipality.label : "");
    listen();
    if (state.poll !== undefined) showPoll();
    if (state.groupWork !== undefined) showGroupWork(state.groupWork);
  } else {
    showMunicipalities();
    showRoles();
  }
}

async function loadTexts() {
  const texts = await fetch(`/api/texts/${state.language}`);
  state.texts = await texts.json();
  showTexts();
}

// One request: the event comes with the page's texts; only a phone that joined before asks what it chose.
async function showEvent() {
  const { ok, body } = await request("GET", `/api/events/${encodeURIComponent(state.code)}`);
  if (!ok) {
    if (!state.texts.join) await loadTexts();
    $("event").hidden = true;
    $("code-form").hidden = false;
    $("code").value = state.code;
    $("code-problem").textContent = body.detail || "";
    return;
  }
  state.event = body;
  state.texts = body.texts;
  showTexts();
  $("code-form").hidden = true;
  $("event").hidden = false;
  $("event-title").textContent = body.title;
  $("event-facts").textContent = [body.date, body.venue].filter(Boolean).join(" · ");
  const joinedBefore = localStorage.getItem(`device:${state.code}`);
  const known = joinedBefore ? await request("GET", `/api/events/${state.code}/devices/${deviceId()}`) : {};
  state.registration = known.ok ? known.body : null;
  showStep();
}

async function load() {
  try {
    if (state.code) {
      await showEvent();
    } else {
      await loadTexts();
      $("code-form").hidden = false;
    }
    $("status").textContent = "";
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
  const checked = document.querySelector("input[name=municipality]:checked");
  const municipality = checked && checked.value;
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
    $("joined-for").focus();
  }
});
$("change-button").addEventListener("click", () => {
  $("join-form").hidden = false;
  $("waiting-block").hidden = true;
  showMunicipalities();
  showRoles();
});
load();
