-- wrk script of scripts/load-test.sh: every request POSTs /v1/tts JSON with one of a few short
-- texts, a built-in voice and its own seed; responses are counted by status, and 503 answers
-- without Retry-After separately. done() prints "key value" lines that load-test.sh reads.
--   wrk ... -s scripts/load-test.lua URL -- MAX_SECONDS

local texts = {
  "Hello there.", "Good morning to you.", "See you soon.", "Thank you very much.",
  "It is raining again.", "The bus is late.", "Please close the door.", "What a lovely day.",
}
local voices = { "slt", "rms", "awb", "kal" }
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  max_seconds = tonumber(args[1] or "1.0")
  codes = {}
  no_retry_after = 0
  sent = 0
end

function request()
  sent = sent + 1
  local text = texts[sent % #texts + 1]
  local voice = voices[(sent + thread_number) % #voices + 1]
  -- Seeds differ per thread and per request, so no two requests ask for the same audio.
  local seed = thread_number * 1000000 + sent
  local body = string.format('{"text":"%s","voice":"%s","seed":%d,"max_seconds":%.3f}', text, voice, seed, max_seconds)
  return wrk.format("POST", "/v1/tts", { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  codes[status] = (codes[status] or 0) + 1
  if status == 503 and headers["Retry-After"] == nil and headers["retry-after"] == nil then
    no_retry_after = no_retry_after + 1
  end
end

function done(summary, latency, requests)
  local total, missing = {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("codes")) do total[status] = (total[status] or 0) + count end
    missing = missing + thread:get("no_retry_after")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("duration_s %.1f\n", seconds))
  io.write(string.format("requests_per_s %.3f\n", summary.requests / seconds))
  for status, count in pairs(total) do io.write(string.format("status_%d %d\n", status, count)) end
  io.write(string.format("status_503_without_retry_after %d\n", missing))
  local e = summary.errors
  io.write(string.format("socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("socket_errors_detail connect=%d,read=%d,write=%d,timeout=%d\n", e.connect, e.read, e.write, e.timeout))
  for _, p in ipairs({ 50, 90, 99 }) do
    io.write(string.format("latency_p%d_ms %.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency_max_ms %.1f\n", latency.max / 1000))
end
