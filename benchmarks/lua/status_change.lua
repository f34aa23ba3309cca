-- Each request puts a claim in review: POST /claims/ID/reviews with {} and If-Match naming the claim's
-- version, so every request can be a real, accepted change.
-- wrk -tN ... -s status_change.lua -- IDS_FILE AUTHORIZATION N
-- The file holds unverified claims at version 1. Thread t of n takes ids t, t+n, t+2n, ... in turn; past
-- the last of its own it starts over with them, each now in review at the next version (in review again
-- writes as much as the first review did). A request that is refused anyway (412) is counted apart.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("number", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local mine, authorization, turn
accepted, refused = 0, 0

function init(args)
  local all, step = {}, tonumber(args[3])
  for line in io.lines(args[1]) do all[#all + 1] = line end
  mine = {}
  for i = number, #all, step do mine[#mine + 1] = all[i] end
  authorization, turn = args[2], 0
end

function request()
  local id = mine[turn % #mine + 1]
  local version = 1 + math.floor(turn / #mine)
  turn = turn + 1
  return wrk.format("POST", "/claims/" .. id .. "/reviews", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = authorization,
    ["If-Match"] = '"v' .. version .. '"',
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
