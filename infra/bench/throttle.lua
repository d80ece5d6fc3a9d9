-- wrk script for run.sh throttle-accuracy: every request carries the one key of the limited plan,
-- and the responses are counted by status (200 admitted, 429 throttled, anything else).
--
--   BENCH_LIMITED_KEY  the key (from platform.env)
--   BENCH_PATH         the request path, e.g. /bench/bench/limited/items/1

wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH") or "/"
wrk.headers["x-api-key"] = os.getenv("BENCH_LIMITED_KEY") or ""

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  admitted = 0
  throttled = 0
  other = 0
end

function response(status, headers, body)
  if status == 200 then
    admitted = admitted + 1
  elseif status == 429 then
    throttled = throttled + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, t, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("admitted")
    t = t + thread:get("throttled")
    o = o + thread:get("other")
  end
  io.write(string.format("STATUS 200 %d\nSTATUS 429 %d\nSTATUS other %d\n", a, t, o))
end
