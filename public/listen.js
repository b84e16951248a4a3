// The listener page of an A/B listening test (paper Appendix C). Query: ?test=ID[&listener=NAME]
// [&autorate=SCORE] (autorate submits SCORE for the first pair without playing, for scripts).
// A listener id is kept in localStorage, so a listener never rates the same pair twice.
"use strict";
const params = new URLSearchParams(location.search);
const testID = params.get("test");
const $ = (id) => document.getElementById(id);
let presentation = null;

function listenerID() {
  let id = params.get("listener") || localStorage.getItem("vgpo-listener");
  if (!id) {
    id = "l-" + Math.random().toString(36).slice(2, 12);
  }
  localStorage.setItem("vgpo-listener", id);
  return id;
}

async function call(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(json.error ? json.error.message : response.statusText);
  return json;
}

function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

async function showNext() {
  const next = await call(`/v1/listening-tests/${testID}/next`, { listener: listenerID() });
  if (next.done) {
    $("pair").hidden = true;
    status("Thank you: you have rated every pair of this test.");
    document.body.dataset.state = "done";
    return;
  }
  presentation = next.presentation;
  $("text").textContent = next.text;
  $("audio-a").src = next.audio_a;
  $("audio-b").src = next.audio_b;
  $("reference-block").hidden = !next.reference;
  if (next.reference) $("reference").src = next.reference;
  $("rating").reset();
  $("pair").hidden = false;
  status(`${next.remaining} pair(s) left.`);
  document.body.dataset.state = "pair";
}

async function submit(score) {
  await call(`/v1/listening-tests/${testID}/ratings`, { listener: listenerID(), presentation, score });
  document.body.dataset.rated = String(Number(document.body.dataset.rated || 0) + 1);
  await showNext();
}

$("rating").addEventListener("submit", (event) => {
  event.preventDefault();
  const score = Number(new FormData($("rating")).get("score"));
  submit(score).catch((error) => status(error.message, true));
});

(async () => {
  if (!testID) { status("No test given: open this page as listen.html?test=ID.", true); return; }
  const test = await call(`/v1/listening-tests/${testID}`);
  $("title").textContent = test.name;
  $("question").textContent = test.question;
  for (const line of test.instructions) {
    const item = document.createElement("li");
    item.textContent = line;
    $("instructions").appendChild(item);
  }
  await showNext();
  if (params.has("autorate") && presentation) {
    document.querySelector(`input[name=score][value="${Number(params.get("autorate"))}"]`).checked = true;
    $("rating").requestSubmit();
  }
})().catch((error) => status(error.message, true));
