-- wrk script: rotate through the request paths listed in a file, one a line,
-- so that every request of a run asks for another page (a cache that only
-- held the page asked for last would not make a run "warm"), and print the
-- run's figures as one JSON line when it ends.
--
--   wrk -s bench/rotate.lua http://127.0.0.1:8000 -- paths.txt

local paths = {}
local counter = 0
local threads_started = 0

function setup(thread)
   -- Each thread starts at another place in the list.
   thread:set("offset", threads_started * 7919)
   threads_started = threads_started + 1
end

function init(args)
   for line in io.lines(args[1]) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   assert(#paths > 0, "no paths in " .. args[1])
   counter = (offset or 0) % #paths
end

function request()
   counter = counter % #paths + 1
   return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(99), latency.max,
      errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
