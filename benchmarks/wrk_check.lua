-- wrk script for `make bench-web`: POST /api/v1/schools/{id}/check with a JSON body and a
-- personal API token, rotating through a few drafts so the server does not screen one text only.
--
--   WRK_TOKEN=bnd_... WRK_BODIES=bodies.jsonl \
--     wrk -t2 -c50 -d10s --latency -s benchmarks/wrk_check.lua \
--     http://127.0.0.1:8000/api/v1/schools/1/check
--
-- WRK_BODIES names a file with one JSON request body a line ({"text": "..."}); without it the
-- few invented drafts below are sent. After the run, a line starting "WRK_JSON " carries the
-- figures as JSON for benchmarks/bench_web.py to read.

local token = os.getenv("WRK_TOKEN") or ""
local bodies_path = os.getenv("WRK_BODIES")

local fallback_bodies = {
  '{"text": "Lovely sunny afternoon for sports day, so proud of everyone who took part."}',
  '{"text": "Parents, if the office is busy just text me on 07700 900461 x"}',
  '{"text": "What a week. Ofsted are in tomorrow, keep it quiet."}',
  '{"text": "Half term at last. Walking in the Dales with the dog and a flask of tea."}',
}

local next_thread_id = 0

-- Runs once per thread, in the main Lua state: number the threads so each starts at a
-- different body and they do not send the same draft in lockstep.
function setup(thread)
  next_thread_id = next_thread_id + 1
  thread:set("thread_id", next_thread_id)
end

local requests = {}
local counter = 0

-- Runs in each thread's own Lua state: build every request once, so request() only picks one.
function init(args)
  local bodies = {}
  if bodies_path and bodies_path ~= "" then
    for line in io.lines(bodies_path) do
      if #line > 0 then
        bodies[#bodies + 1] = line
      end
    end
  end
  if #bodies == 0 then
    bodies = fallback_bodies
  end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", nil, headers, body)
  end
  counter = ((thread_id or 1) * 7) % #requests
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, requests_made)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.1f, "stdev": %.1f, "p50": %d, "p75": %d, "p90": %d, '
      .. '"p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency:percentile(50), latency:percentile(75),
    latency:percentile(90), latency:percentile(99), latency.max
  ))
end
