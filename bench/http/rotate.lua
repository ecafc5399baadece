-- wrk script: each request asks for the next of the fixture's pages /page/1 .. /page/N
-- (N is the first script argument, default 20000), so wrk fetches the same distinct pages as the clients.
local count = 20000
local i = 0

function init(args)
  if args[1] then count = tonumber(args[1]) end
end

function request()
  i = (i % count) + 1
  return wrk.format("GET", "/page/" .. i)
end
