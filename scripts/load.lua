-- A realistic mix for `make load`: lists, case pages, the dashboard and letter downloads.
-- Paths come from LOAD_PATHS (one per line, with a weight: "3 /cases/"), the session from LOAD_COOKIE.
local paths = {}
local cookie = os.getenv("LOAD_COOKIE")
local errors = 0

for line in io.lines(os.getenv("LOAD_PATHS")) do
  local weight, path = line:match("^(%d+)%s+(%S+)$")
  for _ = 1, tonumber(weight) do table.insert(paths, path) end
end

local counter = 0
request = function()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie, ["Host"] = "127.0.0.1" })
end

response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("load_requests %d count\n", summary.requests))
  io.write(string.format("load_throughput %.1f req/s\n", summary.requests / seconds))
  io.write(string.format("load_p95 %.1f ms\n", latency:percentile(95) / 1000))
  io.write(string.format("load_median %.1f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("load_errors %d count\n", failed))
end
