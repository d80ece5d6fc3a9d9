-- wrk script for every scenario of run.sh, so wrk does the same work whatever it measures: each
-- request carries a random one of the bench plan's API keys (from BENCH_KEYS_FILE) in x-api-key.
-- Servers that need no key (the backend, nginx, the gateway's "pass" stage) pass it on unread.
--
--   BENCH_KEYS_FILE    one key per line (written by BenchPlatform)
--   BENCH_PATH_PREFIX  prepended to the path, e.g. /bench/bench/full; empty for nginx. The
--                      cached scenario (/bench/bench/cached) sends the same GET as the others:
--                      its route needs no key, so the random key is not part of the cache key
--                      and every request after the first is a hit
--   BENCH_WIDE_ROUTES  if > 0, each request goes to a random one of /svc{i}/items/{i}, i < N,
--                      instead of /items/1 (the 10,000-route scenario)
--   BENCH_JWT_FILE     if set, a file holding one JWT: every request also carries it as
--                      "Authorization: Bearer <token>" (the JWT scenario)
--   BENCH_ACCEPT_ENCODING  if set, sent as Accept-Encoding (the compressed scenario)
--   BENCH_ORIGIN       if set, every request also carries it as "Origin: <origin>", as a page's
--                      fetch() does (the CORS scenario)
--   BENCH_CONNECTION_CLOSE  if 1, every request asks "Connection: close", so each one is a new
--                      connection (over TLS, a full handshake: wrk resumes no sessions)

local prefix = os.getenv("BENCH_PATH_PREFIX") or ""
local wide = tonumber(os.getenv("BENCH_WIDE_ROUTES") or "0") or 0
local keys = {}
local headers = {}
local fixed_path = prefix .. "/items/1"

function init(args)
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
  local jwt_file = os.getenv("BENCH_JWT_FILE")
  if jwt_file ~= nil and jwt_file ~= "" then
    local file = assert(io.open(jwt_file, "r"))
    local token = file:read("*l")
    file:close()
    headers["Authorization"] = "Bearer " .. token
  end
  local accept_encoding = os.getenv("BENCH_ACCEPT_ENCODING")
  if accept_encoding ~= nil and accept_encoding ~= "" then
    headers["Accept-Encoding"] = accept_encoding
  end
  local origin = os.getenv("BENCH_ORIGIN")
  if origin ~= nil and origin ~= "" then
    headers["Origin"] = origin
  end
  if os.getenv("BENCH_CONNECTION_CLOSE") == "1" then
    headers["Connection"] = "close"
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  headers["x-api-key"] = keys[math.random(#keys)]
  local path = fixed_path
  if wide > 0 then
    local route = math.random(wide) - 1
    path = prefix .. "/svc" .. route .. "/items/" .. route
  end
  return wrk.format("GET", path, headers)
end
