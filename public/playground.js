// The playground: fills the form from GET /v1/voices and GET /v1/models, posts it to /v1/tts
// with response_format "json", plays the returned WAV and shows its rewards (and every
// candidate's for best-of-K). Plain DOM, no libraries: the page must work offline.
"use strict";

const $ = (id) => document.getElementById(id);
const UPLOAD = "__upload__";
/** Prompt texts of the stored voices, by id, shown under the voice picker. */
const voiceTexts = new Map();

/** An API error as one readable line: status, error code and message (DESIGN §11). */
class APIError extends Error {}

/** Parses a response body. Seeds are 64-bit integers: kept as strings so they are not rounded. */
function parseJSON(text) {
  try {
    return JSON.parse(text.replace(/"seed":(\d+)/g, '"seed":"$1"'));
  } catch {
    return null;
  }
}

async function call(path, options = {}) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, ...options });
  const text = await response.text();
  const body = parseJSON(text);
  if (!response.ok) {
    const error = body && body.error;
    let message = `HTTP ${response.status}: ` + (error ? `${error.code}: ${error.message}` : text || response.statusText);
    const retry = response.headers.get("Retry-After");
    if (retry) message += ` (retry after ${retry} s)`;
    throw new APIError(message);
  }
  return body;
}

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = label;
  return element;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

/** Health first: while the server loads its models the other routes answer 503. */
async function checkHealth() {
  const response = await fetch("/health");
  const health = parseJSON(await response.text()) || {};
  if (health.status === "ok") {
    $("health").textContent = `Server ready: version ${health.version}, ${health.models_loaded} model(s) loaded.`;
    return true;
  }
  $("health").textContent = `Server status: ${health.status || response.status}; waiting…`;
  return false;
}

async function loadVoices() {
  const { voices } = await call("/v1/voices");
  const select = $("voice");
  select.replaceChildren();
  for (const voice of voices) {
    select.append(option(voice.id, `${voice.name} (${voice.seconds} s)`));
    voiceTexts.set(voice.id, voice.prompt_text);
  }
  select.append(option(UPLOAD, "Upload a WAV…"));
  voiceChanged();
}

async function loadModels() {
  const { models } = await call("/v1/models");
  const speech = models.filter((m) => m.kind === "ardm");
  $("model").replaceChildren(...speech.map((m) => option(m.id, m.id)));
  if (speech.length === 0) $("model").append(option("", "No speech model loaded"));
  for (const m of models.filter((m) => m.kind === "value")) {
    const reward = m.rewards ? ` (estimates ${m.rewards.join(", ")})` : "";
    $("value-model").append(option(m.id, m.id + reward));
  }
  const rewards = new Set(["f0v"]);
  for (const m of models.filter((m) => m.kind === "reward")) (m.rewards || []).forEach((r) => rewards.add(r));
  $("rewards").replaceChildren(...[...rewards].map((r) => option(r, r)));
  if (rewards.has("ctc_likelihood")) $("reward").value = "ctc_likelihood";
}

function voiceChanged() {
  const voice = $("voice").value;
  $("upload").hidden = voice !== UPLOAD;
  $("voice-text").textContent = voiceTexts.has(voice) ? `Says: “${voiceTexts.get(voice)}”` : "";
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new APIError(`Cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** The JSON body of POST /v1/tts from the form; empty optional fields are left out. */
async function requestBody() {
  const body = { text: $("text").value, response_format: "json" };
  const voice = $("voice").value;
  if (voice === UPLOAD) {
    const file = $("prompt-audio").files[0];
    if (!file) throw new APIError("Choose a WAV file to upload, or pick a stored voice.");
    body.prompt_audio = await readBase64(file);
    body.prompt_text = $("prompt-text").value;
  } else if (voice) {
    body.voice = voice;
  }
  if ($("model").value) body.model = $("model").value;
  if ($("value-model").value) body.guidance = { value_model: $("value-model").value, scale: Number($("scale").value) };
  const k = Number($("k").value);
  if (k !== 1) body.best_of = { k, reward: $("reward").value };
  // Numbers the server checks; a non-number goes as null, which it names in its error.
  for (const [id, field] of [["seed", "seed"], ["steps", "steps"], ["max-seconds", "max_seconds"],
    ["voice-scale", "voice_scale"], ["timbre-match", "timbre_match"]]) {
    if ($(id).value !== "") body[field] = Number($(id).value);
  }
  return body;
}

/** Four significant digits; tiny likelihoods in exponent form so columns stay narrow. */
function formatScore(x) {
  if (typeof x !== "number") return "—";
  return x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(4);
}

function cell(tag, text, scope) {
  const element = document.createElement(tag);
  element.textContent = text;
  if (scope) element.scope = scope;
  return element;
}

function showResult(result, elapsed) {
  const bytes = Uint8Array.from(atob(result.audio), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" }));
  if ($("player").src.startsWith("blob:")) URL.revokeObjectURL($("player").src);
  $("player").src = url;
  $("download").href = url;

  const guidance = result.guidance ? `, value model ${result.guidance.value_model} at λ = ${result.guidance.scale}` : "";
  $("summary").textContent = `${result.seconds} s of audio at ${result.sample_rate} Hz in ${elapsed.toFixed(1)} s; `
    + `model ${result.model}, voice ${result.voice || "uploaded"}, seed ${result.seed}${guidance}; `
    + (result.stopped ? "the model ended the utterance." : "cut at the length limit.");

  const scores = Object.entries(result.scores || {}).sort(([a], [b]) => a.localeCompare(b));
  $("scores").tBodies[0].replaceChildren(...scores.map(([name, value]) => {
    const row = document.createElement("tr");
    row.append(cell("th", name, "row"), cell("td", formatScore(value)));
    return row;
  }));

  const candidates = result.candidates || [];
  $("candidates").hidden = candidates.length === 0;
  const names = scores.map(([name]) => name);
  const head = document.createElement("tr");
  head.append(...["Seed", "Seconds", ...names].map((name) => cell("th", name, "col")));
  $("candidates").tHead.replaceChildren(head);
  $("candidates").tBodies[0].replaceChildren(...candidates.map((c) => {
    const row = document.createElement("tr");
    if (c.chosen) row.className = "chosen";
    const seed = cell("td", c.chosen ? `✓ ${c.seed}` : String(c.seed));
    if (c.chosen) {
      const note = cell("span", " (returned)");
      note.className = "visually-hidden";
      seed.append(note);
    }
    row.append(seed, cell("td", String(c.seconds)),
      ...names.map((name) => cell("td", formatScore(c.scores[name]))));
    return row;
  }));

  const skipped = Object.entries(result.skipped || {});
  $("skipped").replaceChildren(...skipped.map(([name, reason]) => cell("li", `${name} not scored: ${reason}`)));
  $("empty").hidden = true;
  $("result").hidden = false;
}

async function synthesize(event) {
  event.preventDefault();
  const button = $("synthesize");
  button.disabled = true;
  showError("");
  const started = performance.now();
  const tick = () => { $("progress").textContent = `Synthesizing… ${((performance.now() - started) / 1000).toFixed(0)} s`; };
  tick();
  const timer = setInterval(tick, 1000);
  try {
    const body = await requestBody();
    const result = await call("/v1/tts", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
    showResult(result, (performance.now() - started) / 1000);
    $("progress").textContent = "Done.";
  } catch (error) {
    showError(error instanceof APIError ? error.message : `Request failed: ${error.message}`);
    $("progress").textContent = "";
  } finally {
    clearInterval(timer);
    button.disabled = false;
  }
}

/** Query parameters fill the form, so a setting can be shared as a link; `run` also submits it
 *  (e.g. `/?text=Hello&voice=slt&seed=1&run`). */
function prefill(params) {
  const fields = { text: "text", voice: "voice", model: "model", value_model: "value-model", scale: "scale", k: "k",
    reward: "reward", seed: "seed", steps: "steps", max_seconds: "max-seconds",
    voice_scale: "voice-scale", timbre_match: "timbre-match" };
  for (const [name, id] of Object.entries(fields)) {
    if (params.has(name)) $(id).value = params.get(name);
  }
  for (const id of ["voice", "value-model", "k"]) $(id).dispatchEvent(new Event(id === "k" ? "input" : "change"));
  if (params.has("run")) $("synthesis").requestSubmit();
}

async function start() {
  $("voice").addEventListener("change", voiceChanged);
  $("value-model").addEventListener("change", () => { $("scale").disabled = !$("value-model").value; });
  $("k").addEventListener("input", () => { $("reward").disabled = Number($("k").value) <= 1; });
  $("synthesis").addEventListener("submit", synthesize);
  try {
    while (!(await checkHealth())) await new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.all([loadVoices(), loadModels()]);
    prefill(new URLSearchParams(location.search));
  } catch (error) {
    showError(`Cannot load the server's voices and models: ${error.message}`);
  }
}

start();
