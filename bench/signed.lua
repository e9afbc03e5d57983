-- wrk script: replays requests signed ahead of time (conduit-bench --workload presign), each once:
-- `POST /v1/actions {"action":"noop"}` with its own nonce. Every thread takes every Nth line.
-- Usage: CONDUIT_PRESIGNED=FILE wrk -t T -c C -d D -s bench/signed.lua URL -- T
-- Past the end of its share a thread resends its last request: the broker refuses the replay
-- (401), which wrk counts as a non-2xx answer — sign more requests if any appear.
local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

local requests = {}
local next_request = 1
function init(args)
  local count = tonumber(args[1] or "1")
  local body = '{"action":"noop"}'
  local line_number = 0
  for line in io.lines(os.getenv("CONDUIT_PRESIGNED")) do
    if line_number % count == index then
      local input, signature, digest = line:match("([^\t]*)\t([^\t]*)\t([^\t]*)")
      requests[#requests + 1] = wrk.format("POST", "/v1/actions", {
        ["Content-Type"] = "application/json", ["Signature-Input"] = input, ["Signature"] = signature,
        ["Content-Digest"] = digest }, body)
    end
    line_number = line_number + 1
  end
end

function request()
  local request = requests[next_request] or requests[#requests]
  next_request = next_request + 1
  return request
end
