namespace CatChat.Backplane;

/// <summary>The Lua scripts that make nickname claims atomic in Redis.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// Claims KEYS[i] for the holder ARGV[i + 1] if it is free or already theirs, for ARGV[1] milliseconds.
    /// Returns the 1-based positions of the keys another holder has. One key: a /nick claim; many: a heartbeat.
    /// </summary>
    public const string Claim = """
        local lost = {}
        for i, key in ipairs(KEYS) do
          local holder = redis.call('GET', key)
          if holder == false or holder == ARGV[i + 1] then
            redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
          else
            table.insert(lost, i)
          end
        end
        return lost
        """;

    /// <summary>Deletes KEYS[1] only if ARGV[1] still holds it, so a late release never frees someone else's claim.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;
}
