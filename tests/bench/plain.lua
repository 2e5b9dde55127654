-- One fixed URL (the static JSON file, /api/v1/health): wrk's own request,
-- plus the shared response count and result line.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")
