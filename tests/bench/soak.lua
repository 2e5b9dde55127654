-- The soak's mixed load (scripts/soak.sh): each request one of
--
--   50%  meetings near a city (the 25 nearest within 50 km)
--   15%  the facets of that search
--   15%  one meeting by id (1 to MAX_ID)
--   10%  services near a city
--   10%  meetings anywhere, a keyword, soonest first (sort=next)
--
--   wrk ... -s tests/bench/soak.lua URL -- MAX_ID
--
-- done() prints one line scripts/soak.sh parses:
--
--   SOAK requests=N seconds=S rps=R p50_ms=A p99_ms=B errors=N limited=N
--        socket_errors=N timeouts=N
--
-- errors: answers outside 2xx other than 429; limited: 429s (a rate limit
-- doing its work).

local threads = {}
local max_id
local SEED = 20261206

local CITIES = {
   {41.88, -87.63}, {39.10, -94.58}, {40.71, -74.01}, {34.05, -118.24}, {29.76, -95.37},
   {33.45, -112.07}, {39.74, -104.99}, {47.61, -122.33}, {25.76, -80.19}, {42.36, -71.06},
}
local WORDS = {"big book", "women", "speaker", "step", "newcomers", "men", "young", "literature"}

function setup(thread)
   thread:set("thread_id", #threads)
   table.insert(threads, thread)
end

errors = 0
limited = 0
thread_id = 0

function init(args)
   max_id = tonumber(args[1]) or 1000
   math.randomseed(SEED + thread_id)
end

local function point()
   local c = CITIES[math.random(#CITIES)]
   return string.format("lat=%.5f&lng=%.5f", c[1] + (math.random() - 0.5) / 5,
                        c[2] + (math.random() - 0.5) / 5)
end

function request()
   local r = math.random(100)
   local path
   if r <= 50 then
      path = "/api/v1/meetings?" .. point() .. "&radius_km=50&limit=25"
   elseif r <= 65 then
      path = "/api/v1/meetings/facets?" .. point() .. "&radius_km=50"
   elseif r <= 80 then
      path = "/api/v1/meetings/" .. math.random(max_id)
   elseif r <= 90 then
      path = "/api/v1/services?" .. point() .. "&radius_km=50&limit=25"
   else
      path = "/api/v1/meetings?q=" .. WORDS[math.random(#WORDS)]:gsub(" ", "+") .. "&sort=next"
   end
   return wrk.format("GET", path, { ["Cache-Control"] = "no-cache" })
end

function response(status, headers, body)
   if status == 429 then
      limited = limited + 1
   elseif status < 200 or status > 299 then
      -- A meeting id the demo skipped is a 404, not an error of the finder.
      if status ~= 404 then
         errors = errors + 1
      end
   end
end

function done(summary, latency, requests)
   local bad, throttled = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("errors") or 0)
      throttled = throttled + (thread:get("limited") or 0)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "SOAK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d limited=%d " ..
      "socket_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad, throttled,
      e.connect + e.read + e.write, e.timeout))
end
