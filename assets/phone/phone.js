// The participant's phone: a light page, no framework. Texts come from the server in the chosen language.
"use strict";

const storedLanguage = localStorage.getItem("language");
const state = {
  language: ["nb", "nn", "en"].includes(storedLanguage) ? storedLanguage : "nb",
  code: decodeURIComponent(location.pathname.split("/join/")[1] || "").trim(),
  texts: {},
};
const $ = (id) => document.getElementById(id);

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, body };
}

function showTexts() {
  const t = state.texts;
  document.documentElement.lang = state.language;
  document.title = t.page_title;
  $("language-label").textContent = t.language;
  $("join-heading").textContent = t.page_title;
  $("code-label").textContent = t.enter_code;
  $("join-button").textContent = t.join;
  $("welcome").textContent = t.welcome;
  $("waiting").textContent = t.waiting;
}

async function showEvent() {
  const { ok, body } = await getJson(`/api/events/${encodeURIComponent(state.code)}?lang=${state.language}`);
  if (!ok) {
    $("event").hidden = true;
    $("code-form").hidden = false;
    $("code").value = state.code;
    $("code-problem").textContent = body.detail || "";
    return;
  }
  $("code-form").hidden = true;
  $("event").hidden = false;
  $("event-title").textContent = body.title;
  $("event-facts").textContent = [body.date, body.venue].filter(Boolean).join(" · ");
}

async function load() {
  try {
    state.texts = (await getJson(`/api/texts/${state.language}`)).body;
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
$("language").addEventListener("change", (event) => {
  state.language = event.target.value;
  localStorage.setItem("language", state.language);
  load();
});
$("join-form").addEventListener("submit", (event) => {
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
load();
