-- Runs inside real httpd (mod_lua), in the child and thread that serve the
-- request: the identity headers of DESIGN §2 and the handlers both backends
-- serve (/sleep, /cpu, /stream, /big, /crash, /counter, /whoami). Read by the generated
-- config; bounds as engine/http/handlers.ts LIMITS.

local function firstnum(path)
  local f = io.open(path, "r")
  if not f then return nil end
  local s = f:read("*l")
  f:close()
  return s and s:match("^(%d+)")
end

local MPM = os.getenv("MPM_LAB_MPM") or "?"

-- this process's scoreboard slot (mod_lua reads the scoreboard)
local function slotOf(r, pid)
  local limit = tonumber(os.getenv("MPM_LAB_SERVER_LIMIT") or "16")
  local want = tonumber(pid)
  for i = 0, limit - 1 do
    local p = r:scoreboard_process(i)
    if p and math.floor(p.pid) == want then return i end
  end
  return nil
end

-- ap_mpm.h query codes, and the scoreboard's status codes (scoreboard.h) by letter
local AP_MPMQ_HARD_LIMIT_DAEMONS, AP_MPMQ_HARD_LIMIT_THREADS = 4, 5
local AP_MPMQ_MAX_THREADS, AP_MPMQ_MAX_DAEMONS, AP_MPMQ_GENERATION = 6, 12, 15
local LETTER = { [0] = ".", "S", "_", "R", "W", "K", "L", "D", "C", "G", "I" }
local SERVER_DEAD, SERVER_BUSY_WRITE = 0, 4

-- With LuaScope thread this state lives as long as the thread: who it is never
-- changes, so it is read once (once its slot is found), not on every request.
local cached = nil

local function identity(r)
  if cached and cached.slot then return cached end
  local pid = firstnum("/proc/self/stat") or "0"
  local tid = firstnum("/proc/thread-self/stat") or pid
  -- in a child, the MPM's generation is the one it was forked in
  -- (r.mpm_query, not r:mpm_query: mod_lua reads its first argument as the query)
  cached = { mpm = MPM, pid = pid, tid = tid, slot = slotOf(r, pid), generation = math.floor(r.mpm_query(AP_MPMQ_GENERATION)) }
  return cached
end

-- worker/event: which scoreboard entry (thread slot) is this thread's? httpd
-- does not tell a handler; it is the one entry of this process sending a reply
-- (W) for this very request line. While another thread of the process serves
-- the same line at the same moment the answer is ambiguous: it is left unknown
-- and tried again on the thread's next request (it never changes after).
local function threadOf(r, id)
  if id.thread or MPM == "prefork" or not id.slot then return id.thread end
  local found = nil
  for j = 0, math.floor(r.mpm_query(AP_MPMQ_MAX_THREADS)) - 1 do
    local w = r:scoreboard_worker(id.slot, j)
    if w and w.status == SERVER_BUSY_WRITE and math.floor(w.pid) == tonumber(id.pid)
        and w.request == r.the_request:sub(1, #w.request) and #w.request > 0 then
      if found then return nil end
      found = j
    end
  end
  id.thread = found
  return found
end

-- fixups hook: every response says who served it
function fixups(r)
  -- once per request: a subrequest's headers would be merged in again (mod_dir's index.html)
  if not r.is_initial_req then return apache2.DECLINED end
  local id = identity(r)
  local h = r.err_headers_out
  h["X-MPM"] = id.mpm
  h["X-Child-Pid"] = id.pid
  h["X-Thread-Id"] = id.tid
  h["X-Generation"] = tostring(id.generation)
  local thread = MPM == "prefork" and 0 or threadOf(r, id)
  if id.slot and thread then h["X-Slot"] = id.slot .. "." .. thread end
  -- No X-Keepalive: httpd settles %k when it sends the response (a request that
  -- closes the connection does not count), after this hook; the access log has it.
  -- mod_headers adds X-Connection-Id from this and the client port (Lua cannot read the port)
  r.subprocess_env["MPM_LAB_PID"] = id.pid
  return apache2.DECLINED
end

local function field(s)
  s = s or ""
  return (s:gsub("[\\\t\n]", { ["\\"] = "\\\\", ["\t"] = "\\t", ["\n"] = "\\n" }))
end

-- GET /mpm-lab-scoreboard: httpd's own scoreboard records (the shared memory
-- mod_status prints), every live process and worker, for the dashboard. Unlike
-- mod_status's table it lists workers that never served a request, so every
-- cell has its pid. Tab-separated lines; engine/httpd/observe.ts reads them.
function scoreboard(r)
  local serverLimit = math.floor(r.mpm_query(AP_MPMQ_HARD_LIMIT_DAEMONS))
  local threadLimit = math.floor(r.mpm_query(AP_MPMQ_HARD_LIMIT_THREADS))
  local threadsPerChild = math.floor(r.mpm_query(AP_MPMQ_MAX_THREADS))
  local maxServers = math.floor(r.mpm_query(AP_MPMQ_MAX_DAEMONS))
  local out, board = { "ThreadsPerChild\t" .. threadsPerChild }, {}
  for i = 0, serverLimit - 1 do
    local p = r:scoreboard_process(i)
    local pid = p and math.floor(p.pid) or 0
    if pid ~= 0 then
      out[#out + 1] = table.concat({ "P", i, pid, math.floor(p.quiescing), math.floor(p.not_accepting),
        math.floor(p.connections), math.floor(p.keepalive) }, "\t")
    end
    for j = 0, threadLimit - 1 do
      local w = r:scoreboard_worker(i, j)
      local status = w and math.floor(w.status) or SERVER_DEAD
      -- which cells ?auto's Scoreboard shows (mod_status.c)
      if not ((i >= maxServers or j >= threadsPerChild) and status == SERVER_DEAD) then
        board[#board + 1] = LETTER[status] or "?"
      end
      if w and (status ~= SERVER_DEAD or (pid ~= 0 and j < threadsPerChild)) then
        local wpid = math.floor(w.pid)
        out[#out + 1] = table.concat({ "W", i, j, LETTER[status] or "?", wpid ~= 0 and wpid or pid,
          MPM == "prefork" and "-" or math.floor(w.generation), math.floor(w.access_count),
          field(w.client), field(w.request) }, "\t")
      end
    end
  end
  table.insert(out, 1, "Scoreboard\t" .. table.concat(board))
  r.content_type = "text/plain"
  r:puts(table.concat(out, "\n") .. "\n")
  return apache2.OK
end

local function intParam(r, name, dflt, max)
  local args = r:parseargs()
  local v = args[name]
  if v == nil or v == "" then return dflt end
  if not v:match("^%d+$") then return nil, name .. " must be a whole number, not '" .. v .. "'" end
  return math.min(tonumber(v), max)
end

local function sleepMs(ms)
  -- a real sleep of this thread: httpd's thread is held, as our handler's is
  os.execute("sleep " .. string.format("%.3f", ms / 1000))
end

local function text(r, body)
  r.content_type = "text/plain"
  r:puts(body)
  return apache2.OK
end

function handle(r)
  local path = r.uri
  if path == "/sleep" then
    local ms, err = intParam(r, "ms", 1000, 600000)
    if not ms then return 400 end
    sleepMs(ms)
    return text(r, "slept " .. ms .. " ms\n")
  elseif path == "/cpu" then
    local ms = intParam(r, "ms", 100, 60000)
    if not ms then return 400 end
    local stop = os.clock() + ms / 1000
    while os.clock() < stop do end
    return text(r, "burned " .. ms .. " ms of CPU\n")
  elseif path == "/stream" then
    local chunks = intParam(r, "chunks", 5, 10000)
    local ms = intParam(r, "ms", 200, 60000)
    if not chunks or not ms then return 400 end
    r.content_type = "text/plain"
    for i = 1, chunks do
      if i > 1 then sleepMs(ms) end
      r:puts("chunk " .. i .. " of " .. chunks .. "\n")
      r:flush()
    end
    return apache2.OK
  elseif path == "/big" then
    local kb = intParam(r, "kb", 1024, 1048576)
    if not kb then return 400 end
    r.content_type = "application/octet-stream"
    r.headers_out["Content-Length"] = tostring(kb * 1024)
    local piece = string.rep("MPM Lab big body.\n", 3640) .. "MPM Lab big body" -- 65536 bytes, as the node backend
    local left = kb * 1024
    while left > 0 do
      local n = math.min(left, #piece)
      r:write(n == #piece and piece or piece:sub(1, n))
      left = left - n
    end
    return apache2.OK
  elseif path == "/crash" then
    -- the serving child dies by SIGSEGV, as a segfault would
    local pid = firstnum("/proc/self/stat")
    os.execute("kill -SEGV " .. pid)
    sleepMs(5000)
    return 500
  elseif path == "/counter" then
    -- a process-wide counter (mod_lua's inter-VM store: one per process, each
    -- get and set locked, the read-modify-write not), as a non-thread-safe library keeps one
    local args = r:parseargs()
    if args.read ~= nil then return text(r, "counter " .. math.floor(r:ivm_get("mpm_lab_counter") or 0) .. "\n") end
    local ms = intParam(r, "ms", 200, 600000)
    if not ms then return 400 end
    local before = math.floor(r:ivm_get("mpm_lab_counter") or 0)
    sleepMs(ms)
    r:ivm_set("mpm_lab_counter", before + 1)
    return text(r, "counter " .. before .. " -> " .. (before + 1) .. "\n")
  elseif path == "/whoami" then
    local id = identity(r)
    r.content_type = "application/json"
    r:puts(string.format('{"mpm":"%s","pid":%s,"tid":%s,"slot":%s,"generation":%s}\n',
      id.mpm, id.pid, id.tid, id.slot or "null", id.generation or "null"))
    return apache2.OK
  end
  return apache2.DECLINED
end
