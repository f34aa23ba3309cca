-- Each request moves a different unverified claim into review: POST /claims/ID/reviews with {} and
-- If-Match "v1" (its version since it was made), so every request can be a real, accepted change.
-- wrk -tN ... -s status_change.lua -- IDS_FILE AUTHORIZATION N
-- Thread t of n takes ids t, t+n, t+2n, ...; past the end of the file it starts over, and those
-- requests are refused (412: the claim has moved on), which the summary counts apart.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("number", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local ids, authorization, position, step
accepted, refused = 0, 0

function init(args)
  ids = {}
  for line in io.lines(args[1]) do ids[#ids + 1] = line end
  authorization, position, step = args[2], number, tonumber(args[3])
end

function request()
  local id = ids[(position - 1) % #ids + 1]
  position = position + step
  return wrk.format("POST", "/claims/" .. id .. "/reviews", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = authorization,
    ["If-Match"] = '"v1"',
  }, "{}")
end

function response(status, headers, body)
  if status == 201 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local yes, no = 0, 0
  for _, thread in ipairs(threads) do
    yes = yes + thread:get("accepted")
    no = no + thread:get("refused")
  end
  io.write(string.format("status changes: accepted %d refused %d\n", yes, no))
end
