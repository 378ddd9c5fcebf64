// The participant's phone: a light page, no framework. Texts come from the server in the chosen language.
"use strict";

const storedLanguage = localStorage.getItem("language");
const state = {
  language: ["nb", "nn", "en"].includes(storedLanguage) ? storedLanguage : "nb",
  code: decodeURIComponent(location.pathname.split("/join/")[1] || "").trim().toUpperCase(),
  texts: {},
  event: null,
  registration: null,
  answers: [],  // the open poll's questions on screen, with what became of each answer
  closedUnsent: [],  // the prompts whose answers the closed poll never stored
  view: "poll",  // "poll" or "group": which of the two is on screen
};
const $ = (id) => document.getElementById(id);

const SAY_AGAIN_MS = 150;

// Move a keyboard or screen-reader user to what comes next, and say it in the polite live region.
function moveTo(element, announcement) {
  element.focus();
  $("announce").textContent = announcement;
}

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
  const registered = state.registration ? state.registration.municipality || "" : undefined;
  const chosen = checked ? checked.value : registered;
  const search = $("municipality-search").value.trim().toLowerCase();
  const list = $("municipalities");
  list.textContent = "";
  const names = (m) => [m.label].concat(m.parallel || []);  // "Nesseby", "Unjárga"
  // A phone's keyboard seldom has á, š or č: "unjarga" finds Unjárga, "karasjohka" Kárášjohka.
  const plain = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const found = (name) => name.toLowerCase().includes(search) || plain(name.toLowerCase()).includes(search);
  const shown = state.event.municipalities.filter((m) => !search || m.value.startsWith(search) || names(m).some(found));
  // Hosts and county staff answer too: value "" joins without a municipality.
  const choices = (search ? [] : [{ value: "", label: state.texts.not_municipality }]).concat(
    shown.map((m) => ({ value: m.value, label: `${names(m).join(" · ")} (${m.value})` })));
  for (const choice of choices) {
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "municipality";
    radio.value = choice.value;
    radio.checked = choice.value === chosen;
    label.append(radio, choice.label);
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
  Connection.onAnswer(answered);
  Connection.start({
    code: state.code,
    deviceId: deviceId(),
    language: () => state.language,
    onState: (snapshot) => {
      state.sentPoll = snapshot.poll;
      state.poll = inLanguage(snapshot.poll);
      state.groupWork = snapshot.group_work;
      showPoll();
      showGroupWork(state.groupWork);
    },
  });
}

// The poll in the phone's language: the server sends each language's texts (a missing one already replaced).
function inLanguage(poll) {
  const version = poll && poll.versions && poll.versions[state.language];
  if (!version) return poll;
  return Object.assign({}, poll, {
    title: version.title,
    questions: poll.questions.map((question, index) => Object.assign({}, question, version.questions[index])),
  });
}

// Every answer the server has answered, also one sent before a reload or after its poll closed: what was stored
// is remembered, a question on screen that waited for it says so, and a closed poll's words follow it.
function answered(vote, sent) {
  if (sent.ok) {
    localStorage.setItem(`answer:${state.code}:${vote.question_id}`,
      JSON.stringify({ sent: vote.answer, stored: sent.body.answer }));
  }
  const entry = state.answers.find((shown) => shown.waitingVote === vote.client_vote_id);
  if (entry) {  // kept from before a reload; an answer sent from this page is followed by sendAnswer
    entry.waitingVote = null;
    entry.queued = false;
    if (sent.ok) {
      entry.sent = vote.answer;
      entry.stored = sent.body.answer;
    } else {
      entry.problem = (sent.body && sent.body.detail) || state.texts.not_sent;
    }
    showAnswerStates();
  }
  const poll = state.poll;
  const question = poll && poll.status !== "open" && poll.questions.find((asked) => asked.id === vote.question_id);
  if (question && state.shownPoll && state.shownPoll.id === poll.id) {
    if (!sent.ok && !state.closedUnsent.includes(question.prompt)) state.closedUnsent.push(question.prompt);
    showPollClosed(poll, state.closedUnsent);
  }
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

// At most `max_choices` boxes can be ticked: the others are disabled, and the hint says why.
function limitChoices(question, list, hint) {
  const boxes = Array.from(list.querySelectorAll("input"));
  const ticked = boxes.filter((box) => box.checked).length;
  const full = ticked >= question.max_choices;
  for (const box of boxes) box.disabled = full && !box.checked;
  hint.textContent = full
    ? state.texts.choose_max_reached.replace("{count}", question.max_choices)
    : state.texts.choose_max.replace("{count}", question.max_choices);
}

// The answer controls of one question, filled in with `initial`; returns a function that reads the answer.
function answerControls(question, fieldset, initial) {
  const name = `q${question.id}`;
  const legend = fieldset.querySelector("legend");
  if (question.kind === "single" || question.kind === "multiple") {
    const list = document.createElement("div");
    list.className = "choices";
    question.options.forEach((option, index) => {
      const choice = control(question.kind === "single" ? "radio" : "checkbox", name, index, option);
      choice.querySelector("input").checked = Array.isArray(initial) ? initial.includes(index) : initial === index;
      list.append(choice);
    });
    if (question.kind === "multiple") {
      const hint = document.createElement("p");
      hint.className = "quiet";
      hint.setAttribute("aria-live", "polite");
      fieldset.append(hint);
      list.addEventListener("change", () => limitChoices(question, list, hint));
      limitChoices(question, list, hint);
    }
    fieldset.append(list);
    return () => {
      const checked = Array.from(list.querySelectorAll("input:checked"), (input) => Number(input.value));
      return question.kind === "single" ? checked[0] : checked;
    };
  }
  if (question.kind === "scale") {
    const scale = document.createElement("div");
    scale.className = "scale choices";
    for (let value = 1; value <= 5; value++) {
      const choice = control("radio", name, value, String(value));
      choice.querySelector("input").checked = initial === value;
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
      input.value = (initial || [])[number - 1] || "";
      label.append(state.texts.word.replace("{number}", number), input);
      fieldset.append(label);
      return input;
    });
    return () => inputs.map((input) => input.value).filter((word) => word.trim());
  }
  const textarea = document.createElement("textarea");
  textarea.maxLength = 500;
  textarea.value = initial || "";
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

// What this phone sent for a question and what the server stored, as acknowledged.
function rememberedAnswer(question) {
  const text = localStorage.getItem(`answer:${state.code}:${question.id}`);
  if (!text) return null;
  const remembered = JSON.parse(text);
  const both = remembered !== null && typeof remembered === "object" && !Array.isArray(remembered)
    && "stored" in remembered;
  return both ? remembered : { sent: remembered, stored: remembered };
}

function isEmpty(answer) {
  return answer === undefined || (Array.isArray(answer) && answer.length === 0)
    || (typeof answer === "string" && !answer.trim());
}

function sameAnswer(first, second) {
  return JSON.stringify(first) === JSON.stringify(second);
}

// The state of one question's answer: empty, unsent, sending, received or changed (since it was received).
function answerState(entry) {
  if (entry.sending) return "sending";
  if (entry.queued) return "queued";
  const now = entry.read();
  if (entry.sent === undefined) return isEmpty(now) ? "empty" : "unsent";
  return sameAnswer(now, entry.sent) ? "received" : "changed";
}

const STATE_TEXTS = { unsent: "state_unsent", sending: "sending", queued: "answer_queued", received: "state_received",
  changed: "state_changed" };

function showAnswerStates() {
  const entries = state.answers;
  const states = entries.map(answerState);
  entries.forEach((entry, index) => {
    const now = states[index];
    entry.block.dataset.state = now;
    entry.status.className = `answer-state ${entry.problem ? "problem" : now}`;
    entry.status.textContent = entry.problem || (STATE_TEXTS[now] ? state.texts[STATE_TEXTS[now]] : "");
    entry.savedAs.hidden = !(now === "received" && entry.question.kind === "words");
    entry.savedAs.textContent = state.texts.saved_as.replace("{words}", [].concat(entry.stored || []).join(", "));
  });
  const waiting = states.filter((now) => now === "unsent" || now === "changed").length;
  const summary = $("poll-summary");
  summary.className = waiting ? "problem" : "received";
  if (states.includes("sending")) {
    summary.className = "quiet";
    summary.textContent = state.texts.sending;
  } else if (states.includes("queued")) {
    summary.className = "quiet";
    summary.textContent = state.texts.answer_queued;
  } else if (waiting) {
    summary.textContent = state.texts.unsent_count.replace("{count}", waiting);
  } else {
    const received = entries.length > 1 ? state.texts.all_received : state.texts.received;
    summary.textContent = states.includes("received") ? received : "";
  }
}

// Send one answer through the connection's outbox (kept on the phone until the server has answered, also
// across a reload). Resolves to {ok, detail, answer}, or null when a newer answer to the question replaced it.
async function postVote(pollId, questionId, answer, whileQueued) {
  const body = { device_id: deviceId(), client_vote_id: newVoteId(), question_id: questionId,
    answer: answer === undefined ? null : answer };
  const sent = await Connection.send(pollId, body, whileQueued);
  if (!sent) return null;
  const reply = sent.body || {};
  return { ok: sent.ok, detail: reply.detail || state.texts.not_sent, answer: reply.answer };
}

// `settled()` is called once the server has answered, or once the answer waits on the phone for the connection.
async function sendAnswer(poll, entry, settled) {
  const answer = entry.read();
  entry.sending = true;
  entry.problem = "";
  entry.waitingVote = null;  // this answer replaces one kept from before a reload
  showAnswerStates();
  const result = await postVote(poll.id, entry.question.id, answer, () => {  // waits for the connection
    entry.sending = false;
    entry.queued = true;
    showAnswerStates();
    settled();
  });
  entry.sending = false;
  entry.queued = false;
  settled();
  if (!result) return;  // a newer answer to this question took its place
  if (!state.answers.includes(entry)) return;  // the poll closed while this answer was on its way: see answered()
  if (result.ok) {
    entry.sent = answer;
    entry.stored = result.answer;
    localStorage.setItem(`answer:${state.code}:${entry.question.id}`,
      JSON.stringify({ sent: answer, stored: result.answer }));
  } else {
    entry.problem = result.detail;
  }
  showAnswerStates();
}

// The poll is answered as a whole: every answered question not yet received is sent.
async function sendAnswers(poll) {
  const waiting = state.answers.filter((entry) => ["unsent", "changed"].includes(answerState(entry)));
  const summary = $("poll-summary");
  if (waiting.length === 0 && state.answers.every((entry) => answerState(entry) === "empty")) {
    summary.className = "problem";
    summary.textContent = state.texts.nothing_chosen;
    summary.focus();
    return;
  }
  // Focus goes to the outcome (received, kept on the phone, or what went wrong) once every answer has one.
  await Promise.all(waiting.map((entry) => new Promise((settled) => sendAnswer(poll, entry, settled))));
  if (state.answers.includes(waiting[0])) summary.focus();  // unless the poll closed meanwhile
}

function questionBlock(question, draft) {
  const block = document.createElement("fieldset");
  block.className = "question";
  const legend = document.createElement("legend");
  legend.className = "prompt";
  legend.textContent = question.prompt;
  block.append(legend);
  const remembered = rememberedAnswer(question);
  const waiting = Connection.waitingFor(question.id);  // chosen and sent before a reload, not yet answered
  const initial = draft !== undefined ? draft : waiting ? waiting.answer : (remembered || {}).sent;
  const read = answerControls(question, block, initial);
  const status = document.createElement("p");
  const savedAs = document.createElement("p");
  savedAs.className = "quiet";
  block.append(status, savedAs);
  return { question, block, read, status, savedAs, sending: false, problem: "", queued: Boolean(waiting),
    waitingVote: waiting ? waiting.client_vote_id : null,
    sent: remembered ? remembered.sent : undefined, stored: remembered ? remembered.stored : undefined };
}

function showPollForm(poll) {
  const drafts = {};  // what was chosen, kept when the same poll is shown again (in another language)
  for (const entry of state.answers) drafts[entry.question.id] = entry.read();
  const form = document.createElement("form");
  form.noValidate = true;
  state.answers = poll.questions.map((question) => questionBlock(question, drafts[question.id]));
  for (const entry of state.answers) form.append(entry.block);
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = poll.questions.length > 1 ? state.texts.send_all : state.texts.send;
  form.append(button);
  form.addEventListener("input", () => {
    for (const entry of state.answers) entry.problem = "";
    showAnswerStates();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendAnswers(poll);
  });
  $("poll-questions").textContent = "";
  $("poll-questions").append(form);
  showAnswerStates();
}

// A closed poll: thanks when all was received, and a clear warning for what was chosen but never stored.
function showPollClosed(poll, unsent) {
  const closed = $("poll-closed");
  const anyReceived = poll.questions.some((question) => rememberedAnswer(question));
  closed.className = unsent.length ? "waiting problem" : "waiting";
  closed.setAttribute("role", unsent.length ? "alert" : "status");
  closed.textContent = unsent.length
    ? state.texts.poll_closed_unsent.replace("{questions}", unsent.join("; "))
    : anyReceived ? state.texts.poll_closed : state.texts.poll_closed_none;
}

function showPoll() {
  const poll = state.poll;
  const shown = state.shownPoll || {};
  const open = Boolean(poll && poll.status === "open");
  const opened = open && (shown.id !== poll.id || shown.status !== "open");
  if (poll) $("poll-title").textContent = poll.title;
  const key = poll ? `${poll.id}:${poll.status}:${state.language}` : "";
  if (poll && key !== shown.key) {
    if (open) {
      if (shown.id !== poll.id) state.answers = [];
      showPollForm(poll);
      $("poll-summary").hidden = false;
    } else {
      const unsent = shown.id === poll.id && shown.status === "open"
        ? state.answers.filter((entry) => ["unsent", "changed"].includes(answerState(entry)))
          .map((entry) => entry.question.prompt)
        : [];
      state.answers = [];
      state.closedUnsent = unsent;
      $("poll-questions").textContent = "";
      $("poll-summary").hidden = true;
      showPollClosed(poll, unsent);
    }
    $("poll-closed").hidden = open;
  }
  state.shownPoll = poll ? { id: poll.id, status: poll.status, key } : null;
  if (opened) state.view = "poll";
  arrange();
  if (opened) {
    $("poll").scrollIntoView({ block: "start" });
    moveTo($("poll-title"), poll.title);
  }
}

// The poll and the group work never share the screen: one is shown, with a button to the other.
function arrange() {
  const poll = Boolean(state.poll);
  const groupWork = Boolean(state.groupShown);
  if (!groupWork) state.view = "poll";
  else if (!poll) state.view = "group";
  $("poll").hidden = !(poll && state.view === "poll");
  $("group").hidden = !(groupWork && state.view === "group");
  $("waiting").hidden = Boolean((state.poll && state.poll.status === "open") || groupWork);
  const both = poll && groupWork;
  $("switch-view").hidden = !both;
  if (both) {
    $("switch-view").textContent = state.view === "poll"
      ? state.texts.to_group : state.texts.to_poll.replace("{title}", state.poll.title);
  }
}

function switchView() {
  state.view = state.view === "poll" ? "group" : "poll";
  arrange();
  const heading = $(state.view).querySelector("h2");
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

function showStep() {
  const joined = Boolean(state.registration);
  $("join-form").hidden = joined;
  $("waiting-block").hidden = !joined;
  if (joined) {
    const number = state.registration.municipality;
    const municipality = state.event.municipalities.find((m) => m.value === number);
    $("joined-for").textContent = number === null ? state.texts.joined_as_host
      : state.texts.joined_for.replace("{municipality}", municipality ? municipality.label : "");
    listen();
    if (state.poll !== undefined) showPoll();
    if (state.groupWork !== undefined) showGroupWork(state.groupWork);
  } else {
    showMunicipalities();
    showRoles();
  }
}

// After joining: the open poll or the group work when one is on screen, else whom this phone takes part for.
function showWhatComesNext() {
  const poll = state.poll && state.poll.status === "open" && !$("poll").hidden;
  const groupHeading = $("group").hidden ? null : $("group").querySelector("h2");
  if (poll) {
    moveTo($("poll-title"), state.poll.title);
  } else if (groupHeading) {
    groupHeading.tabIndex = -1;
    moveTo(groupHeading, groupHeading.textContent);
  } else {
    $("joined-for").focus();  // read out as it gets focus; what to do now follows from its live region
    if (!$("waiting").hidden) sayAgain($("waiting"));
  }
}

// A live region's text is not read when the region appears with it: it is written again a moment later.
function sayAgain(region) {
  const text = region.textContent;
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, SAY_AGAIN_MS);
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
  if (state.sentPoll !== undefined) state.poll = inLanguage(state.sentPoll);
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
$("switch-view").addEventListener("click", switchView);
$("join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const checked = document.querySelector("input[name=municipality]:checked");
  if (!checked) {
    $("join-problem").textContent = state.texts.municipality_missing;
    return;
  }
  const saved = await request("POST", `/api/events/${state.code}/devices`, {
    device_id: deviceId(), municipality: checked.value || null, role: $("role").value, language: state.language,
  });
  $("join-problem").textContent = saved.ok ? "" : saved.body.detail || "";
  if (saved.ok) {
    state.registration = saved.body;
    showStep();
    showWhatComesNext();
  }
});
$("change-button").addEventListener("click", () => {
  $("join-form").hidden = false;
  $("waiting-block").hidden = true;
  showMunicipalities();
  showRoles();
});
load();
