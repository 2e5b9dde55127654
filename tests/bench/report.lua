-- What every wrk script of the benchmark shares (loaded with dofile by the
-- others): each thread counts its responses outside 2xx, and done() prints
-- one line scripts/bench.sh parses:
--
--   BENCH requests=N seconds=S rps=R p50_ms=A p99_ms=B bytes=N non2xx=N
--         socket_errors=N timeouts=N
--
-- wrk runs setup() and done() in the main Lua state and init(), request()
-- and response() in one state per thread, so the counts are read back from
-- the threads with thread:get().

local threads = {}

function setup(thread)
   thread:set("thread_id", #threads)
   table.insert(threads, thread)
end

-- Globals, so thread:get() can read them.
non2xx = 0
thread_id = 0

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
   end
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f bytes=%d " ..
      "non2xx=%d socket_errors=%d timeouts=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.bytes,
      bad, e.connect + e.read + e.write, e.timeout))
end
