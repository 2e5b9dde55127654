-- Recovery support service searches (GET /api/v1/services) at random points
-- near where the demo services are.
--
--   wrk ... -s tests/bench/services.lua URL -- MODE POINTS_FILE
--
-- MODE is "near" (the 25 nearest within 50 km, with the services whose area
-- covers the point), "category" (the same with one random category),
-- "open" (the same, open now, seen from a US zone), "facets" (the facets of
-- near), "keyword" (anywhere, a random word or phrase) or "category_only"
-- (anywhere, one random category); the searches anywhere carry now= at a
-- random minute of the coming week, as search.lua's do. POINTS_FILE is the Lua table scripts/bench.sh writes from
-- demo.cities, weighted by the services each city has, in the shape
-- search.lua reads:
--
--   { total = W, cities = { {cumulative_weight, lat, lng, jlat, jlng}, ... } }
--
-- Each thread seeds its generator with a fixed number plus its index, so a
-- run sends the same sequence of searches every time.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local SEED = 20240601
local mode, points

function init(args)
   mode = args[1]
   assert(mode == "near" or mode == "category" or mode == "open" or mode == "facets"
          or mode == "keyword" or mode == "category_only",
          "MODE must be near, category, open, facets, keyword or category_only")
   points = dofile(assert(args[2], "POINTS_FILE is missing"))
   math.randomseed(SEED + thread_id)
end

-- The first city whose cumulative weight reaches r (a binary search), as
-- search.lua picks one.
local function pick_city(r)
   local cities = points.cities
   local lo, hi = 1, #cities
   while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cities[mid][1] >= r then hi = mid else lo = mid + 1 end
   end
   return cities[lo]
end

local CATEGORIES = { "peer-support", "case-management", "recovery-housing", "employment",
                     "recovery-community-center", "telephone-support", "outreach",
                     "family-support", "cultural-community", "digital-recovery" }
local ZONES = { "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles" }
local WORDS = { "housing", "peer", "family", "coaching", "warmline", "employment", "outreach",
                "%22recovery+coach%22", "apoyo", "women" }

-- A minute of the coming week, as now= (UTC), from 2026-12-07.
local function random_now()
   local m = math.random(0, 10079)
   return string.format("2026-12-%02dT%02d:%02dZ", 7 + math.floor(m / 1440),
                        math.floor(m / 60) % 24, m % 60)
end

function request()
   if mode == "keyword" then
      return wrk.format("GET", "/api/v1/services?limit=25&q=" .. WORDS[math.random(#WORDS)]
                        .. "&now=" .. random_now())
   elseif mode == "category_only" then
      return wrk.format("GET", "/api/v1/services?limit=25&category="
                        .. CATEGORIES[math.random(#CATEGORIES)] .. "&now=" .. random_now())
   end
   local city = pick_city(math.random(1, points.total))
   local lat = city[2] + math.random(-city[4], city[4]) * 1e-6
   local lng = city[3] + math.random(-city[5], city[5]) * 1e-6
   local path = string.format("/api/v1/services?lat=%.6f&lng=%.6f&limit=25&radius_km=50", lat, lng)
   if mode == "facets" then
      path = string.format("/api/v1/services/facets?lat=%.6f&lng=%.6f&radius_km=50", lat, lng)
   elseif mode == "category" then
      path = path .. "&category=" .. CATEGORIES[math.random(#CATEGORIES)]
   elseif mode == "open" then
      path = path .. "&open_now=true&tz=" .. ZONES[math.random(#ZONES)]
   end
   return wrk.format("GET", path)
end
