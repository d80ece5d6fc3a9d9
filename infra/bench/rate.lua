-- wrk script for run.sh bulkhead: an open-loop load at a fixed rate (run it with -t1). wrk's own
-- loop is closed (each connection sends its next request when the last one is answered, so a
-- slow server slows the client down and its queue never shows); here the requests are due on a
-- fixed schedule, one every 1/BENCH_RATE seconds, and each free connection takes the next due
-- slot and waits for it (wrk's delay()). With enough connections a request goes out when it is
-- due whatever the server does, so time queued in the server counts in wrk's latency. Whether
-- the client kept to the schedule is measured too: each request's lag (sent minus when its
-- timer was set to fire: its slot rounded up to wrk's whole milliseconds, or the slot itself when
-- the client was already behind it; up to about 1 ms from wrk's millisecond event loop) goes into
-- a histogram, and a lag beyond that means the client or its connections were the bottleneck and
-- the latencies are not valid.
--
--   BENCH_KEYS_FILE    one key per line; requests rotate over them in x-api-key
--   BENCH_PATH_PREFIX  prepended to /items/1
--   BENCH_RATE         requests per second
--   BENCH_RESULT       file that done() writes one line to:
--                      requests rate/s non-2xx socket-errors p50 p99 p99.9 max lag-p99 lag-max
--                      (latencies and lags in ms)

local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } rate_lua_timespec;
  int clock_gettime(int clock_id, rate_lua_timespec *ts);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("rate_lua_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

local path = (os.getenv("BENCH_PATH_PREFIX") or "") .. "/items/1"
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local keys = {}
local sent = 0
local next_due = nil
-- Slots taken by delay() and not yet sent, oldest first: wrk calls request() for a connection
-- right after its delay, and the timers fire in due order.
local dues = {}
local first_due = 1
local last_due = 0
-- The lags of this thread, in 0.1 ms buckets (read by done() through thread:get).
lag_buckets = {}
lag_max_us = 0

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  if rate == nil or rate <= 0 then
    error("BENCH_RATE must be a positive number of requests per second")
  end
  local file = os.getenv("BENCH_KEYS_FILE")
  if file == nil or file == "" then
    error("BENCH_KEYS_FILE is not set")
  end
  for line in io.lines(file) do
    if #line > 0 then
      keys[#keys + 1] = line
    end
  end
  if #keys == 0 then
    error("no keys in " .. file)
  end
end

-- Called when a connection is free: it takes the next slot and waits until it is due. Rounded
-- up to whole milliseconds (wrk's timers), so a request is never sent early. Its lag is counted
-- from when that timer was set to fire, not from the slot: the rounding is the client's design
-- (up to 1 ms), and counting it as lag measured wrk's timer resolution rather than a stall of the
-- client or its core. A slot already past when a connection takes it counts from the slot.
function delay()
  local now = now_us()
  if next_due == nil then
    next_due = now
  end
  local due = next_due
  next_due = next_due + 1e6 / rate
  last_due = last_due + 1
  if due <= now then
    dues[last_due] = due
    return 0
  end
  local millis = math.ceil((due - now) / 1000)
  dues[last_due] = now + millis * 1000
  return millis
end

function request()
  local due = dues[first_due]
  if due ~= nil then
    dues[first_due] = nil
    first_due = first_due + 1
    local lag = now_us() - due
    if lag < 0 then
      lag = 0
    end
    local bucket = math.floor(lag / 100)
    lag_buckets[bucket] = (lag_buckets[bucket] or 0) + 1
    if lag > lag_max_us then
      lag_max_us = lag
    end
  end
  sent = sent + 1
  return wrk.format("GET", path, { ["x-api-key"] = keys[(sent % #keys) + 1] })
end

local function lag_percentile(buckets, total, p)
  local indexes = {}
  for index in pairs(buckets) do
    indexes[#indexes + 1] = index
  end
  table.sort(indexes)
  local seen, want = 0, math.ceil(total * p / 100)
  for _, index in ipairs(indexes) do
    seen = seen + buckets[index]
    if seen >= want then
      return (index + 1) / 10
    end
  end
  return 0
end

function done(summary, latency, requests)
  local buckets, count, lag_max = {}, 0, 0
  for _, thread in ipairs(threads) do
    for index, n in pairs(thread:get("lag_buckets")) do
      buckets[index] = (buckets[index] or 0) + n
      count = count + n
    end
    lag_max = math.max(lag_max, thread:get("lag_max_us"))
  end
  local errors = summary.errors
  local line = string.format(
    "%d %.0f %d %d %.2f %.2f %.2f %.2f %.1f %.1f",
    summary.requests,
    summary.requests / (summary.duration / 1e6),
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000,
    latency.max / 1000,
    lag_percentile(buckets, count, 99),
    lag_max / 1000
  )
  print("RESULT " .. line)
  local out = os.getenv("BENCH_RESULT")
  if out ~= nil and out ~= "" then
    local file = assert(io.open(out, "w"))
    file:write(line .. "\n")
    file:close()
  end
end
