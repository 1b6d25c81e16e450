"""The Lua scripts of the shared count (jobs/limits/shared.py): each check is one atomic script,
timed by Redis's own clock (TIME), so workers on several machines agree whatever their clocks say."""

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000\n"

# KEYS: starts, stops, reserved stops, start pause, stop pause.
# ARGV: start limit, stop limit, span ms, reservation id, reservation ttl ms.
# -> {1, 0} admitted; {0, wait ms} not (posted whole: the wait is informative only).
_ADMIT = _NOW + """
local span, rid, ttl = tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local wait = 0
for i = 4, 5 do
  local p = tonumber(redis.call('GET', KEYS[i]) or '0')
  if p > now and p - now > wait then wait = p - now end
end
if wait > 0 then return {0, math.ceil(wait)} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - span)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return {0, 1} end
if redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[2]) then return {0, 1} end
redis.call('ZADD', KEYS[1], now, rid)
redis.call('PEXPIRE', KEYS[1], math.ceil(span))
redis.call('ZADD', KEYS[3], now + ttl, rid)
redis.call('PEXPIRE', KEYS[3], math.ceil(ttl))
return {1, 0}
"""

# A stop: the caller's reservation if it still holds, else one more call if it fits.
# KEYS: stops, reserved stops, stop pause. ARGV: limit, span ms, reservation id ('' = none), call id.
# -> 1 go, 0 no room.
_STOP = _NOW + """
local span, rid, id = tonumber(ARGV[2]), ARGV[3], ARGV[4]
if rid ~= '' then
  local s = redis.call('ZSCORE', KEYS[2], rid)
  if s then
    redis.call('ZREM', KEYS[2], rid)
    if tonumber(s) > now then
      redis.call('ZADD', KEYS[1], now, id)
      redis.call('PEXPIRE', KEYS[1], math.ceil(span))
      return 1
    end
  end
end
if tonumber(redis.call('GET', KEYS[3]) or '0') > now then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, id)
redis.call('PEXPIRE', KEYS[1], math.ceil(span))
return 1
"""

# One call in a sliding window, smoothed by a GCRA bucket.
# KEYS: window, bucket tat, pause. ARGV: limit (0 = no window), span ms, interval ms, burst, call id.
# -> 0 granted, else the wait in ms.
_SLOT = _NOW + """
local limit, span, interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local wait = 0
local p = tonumber(redis.call('GET', KEYS[3]) or '0')
if p > now then wait = p - now end
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
  if redis.call('ZCARD', KEYS[1]) >= limit then
    local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
    if oldest + span - now > wait then wait = oldest + span - now end
  end
end
local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
if tat < now then tat = now end
local gw = tat - now - (burst - 1) * interval
if gw > wait then wait = gw end
if wait > 0 then return math.max(1, math.ceil(wait)) end
redis.call('SET', KEYS[2], tostring(tat + interval), 'PX', math.ceil(tat + interval - now + 1000))
if limit > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], math.ceil(span))
end
return 0
"""

# KEYS: pause. ARGV: ms. The pause only ever grows.
_PAUSE = _NOW + """
local till = now + tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < till then
  redis.call('SET', KEYS[1], tostring(till), 'PX', math.ceil(tonumber(ARGV[1])) + 1)
end
return 1
"""

# KEYS: live workers. ARGV: worker id, ttl ms. -> live workers.
_HEARTBEAT = _NOW + """
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 2))
return redis.call('ZCARD', KEYS[1])
"""
