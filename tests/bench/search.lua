-- Searches at random points near where the meetings are.
--
--   wrk ... -s tests/bench/search.lua URL -- MODE POINTS_FILE
--
-- MODE is "nearest" (the 25 nearest within 50 km), "radius" (within 25 km,
-- on a random day, type O), "window" (within 25 km, today or tomorrow in a
-- random time window, seen from the city's zone), "keyword" (anywhere, a
-- random word or phrase), "soon" (online meetings starting within the
-- hour, anywhere, soonest first), "landing" (the page's first search: online
-- and hybrid meetings anywhere, soonest first, seen from a US zone),
-- "facets_near" and "facets_landing" (the facets of nearest and landing),
-- "detail" (one meeting by id, 1 to MAX_ID) or "lists" (the fellowships
-- and the types, in turn). POINTS_FILE is the Lua table scripts/bench.sh
-- writes from demo.cities:
--
--   { total = W, max_id = N, cities = { {cumulative_weight, lat, lng, jlat, jlng}, ... } }
--
-- The searches anywhere ("keyword", "soon", "landing", "facets_landing")
-- carry now= at a random minute of the coming week, so that they are
-- measured at every time of the week, not only at the hour the benchmark
-- runs (scripts/bench.sh asks past nginx's cache with Cache-Control:
-- no-cache). A point is a city picked by weight, moved by up to jlat and jlng
-- millionths of a degree each way; the pgbench scripts draw from the same
-- distribution.
--
-- Each thread seeds its generator with a fixed number plus its index, so
-- a run sends the same sequence of searches every time.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local SEED = 20240601
local mode, points

function init(args)
   mode = args[1]
   local modes = { nearest = 1, radius = 1, window = 1, keyword = 1, soon = 1, landing = 1,
                   facets_near = 1, facets_landing = 1, detail = 1, lists = 1 }
   assert(modes[mode], "MODE must be nearest, radius, window, keyword, soon, landing, "
          .. "facets_near, facets_landing, detail or lists")
   points = dofile(assert(args[2], "POINTS_FILE is missing"))
   math.randomseed(SEED + thread_id)
end

-- The first city whose cumulative weight reaches r (a binary search).
local function pick_city(r)
   local cities = points.cities
   local lo, hi = 1, #cities
   while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cities[mid][1] >= r then hi = mid else lo = mid + 1 end
   end
   return cities[lo]
end

local WINDOWS = { "morning", "midday", "evening", "night", "18:00-21:00" }
local DAYS = { "today", "tomorrow" }
local ZONES = { "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles" }
local WORDS = { "serenity", "grupo", "hope", "step", "women", "discussion", "big+book",
                "%22one+day+at+a+time%22", "vida", "newcomers" }

-- A minute of the coming week, as now= (UTC), from 2026-12-07.
local function random_now()
   local m = math.random(0, 10079)
   return string.format("2026-12-%02dT%02d:%02dZ", 7 + math.floor(m / 1440),
                        math.floor(m / 60) % 24, m % 60)
end

local lists_turn = 0

function request()
   if mode == "keyword" then
      return wrk.format("GET", "/api/v1/meetings?limit=25&q=" .. WORDS[math.random(#WORDS)]
                        .. "&now=" .. random_now())
   elseif mode == "soon" then
      return wrk.format("GET", "/api/v1/meetings?limit=25&attendance=online&starts_within=60"
                        .. "&tz=" .. ZONES[math.random(#ZONES)] .. "&now=" .. random_now())
   elseif mode == "landing" or mode == "facets_landing" then
      return wrk.format("GET", (mode == "landing" and "/api/v1/meetings?limit=25&" or
                                "/api/v1/meetings/facets?")
                        .. "attendance=online,hybrid&tz=" .. ZONES[math.random(#ZONES)]
                        .. "&now=" .. random_now())
   elseif mode == "detail" then
      return wrk.format("GET", "/api/v1/meetings/" .. math.random(1, points.max_id))
   elseif mode == "lists" then
      lists_turn = lists_turn + 1
      return wrk.format("GET", lists_turn % 2 == 0 and "/api/v1/fellowships" or "/api/v1/types")
   end
   local city = pick_city(math.random(1, points.total))
   local lat = city[2] + math.random(-city[4], city[4]) * 1e-6
   local lng = city[3] + math.random(-city[5], city[5]) * 1e-6
   local path
   if mode == "nearest" then
      path = string.format("/api/v1/meetings?lat=%.6f&lng=%.6f&limit=25&radius_km=50", lat, lng)
   elseif mode == "facets_near" then
      path = string.format("/api/v1/meetings/facets?lat=%.6f&lng=%.6f&radius_km=50", lat, lng)
   elseif mode == "radius" then
      path = string.format("/api/v1/meetings?lat=%.6f&lng=%.6f&limit=25&radius_km=25&day=%d&type=O",
                           lat, lng, math.random(0, 6))
   else
      path = string.format("/api/v1/meetings?lat=%.6f&lng=%.6f&limit=25&radius_km=25"
                           .. "&day=%s&time=%s&tz=%s", lat, lng, DAYS[math.random(#DAYS)],
                           WINDOWS[math.random(#WINDOWS)], ZONES[math.random(#ZONES)])
   end
   return wrk.format("GET", path)
end
