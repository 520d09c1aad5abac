-- wrk script: one ballot per voting code, each code once, then the thread stops.
--   wrk -t1 -cN -d600s -s ballots.lua URL -- CODES_FILE FROM COUNT ITEM_MAJORITY ITEM_BUDGET DONE_FILE
-- Prints "ballots ACCEPTED REFUSED SECONDS PER_SECOND P50_MS P99_MS". SECONDS runs from the
-- first request to the answer that completes the set (wrk's own duration is the -d limit).
-- Codes past the end are sent again and refused (409): the few requests still in flight.
-- wrk itself waits out -d; the script writes DONE_FILE when it is through, so that the caller
-- can interrupt wrk (SIGINT makes it report at once).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } maeul_timespec;
  int clock_gettime(int clock, maeul_timespec *t);
]]
local function now()
  local t = ffi.new("maeul_timespec")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC
  return tonumber(t.tv_sec) + tonumber(t.tv_nsec) / 1e9
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

local codes, next_code, majority, budget, done_file = {}, 0, "", "", ""
local answers = { '"yes"', '"no"', '"abstain"' }
local options = { '["골목 화단"]', '["경로당 안전손잡이"]', '["공유 창고"]', '["경로당 안전손잡이","공유 창고"]' }
-- Globals, read by done() through thread:get().
accepted, refused, first, last = 0, 0, 0, 0

function init(args)
  local file, from, count = args[1], tonumber(args[2]), tonumber(args[3])
  majority, budget, done_file = args[4], args[5], args[6]
  local line_no = 0
  for line in io.lines(file) do
    if line_no > from and #codes < count then
      codes[#codes + 1] = line:match(",(.*)$")
    end
    line_no = line_no + 1
  end
end

function request()
  if first == 0 then
    first = now()
  end
  next_code = next_code + 1
  local i = math.min(next_code, #codes)
  local body = string.format('{"code":"%s","choices":[{"item":%s,"choice":%s},{"item":%s,"choice":%s}]}',
    codes[i], majority, answers[i % 3 + 1], budget, options[i % 4 + 1])
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status)
  if status == 201 then
    accepted = accepted + 1
  else
    refused = refused + 1
  end
  if accepted + refused >= #codes then
    last = now()
    wrk.thread:stop()
    local f = io.open(done_file, "w")
    f:write("done\n")
    f:close()
  end
end

function done(summary, latency, requests)
  local a, r, f, l = 0, 0, math.huge, 0
  for _, t in ipairs(threads) do
    a, r = a + t:get("accepted"), r + t:get("refused")
    f, l = math.min(f, t:get("first")), math.max(l, t:get("last"))
  end
  local s = l - f
  io.write(string.format("ballots %d %d %.3f %.0f %.2f %.2f\n", a, r, s, a / s,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
