-- Searches at random points near where the meetings are.
--
--   wrk ... -s tests/bench/search.lua URL -- MODE POINTS_FILE
--
-- MODE is "nearest" (the 25 nearest within 50 km), "radius" (within 25 km,
-- on a random day, type O), "window" (within 25 km, today or tomorrow in a
-- random time window, seen from the city's zone), "keyword" (anywhere, a
-- random word or phrase) or "soon" (online meetings starting within the
-- hour, anywhere, soonest first). POINTS_FILE is the Lua table
-- scripts/bench.sh writes from demo.cities:
--
--   { total = W, cities = { {cumulative_weight, lat, lng, jlat, jlng}, ... } }
--
-- A point is a city picked by weight, moved by up to jlat and jlng
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
   assert(mode == "nearest" or mode == "radius" or mode == "window" or mode == "keyword"
          or mode == "soon", "MODE must be nearest, radius, window, keyword or soon")
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

function request()
   if mode == "keyword" then
      return wrk.format("GET", "/api/v1/meetings?limit=25&q=" .. WORDS[math.random(#WORDS)])
   elseif mode == "soon" then
      return wrk.format("GET", "/api/v1/meetings?limit=25&attendance=online&starts_within=60"
                        .. "&tz=" .. ZONES[math.random(#ZONES)])
   end
   local city = pick_city(math.random(1, points.total))
   local lat = city[2] + math.random(-city[4], city[4]) * 1e-6
   local lng = city[3] + math.random(-city[5], city[5]) * 1e-6
   local path
   if mode == "nearest" then
      path = string.format("/api/v1/meetings?lat=%.6f&lng=%.6f&limit=25&radius_km=50", lat, lng)
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
